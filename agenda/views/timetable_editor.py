"""The staff timetable editor: one summit, one day, every room. The page holds the day as it
is when opened; its script moves sessions through the API (the same serializer and rules as
the admin), and polls the API for the changes of other editors."""

from datetime import datetime, timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from agenda.api.serializers import SessionSerializer
from agenda.models import Room, Session, Summit, TravelTime
from meetings.models import Meeting

# The hours shown when the day holds nothing earlier or later.
FIRST_HOUR, LAST_HOUR = 8, 20


class DayForm(forms.Form):
    day = forms.DateField(required=False)


@require_safe
def editor(request: HttpRequest, summit: Summit) -> HttpResponse:
    """The editor for staff who may change sessions; the admin serves it (its login)."""
    if not request.user.has_perm("agenda.change_session"):
        raise PermissionDenied
    form = DayForm(request.GET)
    day = form.cleaned_data["day"] if form.is_valid() else None
    if day not in summit.days:
        day = summit.days[0]
    day_start, day_end = summit.day_bounds(day)
    sessions = list(
        Session.objects.filter(summit=summit)
        .filter(Q(start__lt=day_end, end__gt=day_start) | Q(status=Session.Status.UNSCHEDULED))
        .with_people(request.user)
        .order_by("start", "id")
    )
    meetings = list(
        Meeting.objects.filter(summit=summit, room__isnull=False)
        .overlapping(day_start, day_end)
        .select_related("room")
        .order_by("start", "id")
    )
    rooms = list(
        Room.objects.filter(venue__summit=summit)
        .select_related("venue")
        .order_by("venue__name", "venue_id", "position", "name", "id")
    )
    grid_start, grid_end = hours_shown(
        day_start, [s for s in sessions if s.status != Session.Status.UNSCHEDULED] + meetings
    )
    timetable = {
        "summit": summit.pk,
        "zone": summit.time_zone,
        "day": day.isoformat(),
        "dayStart": day_start.isoformat(),
        "dayEnd": day_end.isoformat(),
        "gridStart": grid_start.isoformat(),
        "gridEnd": grid_end.isoformat(),
        "api": reverse("session-list"),
        "rooms": [
            {"id": room.pk, "name": room.name, "venue": room.venue_id, "venueName": room.venue.name}
            for room in rooms
        ],
        "travel": [
            {"from": trip.origin_id, "to": trip.destination_id, "minutes": trip.minutes}
            for trip in TravelTime.objects.filter(origin__summit=summit)
        ],
        "meetings": [reserved(meeting) for meeting in meetings if meeting.blocks_time],
        "sessions": SessionSerializer(sessions, many=True, context={"request": request}).data,
    }
    days = [
        (other, f"{request.path}?day={other.isoformat()}", other == day) for other in summit.days
    ]
    return render(
        request,
        "admin/agenda/timetable_editor.html",
        {
            "title": _("Timetable of %(summit)s") % {"summit": summit},
            "summit": summit,
            "day": day,
            "days": days,
            "timetable": timetable,
            "opts": Summit._meta,
        },
    )


def hours_shown(day_start: datetime, items: list) -> tuple[datetime, datetime]:
    """Whole hours from 08:00 to 20:00, stretched to what the day holds."""
    first = day_start + timedelta(hours=FIRST_HOUR)
    last = day_start + timedelta(hours=LAST_HOUR)
    for item in items:
        first = min(first, max(item.start, day_start))
        last = max(last, min(item.end, day_start + timedelta(days=1)))
    first = first.astimezone(day_start.tzinfo).replace(minute=0, second=0, microsecond=0)
    if last.astimezone(day_start.tzinfo).minute:
        last = last.astimezone(day_start.tzinfo).replace(minute=0) + timedelta(hours=1)
    return first, last


def reserved(meeting: Meeting) -> dict[str, object]:
    """A meeting as the grid draws it: the room it holds, and when."""
    assert meeting.start is not None and meeting.end is not None
    return {
        "id": meeting.pk,
        "title": str(meeting),
        "start": meeting.start.isoformat(),
        "end": meeting.end.isoformat(),
        "room": meeting.room_id,
    }
