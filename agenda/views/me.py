"""The attendee's own pages: the agenda, stars, registrations, personal calendar links."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from agenda import calendar_links, seats, timetable
from agenda.forms import (
    NewFeedLinkForm,
    RegistrationForm,
    ReturnForm,
    RevokeFeedLinkForm,
    StarForm,
)
from agenda.models import FeedToken, Registration, Session
from agenda.personal import agenda_for, new_seats
from agenda.releases import describe, since_last_visit
from common.private import private_page
from common.refusals import form_refusal

NEW_SECRET = "new_feed_secret"


@private_page
@require_safe
@login_required
def me(request):
    person = getattr(request.user, "person", None)
    days = agenda_for(request.user)
    places = (entry.item.place for _day, entries in days for entry in entries)
    return render(
        request,
        "me/agenda.html",
        {
            "days": days,
            "tracks": timetable.tracks_of(
                entry.item for _day, entries in days for entry in entries
            ),
            "has_person": person is not None,
            "attendee_name": person.name
            if person is not None
            else request.user.get_full_name() or request.user.get_username(),
            # Where to go, on paper too: each venue of the agenda once, with its address.
            "venues": list(dict.fromkeys(place for place in places if place is not None)),
            "new_seats": new_seats(person) if person is not None else [],
            "changed": [
                (found, [describe(change, summit=found.summit) for change in found.changes])
                for found in since_last_visit(request.user)
            ],
        },
    )


def return_path(request, session, target: str) -> str:
    """Where a form without JavaScript returns to: the page it came from. Only a path of this
    site: anything else (another site, or a word that `redirect` would take for the name of
    a view) returns to the session's own page."""
    on_site = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    if not (on_site and target.startswith("/")):
        target = session.get_absolute_url()
    return target.split("#")[0]


def back(request, session, target):
    """Back to the page a form came from, at the session."""
    return HttpResponseRedirect(f"{return_path(request, session, target)}#session-{session.pk}")


def fetched(request):
    return request.headers.get("X-Requested-With") == "fetch"


@private_page
@require_POST
@login_required
def toggle_star(request, session_id):
    session = get_object_or_404(Session.objects.visible_to(request.user), pk=session_id)
    button = StarForm(request.POST)
    if not button.is_valid():
        return form_refusal(request, button)
    if button.cleaned_data["action"] == "unstar":
        starred = seats.unstar(session=session, user=request.user)
    else:
        starred = seats.star(session=session, user=request.user)
    if fetched(request):
        return render(request, "agenda/_star.html", {"session": session, "starred": starred})
    messages.success(
        request,
        (_("“%(title)s” is starred.") if starred else _("“%(title)s” is no longer starred."))
        % {"title": session.title},
    )
    return back(request, session, button.cleaned_data["next"])


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def registration(request, session_id):
    session = get_object_or_404(Session.objects.visible_to(request.user), pk=session_id)
    if request.method != "POST":
        return confirm_cancel(request, session)
    button = RegistrationForm(request.POST)
    if not button.is_valid():
        return form_refusal(request, button)
    # A login without a person gets one when it registers, not when it is refused.
    person = getattr(request.user, "person", None)
    try:
        if button.cleaned_data["action"] == "cancel":
            held = registration_of(session, person)
            if held is not None:
                seats.cancel(session=session, person=person, actor=request.user)
            messages.success(
                request,
                (
                    _("You have left the waiting list for “%(title)s”.")
                    if held is not None and held.status == Registration.Status.WAITLISTED
                    else _("Your registration for “%(title)s” is cancelled.")
                )
                % {"title": session.title},
            )
        else:
            seats.check_open(session)
            person = seats.person_for(request.user)
            outcome = seats.register(session=session, person=person, actor=request.user)
            messages.success(request, outcome.describe())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return back(request, session, button.cleaned_data["next"])


def registration_of(session, person) -> Registration | None:
    if person is None:
        return None
    return (
        Registration.objects.active().with_positions().filter(session=session, person=person)
    ).first()


def confirm_cancel(request, session):
    """Giving a seat or a place in line away asks first: the page that a cancel button
    leads to (with JavaScript, a dialog on the page asks instead)."""
    asked = ReturnForm(request.GET)
    if not asked.is_valid():
        return form_refusal(request, asked)
    return render(
        request,
        "me/cancel_registration.html",
        {
            "summit": session.summit,
            "session": session,
            "registration": registration_of(session, getattr(request.user, "person", None)),
            "next": return_path(request, session, asked.cleaned_data["next"]),
        },
    )


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def calendar(request):
    creating = NewFeedLinkForm()
    if request.method == "POST":
        if "revoke" in request.POST:
            revoking = RevokeFeedLinkForm(request.POST, user=request.user)
            if not revoking.is_valid():
                raise Http404
            revoking.cleaned_data["revoke"].revoke()
            messages.success(
                request, _("The link is revoked; calendars using it get nothing more.")
            )
            return redirect("me-calendar")
        creating = NewFeedLinkForm(request.POST)
        if creating.is_valid():
            label = creating.cleaned_data["label"] or _("My calendar")
            _token, secret = FeedToken.issue(user=request.user, label=label)
            # Shown once, on the next page, then gone: only its hash is stored.
            request.session[NEW_SECRET] = secret
            return redirect("me-calendar")
    # Shown once, by a GET: a HEAD shows nothing, so it leaves the secret in place.
    if request.method == "HEAD":
        secret = request.session.get(NEW_SECRET)
    else:
        secret = request.session.pop(NEW_SECRET, None)
    new_links = qr_code = None
    if secret:
        path = reverse("personal-feed", kwargs={"token": secret})
        new_links = calendar_links.for_path(request, path, _("My summit agenda"))
        # A phone's camera offers to subscribe to a webcal:// link (an https one would
        # download the calendar once).
        qr_code = calendar_links.qr_code(
            new_links.webcal, title=_("QR code of your new calendar link")
        )
    return render(
        request,
        "me/calendar.html",
        {
            "form": creating,
            "tokens": request.user.feed_tokens.all(),
            "new_links": new_links,
            "qr_code": qr_code,
            "new_links_fields": (
                [("https", new_links.https), ("webcal", new_links.webcal)] if new_links else []
            ),
            "has_person": hasattr(request.user, "person"),
        },
    )
