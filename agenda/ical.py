"""The one iCalendar builder behind every feed and download. No HTTP here: it takes rows
and returns an `icalendar.Calendar`; views only wrap its bytes.

What calendar clients need (RFC 5545 and their quirks):
- one stable UID per session or meeting, the same in every feed;
- SEQUENCE, LAST-MODIFIED and DTSTAMP from the record, so the same data gives the same bytes;
- times with the summit's TZID and a matching RRULE-style VTIMEZONE, never floating;
- cancelled items kept, with STATUS:CANCELLED, until they are over;
- no calendar-level UID, and no METHOD (a subscription is not a scheduling message);
  `scheduling_message` alone makes one: the iTIP REQUEST or CANCEL emailed to someone given
  a seat, or told of a release's changes.
"""

from __future__ import annotations

import functools
import hashlib
import zoneinfo
from collections.abc import Callable, Container, Iterable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import BaseCache, caches
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vDuration, vGeo, vText

from agenda.models import Session, SessionRole
from agenda.vtimezone import build_vtimezone
from common.labels import label
from meetings.models import Meeting, MeetingParticipant
from people.models import Person, visible_condition


class Links:
    """Links from feeds and exports to the items' own pages, on the request's host."""

    def __init__(self, base: str):
        self.base = base

    def __call__(self, item: Session | Meeting) -> str:
        return self.base.rstrip("/") + item.get_absolute_url()


PRODID = "-//Summit//Summit programme//EN"
REFRESH = timedelta(hours=1)

# A session or a meeting, each with its own kind of link.
Item = TypeVar("Item", Session, Meeting)


def uid(kind: str, pk: int | str) -> str:
    return f"{kind}-{pk}@{settings.SUMMIT_ICAL_UID_DOMAIN}"


def build_calendar(
    *,
    name: str,
    zone: str,
    sessions: Iterable[Session] = (),
    meetings: Iterable[Meeting] = (),
    link: Callable[[Session], str] | None = None,
    language: str | None = None,
    holder: Person | None = None,
    waiting: Container[int] = (),
) -> Calendar:
    """A calendar of sessions and meetings in one zone.

    `link(session)` gives a session's absolute URL (meetings link to nothing public); `holder` is the person whose
    personal feed this is, so that a meeting they declined shows as cancelled to them;
    `waiting` holds the ids of sessions where the holder is on the waiting list (tentative).
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        calendar = Calendar()
        calendar.add("PRODID", PRODID)
        calendar.add("VERSION", "2.0")
        calendar.add("CALSCALE", "GREGORIAN")
        calendar.add("NAME", name)
        calendar.add("X-WR-CALNAME", name)
        calendar.add("X-WR-TIMEZONE", zone)
        calendar.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
        calendar.add_component(build_vtimezone(zone))
        events = [session_event(s, zone, link, waiting=s.pk in waiting) for s in sessions]
        events += [meeting_event(m, zone, holder) for m in meetings]
        for event in sorted(events, key=lambda e: (e.decoded("DTSTART"), str(e["UID"]))):
            calendar.add_component(event)
    return calendar


END = b"END:VCALENDAR\r\n"
# Bump when an event's bytes change for the same rows, so kept events are made again.
EVENT_FORMAT = 2


def calendar_bytes(
    *,
    name: str,
    zone: str,
    sessions: QuerySet[Session] | None = None,
    viewer: User | AnonymousUser | None = None,
    meetings: Iterable[Meeting] = (),
    link: Links | None = None,
    language: str | None = None,
    holder: Person | None = None,
    waiting: Container[int] = (),
) -> bytes:
    """The bytes of `build_calendar` for the same rows (`sessions` as a query, with the
    people `viewer` may see), each event's bytes kept in the cache under everything they are
    made of. The sessions are first read as plain rows, enough to name their events; only
    those whose events are not kept are read whole and made again, so that a change costs
    the events it touched (reading and serialising are most of a feed's cost)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        language = translation.get_language()
        head = to_bytes(build_calendar(name=name, zone=zone, language=language))
        assert head.endswith(END)
        base = link.base if link is not None else None
        # (start, UID, what the event is made of, the session's id or the meeting)
        entries: list[tuple[datetime | None, str, tuple[object, ...], int | Meeting]] = [
            (
                start,
                uid("session", pk),
                ("session", made_of, base, zone, language, pk in waiting),
                pk,
            )
            for pk, start, made_of in (
                session_rows(sessions, viewer or AnonymousUser()) if sessions is not None else []
            )
        ]
        entries += [
            (
                meeting.start,
                uid("meeting", meeting.pk),
                ("meeting", meeting_stamp(meeting), zone, language, holder.pk if holder else None),
                meeting,
            )
            for meeting in meetings
        ]
        entries.sort(key=lambda entry: (entry[0] or datetime.max.replace(tzinfo=UTC), entry[1]))
        keys = [
            "ical-event:" + hashlib.sha256(repr((EVENT_FORMAT, entry[2])).encode()).hexdigest()
            for entry in entries
        ]
        kept = fragments().get_many(keys)
        missing = {
            key: entry[3] for key, entry in zip(keys, entries, strict=True) if key not in kept
        }
        # Only the sessions whose events are not kept are read whole.
        wanted = [item for item in missing.values() if isinstance(item, int)]
        whole: dict[int, Session] = {}
        if wanted and sessions is not None:
            rows = Session.objects.filter(pk__in=wanted).with_people(viewer or AnonymousUser())
            whole = {session.pk: session for session in rows}
        made = {
            key: (
                session_event(whole[item], zone, link, waiting=item in waiting)
                if isinstance(item, int)
                else meeting_event(item, zone, holder)
            ).to_ical()
            for key, item in missing.items()
        }
        if made:
            fragments().set_many(made, FRAGMENT_LIFETIME)
        return b"".join([head[: -len(END)], *(kept.get(key) or made[key] for key in keys), END])


@functools.cache
def session_columns() -> tuple[list[str], list[str]]:
    """The columns that name what an event of a session shows: its times and place, and the
    `updated_at` of the session and of its summit, room, venue and track, which every save
    moves, and every bulk update too (`common.versions.VersionedQuerySet`); then its roles
    and their people's `updated_at`. Far fewer values to read than the texts themselves.
    A card or event that comes to show more (a person's organisation) adds its stamp here."""
    return [
        "id",
        "start",
        "end",
        "room_id",
        "track_id",
        "updated_at",
        "summit__updated_at",
        "room__updated_at",
        "room__venue__updated_at",
        "track__updated_at",
    ], ["session_id", "id", "role", "position", "person_id", "person__updated_at"]


def session_rows(
    sessions: QuerySet[Session], viewer: User | AnonymousUser
) -> list[tuple[int, datetime | None, tuple[object, ...]]]:
    """(pk, start, what its event is made of) of each session, in two plain queries: the
    sessions with what they are placed in, and the roles of the people `viewer` may see."""
    session_fields, role_fields = session_columns()
    roles: dict[int, list[tuple[object, ...]]] = {}
    people = SessionRole.objects.filter(visible_condition(viewer, "person__"))
    found = people.filter(session__in=sessions.values("pk")).values_list(*as_read(role_fields))
    for role in found:
        roles.setdefault(role[0], []).append(role)
    start = session_fields.index("start")
    return [
        (row[0], row[start], (row, roles.get(row[0], ())))
        for row in sessions.order_by().values_list(*as_read(session_fields))
    ]


def as_read(fields: list[str]) -> list[str | Cast]:
    """`fields` as `session_rows` reads them: the `updated_at` stamps only name a version,
    so they are read as the database's text. Turning ten thousand of them into aware
    datetimes was a third of a large programme's cold render."""
    return [
        Cast(name, output_field=CharField()) if name.endswith("updated_at") else name
        for name in fields
    ]


FRAGMENT_LIFETIME = 7 * 24 * 3600


def fragments() -> BaseCache:
    """The cache of small pieces (a feed's events): its own, so that thousands of them do not
    push out the large renderings of the default cache."""
    return caches["fragments"] if "fragments" in settings.CACHES else caches["default"]


def place_stamp(item: Session | Meeting) -> tuple[object, ...]:
    venue = item.place
    room = item.room.name if item.room is not None else None
    if venue is None:
        return (room,)
    return (room, venue.name, venue.address, venue.latitude, venue.longitude)


def meeting_stamp(meeting: Meeting) -> tuple[object, ...]:
    """What a meeting's event is made of."""
    return (
        meeting.pk,
        meeting.title,
        meeting.purpose,
        meeting.status,
        meeting.confidentiality,
        meeting.start,
        meeting.end,
        meeting.created_at,
        meeting.updated_at,
        meeting.sequence,
        meeting.is_closed,
        place_stamp(meeting),
        [(p.person_id, p.person.name, p.side, p.response) for p in meeting.participants.all()],
    )


def session_request(session: Session, *, attendee: Person, email: str) -> Calendar:
    """The iTIP REQUEST (RFC 5546) telling one attendee of their seat at a session: the event
    of the feeds (same UID and SEQUENCE), stamped when sent, with ORGANIZER and ATTENDEE."""
    # Registering was the answer: the seat is accepted, and no reply is expected.
    return scheduling_message(
        "REQUEST",
        sessions=[session],
        zone=session.summit.time_zone,
        organizer=session.summit.name,
        attendee=attendee.name,
        email=email,
        partstat="ACCEPTED",
    )


def scheduling_message(
    method: str,
    *,
    sessions: Iterable[Session] = (),
    meetings: Iterable[Meeting] = (),
    zone: str,
    organizer: str,
    attendee: str,
    email: str,
    partstat: str = "NEEDS-ACTION",
    withdrawn: Iterable[Event] = (),
) -> Calendar:
    """An iTIP message (RFC 5546) to one attendee: REQUEST (an item new or moved) or CANCEL.
    Its events are those of the feeds (same UID and SEQUENCE), stamped when sent, with
    ORGANIZER and ATTENDEE; a CANCEL's events are cancelled whatever their rows say now.
    `withdrawn` are events of items deleted since (`withdrawn_event`)."""
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", method)
    calendar.add_component(build_vtimezone(zone))
    events = [session_event(session, zone, link=None) for session in sessions]
    events += [meeting_event(meeting, zone) for meeting in meetings]
    events += withdrawn
    for event in sorted(events, key=lambda e: (e.decoded("DTSTART"), str(e["UID"]))):
        # An iTIP message is stamped when it is sent (RFC 5546 2.1.5).
        event.pop("DTSTAMP")
        event.add("DTSTAMP", timezone.now())
        if method == "CANCEL" and event.get("STATUS") != "CANCELLED":
            event.pop("STATUS")
            event.add("STATUS", "CANCELLED")
        sender = vCalAddress(f"mailto:{settings.SUMMIT_ORGANIZER_EMAIL}")
        sender.params["CN"] = vText(organizer)
        event.add("ORGANIZER", sender)
        guest = vCalAddress(f"mailto:{email}")
        guest.params["CN"] = vText(attendee)
        guest.params["ROLE"] = vText("REQ-PARTICIPANT")
        guest.params["PARTSTAT"] = vText(partstat)
        guest.params["RSVP"] = vText("FALSE")
        event.add("ATTENDEE", guest)
        calendar.add_component(event)
    return calendar


def to_bytes(calendar: Calendar) -> bytes:
    data: bytes = calendar.to_ical()
    return data


def common(event: Event, item: Item, zone: str, link: Callable[[Item], str] | None) -> str | None:
    local = zoneinfo.ZoneInfo(zone)
    # No CREATED, and no TRANSP or CLASS where they would say the default (OPAQUE, PUBLIC):
    # bytes that every client reads the same without them, in every event of every poll.
    event.add("DTSTAMP", item.updated_at)
    event.add("LAST-MODIFIED", item.updated_at)
    event.add("SEQUENCE", item.sequence)
    assert item.start is not None and item.end is not None  # a meeting without a time has no event
    event.add("DTSTART", unambiguous(item.start, local))
    event.add("DTEND", unambiguous(item.end, local))
    url = link(item) if link else None
    if url:
        event.add("URL", url)
    venue = item.place
    location = [item.room.name] if item.room is not None else []
    if venue is not None:
        location += [venue.name, venue.address]
        if venue.latitude is not None and venue.longitude is not None:
            event.add("GEO", vGeo((float(venue.latitude), float(venue.longitude))))
    if location:
        event.add("LOCATION", ", ".join(part for part in location if part))
    return url


def withdrawn_event(
    *, kind: str, pk: int, title: str, start: datetime, end: datetime, sequence: int, zone: str
) -> Event:
    """The event of an item that no longer exists, as a CANCEL tells it: its UID, its times
    and title as last published, and a SEQUENCE after the last one sent."""
    local = zoneinfo.ZoneInfo(zone)
    event = Event()
    event.add("UID", uid(kind, pk))
    event.add("DTSTAMP", timezone.now())
    event.add("SEQUENCE", sequence + 1)
    event.add("DTSTART", unambiguous(start, local))
    event.add("DTEND", unambiguous(end, local))
    event.add("SUMMARY", titled(title, True))
    event.add("STATUS", "CANCELLED")
    return event


def unambiguous(moment: datetime, zone: tzinfo) -> datetime:
    """Local time with the zone's TZID, except the repeated hour when the clocks go back:
    RFC 5545 (3.3.5) reads a repeated local time as its first occurrence, so the second
    one is written in UTC."""
    local = moment.astimezone(zone)
    repeated = local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset()
    if repeated and local.fold == 1:
        return moment.astimezone(UTC)
    return local


def titled(title: str, cancelled: bool) -> str:
    return _("Cancelled: %(title)s") % {"title": title} if cancelled else title


def session_event(
    session: Session, zone: str, link: Callable[[Session], str] | None, waiting: bool = False
) -> Event:
    event = Event()
    event.add("UID", uid("session", session.pk))
    url = common(event, session, zone, link)
    event.add("SUMMARY", titled(session.title, session.is_closed))
    status = "TENTATIVE" if waiting else "CONFIRMED"
    event.add("STATUS", "CANCELLED" if session.is_closed else status)
    if session.visibility != session.Visibility.PUBLIC:
        event.add("CLASS", "PRIVATE")
    categories = [label(Session.Kind, session.kind)]
    if session.track is not None:
        categories.append(session.track.name)
    event.add("CATEGORIES", categories)
    lines = []
    if session.is_closed:
        lines += [_("This session is cancelled."), ""]
    elif waiting:
        lines += [_("You are on the waiting list."), ""]
    for role in session.roles.all():
        lines.append(f"{label(SessionRole.Role, role.role)}: {role.person.name}")
    if session.abstract:
        lines += ["", session.abstract]
    if url:
        lines += ["", url]
    event.add("DESCRIPTION", vText("\n".join(lines).strip()))
    return event


def meeting_event(meeting: Meeting, zone: str, holder: Person | None = None) -> Event:
    declined = holder is not None and any(
        p.person_id == holder.pk and p.response == p.Response.DECLINED
        for p in meeting.participants.all()
    )
    cancelled = meeting.is_closed or declined
    event = Event()
    event.add("UID", uid("meeting", meeting.pk))
    url = common(event, meeting, zone, link=None)
    event.add("SUMMARY", titled(meeting.title, cancelled))
    status: dict[str, str] = {
        meeting.Status.PROPOSED: "TENTATIVE",
        meeting.Status.CONFIRMED: "CONFIRMED",
    }
    event.add("STATUS", "CANCELLED" if cancelled else status.get(meeting.status, "TENTATIVE"))
    if meeting.is_confidential:
        event.add("CLASS", "CONFIDENTIAL")
    event.add("CATEGORIES", [str(_("Meeting"))])
    lines = [label(Meeting.Status, meeting.status)]
    for participant in meeting.participants.all():
        side = f" ({participant.side})" if participant.side else ""
        lines.append(
            f"{participant.person.name}{side}: {label(MeetingParticipant.Response, participant.response)}"
        )
    if meeting.purpose:
        lines += ["", meeting.purpose]
    if url:
        lines += ["", url]
    event.add("DESCRIPTION", vText("\n".join(lines).strip()))
    return event
