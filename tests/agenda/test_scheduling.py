from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from agenda import scheduling
from agenda.models import Session
from agenda.scheduling import Booking, TravelTimes, find_overlaps, find_tight_changes
from meetings.models import Meeting
from tests.factories import (
    PARIS,
    MeetingFactory,
    MeetingParticipantFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    SummitFactory,
    TravelTimeFactory,
    VenueFactory,
    paris,
)


def booking(name, start, end, venue=None):
    return Booking(start, end, venue, name)


def at(hour, minute=0):
    return datetime(2025, 2, 10, hour, minute, tzinfo=UTC)


# --- pure interval arithmetic ------------------------------------------------------------


def test_back_to_back_items_do_not_overlap():
    items = [booking("a", at(9), at(10)), booking("b", at(10), at(11))]
    assert find_overlaps(items=items) == []


def test_overlapping_items_are_paired_whatever_their_order():
    a = booking("a", at(9), at(12))
    b = booking("b", at(10), at(11))
    c = booking("c", at(11, 30), at(13))
    d = booking("d", at(13), at(14))
    pairs = find_overlaps(items=[d, c, b, a])
    assert {(x.item, y.item) for x, y in pairs} == {("a", "b"), ("a", "c")}


def test_a_cross_venue_gap_shorter_than_the_travel_time_is_flagged():
    travel = TravelTimes({(1, 2): 35, (2, 1): 30})
    morning = booking("panel", at(9), at(10), venue=1)
    too_soon = booking("visit", at(10, 20), at(11), venue=2)
    changes = find_tight_changes(items=[too_soon, morning], travel=travel)
    assert [(a.item, b.item, gap, needed) for a, b, gap, needed in changes] == [
        ("panel", "visit", timedelta(minutes=20), timedelta(minutes=35))
    ]


def test_travel_time_is_read_per_direction():
    travel = TravelTimes({(1, 2): 35, (2, 1): 30})
    back = [booking("visit", at(9), at(10), venue=2), booking("panel", at(10, 30), at(11), venue=1)]
    there = [
        booking("panel", at(9), at(10), venue=1),
        booking("visit", at(10, 30), at(11), venue=2),
    ]
    assert find_tight_changes(items=back, travel=travel) == []
    assert len(find_tight_changes(items=there, travel=travel)) == 1


def test_a_recorded_single_direction_serves_both_ways():
    travel = TravelTimes({(1, 2): 35}, default=0)
    assert (travel.between(2, 1), travel.between(1, 2), travel.between(1, 1)) == (35, 35, 0)


def test_enough_time_between_venues_or_same_venue_is_fine():
    travel = TravelTimes({(1, 2): 30})
    items = [
        booking("a", at(9), at(10), venue=1),
        booking("b", at(10), at(11), venue=1),
        booking("c", at(11, 30), at(12), venue=2),
    ]
    assert find_tight_changes(items=items, travel=travel) == []


def test_the_night_the_clocks_go_back_is_measured_in_real_time():
    # 26 October 2025 in Paris: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice.
    # A meeting ends at the first 02:30 (00:30 UTC); a panel starts at the second (01:30 UTC).
    # On the wall clock they touch; in real time an hour separates them.
    first = datetime(2025, 10, 26, 2, 30, tzinfo=PARIS, fold=0)
    second = datetime(2025, 10, 26, 2, 30, tzinfo=PARIS, fold=1)
    meeting = booking("meeting", first - timedelta(hours=1), first, venue=1)
    panel = booking("panel", second, second + timedelta(hours=1), venue=2)
    travel = TravelTimes({(1, 2): 45})
    assert (second - first).total_seconds() == 0  # naive wall-clock arithmetic is blind
    assert find_tight_changes(items=[meeting, panel], travel=travel) == []
    travel = TravelTimes({(1, 2): 61})
    [(_, _, gap, _)] = find_tight_changes(items=[meeting, panel], travel=travel)
    assert gap == timedelta(hours=1)


# --- the rules on real rows --------------------------------------------------------------


@pytest.fixture
def room(db):
    return RoomFactory(capacity=40)


def test_a_room_double_booking_is_refused(room):
    SessionFactory(
        room=room, title="Panel on trustworthy AI", start=paris(10, 10), end=paris(10, 11)
    )
    clash = SessionFactory.build(
        room=room, summit=room.venue.summit, start=paris(10, 10, 30), end=paris(10, 11, 30)
    )
    with pytest.raises(ValidationError) as refused:
        scheduling.enforce(scheduling.check_session(session=clash), accept_warnings=True)
    [message] = refused.value.message_dict["room"]
    assert "Panel on trustworthy AI" in message


def test_back_to_back_in_one_room_is_fine(room):
    SessionFactory(room=room, start=paris(10, 10), end=paris(10, 11))
    after = SessionFactory.build(
        room=room, summit=room.venue.summit, start=paris(10, 11), end=paris(10, 12)
    )
    assert scheduling.check_session(session=after) == []


def test_a_meeting_in_the_room_blocks_a_session(room):
    summit = room.venue.summit
    MeetingFactory(
        summit=summit,
        title="Bilateral EVP – Minister",
        status=Meeting.Status.CONFIRMED,
        start=paris(10, 10),
        end=paris(10, 10, 30),
        room=room,
    )
    session = SessionFactory.build(room=room, summit=summit, start=paris(10, 10), end=paris(10, 11))
    [conflict] = scheduling.check_session(session=session)
    assert (conflict.kind, conflict.blocking) == ("room", True)
    assert "Bilateral EVP – Minister" in conflict.message


def test_a_requested_meeting_does_not_hold_the_room(room):
    MeetingFactory(summit=room.venue.summit, status=Meeting.Status.REQUESTED, room=room)
    session = SessionFactory.build(
        room=room, summit=room.venue.summit, start=paris(11, 9), end=paris(11, 18)
    )
    assert scheduling.check_session(session=session) == []


def test_a_cancelled_session_no_longer_blocks_its_room(room):
    cancelled = SessionFactory(room=room, start=paris(10, 10), end=paris(10, 11))
    Session.objects.filter(pk=cancelled.pk).cancel()
    replacement = SessionFactory.build(
        room=room, summit=room.venue.summit, start=paris(10, 10), end=paris(10, 11)
    )
    assert scheduling.check_session(session=replacement) == []


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (paris(9, 23), paris(10, 1), "start"),  # starts the evening before the summit
        (paris(11, 23), datetime(2025, 2, 12, 0, 30, tzinfo=PARIS), "end"),  # runs past midnight
        (datetime(2025, 2, 12, 9, tzinfo=PARIS), datetime(2025, 2, 12, 10, tzinfo=PARIS), "start"),
    ],
)
def test_a_session_outside_the_summit_days_is_refused(room, start, end, field):
    session = SessionFactory.build(room=room, summit=room.venue.summit, start=start, end=end)
    with pytest.raises(ValidationError) as refused:
        scheduling.enforce(scheduling.check_session(session=session), accept_warnings=True)
    assert list(refused.value.message_dict) == [field]


def test_the_summit_days_are_local_days(room):
    # 23:30 in Paris on the last day is 22:30 UTC: still within the summit.
    session = SessionFactory.build(
        room=room, summit=room.venue.summit, start=paris(11, 23), end=paris(11, 23, 59)
    )
    assert scheduling.check_session(session=session) == []


def test_a_session_ending_before_it_starts_is_refused(room):
    session = SessionFactory.build(
        room=room, summit=room.venue.summit, start=paris(10, 11), end=paris(10, 10)
    )
    with pytest.raises(ValidationError) as refused:
        scheduling.enforce(scheduling.check_session(session=session), accept_warnings=True)
    assert refused.value.message_dict == {"end": ["The end must come after the start."]}


def test_more_seats_than_the_room_has_is_refused(room):
    session = SessionFactory.build(room=room, summit=room.venue.summit, capacity=41)
    with pytest.raises(ValidationError) as refused:
        scheduling.enforce(scheduling.check_session(session=session), accept_warnings=True)
    assert list(refused.value.message_dict) == ["capacity"]
    session.capacity = 40
    assert scheduling.enforce(scheduling.check_session(session=session), accept_warnings=True) == []


def test_a_room_of_another_summit_is_refused(room):
    other_summit = SummitFactory()
    session = SessionFactory.build(room=room, summit=other_summit)
    with pytest.raises(ValidationError) as refused:
        scheduling.enforce(scheduling.check_session(session=session), accept_warnings=True)
    assert list(refused.value.message_dict) == ["room"]


@pytest.fixture
def two_venues(db):
    summit = SummitFactory()
    grand_palais = VenueFactory(summit=summit, name="Grand Palais")
    station_f = VenueFactory(summit=summit, name="Station F")
    TravelTimeFactory(origin=grand_palais, destination=station_f, minutes=35)
    TravelTimeFactory(origin=station_f, destination=grand_palais, minutes=30)
    return (
        RoomFactory(venue=grand_palais, name="Nef"),
        RoomFactory(venue=station_f, name="Shed"),
    )


def test_a_person_short_of_travel_time_is_warned_not_refused(two_venues):
    nef, shed = two_venues
    evp = PersonFactory(name="Henna Virkkunen")
    SessionRoleFactory(
        person=evp,
        session=SessionFactory(room=nef, title="Panel", start=paris(11, 9), end=paris(11, 10)),
    )
    visit = SessionFactory(room=shed, title="Visit", start=paris(11, 10, 20), end=paris(11, 11))
    warnings = scheduling.enforce(
        scheduling.check_session(session=visit, people=[evp]), accept_warnings=True
    )
    assert [(w.kind, w.person, w.other.title) for w in warnings] == [("travel", evp, "Panel")]
    assert "35 min" in warnings[0].message and "20 min" in warnings[0].message


def test_a_person_in_two_places_at_once_is_warned(two_venues):
    nef, shed = two_venues
    evp = PersonFactory()
    meeting = MeetingFactory(
        summit=nef.venue.summit,
        title="Bilateral",
        status=Meeting.Status.CONFIRMED,
        start=paris(11, 10),
        end=paris(11, 10, 30),
        room=nef,
    )
    MeetingParticipantFactory(meeting=meeting, person=evp)
    visit = SessionFactory(room=shed, start=paris(11, 10), end=paris(11, 11))
    warnings = scheduling.check_session(session=visit, people=[evp])
    assert [(w.kind, w.blocking, w.other) for w in warnings] == [("overlap", False, meeting)]


def test_a_declined_meeting_does_not_hold_its_participant(two_venues):
    nef, shed = two_venues
    evp = PersonFactory()
    meeting = MeetingFactory(
        summit=nef.venue.summit,
        status=Meeting.Status.PROPOSED,
        start=paris(11, 10),
        end=paris(11, 10, 30),
        room=nef,
    )
    MeetingParticipantFactory(meeting=meeting, person=evp, response="declined")
    visit = SessionFactory(room=shed, start=paris(11, 10), end=paris(11, 11))
    assert scheduling.check_session(session=visit, people=[evp]) == []


def test_people_default_to_those_on_the_session(two_venues):
    nef, shed = two_venues
    evp = PersonFactory()
    SessionRoleFactory(
        person=evp, session=SessionFactory(room=nef, start=paris(11, 9), end=paris(11, 10))
    )
    visit = SessionFactory(room=shed, start=paris(11, 10), end=paris(11, 11))
    SessionRoleFactory(person=evp, session=visit)
    assert [w.kind for w in scheduling.check_session(session=visit)] == ["travel"]


def test_summit_conflicts_lists_every_clash_once(two_venues):
    nef, shed = two_venues
    evp = PersonFactory()
    panel = SessionFactory(room=nef, start=paris(11, 9), end=paris(11, 10))
    visit = SessionFactory(room=shed, start=paris(11, 10), end=paris(11, 11))
    quiet = SessionFactory(room=nef, start=paris(11, 12), end=paris(11, 13))
    for session in (panel, visit):
        SessionRoleFactory(person=evp, session=session)
    SessionRoleFactory(session=quiet)
    conflicts = scheduling.summit_conflicts(summit=nef.venue.summit)
    assert [(c.kind, c.person, {c.item, c.other}) for c in conflicts] == [
        ("travel", evp, {panel, visit})
    ]
