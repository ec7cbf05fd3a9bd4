"""Answers to input refused before anything is done with it."""

from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse

from common.renderers import without_markup

API_PREFIX = "/api/"

# Django's own wording for a choice that is not one, which does not repeat the value: a
# refusal quotes nothing that a client sent.
UNKNOWN_CHOICE = {"invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]}


def refusal(
    request: HttpRequest, *, status: int, message: str, field: str | None = None
) -> HttpResponse:
    """The answer to refused input: JSON in the API's error shape under /api/ (the field
    named when there is one), plain text elsewhere."""
    if request.path.startswith(API_PREFIX):
        detail: dict[str, object] = {field: [message]} if field else {"detail": message}
        response = JsonResponse(detail, status=status)
        response.content = without_markup(response.content)
        return response
    # Plain text: a parameter name the client chose is never rendered as HTML.
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def form_refusal(request: HttpRequest, form: forms.Form) -> HttpResponse:
    """A 400 naming each field of a form that no page of ours would post: the buttons a page
    generates send known values, so another value is a request made by hand."""
    message = "\n".join(
        f"“{field}”: {' '.join(str(error) for error in errors)}"
        for field, errors in form.errors.items()
    )
    return refusal(request, status=400, message=message)
