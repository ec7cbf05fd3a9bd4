"""The rules of time and place: a room hosts one thing at a time, a person is in one place
at a time and needs the travel time between venues, a session stays within its summit.

The interval arithmetic is pure (sort and sweep over objects with `.start`, `.end` and
`.venue_id`); the database look-ups beside it are thin and run a fixed number of queries.
Rooms and people are held by sessions and meetings alike, so the look-ups read both apps'
models; the rules sit above them. Admin forms, the API, the meeting lifecycle and the demo
loader check with `check_session` (or meetings' `check_meeting`) and act on the outcome with
`enforce`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db import connection
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agenda.models import Registration, Room, Session, SessionRole, Summit, TravelTime
from common.conflicts import Conflict, enforce
from meetings.models import Meeting, MeetingParticipant
from people.models import Person

__all__ = [
    "Booking",
    "Conflict",
    "TravelTimes",
    "check_booking",
    "check_capacity",
    "check_people",
    "check_room",
    "check_session",
    "check_times",
    "check_within_summit",
    "describe_change",
    "enforce",
    "find_overlaps",
    "find_person_conflicts",
    "find_tight_changes",
    "person_bookings",
    "room_bookings",
    "summit_conflicts",
]

Bookable = Session | Meeting


def utc(moment: datetime) -> datetime:
    """Compare instants in UTC: Python compares two datetimes sharing a tzinfo by wall clock,
    which is wrong on the night the clocks change."""
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class Booking:
    """Something that occupies a person or a room (a session, a meeting, a seat), held in
    UTC from the start so the sweep compares plain values."""

    start: datetime
    end: datetime
    venue_id: int | None
    item: Any = field(compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", utc(self.start))
        object.__setattr__(self, "end", utc(self.end))

    @classmethod
    def of(cls, item: Bookable) -> Booking:
        assert item.start is not None and item.end is not None
        venue = item.place
        return cls(item.start, item.end, venue.pk if venue else None, item)


class TravelTimes:
    """Minutes between venues, in either direction when only one way is recorded."""

    def __init__(
        self, minutes: dict[tuple[int, int], int] | None = None, default: int | None = None
    ) -> None:
        self._minutes = dict(minutes or {})
        self.default: int = settings.SUMMIT_UNKNOWN_TRAVEL_MINUTES if default is None else default

    @classmethod
    def for_summit(cls, summit_id: int) -> TravelTimes:
        rows = TravelTime.objects.filter(origin__summit_id=summit_id).values_list(
            "origin_id", "destination_id", "minutes"
        )
        return cls({(origin, destination): minutes for origin, destination, minutes in rows})

    def between(self, origin_id: int | None, destination_id: int | None) -> int:
        if origin_id is None or destination_id is None or origin_id == destination_id:
            return 0
        minutes = self._minutes.get((origin_id, destination_id))
        if minutes is None:
            minutes = self._minutes.get((destination_id, origin_id), self.default)
        return minutes

    @property
    def longest(self) -> int:
        return max([self.default, *self._minutes.values()])


# --- pure interval arithmetic ------------------------------------------------------------


class Interval(Protocol):
    """Anything that runs from a start to an end: a booking, a session."""

    @property
    def start(self) -> datetime: ...

    @property
    def end(self) -> datetime: ...


def overlaps(a: Interval, b: Interval) -> bool:
    """Half-open intervals: back to back (a.end == b.start) is not an overlap."""
    return a.start < b.end and b.start < a.end


def in_time_order(items: Iterable[Booking]) -> list[Booking]:
    return sorted(items, key=lambda item: (item.start, item.end))


def find_overlaps(*, items: Iterable[Booking]) -> list[tuple[Booking, Booking]]:
    """Every pair of items that overlap in time, by sort and sweep."""
    pairs: list[tuple[Booking, Booking]] = []
    active: list[Booking] = []
    for item in in_time_order(items):
        active = [other for other in active if other.end > item.start]
        pairs.extend((other, item) for other in active)
        active.append(item)
    return pairs


def find_tight_changes(
    *, items: Iterable[Booking], travel: TravelTimes
) -> list[tuple[Booking, Booking, timedelta, timedelta]]:
    """Pairs (earlier, later) that do not overlap but leave less than the travel time
    between their venues; returns (earlier, later, gap, needed) with timedeltas."""
    ordered = in_time_order(items)
    horizon = timedelta(minutes=travel.longest)
    found = []
    for index, earlier in enumerate(ordered):
        for later in ordered[index + 1 :]:
            gap = later.start - earlier.end
            if gap >= horizon:
                break
            if gap < timedelta(0):
                continue  # an overlap, reported by find_overlaps
            needed = timedelta(minutes=travel.between(earlier.venue_id, later.venue_id))
            if gap < needed:
                found.append((earlier, later, gap, needed))
    return found


def find_person_conflicts(
    *,
    items: Sequence[Booking],
    travel: TravelTimes,
    person: Person | str | None = None,
    only: Bookable | None = None,
) -> list[Conflict]:
    """Warnings for one person's bookings: two places at once, or too little time to travel.

    With `only`, keep the conflicts that involve that booking's item.
    """
    conflicts = []
    for a, b in find_overlaps(items=items):
        if only is not None and only not in (a.item, b.item):
            continue
        this, other = (a, b) if only is None or a.item is only else (b, a)
        conflicts.append(
            Conflict(
                kind="overlap",
                field=None,
                blocking=False,
                item=this.item,
                other=other.item,
                person=person,
                message=_("%(person)s is already in %(other)s at %(when)s.")
                % {"person": person, "other": label(other.item), "when": when(other.item)},
            )
        )
    for earlier, later, gap, needed in find_tight_changes(items=items, travel=travel):
        if only is not None and only not in (earlier.item, later.item):
            continue
        this, other = (later, earlier) if only is None or later.item is only else (earlier, later)
        conflicts.append(
            Conflict(
                kind="travel",
                field=None,
                blocking=False,
                item=this.item,
                other=other.item,
                person=person,
                message=_(
                    "%(person)s has %(gap)d min between %(earlier)s and %(later)s, "
                    "but travel from %(origin)s to %(destination)s takes %(needed)d min."
                )
                % {
                    "person": person,
                    "gap": gap.total_seconds() // 60,
                    "earlier": label(earlier.item),
                    "later": label(later.item),
                    "origin": venue_name(earlier.item),
                    "destination": venue_name(later.item),
                    "needed": needed.total_seconds() // 60,
                },
            )
        )
    return conflicts


# --- words -------------------------------------------------------------------------------


def label(item: Bookable) -> str:
    return f"{item.noun} “{item}”"


def venue_name(item: Bookable) -> str:
    venue = item.place
    return venue.name if venue else _("an unknown venue")


def when(item: Bookable) -> str:
    zone = item.summit.tz
    start = timezone.localtime(item.start, zone)
    end = timezone.localtime(item.end, zone)
    return f"{dateformat.format(start, 'D j M H:i')}–{dateformat.format(end, 'H:i')}"


def where_and_when(session: Session) -> str:
    """A session's place on the timetable, in words: the record of its moves uses it."""
    if session.status == Session.Status.UNSCHEDULED:
        return _("unscheduled")
    room = session.room if session.room_id else None
    if room is None:
        return when(session)
    return _("%(when)s in %(room)s") % {"when": when(session), "room": room.name}


def describe_change(*, before: Session, after: Session) -> str:
    """What a change did to a session, before and after, for the record staff read."""
    moved = [
        name for name in Session.SEQUENCE_FIELDS if getattr(before, name) != getattr(after, name)
    ]
    if moved:
        return _("Moved from %(before)s to %(after)s.") % {
            "before": where_and_when(before),
            "after": where_and_when(after),
        }
    changed = [
        str(field.verbose_name)
        for field in Session._meta.concrete_fields
        if field.editable and getattr(before, field.attname) != getattr(after, field.attname)
    ]
    return _("Changed %(fields)s.") % {"fields": ", ".join(changed)} if changed else _("No change.")


# --- thin look-ups -----------------------------------------------------------------------


def lock_room(room_id: int | None) -> None:
    """Serialise bookings of one room until the transaction ends (PostgreSQL row lock)."""
    if room_id and connection.in_atomic_block:
        list(Room.objects.select_for_update().filter(pk=room_id).values_list("pk"))


def room_bookings(
    *, room_id: int, start: datetime, end: datetime, exclude: Bookable | None = None
) -> list[Bookable]:
    """Sessions and meetings holding the room at some point between start and end."""
    return room_bookings_between(room_ids=[room_id], start=start, end=end, exclude=exclude)


def room_bookings_between(
    *, room_ids: Iterable[int], start: datetime, end: datetime, exclude: Bookable | None = None
) -> list[Bookable]:
    """Sessions and meetings holding any of these rooms between start and end."""
    sessions = Session.objects.scheduled().filter(room_id__in=room_ids).overlapping(start, end)
    meetings = Meeting.objects.holding_time().filter(room_id__in=room_ids).overlapping(start, end)
    if isinstance(exclude, Session) and exclude.pk:
        sessions = sessions.exclude(pk=exclude.pk)
    if isinstance(exclude, Meeting) and exclude.pk:
        meetings = meetings.exclude(pk=exclude.pk)
    return [
        *sessions.select_related("summit", "room__venue"),
        *meetings.select_related("summit", "room__venue", "venue"),
    ]


def person_bookings(
    *, person_ids: Iterable[int], start: datetime, end: datetime, exclude: Bookable | None = None
) -> dict[int, list[Booking]]:
    """Each person's commitments between start and end (sessions they take part in or have a
    seat at, meetings they have not declined): {person_id: [Booking, ...]}."""
    found: dict[int, list[Booking]] = defaultdict(list)
    roles = (
        SessionRole.objects.filter(
            person_id__in=person_ids,
            session__status=Session.Status.SCHEDULED,
            session__start__lt=end,
            session__end__gt=start,
        )
        .select_related("session__summit", "session__room__venue")
        .order_by("session__start")
    )
    seen: set[tuple[int, int]] = set()
    for role in roles:
        session = role.session
        if (role.person_id, session.pk) in seen or (
            isinstance(exclude, Session) and session.pk == exclude.pk
        ):
            continue
        seen.add((role.person_id, session.pk))
        found[role.person_id].append(Booking.of(session))
    participations = (
        MeetingParticipant.objects.filter(
            person_id__in=person_ids,
            meeting__status__in=Meeting.HOLDING_STATUSES,
            meeting__start__lt=end,
            meeting__end__gt=start,
        )
        .exclude(response=MeetingParticipant.Response.DECLINED)
        .select_related("meeting__summit", "meeting__room__venue", "meeting__venue")
    )
    for participation in participations:
        meeting = participation.meeting
        if isinstance(exclude, Meeting) and meeting.pk == exclude.pk:
            continue
        found[participation.person_id].append(Booking.of(meeting))
    seats = Registration.objects.confirmed().filter(
        person_id__in=person_ids,
        session__status=Session.Status.SCHEDULED,
        session__start__lt=end,
        session__end__gt=start,
    )
    for registration in seats.select_related("session__summit", "session__room__venue"):
        session = registration.session
        if (registration.person_id, session.pk) in seen or (
            isinstance(exclude, Session) and session.pk == exclude.pk
        ):
            continue
        seen.add((registration.person_id, session.pk))
        found[registration.person_id].append(Booking.of(session))
    return found


# --- the rules ---------------------------------------------------------------------------


def check_times(*, start: datetime | None, end: datetime | None) -> list[Conflict]:
    if start and end and utc(end) <= utc(start):
        return [
            Conflict(
                kind="timing",
                field="end",
                blocking=True,
                message=_("The end must come after the start."),
            )
        ]
    return []


def check_within_summit(*, summit: Summit, start: datetime, end: datetime) -> list[Conflict]:
    if not (summit and start and end):
        return []
    first, last = (utc(moment) for moment in summit.bounds)
    start, end = utc(start), utc(end)
    if start >= first and end <= last:
        return []
    days = f"{dateformat.format(summit.start_date, 'j F Y')}–{dateformat.format(summit.end_date, 'j F Y')}"
    field_name = "start" if start < first or start >= last else "end"
    return [
        Conflict(
            kind="summit_days",
            field=field_name,
            blocking=True,
            message=_("%(summit)s runs %(days)s (%(zone)s); this falls outside it.")
            % {"summit": summit, "days": days, "zone": summit.time_zone},
        )
    ]


def check_room(
    *, item: Bookable, room: Room | None, start: datetime, end: datetime
) -> list[Conflict]:
    """A room hosts one thing at a time, sessions and meetings together."""
    if room is None or not (start and end) or not item.blocks_room:
        return []
    conflicts = []
    if room.venue.summit_id != item.summit_id:
        return [
            Conflict(
                kind="room",
                field="room",
                blocking=True,
                message=_("%(room)s belongs to another summit.") % {"room": room},
            )
        ]
    lock_room(room.pk)
    for other in room_bookings(room_id=room.pk, start=start, end=end, exclude=item):
        conflicts.append(
            Conflict(
                kind="room",
                field="room",
                blocking=True,
                item=item,
                other=other,
                message=_("%(room)s is already taken by %(other)s at %(when)s.")
                % {"room": room, "other": label(other), "when": when(other)},
            )
        )
    return conflicts


def check_people(
    *, item: Bookable, people: Sequence[Person], travel: TravelTimes | None = None
) -> list[Conflict]:
    """Warnings for the people of an item: elsewhere at the same time, or no time to travel."""
    if not people or not item.blocks_time:
        return []
    assert item.start is not None and item.end is not None
    travel = travel or TravelTimes.for_summit(item.summit_id)
    margin = timedelta(minutes=travel.longest)
    bookings = person_bookings(
        person_ids=[person.pk for person in people],
        start=item.start - margin,
        end=item.end + margin,
        exclude=item,
    )
    candidate = Booking.of(item)
    conflicts = []
    for person in people:
        items = [*bookings.get(person.pk, []), candidate]
        conflicts.extend(
            find_person_conflicts(items=items, travel=travel, person=person, only=item)
        )
    return conflicts


def check_booking(*, item: Bookable, people: Sequence[Person]) -> list[Conflict]:
    """The rules for anything with a time, a room and people: it ends after it starts, stays
    within its summit's days, has its room to itself, and its people can be there."""
    conflicts = check_times(start=item.start, end=item.end)
    if conflicts or item.start is None or item.end is None:
        return conflicts
    if item.summit_id:
        conflicts += check_within_summit(summit=item.summit, start=item.start, end=item.end)
    room = item.room if item.room_id else None
    conflicts += check_room(item=item, room=room, start=item.start, end=item.end)
    conflicts += check_people(item=item, people=people)
    return conflicts


def check_capacity(*, session_id: int | None, capacity: int | None) -> list[Conflict]:
    """The seats a session offers: at least one, never fewer than the people who have one,
    and none taken away while people are registered. Reads the seats taken as stored, and
    holds the session's row until the transaction ends so that no one registers meanwhile."""
    taken = 0
    if session_id is not None:
        stored = Session.objects.filter(pk=session_id)
        if connection.in_atomic_block:
            stored = stored.select_for_update()
        taken = stored.values_list("seats_taken", flat=True).first() or 0
    message = None
    if capacity is None:
        registered = (
            Registration.objects.active().filter(session_id=session_id).count()
            if session_id is not None
            else 0
        )
        if registered:
            message = ngettext(
                "%(count)d person is registered for this session (with a seat or on the "
                "waiting list), so it must keep its seats. Cancel the registration first, "
                "or cancel the session.",
                "%(count)d people are registered for this session (with a seat or on the "
                "waiting list), so it must keep its seats. Cancel the registrations first, "
                "or cancel the session.",
                registered,
            ) % {"count": registered}
    elif capacity < taken:
        message = ngettext(
            "%(count)d person already has a seat, so the session cannot offer fewer than "
            "%(count)d. Cancel registrations first to free seats.",
            "%(count)d people already have a seat, so the session cannot offer fewer than "
            "%(count)d. Cancel registrations first to free seats.",
            taken,
        ) % {"count": taken}
    elif capacity < 1:
        message = _(
            "Offer at least one seat, or leave the number of seats empty if the session "
            "takes no registrations."
        )
    if message is None:
        return []
    return [Conflict(kind="capacity", field="capacity", blocking=True, message=message)]


def check_session(*, session: Session, people: Sequence[Person] | None = None) -> list[Conflict]:
    """Every conflict saving this session would create. `people` defaults to its roles."""
    if people is None:
        people = list(session.people.all()) if session.pk else []
    # Seats first: the session's row is locked before check_room locks the room, the order
    # every writer follows (the admin form checks the seats on their own, before the rest).
    conflicts = check_capacity(session_id=session.pk, capacity=session.capacity)
    conflicts += check_booking(item=session, people=people)
    room = session.room if session.room_id else None
    if room and room.capacity is not None and session.capacity and session.capacity > room.capacity:
        conflicts.append(
            Conflict(
                kind="capacity",
                field="capacity",
                blocking=True,
                message=_("%(room)s seats %(seats)d; the session cannot offer %(asked)d.")
                % {"room": room, "seats": room.capacity, "asked": session.capacity},
            )
        )
    return conflicts


def summit_conflicts(*, summit: Summit) -> list[Conflict]:
    """Every conflict in a summit's programme: shared rooms, and each person's day."""
    sessions = list(
        Session.objects.scheduled().filter(summit=summit).select_related("summit", "room__venue")
    )
    meetings = list(
        Meeting.objects.holding_time()
        .filter(summit=summit)
        .select_related("summit", "room__venue", "venue")
    )
    by_room: dict[int, list[Booking]] = defaultdict(list)
    items: list[Bookable] = [*sessions, *meetings]
    for item in items:
        if item.room_id:
            by_room[item.room_id].append(Booking.of(item))
    conflicts: list[Conflict] = []
    for bookings in by_room.values():
        for a, b in find_overlaps(items=bookings):
            conflicts.append(
                Conflict(
                    kind="room",
                    field="room",
                    blocking=True,
                    item=a.item,
                    other=b.item,
                    message=_("%(a)s and %(b)s share %(room)s at the same time.")
                    % {"a": label(a.item), "b": label(b.item), "room": a.item.room},
                )
            )
    by_session = {session.pk: session for session in sessions}
    by_meeting = {meeting.pk: meeting for meeting in meetings}
    by_person: dict[int, set[Bookable]] = defaultdict(set)
    people: dict[int, Person] = {}
    for role in SessionRole.objects.filter(session__in=by_session).select_related("person"):
        by_person[role.person_id].add(by_session[role.session_id])
        people[role.person_id] = role.person
    for participation in (
        MeetingParticipant.objects.filter(meeting__in=by_meeting)
        .exclude(response=MeetingParticipant.Response.DECLINED)
        .select_related("person")
    ):
        by_person[participation.person_id].add(by_meeting[participation.meeting_id])
        people[participation.person_id] = participation.person
    travel = TravelTimes.for_summit(summit.pk)
    for person_id, held in by_person.items():
        conflicts += find_person_conflicts(
            items=[Booking.of(item) for item in held], travel=travel, person=people[person_id]
        )
    return conflicts
