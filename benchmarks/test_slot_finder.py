"""The slot finder on a full summit day: `make bench`.

A day of 13 hours; 30 principals with a dozen engagements each across two venues 30-35 min
apart; 20 rooms half booked. The pure search is timed alone, then the whole suggestion with
its database reads on the demo summit."""

import random
from datetime import timedelta

import pytest

from agenda.demo import load_demo
from agenda.scheduling import Booking, TravelTimes
from meetings.models import Meeting
from meetings.scheduling import RoomOption, find_slots, suggest_slots
from tests.factories import paris


class Room:
    def __init__(self, n, venue_id):
        self.pk, self.name, self.venue, self.venue_id = (
            n,
            f"Room {n}",
            f"venue {venue_id}",
            venue_id,
        )


def full_day(seed=2025):
    rng = random.Random(seed)
    day_start = paris(11, 8)
    people = {}
    for person in range(30):
        bookings, moment = [], day_start
        for _ in range(12):
            moment += timedelta(minutes=rng.choice([0, 15, 30]))
            length = timedelta(minutes=rng.choice([30, 45, 60]))
            bookings.append(Booking(moment, moment + length, rng.choice([1, 2]), person))
            moment += length
        people[person] = bookings
    rooms = []
    for n in range(20):
        held = tuple(
            Booking(
                day_start + timedelta(hours=h), day_start + timedelta(hours=h, minutes=45), 1, n
            )
            for h in range(0, 13, 2)
        )
        rooms.append(RoomOption(room=Room(n, 1 + n % 2), venue_id=1 + n % 2, bookings=held))
    return people, rooms


def test_pure_search_for_three_principals_on_a_full_day(benchmark):
    people, rooms = full_day()
    chosen = {p: people[p] for p in (0, 1, 2)}
    travel = TravelTimes({(1, 2): 35, (2, 1): 30})
    result = benchmark(
        find_slots,
        window_start=paris(11, 8),
        window_end=paris(11, 21),
        duration=timedelta(minutes=30),
        people=chosen,
        rooms=rooms,
        travel=travel,
        buffer=timedelta(minutes=10),
        step=timedelta(minutes=15),
    )
    assert result.slots or result.reasons


def test_pure_search_when_nothing_fits(benchmark):
    """The worst case: every candidate time is examined to explain why nothing fits."""
    people, rooms = full_day()
    travel = TravelTimes({(1, 2): 35, (2, 1): 30})
    result = benchmark(
        find_slots,
        window_start=paris(11, 8),
        window_end=paris(11, 21),
        duration=timedelta(minutes=90),
        people=people,
        rooms=rooms,
        travel=travel,
        buffer=timedelta(minutes=10),
        step=timedelta(minutes=15),
    )
    assert result.reasons


@pytest.mark.django_db
def test_suggestions_on_the_demo_summit(benchmark):
    load_demo()
    meeting = Meeting.objects.filter(status="requested").select_related("summit", "venue").first()
    result = benchmark(suggest_slots, meeting=meeting)
    assert result.slots or result.reasons
