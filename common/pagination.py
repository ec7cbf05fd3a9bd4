"""Numbered pages with a stable end."""

from rest_framework import pagination, serializers
from rest_framework.exceptions import NotFound


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
