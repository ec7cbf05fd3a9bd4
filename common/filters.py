"""Query parameters held to the schema: ids, days and moments, and an order that never shuffles."""

from datetime import UTC, date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.dateparse import parse_datetime
from django_filters import CharFilter, FilterSet, IsoDateTimeFilter, NumberFilter
from django_filters.fields import IsoDateTimeField
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters, serializers

from common.bounds import MAX_ID, OUT_OF_CALENDAR, within_calendar
from common.fields import NAIVE


class IdFilter(NumberFilter):
    """An id to filter by: a whole number the database can hold."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
        schema = {"type": "integer", "minimum": kwargs["min_value"], "maximum": kwargs["max_value"]}
        if kwargs.get("help_text"):
            schema["description"] = str(kwargs["help_text"])
        extend_schema_field(schema)(self)


class SearchFilter(CharFilter):
    """Words to look for: a longer text is refused rather than cut or sent to the database."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)
        schema = {"type": "string", "maxLength": kwargs["max_length"]}
        if kwargs.get("help_text"):
            schema["description"] = str(kwargs["help_text"])
        extend_schema_field(schema)(self)


class OffsetDateTimeField(IsoDateTimeField):
    """A moment with its UTC offset: one without would be read in the server's zone."""

    default_error_messages = {"naive": NAIVE}

    def to_python(self, value):
        if isinstance(value, str):
            try:
                moment = parse_datetime(value.strip())
            except ValueError:
                moment = None  # unreadable: the parsing below says so
            if moment is not None and moment.tzinfo is None:
                raise ValidationError(self.error_messages["naive"], code="naive")
        return super().to_python(value)


class OffsetDateTimeFilter(IsoDateTimeFilter):
    field_class = OffsetDateTimeField


class FilterForm(forms.Form):
    """Query parameters as the schema describes them: an id, a day, a moment or a choice
    given empty is refused rather than ignored (a client sending one has a bug to hear
    about), and so is a date at the ends of the calendar. Moments are compared in UTC."""

    def clean(self):
        cleaned_data = super().clean()
        for name, field in self.fields.items():
            value = cleaned_data.get(name)
            if not isinstance(field, forms.CharField) and self.data.get(name) == "":
                self.add_error(name, "Give a value, or leave the parameter out.")
            elif isinstance(value, date) and not within_calendar(value):
                self.add_error(name, OUT_OF_CALENDAR)
            elif isinstance(value, datetime) and value.tzinfo is not None:
                # RFC 3339 allows offsets up to ±23:59, PostgreSQL only up to ±15:59.
                cleaned_data[name] = value.astimezone(UTC)
        return cleaned_data


class IdFilterSet(FilterSet):
    """Relations are filtered by id: an unknown id finds nothing rather than being an error."""

    FILTER_DEFAULTS = {
        **FILTER_FOR_DBFIELD_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
    }

    def get_form_class(self):
        return type(f"{type(self).__name__}Form", (FilterForm, super().get_form_class()), {})


class FilterBackend(DjangoFilterBackend):
    filterset_base = IdFilterSet


class StableOrderingFilter(filters.OrderingFilter):
    """An ordering by the fields a list offers, refused with a 400 naming the parameter
    otherwise (rather than silently ignored); any ordering ends with the id, so pages never
    shuffle."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        if len(valid) < len(fields):
            offered = [
                name for name, _label in self.get_valid_fields(queryset, view, {"request": request})
            ]
            raise serializers.ValidationError(
                {
                    self.ordering_param: [
                        f"Order by {', '.join(offered)}, each with - before it for the "
                        "reverse order, separated by commas."
                    ]
                }
            )
        return valid

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        offered = getattr(view, "ordering_fields", None)
        if isinstance(offered, list | tuple):
            term = f"-?(?:{'|'.join(offered)})"
            for parameter in parameters:
                # Empty is the default order, as DRF reads it.
                parameter["schema"]["pattern"] = f"^(?:{term}(?:,{term})*)?$"
        return parameters

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or queryset.query.order_by)
        if "id" not in ordering and "-id" not in ordering and "pk" not in ordering:
            ordering.append("id")
        return ordering
