"""What every API endpoint shares: permissions, paging, stable order, error answers, the
OpenAPI description of all that, and datetimes that must carry their offset."""

import logging

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, IntegrityError, models, transaction
from django_filters import FilterSet, NumberFilter
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, pagination, permissions, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

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


class IdFilterSet(FilterSet):
    """Relations are filtered by id: an unknown id finds nothing rather than being an error."""

    FILTER_DEFAULTS = {
        **FILTER_FOR_DBFIELD_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
    }


class FilterBackend(DjangoFilterBackend):
    filterset_base = IdFilterSet


class StableOrderingFilter(filters.OrderingFilter):
    """Any ordering a client asks for ends with the id, so pages never shuffle."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or queryset.query.order_by)
        if "id" not in ordering and "-id" not in ordering and "pk" not in ordering:
            ordering.append("id")
        return ordering


class OffsetDateTimeField(serializers.DateTimeField):
    """A datetime that says which time it is: naive input would be guessed, so it is refused."""

    default_error_messages = {
        "naive": "Give the time with its UTC offset, e.g. 2025-02-10T10:00:00+01:00.",
    }

    def to_internal_value(self, value):
        if isinstance(value, str) and value and not _has_offset(value):
            self.fail("naive")
        return super().to_internal_value(value)


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
        # An id larger than the database can hold: no such item.
        request = context.get("request")
        if request is not None and request.method in permissions.SAFE_METHODS | {"DELETE"}:
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
