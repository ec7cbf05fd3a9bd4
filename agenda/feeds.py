"""The .ics endpoints. Each picks its rows (through visible_to), asks the database for a
version (ETag and Last-Modified from one aggregate query, without building the feed), answers
304 when the client is up to date, and otherwise wraps the bytes of agenda.ical."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max, Q, Sum
from django.http import Http404, HttpResponse, HttpResponseNotFound
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from agenda import ical
from agenda.models import FeedToken, Registration, Session, Summit, Track
from meetings.models import Meeting
from people.models import Person

# Bump when the builder's output changes for the same rows, so cached copies are refreshed.
FEED_FORMAT = 1
LAST_USED_PRECISION = timedelta(hours=1)


def still_listed(queryset, now=None):
    """Cancelled items stay in feeds until they are over, so calendars learn of them."""
    now = now or timezone.now()
    return queryset.exclude(Q(status="cancelled") & Q(end__lt=now))


def feed_language(request):
    language = request.GET.get("lang", "")
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def session_version(sessions):
    return sessions.aggregate(
        v_count=Count("pk", distinct=True),
        v_ids=Sum("pk", distinct=True),
        v_changed=Max("updated_at"),
        v_sequence=Sum("sequence"),
        v_room=Max("room__updated_at"),
        v_venue=Max("room__venue__updated_at"),
        v_track=Max("track__updated_at"),
        v_person=Max("roles__person__updated_at"),
        v_summit=Max("summit__updated_at"),
    )


def meeting_version(meetings):
    return meetings.aggregate(
        v_count=Count("pk", distinct=True),
        v_ids=Sum("pk", distinct=True),
        v_changed=Max("updated_at"),
        v_sequence=Sum("sequence"),
        v_room=Max("room__updated_at"),
        v_venue=Max("venue__updated_at"),
        v_person=Max("participants__person__updated_at"),
        v_replies=Max("participants__responded_at"),
    )


def version_of(*parts, extra=""):
    """(ETag, Last-Modified) from aggregate rows: any change of a shown row moves them."""
    stamps = [
        value
        for part in parts
        for key, value in part.items()
        if value is not None and key not in {"v_count", "v_ids", "v_sequence"}
    ]
    digest = hashlib.sha256(repr((FEED_FORMAT, parts, extra)).encode()).hexdigest()[:32]
    last_modified = max(stamps) if stamps else None
    return f'"{digest}"', last_modified


CALENDAR = "text/calendar; charset=utf-8"


def respond(request, *, version, build, filename=None, private=False, content_type=CALENDAR):
    """`build()` (a Calendar, or bytes) with ETag and Last-Modified, or a 304 when the client
    is up to date; HEAD gets the same headers without the body."""
    etag, last_modified = version
    stamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=stamp)
    if response is None:
        body = build()
        if not isinstance(body, bytes):
            body = ical.to_bytes(body)
        response = HttpResponse(body, content_type=content_type)
        if request.method == "HEAD":
            response["Content-Length"] = str(len(body))
            response.content = b""
        if filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp)
    if private:
        response["Cache-Control"] = "private, no-cache"
        response["X-Robots-Tag"] = "noindex"
    else:
        response["Cache-Control"] = "public, no-cache"
    return response


def absolute(request):
    def link(item):
        if isinstance(item, Session):
            return request.build_absolute_uri(item.get_absolute_url())
        return None

    return link


def public_sessions(summit):
    return still_listed(Session.objects.visible_to(AnonymousUser()).filter(summit=summit))


def sessions_feed(request, *, summit, sessions, name, filename=None, private=False, user=None):
    language = feed_language(request)
    rows = sessions.with_people(user or AnonymousUser())
    return respond(
        request,
        version=version_of(session_version(sessions), extra=language),
        build=lambda: ical.build_calendar(
            name=name,
            zone=summit.time_zone,
            sessions=rows,
            link=absolute(request),
            language=language,
        ),
        filename=filename,
        private=private,
    )


@require_safe
def programme_feed(request, summit):
    """Every public session, and the public meetings announced like sessions."""
    summit = get_object_or_404(Summit, slug=summit)
    sessions = public_sessions(summit)
    meetings = still_listed(
        Meeting.objects.visible_to(AnonymousUser()).filter(summit=summit).announced()
    )
    language = feed_language(request)
    return respond(
        request,
        version=version_of(session_version(sessions), meeting_version(meetings), extra=language),
        build=lambda: ical.build_calendar(
            name=summit.name,
            zone=summit.time_zone,
            sessions=sessions.with_people(AnonymousUser()),
            meetings=meetings.with_participants(AnonymousUser()),
            link=absolute(request),
            language=language,
        ),
    )


@require_safe
def track_feed(request, summit, slug):
    track = get_object_or_404(
        Track.objects.select_related("summit"), summit__slug=summit, slug=slug
    )
    summit = track.summit
    sessions = public_sessions(summit).filter(track=track)
    return sessions_feed(
        request, summit=summit, sessions=sessions, name=f"{summit.name} — {track.name}"
    )


@require_safe
def person_feed(request, summit, slug):
    summit = get_object_or_404(Summit, slug=summit)
    person = get_object_or_404(Person.objects.visible_to(AnonymousUser()), slug=slug)
    sessions = public_sessions(summit).with_person(person)
    return sessions_feed(
        request, summit=summit, sessions=sessions, name=f"{person.name} — {summit.name}"
    )


@require_safe
def session_feed(request, summit, slug):
    """One session, as a download. A participant's browser may fetch its invitation-only one."""
    sessions = Session.objects.visible_to(request.user).filter(summit__slug=summit, slug=slug)
    session = sessions.select_related("summit").first()
    if session is None:
        raise Http404
    filename = f"{slugify(session.slug)[:80] or 'session'}.ics"
    return sessions_feed(
        request,
        summit=session.summit,
        sessions=sessions,
        name=session.title,
        filename=filename,
        private=request.user.is_authenticated,
        user=request.user,
    )


def personal_items(user):
    """Everything a holder is in, as they may see it on the site: the sessions they take part
    in, have a seat or a place in line at, or starred; then their meetings."""
    person = getattr(user, "person", None)
    sessions = Session.objects.visible_to(user).in_agenda_of(user)
    if person is None:
        return still_listed(sessions), Meeting.objects.none()
    meetings = still_listed(
        Meeting.objects.visible_to(user)
        .filter(participants__person=person, start__isnull=False)
        .exclude(status=Meeting.Status.REQUESTED)
    )
    return still_listed(sessions), meetings


@require_safe
def personal_feed(request, token):
    holder = FeedToken.objects.holder_of(token)
    if holder is None or not holder.user.is_active:
        return HttpResponseNotFound(b"", content_type="text/plain")
    user = holder.user
    now = timezone.now()
    if holder.last_used_at is None or now - holder.last_used_at > LAST_USED_PRECISION:
        FeedToken.objects.filter(pk=holder.pk).update(last_used_at=now)
    sessions, meetings = personal_items(user)
    summit = Summit.objects.current()
    zone = summit.time_zone if summit else settings.TIME_ZONE
    language = feed_language(request)
    name = user.person.name if hasattr(user, "person") else user.get_username()
    session_rows = sessions.with_people(user)
    person = getattr(user, "person", None)
    waiting = set(
        Registration.objects.waitlisted().filter(person=person).values_list("session_id", flat=True)
        if person
        else []
    )
    meeting_rows = meetings.with_participants(user)
    return respond(
        request,
        version=version_of(
            session_version(sessions),
            meeting_version(meetings),
            extra=(language, zone, sorted(waiting)),
        ),
        build=lambda: ical.build_calendar(
            name=f"{name} — {summit.name if summit else 'Summit'}",
            zone=zone,
            sessions=session_rows,
            meetings=meeting_rows,
            link=absolute(request),
            language=language,
            holder=person,
            waiting=waiting,
        ),
        private=True,
    )
