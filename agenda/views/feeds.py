"""The .ics endpoints. Each picks its rows (through visible_to), asks the database for a
version (ETag and Last-Modified from one aggregate query, without building the feed), answers
304 when the client is up to date, and otherwise wraps the bytes of agenda.ical."""

import functools
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponseNotFound
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from agenda import cached, ical
from agenda.conditional import absolute, meeting_version, respond, session_version, version_of
from agenda.models import FeedToken, Registration, Session, Track
from agenda.personal import personal_items
from agenda.seats import choices_of
from meetings.models import Meeting
from people.models import Person

LAST_USED_PRECISION = timedelta(hours=1)


def feed_language(request):
    language = request.GET.get("lang", "")
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def public_sessions(summit):
    return Session.objects.visible_to(AnonymousUser()).filter(summit=summit).still_listed()


def sessions_feed(request, *, summit, sessions, name, filename=None, private=False, user=None):
    language = feed_language(request)
    return respond(
        request,
        version=version_of(session_version(sessions), extra=language),
        build=lambda: ical.calendar_bytes(
            name=name,
            zone=summit.time_zone,
            sessions=sessions,
            viewer=user or AnonymousUser(),
            link=absolute(request),
            language=language,
        ),
        filename=filename,
        private=private,
        language=language,
    )


def public_feed(request, summit, parts, *, pick, **answer):
    """A feed of the public programme, shared by every reader from the cache.
    `pick(summit)` gives its sessions and its name; it may raise Http404."""
    language = feed_language(request)

    @functools.cache
    def rows():
        found = cached.summit(request, summit)
        return found, *pick(found)

    def build():
        found, sessions, name = rows()
        return ical.calendar_bytes(
            name=name,
            zone=found.time_zone,
            sessions=sessions,
            link=absolute(request),
            language=language,
        )

    return cached.feed(
        request,
        (summit, *parts, language),
        stamp=lambda: version_of(session_version(rows()[1]), extra=language),
        build=build,
        until=lambda: rows()[1].next_unlisting(),
        language=language,
        **answer,
    )


@require_safe
def programme_feed(request, summit):
    """Every public session, and the public meetings announced like sessions."""
    language = feed_language(request)

    @functools.cache
    def items():
        found = cached.summit(request, summit)
        meetings = (
            Meeting.objects.visible_to(AnonymousUser())
            .filter(summit=found)
            .announced()
            .still_listed()
        )
        return found, public_sessions(found), meetings

    def build():
        found, sessions, meetings = items()
        return ical.calendar_bytes(
            name=found.name,
            zone=found.time_zone,
            sessions=sessions,
            meetings=meetings.with_participants(AnonymousUser()),
            link=absolute(request),
            language=language,
        )

    def stamp():
        _, sessions, meetings = items()
        return version_of(session_version(sessions), meeting_version(meetings), extra=language)

    def until():
        _, sessions, meetings = items()
        moments = [
            found for found in (sessions.next_unlisting(), meetings.next_unlisting()) if found
        ]
        return min(moments, default=None)

    return cached.feed(
        request,
        ("programme", summit, language),
        stamp=stamp,
        build=build,
        until=until,
        language=language,
    )


@require_safe
def track_feed(request, summit, slug):
    def pick(found):
        track = get_object_or_404(Track, summit=found, slug=slug)
        return public_sessions(found).filter(track=track), f"{found.name} — {track.name}"

    return public_feed(request, summit, ("track", slug), pick=pick)


@require_safe
def person_feed(request, summit, slug):
    def pick(found):
        person = get_object_or_404(Person.objects.visible_to(AnonymousUser()), slug=slug)
        return public_sessions(found).with_person(person), f"{person.name} — {found.name}"

    return public_feed(request, summit, ("person", slug), pick=pick)


@require_safe
def session_feed(request, summit, slug):
    """One session, as a download. A participant's browser may fetch its invitation-only one.
    Readers who see the public programme share one copy from the cache."""
    filename = f"{slugify(slug)[:80] or 'session'}.ics"
    if cached.audience(request) == "public":

        def pick(found):
            sessions = Session.objects.visible_to(AnonymousUser()).filter(summit=found, slug=slug)
            title = sessions.values_list("title", flat=True).first()
            if title is None:
                raise Http404
            return sessions, title

        return public_feed(request, summit, ("session", slug), pick=pick, filename=filename)
    sessions = Session.objects.visible_to(request.user).filter(summit__slug=summit, slug=slug)
    session = sessions.select_related("summit").first()
    if session is None:
        raise Http404
    return sessions_feed(
        request,
        summit=session.summit,
        sessions=sessions,
        name=session.title,
        filename=filename,
        private=request.user.is_authenticated,
        user=request.user,
    )


@require_safe
def personal_feed(request, token):
    holder = FeedToken.objects.holder_of(token)
    if holder is None or not holder.user.is_active:
        return HttpResponseNotFound(b"", content_type="text/plain")
    user = holder.user
    now = timezone.now()
    if holder.last_used_at is None or now - holder.last_used_at > LAST_USED_PRECISION:
        FeedToken.objects.filter(pk=holder.pk).update(last_used_at=now)
    summit = cached.current_summit(request)
    zone = summit.time_zone if summit else settings.TIME_ZONE
    language = feed_language(request)
    name = user.person.name if hasattr(user, "person") else user.get_username()
    person = getattr(user, "person", None)
    # What the feed shows beyond the programme's version: the holder's own choices, which
    # move no version (a star, a seat, a place in line), read as plain ids in one query.
    chosen = choices_of(user)
    stars = tuple(sorted(chosen.starred))
    seats = tuple(sorted((pk, status) for pk, (_registration, status) in chosen.held.items()))
    waiting = {pk for pk, status in seats if status == Registration.Status.WAITLISTED}
    extra = (language, zone, sorted(waiting), name, summit.name if summit else "")

    @functools.cache
    def items():
        return personal_items(user)

    def stamp():
        sessions, meetings = items()
        return version_of(session_version(sessions), meeting_version(meetings), extra=extra)

    def until():
        moments = [found for found in (each.next_unlisting() for each in items()) if found]
        return min(moments, default=None)

    def build():
        sessions, meetings = items()
        return ical.calendar_bytes(
            name=f"{name} — {summit.name if summit else 'Summit'}",
            zone=zone,
            sessions=sessions,
            viewer=user,
            meetings=meetings.with_participants(user),
            link=absolute(request),
            language=language,
            holder=person,
            waiting=waiting,
        )

    # Kept for this holder alone, under the programme's version and their own choices: a
    # calendar app polling, with or without If-None-Match, costs four plain queries.
    who = (user.pk, user.is_staff, user.is_superuser, person.pk if person else None)
    return cached.feed(
        request,
        ("personal", *who, stars, seats, *extra),
        stamp=stamp,
        build=build,
        until=until,
        private=True,
        language=language,
    )
