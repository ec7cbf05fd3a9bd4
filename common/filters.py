"""Query parameters held to the schema: ids, days and moments, and an order that never shuffles."""

from datetime import UTC, date, datetime

from django import forms
from django.db import models
from django_filters import FilterSet, NumberFilter
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters

from common.bounds import MAX_ID, OUT_OF_CALENDAR, within_calendar


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
    """Any ordering a client asks for ends with the id, so pages never shuffle."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or queryset.query.order_by)
        if "id" not in ordering and "-id" not in ordering and "pk" not in ordering:
            ordering.append("id")
        return ordering
