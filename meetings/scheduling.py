"""Rules for meetings: the same room and people rules as sessions, the request window, and
the slot finder that knows who is where and how long the trip between venues takes."""

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from agenda.models import Room, Venue
from agenda.scheduling import (
    Booking,
    Conflict,
    TravelTimes,
    check_booking,
    check_times,
    person_bookings,
    room_bookings_between,
    utc,
)
from meetings.models import Meeting
from people.models import Person


def check_meeting(*, meeting: Meeting, people: Sequence[Person] | None = None) -> list[Conflict]:
    """Every conflict saving this meeting would create. `people` defaults to its participants."""
    conflicts = check_times(start=meeting.window_start, end=meeting.window_end)
    conflicts = [
        Conflict(kind=c.kind, field="window_end", blocking=True, message=c.message)
        for c in conflicts
    ]
    if (meeting.start is None) != (meeting.end is None):
        conflicts.append(
            Conflict(
                kind="timing",
                field="end" if meeting.end is None else "start",
                blocking=True,
                message=_("Give both a start and an end, or neither."),
            )
        )
    if meeting.status in meeting.HOLDING_STATUSES and meeting.start is None:
        conflicts.append(
            Conflict(
                kind="timing",
                field="start",
                blocking=True,
                message=_("A proposed or confirmed meeting needs a time."),
            )
        )
    if conflicts:
        return conflicts
    if meeting.start is None:
        return []
    if people is None:
        people = list(meeting.people.all()) if meeting.pk else []
    conflicts = check_booking(item=meeting, people=people)
    if any(conflict.kind == "timing" for conflict in conflicts):
        return conflicts
    if (
        meeting.summit_id
        and meeting.venue is not None
        and meeting.venue.summit_id != meeting.summit_id
    ):
        conflicts.append(
            Conflict(
                kind="room",
                field="venue",
                blocking=True,
                message=_("%(venue)s belongs to another summit.") % {"venue": meeting.venue},
            )
        )
    if meeting.venue_id and meeting.room is not None and meeting.room.venue_id != meeting.venue_id:
        conflicts.append(
            Conflict(
                kind="room",
                field="room",
                blocking=True,
                message=_("%(room)s is not at %(venue)s.")
                % {"room": meeting.room, "venue": meeting.venue},
            )
        )
    return conflicts


# --- the slot finder ----------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    room: Room
    venue: Venue


@dataclass
class Suggestions:
    """Slots earliest first; when there are none, the reasons in words (as findMeetingTimes
    gives its emptySuggestionsReason)."""

    slots: list[Slot]
    reasons: list[str]


@dataclass(frozen=True)
class RoomOption:
    room: Room
    venue_id: int
    bookings: tuple[Booking, ...] = ()


def steps(
    window_start: datetime, window_end: datetime, duration: timedelta, step: timedelta
) -> Iterator[datetime]:
    """Candidate starts, every `step` from the window's start, measured in real time."""
    moment = utc(window_start)
    last = utc(window_end) - duration
    while moment <= last:
        yield moment
        moment += step


def is_free(bookings: Sequence[Booking], start: datetime, end: datetime) -> bool:
    return not any(b.start < end and start < b.end for b in bookings)


def can_travel(
    bookings: Sequence[Booking],
    start: datetime,
    end: datetime,
    venue_id: int | None,
    travel: TravelTimes,
    buffer: timedelta,
) -> bool:
    """From the last engagement before to the meeting, and on to the next one, in time."""
    before = [b for b in bookings if b.end <= start]
    after = [b for b in bookings if b.start >= end]
    if before:
        last = max(before, key=lambda b: b.end)
        needed = timedelta(minutes=travel.between(last.venue_id, venue_id)) + buffer
        if last.end + needed > start:
            return False
    if after:
        nearest = min(after, key=lambda b: b.start)
        needed = timedelta(minutes=travel.between(venue_id, nearest.venue_id)) + buffer
        if end + needed > nearest.start:
            return False
    return True


def find_slots(
    *,
    window_start: datetime,
    window_end: datetime,
    duration: timedelta,
    people: Mapping[int, Sequence[Booking]],
    rooms: Sequence[RoomOption],
    travel: TravelTimes,
    buffer: timedelta,
    step: timedelta,
    limit: int = 5,
    names: Mapping[int, str] | None = None,
) -> Suggestions:
    """The pure search: `people` maps a person to their bookings, `rooms` lists RoomOption in
    order of preference. Returns Suggestions."""
    names = names or {}
    candidates = list(steps(window_start, window_end, duration, step))
    if not candidates:
        return Suggestions([], [_("The window is shorter than the meeting.")])
    busy = dict.fromkeys(people, 0)
    stranded = dict.fromkeys(people, 0)
    everyone_free = rooms_taken = 0
    slots: list[Slot] = []
    for start in candidates:
        end = start + duration
        padded = (start - buffer, end + buffer)
        free = [p for p in people if is_free(people[p], *padded)]
        for person in people:
            if person not in free:
                busy[person] += 1
        if len(free) < len(people):
            continue
        everyone_free += 1
        open_rooms = [r for r in rooms if is_free(r.bookings, start, end)]
        if not open_rooms:
            rooms_taken += 1
            continue
        for option in open_rooms:
            late = [
                p
                for p in people
                if not can_travel(people[p], start, end, option.venue_id, travel, buffer)
            ]
            if not late:
                slots.append(Slot(start, end, option.room, option.room.venue))
                break
        else:
            for person in people:
                if not all(
                    can_travel(people[person], start, end, o.venue_id, travel, buffer)
                    for o in open_rooms
                ):
                    stranded[person] += 1
        if len(slots) >= limit:
            break
    if slots:
        return Suggestions(slots, [])
    return Suggestions(
        [], reasons_for(candidates, busy, stranded, everyone_free, rooms_taken, rooms, names)
    )


def reasons_for(
    candidates: Sequence[datetime],
    busy: Mapping[int, int],
    stranded: Mapping[int, int],
    everyone_free: int,
    rooms_taken: int,
    rooms: Sequence[RoomOption],
    names: Mapping[int, str],
) -> list[str]:
    reasons = []
    for person, count in busy.items():
        if count == len(candidates):
            reasons.append(
                _("%(person)s is never free in the window.") % {"person": names.get(person, person)}
            )
    if not rooms:
        reasons.append(_("No room is available at the chosen venue."))
    elif everyone_free and rooms_taken == everyone_free:
        reasons.append(
            _("Every room is taken whenever all participants are free: %(rooms)s.")
            % {"rooms": ", ".join(str(option.room) for option in rooms)}
        )
    for person, count in stranded.items():
        if count:
            reasons.append(
                _("%(person)s cannot get there in time from their other engagements.")
                % {"person": names.get(person, person)}
            )
    if not reasons:
        reasons.append(_("Participants are never free at the same time in the window."))
    return reasons


def suggest_slots(
    *,
    meeting: Meeting,
    people: Sequence[Person] | None = None,
    venue: Venue | None = None,
    limit: int = 5,
) -> Suggestions:
    """Free slots for a meeting (saved or not): every participant free and able to travel,
    a room free at a suitable venue. One query per kind of booking, whatever the size."""
    if people is None:
        people = [
            p.person
            for p in meeting.participants.select_related("person")
            if p.response != p.Response.DECLINED
        ]
    venue = venue or meeting.venue
    travel = TravelTimes.for_summit(meeting.summit_id)
    margin = timedelta(minutes=travel.longest) + buffer_time()
    start, end = meeting.window_start - margin, meeting.window_end + margin
    bookings = person_bookings(
        person_ids=[p.pk for p in people], start=start, end=end, exclude=meeting
    )
    rooms = candidate_rooms(meeting=meeting, venue=venue, size=len(people), start=start, end=end)
    return find_slots(
        window_start=meeting.window_start,
        window_end=meeting.window_end,
        duration=timedelta(minutes=meeting.duration_minutes),
        people={p.pk: bookings.get(p.pk, []) for p in people},
        names={p.pk: p.name for p in people},
        rooms=rooms,
        travel=travel,
        buffer=buffer_time(),
        step=timedelta(minutes=settings.SUMMIT_SLOT_STEP_MINUTES),
        limit=limit,
    )


def candidate_rooms(
    *, meeting: Meeting, venue: Venue | None, size: int, start: datetime, end: datetime
) -> list[RoomOption]:
    """Rooms that fit the meeting, smallest first, with what already holds them."""
    fitting = Room.objects.filter(venue__summit_id=meeting.summit_id).select_related("venue")
    if venue is not None:
        fitting = fitting.filter(venue=venue)
    rooms = [r for r in fitting if r.capacity is None or r.capacity >= size]
    rooms.sort(
        key=lambda r: (r.capacity is None, r.capacity or 0, r.venue.name, r.position, r.name)
    )
    held: dict[int | None, list[Booking]] = defaultdict(list)
    for item in room_bookings_between(
        room_ids=[r.pk for r in rooms], start=start, end=end, exclude=meeting
    ):
        held[item.room_id].append(Booking.of(item))
    return [RoomOption(room=r, venue_id=r.venue_id, bookings=tuple(held[r.pk])) for r in rooms]


def buffer_time() -> timedelta:
    return timedelta(minutes=settings.SUMMIT_MEETING_BUFFER_MINUTES)
