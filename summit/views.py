import math
import posixpath

from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import DatabaseError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_safe

from agenda import cached, identity
from agenda.models.place import RESERVED_SLUGS
from common.clients import client_address
from people import accounts


def page_summit(request):
    """The summit an error page belongs to, for its navigation: the one the address names,
    else the current one; none when the database cannot say."""
    parts = request.path.strip("/").split("/")
    if parts and parts[0] in dict(settings.LANGUAGES):
        parts = parts[1:]
    try:
        named = parts[0] if parts and parts[0] not in RESERVED_SLUGS else ""
        found = cached.find_summit(request, named) if named else None
        return found or cached.current_summit(request)
    except DatabaseError:
        return None


def not_found(request, exception=None):
    """API callers get JSON; people get the page, with the summit's navigation."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    context = {"summit": page_summit(request), "request_path": request.path}
    return render(request, "404.html", context, status=404)


def permission_denied(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "You do not have permission to do this."}, status=403)
    return render(request, "403.html", {"summit": page_summit(request)}, status=403)


def server_error(request):
    """The page says sorry without asking the database anything (it may be the fault)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Something went wrong on our side."}, status=500)
    return defaults.server_error(request)


# An uploaded file is only ever an image: opened on its own it runs nothing (an SVG's
# scripts included, though uploads refuse them) and cannot be framed.
MEDIA_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'"


@require_safe
def media(request, path):
    """An uploaded image of a summit (its logo or hero image, under summits/), typed by its
    checked extension. Nothing else of the uploads: people's photos have their own view."""
    path = posixpath.normpath(f"summits/{path}")
    if not path.startswith("summits/"):  # "summits/../people/photos/...": not a summit's file
        raise Http404("No such file.")
    kind = identity.CONTENT_TYPES.get(identity.extension(path))
    try:
        found = kind is not None and default_storage.exists(path)
    except SuspiciousFileOperation:  # a path that leads out of the uploads
        found = False
    if not found:
        raise Http404("No such file.")
    response = FileResponse(default_storage.open(path), content_type=kind)
    response["Content-Security-Policy"] = MEDIA_POLICY
    response._csp_exempt = True  # the policy above, not the site's
    response["Cache-Control"] = "public, max-age=3600"
    return response


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
