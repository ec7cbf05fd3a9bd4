"""An attendee's agenda, day by day, with what the scheduling rules say about it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from agenda import scheduling
from agenda.models import AgendaChange, Registration, Session, SessionRole, Star
from agenda.models.programme import SessionQuerySet
from common.labels import label
from meetings.models import Meeting, MeetingQuerySet
from people.models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass
class AgendaItem:
    item: Session | Meeting
    kind: str  # "session" or "meeting"
    roles: list[str] = field(default_factory=list)
    registration: Registration | None = None
    starred: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def start(self) -> datetime | None:
        return self.item.start

    @property
    def end(self) -> datetime | None:
        return self.item.end


def personal_items(user: User) -> tuple[SessionQuerySet, MeetingQuerySet]:
    """Everything a holder is in, as they may see it on the site: the sessions they take part
    in, have a seat or a place in line at, or starred; then their meetings. Closed items
    stay until they are over, so calendars learn of them."""
    person = getattr(user, "person", None)
    sessions = Session.objects.visible_to(user).in_agenda_of(user).still_listed()
    if person is None:
        return sessions, Meeting.objects.none()
    meetings = (
        Meeting.objects.visible_to(user)
        .filter(participants__person=person, start__isnull=False)
        .exclude(status=Meeting.Status.REQUESTED)
        .still_listed()
    )
    return sessions, meetings


def agenda_for(user: User) -> list[tuple[date, list[AgendaItem]]]:
    """[(day, [AgendaItem, ...]), ...] in each summit's local time, conflicts flagged."""
    session_rows, meeting_rows = personal_items(user)
    sessions = list(session_rows.with_people(user).order_by("start", "id"))
    meetings = list(meeting_rows.with_participants(user).order_by("start", "id"))
    person: Person | None = getattr(user, "person", None)
    roles: defaultdict[int, list[str]] = defaultdict(list)
    registrations: dict[int, Registration] = {}
    if person is not None:
        for role in SessionRole.objects.filter(person=person, session__in=sessions):
            roles[role.session_id].append(label(SessionRole.Role, role.role))
        registrations = {
            r.session_id: r
            for r in Registration.objects.active()
            .with_positions()
            .filter(person=person, session__in=sessions)
        }
    starred = set(
        Star.objects.filter(user=user, session__in=sessions).values_list("session_id", flat=True)
    )
    items = [
        AgendaItem(
            item=session,
            kind="session",
            roles=roles[session.pk],
            registration=registrations.get(session.pk),
            starred=session.pk in starred,
        )
        for session in sessions
    ]
    items += [AgendaItem(item=meeting, kind="meeting") for meeting in meetings]
    flag_conflicts(items, person)
    items.sort(key=lambda entry: (entry.start, entry.end))
    return [
        (day, list(group))
        for day, group in groupby(
            items, key=lambda e: timezone.localtime(e.start, e.item.summit.tz).date()
        )
    ]


def flag_conflicts(items: list[AgendaItem], person: Person | None) -> None:
    """Attach the scheduling rules' warnings (two places at once, too little travel time),
    each in the attendee's words and naming the *other* item."""
    live = [entry for entry in items if entry.item.blocks_time]
    by_summit: defaultdict[int, list[AgendaItem]] = defaultdict(list)
    for entry in live:
        by_summit[entry.item.summit_id].append(entry)
    for summit_id, entries in by_summit.items():
        travel = scheduling.TravelTimes.for_summit(summit_id)
        bookings = [scheduling.Booking.of(entry.item) for entry in entries]
        entry_of = {id(entry.item): entry for entry in entries}
        who = person.name if person is not None else ""
        for conflict in scheduling.find_person_conflicts(items=bookings, travel=travel, person=who):
            for item, other in ((conflict.item, conflict.other), (conflict.other, conflict.item)):
                entry_of[id(item)].warnings.append(
                    clash_warning(conflict.kind, item=item, other=other, travel=travel)
                )


def clash_warning(
    kind: str, *, item: Session | Meeting, other: Session | Meeting, travel: scheduling.TravelTimes
) -> str:
    """What a conflict means for the attendee at `item`, naming `other`: "Clashes with “AI
    and energy”, 14:00–15:15", "Only 20 min to get from Station F to Grand Palais after …"."""
    assert other.start is not None and other.end is not None
    assert item.start is not None and item.end is not None
    zone = other.summit.tz
    if kind == "overlap":
        return _("Clashes with “%(other)s”, %(start)s–%(end)s.") % {
            "other": other.title,
            "start": dateformat.format(timezone.localtime(other.start, zone), "H:i"),
            "end": dateformat.format(timezone.localtime(other.end, zone), "H:i"),
        }
    item_first = (item.start, item.end) <= (other.start, other.end)
    gap = (other.start - item.end) if item_first else (item.start - other.end)
    earlier, later = (item, other) if item_first else (other, item)
    places = (earlier.place, later.place)
    words = {
        "other": other.title,
        "gap": gap // timedelta(minutes=1),
        "origin": scheduling.venue_name(earlier),
        "destination": scheduling.venue_name(later),
        "needed": travel.between(*(venue.pk if venue else None for venue in places)),
    }
    if not item_first:
        return (
            _(
                "Only %(gap)d min to get from %(origin)s to %(destination)s after “%(other)s”; "
                "the trip takes %(needed)d min."
            )
            % words
        )
    return (
        _(
            "Only %(gap)d min to get from %(origin)s to %(destination)s for “%(other)s”; "
            "the trip takes %(needed)d min."
        )
        % words
    )


def new_seats(person: Person) -> list[AgendaChange]:
    """Seats given to the person from a waiting list since their agenda last showed one, that
    they still hold: each is shown once (reading marks them seen). One query when there is
    nothing new, two otherwise."""
    held = Registration.objects.confirmed().filter(session=OuterRef("session"), person=person)
    unseen = list(
        AgendaChange.objects.filter(
            person=person, action=AgendaChange.Action.PROMOTED, seen_at__isnull=True
        )
        .annotate(held=Exists(held))
        .select_related("session__summit")
        .order_by("at", "id")
    )
    if not unseen:
        return []
    AgendaChange.objects.filter(pk__in=[change.pk for change in unseen]).update(
        seen_at=timezone.now()
    )
    # Once per session, and only for a seat still held in a session still taking place.
    latest = {change.session_id: change for change in unseen}
    return [
        change
        for change in latest.values()
        if change.held and not (change.session.is_cancelled or change.session.is_over)
    ]
