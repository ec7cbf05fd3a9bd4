"""What every API endpoint shares: permissions, paging, stable order, error answers, the
OpenAPI description of all that, input held to the JSON types the schema names, and
datetimes that must carry their offset."""

import logging
from collections.abc import Mapping
from contextlib import suppress
from datetime import UTC, date, datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DatabaseError, IntegrityError, models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.dateparse import parse_datetime
from django_filters import FilterSet, NumberFilter
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters, pagination, permissions, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.settings import api_settings

logger = logging.getLogger(__name__)


class ReadOrModelPermissions(permissions.DjangoModelPermissions):
    """Anyone reads what they may see; writing needs the model's add/change/delete permission."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().has_permission(request, view)


class Pagination(pagination.PageNumberPagination):
    """Numbered pages; a page past the end is an empty page, not an error, so a client
    walking the pages while the programme shrinks simply stops."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and not (_positive(size) and int(size) <= self.max_page_size):
            raise serializers.ValidationError(
                {
                    self.page_size_query_param: [
                        f"Give a whole number from 1 to {self.max_page_size}."
                    ]
                }
            )
        return super().get_page_size(request)

    def paginate_queryset(self, queryset, request, view=None):
        page = request.query_params.get(self.page_query_param)
        if page is not None and not _positive(page):
            raise serializers.ValidationError(
                {self.page_query_param: ["Give a page number from 1."]}
            )
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            self.page = _EmptyPage(
                self.django_paginator_class(queryset, self.get_page_size(request))
            )
            self.request = request
            return []

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] = {"type": "integer", "minimum": 1}
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters


def _positive(value):
    return value is not None and value.isdigit() and int(value) >= 1


class _EmptyPage(list):
    def __init__(self, paginator):
        super().__init__()
        self.paginator = paginator
        self.number = paginator.num_pages + 1

    def has_next(self):
        return False

    def has_previous(self):
        return self.paginator.count > 0

    def previous_page_number(self):
        return self.paginator.num_pages


MAX_ID = 2**63 - 1


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


# Comments rather than docstrings on these bases: drf-spectacular would describe every
# serializer without its own docstring with theirs.


class StrictSerializer(serializers.Serializer):
    # A serializer of JSON bodies that takes what the schema says and nothing else: values
    # of the named JSON type (DRF alone would also read "3" as 3, 1 as true and 0 as "0"),
    # text within its maxLength before whitespace is trimmed, and whole items in nested
    # lists, even in a partial update, since they replace the old ones.

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {}
            nested_in_partial = self.parent is not None and getattr(self.root, "partial", False)
            for field in self._writable_fields:
                value = data.get(field.field_name)
                if error := _type_error(field, value):
                    errors[field.field_name] = [error]
                elif _too_long(field, value):
                    # Counted before DRF trims the whitespace, as the schema's maxLength is.
                    message = field.error_messages["max_length"]
                    errors[field.field_name] = [message.format(max_length=field.max_length)]
                elif nested_in_partial and field.required and field.field_name not in data:
                    errors[field.field_name] = [field.error_messages["required"]]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    # Held to the schema like StrictSerializer, with whole numbers in the range every
    # database can store (so the schema is the same on all of them) and dates away from
    # the ends of the calendar.

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.IntegerField) and not model_field.choices:
            low, high = BaseDatabaseOperations.integer_field_ranges[model_field.get_internal_type()]
            kwargs["min_value"] = max(kwargs.get("min_value", low), low)
            kwargs["max_value"] = min(kwargs.get("max_value", high), high)
            kwargs["validators"] = [
                validator
                for validator in kwargs.get("validators", [])
                if not isinstance(validator, MinValueValidator | MaxValueValidator)
            ]
        if isinstance(model_field, models.DateField):
            kwargs["validators"] = [*kwargs.get("validators", []), validate_within_calendar]
        return field_class, kwargs


def _json_type(field):
    """The JSON type a field's input must have, and how to ask for it; None for any."""
    if isinstance(field, serializers.BooleanField):
        return bool, "true or false"
    if isinstance(field, serializers.IntegerField):
        return int, "a whole number"
    if isinstance(field, serializers.PrimaryKeyRelatedField):
        pk = field.get_queryset().model._meta.pk
        return (int, "an id (a whole number)") if isinstance(pk, models.IntegerField) else None
    if isinstance(field, serializers.FloatField):
        return float, "a number"
    if isinstance(field, serializers.DecimalField) and not getattr(
        field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING
    ):
        return float, "a number"
    if isinstance(field, serializers.MultipleChoiceField | serializers.ListField):
        return list, "a list"
    if isinstance(field, serializers.ChoiceField):
        strings = all(isinstance(choice, str) for choice in field.choices)
        return (str, "one of the listed values") if strings else None
    if isinstance(
        field,
        serializers.CharField
        | serializers.DateTimeField
        | serializers.DateField
        | serializers.TimeField
        | serializers.DurationField
        | serializers.DecimalField,
    ):
        return str, "a string"
    if isinstance(field, serializers.ListSerializer | serializers.ManyRelatedField):
        return list, "a list"
    if isinstance(field, serializers.BaseSerializer):
        return Mapping, "an object"
    return None


def _type_error(field, value):
    """What is wrong with the JSON type of a value given for a field, if anything."""
    expected = _json_type(field)
    if value is None or expected is None:
        return None
    kind, wording = expected
    if not _is_json(value, kind):
        return f"Give {wording}."
    item_field = getattr(field, "child_relation", None) or getattr(field, "child", None)
    if kind is list and isinstance(item_field, serializers.Field):
        item_type = _json_type(item_field)
        if item_type and not all(
            _is_json(item, item_type[0]) for item in value if item is not None
        ):
            return f"Give a list; each item must be {item_type[1]}."
    return None


def _too_long(field, value):
    if not isinstance(field, serializers.CharField) or not isinstance(value, str):
        return False
    return field.max_length is not None and len(value) > field.max_length


def _is_json(value, expected):
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, expected)


OUT_OF_CALENDAR = "Give a date from the year 2 to the year 9998."


def within_calendar(value):
    """A date or moment far enough from the calendar's ends (years 1 and 9999) that moving it
    to another time zone or to the next day cannot run off them."""
    return 1 < value.year < 9999


def validate_within_calendar(value):
    if not within_calendar(value):
        raise serializers.ValidationError(OUT_OF_CALENDAR)


class OffsetDateTimeField(serializers.DateTimeField):
    """A datetime that says which time it is: naive input would be guessed, so it is refused."""

    default_error_messages = {
        "naive": "Give the time with its UTC offset, e.g. 2025-02-10T10:00:00+01:00.",
        "calendar": OUT_OF_CALENDAR,
    }

    def to_internal_value(self, value):
        if isinstance(value, str) and value and not _has_offset(value):
            self.fail("naive")
        if isinstance(value, str):
            with suppress(ValueError):  # unreadable: the parsing below says so
                moment = parse_datetime(value)
                if moment is not None and not within_calendar(moment):
                    self.fail("calendar")
        return super().to_internal_value(value)

    def enforce_timezone(self, value):
        value = super().enforce_timezone(value)
        # Before standard time, zones ran on local mean time (Paris: +00:09:21), an offset
        # that RFC 3339 cannot write: such a moment is given in UTC.
        offset = value.utcoffset()
        if offset is not None and offset % timedelta(minutes=1):
            value = value.astimezone(UTC)
        return value


def _has_offset(text):
    tail = text[10:]
    return tail.endswith("Z") or "+" in tail or tail.count("-") >= 1


class AtomicWritesMixin:
    """Validate and write in one transaction: the room lock taken by the checks holds
    until the row is saved, and a refused write leaves nothing behind."""

    def create(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().destroy(request, *args, **kwargs)


def exception_handler(exc, context):
    """DRF's answers, plus: Django validation errors are 400s naming their fields, and a
    database refusal (a constraint that the checks did not foresee) is a 409, never a 500."""
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, OverflowError):
        # An id in the path larger than the database can hold: no such item.
        path_values = getattr(context.get("view"), "kwargs", {}).values()
        if any(_beyond_ids(str(value)) for value in path_values):
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        return Response(
            {"detail": "A number in the request is too large."}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": "The database refused this change: it conflicts with existing data."},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DatabaseError):
        logger.exception("Database error in the API", exc_info=exc)
        return Response(
            {"detail": "The database could not complete this request; try again."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "1"},
        )
    # Imported here: rest_framework.views reads the settings that name this module.
    from rest_framework.views import exception_handler as drf_exception_handler

    return drf_exception_handler(exc, context)


def _beyond_ids(text):
    return text.isascii() and text.isdigit() and int(text) > MAX_ID
