"""The timetable grid of one day: rooms as columns grouped by venue, time down the side.

Rows are five-minute slots counted in real time (UTC), so a day on which the clocks change
still places every session by its true length; the labels are the local wall-clock times.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import groupby

from django.db.models import QuerySet
from django.utils import timezone

from agenda.models import Room, Session, Summit, Track, Venue
from meetings.models import Meeting

SLOT = timedelta(minutes=5)
LABEL_EVERY = timedelta(minutes=30)
FIRST_ROW = 1  # the room names head a grid of their own, above the rows of time


# What the grid and the lists show: sessions, and the meetings placed beside them.
Shown = Session | Meeting


@dataclass(frozen=True)
class Placed:
    session: Shown
    column: int
    row_start: int
    row_end: int


@dataclass
class Grid:
    venues: list[tuple[Venue, int, int]] = field(default_factory=list)  # venue, first column, span
    rooms: list[tuple[Room, int]] = field(default_factory=list)  # (room, column)
    times: list[tuple[datetime, int]] = field(default_factory=list)  # (local datetime, row)
    placed: list[Placed] = field(default_factory=list)
    unplaced: list[Shown] = field(default_factory=list)  # sessions with no room on the grid
    idle: list[Room] = field(default_factory=list)  # rooms with nothing in them on the day
    rows: int = 0
    begin: datetime | None = None  # the moment at the top of the first row
    finish: datetime | None = None  # the moment at the bottom of the last row


def span(item: Shown) -> tuple[datetime, datetime]:
    """Its start and end: a meeting is shown only once it has its time."""
    assert item.start is not None and item.end is not None
    return item.start, item.end


def chosen_day(summit: Summit, value: str | None, *, today: date) -> date:
    """The day asked for when it is one of the summit's; else today during it; else day one."""
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        day = None
    if day in summit.days:
        return day
    return today if today in summit.days else summit.start_date


def rooms_of(summit: Summit) -> QuerySet[Room]:
    return (
        Room.objects.filter(venue__summit=summit)
        .select_related("venue")
        .order_by("venue__name", "venue_id", "position", "name")
    )


def build(*, day: date, zone: tzinfo, rooms: Iterable[Room], sessions: Sequence[Shown]) -> Grid:
    """The grid of the day: a column for each room in use (the others in `idle`), a row for
    each five minutes from the half-hour before the first session to the one after the last."""
    grid = Grid()
    column_of: dict[int | None, int] = {}
    used = {session.room_id for session in sessions}
    shown: list[Room] = []
    for room in rooms:
        (shown if room.pk in used or not sessions else grid.idle).append(room)
    for column, room in enumerate(shown, start=2):
        column_of[room.pk] = column
        grid.rooms.append((room, column))
    for venue, group in groupby(grid.rooms, key=lambda pair: pair[0].venue):
        columns = list(group)
        grid.venues.append((venue, columns[0][1], len(columns)))
    if not sessions:
        return grid

    day_start = datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)
    day_end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
    first = max(min(span(s)[0].astimezone(UTC) for s in sessions), day_start)
    last = min(max(span(s)[1].astimezone(UTC) for s in sessions), day_end)
    begin = day_start + (first - day_start) // LABEL_EVERY * LABEL_EVERY
    finish = day_start + -((day_start - last) // LABEL_EVERY) * LABEL_EVERY
    grid.rows = (finish - begin) // SLOT
    grid.begin, grid.finish = begin, finish

    moment = begin
    while moment < finish:
        grid.times.append((moment.astimezone(zone), FIRST_ROW + (moment - begin) // SLOT))
        moment += LABEL_EVERY

    for session in sessions:
        if session.room_id not in column_of:
            grid.unplaced.append(session)
            continue
        column = column_of[session.room_id]
        session_start, session_end = span(session)
        start = max(session_start.astimezone(UTC), begin)
        end = min(session_end.astimezone(UTC), finish)
        grid.placed.append(
            Placed(
                session=session,
                column=column,
                row_start=FIRST_ROW + (start - begin) // SLOT,
                row_end=FIRST_ROW + -((begin - end) // SLOT),
            )
        )
    return grid


def group_by_day_and_time(
    sessions: Iterable[Shown], summit: Summit
) -> list[tuple[date, list[tuple[datetime, list[Shown]]]]]:
    """[(day, [(start, [session, ...]), ...]), ...] in the summit's local time."""
    # Sorted in real time; grouped by local time *and* offset, so the two 02:30s of the
    # night the clocks go back stay apart.
    local = [
        (timezone.localtime(s.start, summit.tz), s)
        for s in sorted(sessions, key=lambda s: tuple(moment.astimezone(UTC) for moment in span(s)))
    ]
    days = []
    for day, items in groupby(local, key=lambda pair: pair[0].date()):
        slots = []
        for _moment, group in groupby(items, key=lambda pair: (pair[0], pair[0].utcoffset())):
            together = list(group)
            slots.append((together[0][0], [session for _, session in together]))
        days.append((day, slots))
    return days


def tracks_of(shown: Iterable[Shown]) -> list[Track]:
    """The tracks of the sessions shown, each once: the colours their page needs."""
    tracks = {
        item.track.pk: item.track
        for item in shown
        if isinstance(item, Session) and item.track is not None
    }
    return [tracks[pk] for pk in sorted(tracks)]
