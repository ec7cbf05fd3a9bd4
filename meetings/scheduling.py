"""Rules for meetings: the same room and people rules as sessions, plus the request window."""

from django.utils.translation import gettext as _

from agenda.scheduling import (
    Conflict,
    check_people,
    check_room,
    check_times,
    check_within_summit,
    raise_blocking,
)


def check_meeting(*, meeting, people=None):
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
    conflicts += check_times(start=meeting.start, end=meeting.end)
    if conflicts:
        return conflicts
    if meeting.summit_id:
        conflicts += check_within_summit(
            summit=meeting.summit, start=meeting.start, end=meeting.end
        )
    room = meeting.room if meeting.room_id else None
    if room and meeting.venue_id and room.venue_id != meeting.venue_id:
        conflicts.append(
            Conflict(
                kind="room",
                field="room",
                blocking=True,
                message=_("%(room)s is not at %(venue)s.") % {"room": room, "venue": meeting.venue},
            )
        )
    conflicts += check_room(item=meeting, room=room, start=meeting.start, end=meeting.end)
    if people is None:
        people = list(meeting.people.all()) if meeting.pk else []
    conflicts += check_people(item=meeting, people=people)
    return conflicts


def validate_meeting(*, meeting, people=None):
    """Refuse what may not be saved; return the warnings staff may knowingly accept."""
    return raise_blocking(check_meeting(meeting=meeting, people=people))
