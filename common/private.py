"""Answers that hold one person's data or a secret: no browser or proxy may store them."""

from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control

# A page of one's own (the agenda, meetings, a new calendar secret), redirects included.
private_page = cache_control(private=True, no_store=True)


class PrivateAnswersMixin:
    """The same for an API view, on every answer it gives, errors included."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response
