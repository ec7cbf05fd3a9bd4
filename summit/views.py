import math

from axes.helpers import get_client_username, get_cool_off
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults

from common.clients import client_address
from people import accounts


def not_found(request, exception=None):
    """API callers get JSON; people get the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Something went wrong on our side."}, status=500)
    return defaults.server_error(request)


def locked_out(request, response, credentials):
    """django-axes' answer once a username has failed too often from one address: for how
    long, for which account and address, and how to lift the lock sooner."""
    username = get_client_username(request, credentials) or ""
    address = client_address(request)
    now = timezone.now()
    ends = accounts.login_lock_ends(username=username, address=address) or now + get_cool_off()
    seconds = max(1, math.ceil((ends - now).total_seconds()))
    context = {"username": username, "address": address, "minutes": math.ceil(seconds / 60)}
    answer = render(request, "registration/locked_out.html", context, status=429)
    answer["Retry-After"] = str(seconds)
    return answer


class PasswordResetView(auth_views.PasswordResetView):
    """Asking for a new-password link. A client that asks too often is told so: the count is
    its own doing, and the same for addresses with and without an account."""

    form_class = accounts.PasswordResetForm

    def form_valid(self, form):
        if accounts.reset_allowed_from(client_address(self.request)):
            return super().form_valid(form)
        form.add_error(
            None,
            _(
                "Too many new-password links were asked for from your address in the last "
                "hour. Try again in an hour."
            ),
        )
        answer = self.render_to_response(self.get_context_data(form=form), status=429)
        answer["Retry-After"] = str(accounts.RESET_WINDOW_SECONDS)
        return answer
