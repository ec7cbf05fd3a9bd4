import zoneinfo
from datetime import date, datetime, timedelta

import pytest

from agenda.scheduling import Booking, TravelTimes
from meetings.scheduling import RoomOption, find_slots, suggest_slots
from tests.factories import (
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

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
GRAND_PALAIS, STATION_F = 1, 2
TRAVEL = TravelTimes({(GRAND_PALAIS, STATION_F): 35, (STATION_F, GRAND_PALAIS): 30})


class FakeRoom:
    def __init__(self, name, venue_id):
        self.name, self.venue, self.venue_id = name, f"venue {venue_id}", venue_id

    def __str__(self):
        return self.name


def at(hour, minute=0):
    return paris(11, hour, minute)


def search(people, rooms, start=None, end=None, minutes=30, buffer=0):
    return find_slots(
        window_start=start or at(9),
        window_end=end or at(18),
        duration=timedelta(minutes=minutes),
        people=people,
        rooms=rooms,
        travel=TRAVEL,
        buffer=timedelta(minutes=buffer),
        step=timedelta(minutes=15),
        names={"evp": "Henna Virkkunen", "minister": "Minister", "ceo": "CEO"},
    )


def busy(start, end, venue=GRAND_PALAIS):
    return Booking(start, end, venue, "engagement")


BILATERAL_GP = RoomOption(room=FakeRoom("Bilateral Room 1", GRAND_PALAIS), venue_id=GRAND_PALAIS)
ADA_SF = RoomOption(room=FakeRoom("Meeting Room Ada", STATION_F), venue_id=STATION_F)


def starts(result):
    return [slot.start.astimezone(PARIS).strftime("%H:%M") for slot in result.slots]


def test_three_busy_people_get_the_earliest_common_free_slots():
    people = {
        "evp": [busy(at(9), at(10, 30)), busy(at(11, 30), at(12, 30))],
        "minister": [busy(at(10, 30), at(11))],
        "ceo": [busy(at(9), at(9, 45)), busy(at(12, 30), at(14))],
    }
    result = search(people, [BILATERAL_GP])
    assert starts(result) == ["11:00", "14:00", "14:15", "14:30", "14:45"]
    assert result.reasons == []


def test_a_slot_is_refused_when_someone_cannot_get_from_station_f_in_time():
    # The EVP is at Station F until 10:00; the Grand Palais is 30 minutes away.
    people = {"evp": [busy(at(9), at(10), venue=STATION_F)], "minister": []}
    assert starts(search(people, [BILATERAL_GP], start=at(10), end=at(11))) == ["10:30"]
    # And after the meeting, she must be back at Station F by 11:30: 35 minutes from the Palais.
    people["evp"].append(busy(at(11, 30), at(12), venue=STATION_F))
    result = search(people, [BILATERAL_GP], start=at(10), end=at(11, 30))
    assert result.slots == []
    assert result.reasons == [
        "Henna Virkkunen cannot get there in time from their other engagements."
    ]
    # At Station F itself it fits.
    assert (
        starts(search(people, [BILATERAL_GP, ADA_SF], start=at(10), end=at(11, 30)))[0] == "10:00"
    )


def test_a_slot_is_refused_when_no_room_is_free():
    taken = RoomOption(
        room=BILATERAL_GP.room, venue_id=GRAND_PALAIS, bookings=(busy(at(9), at(12)),)
    )
    result = search({"evp": [], "minister": []}, [taken], start=at(9), end=at(12))
    assert result.slots == []
    assert result.reasons == [
        "Every room is taken whenever all participants are free: Bilateral Room 1."
    ]
    assert starts(search({"evp": []}, [taken], start=at(9), end=at(13))) == [
        "12:00",
        "12:15",
        "12:30",
    ]


def test_the_reasons_name_who_is_never_free():
    people = {"evp": [busy(at(9), at(18))], "minister": []}
    result = search(people, [BILATERAL_GP])
    assert result.reasons == ["Henna Virkkunen is never free in the window."]
    assert search({"evp": []}, [BILATERAL_GP], start=at(9), end=at(9, 20)).reasons == [
        "The window is shorter than the meeting."
    ]


def test_buffers_keep_time_before_and_after():
    people = {"evp": [busy(at(9), at(10))]}
    assert starts(search(people, [BILATERAL_GP], start=at(9), end=at(11), buffer=10))[0] == "10:15"


def test_the_night_the_clocks_go_back_counts_real_time():
    # 26 October 2025: 02:00-03:00 happens twice in Paris, so the window 01:30-03:30 on
    # the wall clock lasts three real hours and holds three one-hour slots, two at "02:30".
    start = datetime(2025, 10, 26, 1, 30, tzinfo=PARIS)
    end = datetime(2025, 10, 26, 3, 30, tzinfo=PARIS)
    result = find_slots(
        window_start=start,
        window_end=end,
        duration=timedelta(minutes=60),
        people={"evp": []},
        rooms=[BILATERAL_GP],
        travel=TRAVEL,
        buffer=timedelta(0),
        step=timedelta(minutes=60),
        limit=10,
    )
    labels = [
        (s.start.astimezone(PARIS).strftime("%H:%M"), s.start.astimezone(PARIS).utcoffset())
        for s in result.slots
    ]
    assert labels == [
        ("01:30", timedelta(hours=2)),
        ("02:30", timedelta(hours=2)),
        ("02:30", timedelta(hours=1)),
    ]


@pytest.mark.django_db
def test_suggestions_from_the_database_respect_sessions_meetings_and_travel():
    summit = SummitFactory(start_date=date(2025, 2, 10), end_date=date(2025, 2, 11))
    grand_palais = VenueFactory(summit=summit, name="Grand Palais")
    station_f = VenueFactory(summit=summit, name="Station F")
    TravelTimeFactory(origin=grand_palais, destination=station_f, minutes=35)
    TravelTimeFactory(origin=station_f, destination=grand_palais, minutes=30)
    bilateral = RoomFactory(venue=grand_palais, name="Bilateral Room 1", capacity=8)
    RoomFactory(venue=grand_palais, name="Nef", capacity=2000)
    evp, minister = PersonFactory(name="Henna Virkkunen"), PersonFactory(name="Minister")
    visit = SessionFactory(
        summit=summit, room=RoomFactory(venue=station_f), start=paris(11, 10), end=paris(11, 11)
    )
    SessionRoleFactory(session=visit, person=evp)
    other = MeetingFactory(
        summit=summit,
        status="confirmed",
        start=paris(11, 11, 45),
        end=paris(11, 12, 15),
        room=bilateral,
    )
    MeetingParticipantFactory(meeting=other, person=minister)
    meeting = MeetingFactory(
        summit=summit,
        window_start=paris(11, 10),
        window_end=paris(11, 13),
        duration_minutes=30,
        venue=grand_palais,
    )
    for person in (evp, minister):
        MeetingParticipantFactory(meeting=meeting, person=person, response="pending")
    result = suggest_slots(meeting=meeting)
    # Free from 11:00 at Station F + 30 min travel + 10 min buffer; the minister is busy
    # 11:45-12:15 (+ buffers) in the only small room; the Nef is too big to be chosen first.
    assert [(s.start.astimezone(PARIS).strftime("%H:%M"), s.room.name) for s in result.slots] == [
        ("12:30", "Bilateral Room 1"),
    ]
