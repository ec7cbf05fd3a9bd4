"""Refuse request input that no view can store, before any view sees it."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from common.refusals import API_PREFIX, refusal

NUL = "\x00"


def too_large(request: HttpRequest) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return refusal(
        request, status=413, message=f"The request body is larger than the {limit} bytes allowed."
    )


class RefuseOversizedBodyMiddleware:
    """A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 saying so, before anything
    reads it. Django enforces the limit only where it parses forms itself; the API reads
    its JSON from the stream. Files in a multipart upload are streamed to disk, so the
    limit does not apply to them (Django still holds the form fields beside them to it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        multipart = request.content_type == "multipart/form-data"
        if limit is not None and length > limit and not multipart:
            return too_large(request)
        return self.get_response(request)


class PageMethodsMiddleware:
    """Outside the API, a page is read (GET, HEAD) or posted a form (POST); any other method
    is a 405 before a view sees it. Our views refuse those themselves, but Django's own
    would take a PUT for a POST (the login and password pages) or a PATCH or DELETE for a
    GET (the admin). The API answers every method for itself."""

    PAGE_METHODS = ("GET", "HEAD", "POST")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in self.PAGE_METHODS and not request.path.startswith(API_PREFIX):
            return HttpResponseNotAllowed(self.PAGE_METHODS)
        return self.get_response(request)


class RefuseNulMiddleware:
    """A NUL character in the address, a query parameter or a form field is a 400 naming
    it: PostgreSQL cannot store or even compare text holding one, so a view that passes it
    on would fail with a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path:
            return refusal(
                request,
                status=400,
                message="The address contains a NUL character.",
            )
        # Only what is there is parsed to be checked: Django reads a form only from a POST.
        forms = [request.GET] if request.META.get("QUERY_STRING") else []
        if request.method == "POST":
            try:
                forms.append(request.POST)
            except RequestDataTooBig:
                return too_large(request)
        for data in forms:
            for name, values in data.lists():
                if NUL in name or any(NUL in value for value in values):
                    shown = name.replace(NUL, "\\0")
                    return refusal(
                        request,
                        status=400,
                        field=shown,
                        message=f"“{shown}” contains a NUL character, which is not allowed.",
                    )
        return self.get_response(request)
