"""The timetable grid of one day: rooms as columns grouped by venue, time down the side.

Rows are five-minute slots counted in real time (UTC), so a day on which the clocks change
still places every session by its true length; the labels are the local wall-clock times.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby

from django.utils import timezone

from agenda.models import Room

SLOT = timedelta(minutes=5)
LABEL_EVERY = timedelta(minutes=30)
HEADER_ROWS = 2  # venue names, then room names


@dataclass(frozen=True)
class Placed:
    session: object
    column: int
    row_start: int
    row_end: int


@dataclass
class Grid:
    venues: list = field(default_factory=list)  # (venue, first column, span)
    rooms: list = field(default_factory=list)  # (room, column)
    times: list = field(default_factory=list)  # (local datetime, row)
    placed: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)  # sessions with no room on the grid
    rows: int = 0


def chosen_day(summit, value, *, today):
    """The day asked for when it is one of the summit's; else today during it; else day one."""
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        day = None
    if day in summit.days:
        return day
    return today if today in summit.days else summit.start_date


def rooms_of(summit):
    return (
        Room.objects.filter(venue__summit=summit)
        .select_related("venue")
        .order_by("venue__name", "venue_id", "position", "name")
    )


def build(*, day, zone, rooms, sessions):
    grid = Grid()
    column_of = {}
    for column, room in enumerate(rooms, start=2):
        column_of[room.pk] = column
        grid.rooms.append((room, column))
    for venue, group in groupby(grid.rooms, key=lambda pair: pair[0].venue):
        group = list(group)
        grid.venues.append((venue, group[0][1], len(group)))
    if not sessions:
        return grid

    day_start = datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)
    day_end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
    first = max(min(s.start for s in sessions).astimezone(UTC), day_start)
    last = min(max(s.end for s in sessions).astimezone(UTC), day_end)
    begin = day_start + (first - day_start) // LABEL_EVERY * LABEL_EVERY
    finish = day_start + -((day_start - last) // LABEL_EVERY) * LABEL_EVERY
    grid.rows = (finish - begin) // SLOT

    moment = begin
    while moment < finish:
        grid.times.append((moment.astimezone(zone), HEADER_ROWS + 1 + (moment - begin) // SLOT))
        moment += LABEL_EVERY

    for session in sessions:
        column = column_of.get(session.room_id)
        if column is None:
            grid.unplaced.append(session)
            continue
        start = max(session.start.astimezone(UTC), begin)
        end = min(session.end.astimezone(UTC), finish)
        grid.placed.append(
            Placed(
                session=session,
                column=column,
                row_start=HEADER_ROWS + 1 + (start - begin) // SLOT,
                row_end=HEADER_ROWS + 1 + -((begin - end) // SLOT),
            )
        )
    return grid


def group_by_day_and_time(sessions, summit):
    """[(day, [(start, [session, ...]), ...]), ...] in the summit's local time."""
    # Sorted in real time; grouped by local time *and* offset, so the two 02:30s of the
    # night the clocks go back stay apart.
    local = [
        (timezone.localtime(s.start, summit.tz), s)
        for s in sorted(sessions, key=lambda s: (s.start.astimezone(UTC), s.end.astimezone(UTC)))
    ]
    days = []
    for day, items in groupby(local, key=lambda pair: pair[0].date()):
        slots = []
        for _moment, group in groupby(items, key=lambda pair: (pair[0], pair[0].utcoffset())):
            group = list(group)
            slots.append((group[0][0], [session for _, session in group]))
        days.append((day, slots))
    return days
