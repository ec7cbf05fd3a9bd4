"""The holder's own pages: personal calendar links (one per device, each revocable)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agenda import calendar_links
from agenda.models import FeedToken

NEW_SECRET = "new_feed_secret"


@login_required
def me(request):
    return redirect("me-calendar")


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request):
    if request.method == "POST":
        if "revoke" in request.POST:
            token = get_object_or_404(
                FeedToken.objects.active(), pk=request.POST["revoke"], user=request.user
            )
            token.revoke()
            messages.success(
                request, _("The link is revoked; calendars using it get nothing more.")
            )
        else:
            label = request.POST.get("label", "").strip()[:100] or _("My calendar")
            _token, secret = FeedToken.issue(user=request.user, label=label)
            # Shown once, on the next page, then gone: only its hash is stored.
            request.session[NEW_SECRET] = secret
        return redirect("me-calendar")
    secret = request.session.pop(NEW_SECRET, None)
    new_links = None
    if secret:
        path = reverse("personal-feed", kwargs={"token": secret})
        new_links = calendar_links.for_path(request, path, _("My summit agenda"))
    return render(
        request,
        "me/calendar.html",
        {
            "tokens": request.user.feed_tokens.all(),
            "new_links": new_links,
            "has_person": hasattr(request.user, "person"),
        },
    )
