"""The database itself keeps a room to one booking at a time (PostgreSQL only)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from agenda import scheduling
from agenda.models import Session
from meetings.models import Meeting
from meetings.scheduling import check_meeting
from tests.factories import MeetingFactory, RoomFactory, SessionFactory, paris


def test_the_exclusion_constraint_refuses_overlapping_sessions(postgres):
    room = RoomFactory()
    SessionFactory(room=room, start=paris(10, 10), end=paris(10, 11))
    with pytest.raises(IntegrityError, match="session_room_one_at_a_time"), transaction.atomic():
        SessionFactory(room=room, start=paris(10, 10, 59), end=paris(10, 12))
    # Back to back, another room, or a cancelled one: all allowed.
    SessionFactory(room=room, start=paris(10, 11), end=paris(10, 12))
    SessionFactory(room=RoomFactory(venue=room.venue), start=paris(10, 10), end=paris(10, 11))
    SessionFactory(room=room, start=paris(10, 10), end=paris(10, 11), status="cancelled")
    assert Session.objects.filter(room=room).count() == 3


def test_reinstating_into_a_taken_room_is_refused_by_the_database(postgres):
    room = RoomFactory()
    cancelled = SessionFactory(
        room=room, start=paris(10, 10), end=paris(10, 11), status="cancelled"
    )
    SessionFactory(room=room, start=paris(10, 10), end=paris(10, 11))
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=cancelled.pk).update(status="scheduled")


def test_the_exclusion_constraint_refuses_overlapping_meetings(postgres):
    room = RoomFactory()
    held = {"status": Meeting.Status.CONFIRMED, "room": room, "summit": room.venue.summit}
    MeetingFactory(**held, start=paris(11, 10), end=paris(11, 10, 30))
    with pytest.raises(IntegrityError, match="meeting_room_one_at_a_time"), transaction.atomic():
        MeetingFactory(**held, start=paris(11, 10, 15), end=paris(11, 10, 45))
    MeetingFactory(**held, start=paris(11, 10, 30), end=paris(11, 11))


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_bookings_of_one_room_cannot_both_land(postgres):
    room = RoomFactory()
    summit = room.venue.summit
    barrier = threading.Barrier(2)
    outcomes = []

    def book(title, make):
        try:
            with transaction.atomic():
                item = make(title)
                barrier.wait(timeout=10)
                if isinstance(item, Session):
                    conflicts = scheduling.check_session(session=item, people=[])
                else:
                    conflicts = check_meeting(meeting=item, people=[])
                scheduling.enforce(conflicts, accept_warnings=True)
                item.save()
            outcomes.append("saved")
        except (ValidationError, IntegrityError):
            outcomes.append("refused")
        finally:
            connection.close()

    def session(title):
        return Session(
            summit=summit,
            room=room,
            title=title,
            slug=title,
            start=paris(10, 10),
            end=paris(10, 11),
        )

    def meeting(title):
        return Meeting(
            summit=summit,
            room=room,
            title=title,
            status=Meeting.Status.CONFIRMED,
            window_start=paris(10, 9),
            window_end=paris(10, 12),
            start=paris(10, 10, 30),
            end=paris(10, 11),
        )

    threads = [
        threading.Thread(target=book, args=("first", session)),
        threading.Thread(target=book, args=("second", meeting)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "saved"]
    assert Session.objects.count() + Meeting.objects.count() == 1
