"""What a summit's home page puts first: what is on now and next (with day labels), the
travel times between its venues, its key people, and how many items its programme holds."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import formats
from django.utils.translation import gettext

from agenda.models import KeyPerson, Session, SessionRole, Summit, TravelTime, Venue
from meetings.models import Meeting
from people.models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# How many people the home page puts forward when staff chose none.
KEY_PEOPLE_SHOWN = 8


def day_label(moment: datetime, *, now: datetime, zone: tzinfo) -> str:
    """“Today 14:00”, “Tomorrow 09:30”, else the weekday: “Wednesday 11:00”."""
    local = moment.astimezone(zone)
    today = now.astimezone(zone).date()
    time = formats.time_format(local.time(), "TIME_FORMAT")
    if local.date() == today:
        return gettext("Today %(time)s") % {"time": time}
    if local.date() == today + timedelta(days=1):
        return gettext("Tomorrow %(time)s") % {"time": time}
    weekday = formats.date_format(local.date(), "l")
    return gettext("%(weekday)s %(time)s") % {"weekday": weekday, "time": time}


@dataclass(frozen=True)
class Route:
    """The way between two venues: minutes there, and back when the way back differs."""

    origin: Venue
    destination: Venue
    minutes: int
    back: int | None  # None: no travel time recorded the other way

    @property
    def both_ways(self) -> bool:
        return self.back == self.minutes


def routes(times: Iterable[TravelTime]) -> list[Route]:
    """Each pair of venues once, in the order of the first travel time given for it."""
    by_pair = {(t.origin_id, t.destination_id): t for t in times}
    found: list[Route] = []
    seen: set[frozenset[int]] = set()
    for (origin, destination), there in by_pair.items():
        pair = frozenset((origin, destination))
        if pair in seen:
            continue
        seen.add(pair)
        back = by_pair.get((destination, origin))
        found.append(
            Route(there.origin, there.destination, there.minutes, back.minutes if back else None)
        )
    return found


def travel_routes(summit: Summit) -> list[Route]:
    """The routes between the summit's venues, in one query."""
    return routes(
        TravelTime.objects.filter(origin__summit=summit)
        .select_related("origin", "destination")
        .order_by("origin__name", "destination__name")
    )


def key_people(summit: Summit, user: User | AnonymousUser) -> list[Person]:
    """The people staff chose for the summit, in their order, those the user may see; when
    staff chose none, those the user may see who appear most often on the part of the
    programme the user may see."""
    seen = Person.objects.visible_to(user).filter(pk=OuterRef("person_id"))
    chosen = list(
        KeyPerson.objects.filter(summit=summit)
        .annotate(seen=Exists(seen))
        .select_related("person__organisation")
    )
    if chosen:
        return [key.person for key in chosen if key.seen]
    visible = Session.objects.visible_to(user).filter(summit=summit)
    return list(
        Person.objects.visible_to(user)
        .filter(Exists(SessionRole.objects.filter(person=OuterRef("pk"), session__in=visible)))
        .annotate(appearances=Count("session_roles", filter=Q(session_roles__session__in=visible)))
        .select_related("organisation")
        .order_by("-appearances", "name")[:KEY_PEOPLE_SHOWN]
    )


def programme_size(summit: Summit, user: User | AnonymousUser) -> int:
    """How many items the unfiltered programme shows the user: sessions (cancelled ones
    included, as it shows them) and the public meetings announced like sessions."""
    sessions = Session.objects.visible_to(user).filter(summit=summit)
    meetings = Meeting.objects.visible_to(user).filter(summit=summit).announced()
    return sessions.count() + meetings.count()
