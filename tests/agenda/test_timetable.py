"""Days, time slots and the grid, as the programme pages show them."""

import pytest

from agenda.models import Session
from tests.agenda.pages import slugs
from tests.factories import RoomFactory, SessionFactory, SummitFactory

pytestmark = pytest.mark.django_db


def test_the_programme_groups_by_day_then_time(client, site):
    response = client.get("/ai/programme/")
    days = [
        (day.isoformat(), [start.strftime("%H:%M") for start, _ in slots])
        for day, slots in response.context["days"]
    ]
    assert days == [("2025-02-10", ["10:00", "14:30"]), ("2025-02-11", ["09:00", "10:00"])]
    assert "10:00" in response.content.decode()  # shown in Paris time, not UTC (09:00)


def test_the_grid_places_sessions_by_room_and_time(client, site):
    response = client.get("/ai/programme/grid/", {"day": "2025-02-10"})
    grid = response.context["grid"]
    rooms = {room.slug: column for room, column in grid.rooms}
    named = dict(zip(grid.placed, slugs(c.session for c in grid.placed), strict=True))
    placed = {(named[c], c.column, c.row_start, c.row_end) for c in grid.placed}
    # 10:00 is the first half-hour: row 1 (the room names head a grid of their own);
    # 5-minute rows.
    assert placed == {
        ("panel", rooms["nef"], 1, 13),
        ("health", rooms["salon"], 1 + 54, 1 + 72),
    }
    # Station F's only room has nothing on the day: left out, and named below the grid.
    assert [venue.name for venue, _, _ in grid.venues] == ["Grand Palais"]
    assert [room.slug for room in grid.idle] == ["shed"]
    assert [t.strftime("%H:%M") for t, _ in grid.times][:3] == ["10:00", "10:30", "11:00"]


def test_the_grid_defaults_to_day_one_and_ignores_bad_days(client, site):
    for query in ({}, {"day": "1999-01-01"}, {"day": "garbage"}):
        assert client.get("/ai/programme/grid/", query).context["day"].isoformat() == "2025-02-10"


def test_the_two_identical_wall_clock_times_of_the_autumn_night_stay_apart(client):
    import zoneinfo
    from datetime import UTC, date, datetime, timedelta

    summit = SummitFactory(
        slug="autumn", start_date=date(2025, 10, 25), end_date=date(2025, 10, 26)
    )
    paris_zone = zoneinfo.ZoneInfo("Europe/Paris")
    room = RoomFactory(venue__summit=summit)
    for fold, title in ((1, "second"), (0, "first")):
        start = datetime(2025, 10, 26, 2, 30, fold=fold, tzinfo=paris_zone)
        SessionFactory(
            summit=summit,
            room=RoomFactory(venue=room.venue),
            title=title,
            start=start,
            end=start.astimezone(UTC) + timedelta(minutes=20),  # real time, not wall clock
        )
    [(_day, slots)] = client.get("/autumn/programme/").context["days"]
    titles = dict(Session.objects.values_list("pk", "title"))
    assert [[titles[s.pk] for s in sessions] for _start, sessions in slots] == [
        ["first"],
        ["second"],
    ]


def test_the_grid_starts_at_the_first_session_in_real_time_on_the_autumn_night():
    import zoneinfo
    from datetime import date, datetime

    from agenda import timetable

    paris = zoneinfo.ZoneInfo("Europe/Paris")
    room = RoomFactory.build(pk=1)
    # 02:40 before the clocks go back (00:40 UTC) comes before 02:20 after it (01:20 UTC),
    # though its wall clock reads later.
    first = SessionFactory.build(
        room=room,
        start=datetime(2025, 10, 26, 2, 40, tzinfo=paris),
        end=datetime(2025, 10, 26, 2, 50, tzinfo=paris),
    )
    second = SessionFactory.build(
        room=room,
        start=datetime(2025, 10, 26, 2, 20, fold=1, tzinfo=paris),
        end=datetime(2025, 10, 26, 2, 50, fold=1, tzinfo=paris),
    )
    grid = timetable.build(
        day=date(2025, 10, 26), zone=paris, rooms=[room], sessions=[second, first]
    )
    assert [(t.strftime("%H:%M"), t.fold) for t, _ in grid.times] == [
        ("02:30", 0),
        ("02:00", 1),
        ("02:30", 1),
    ]


def test_a_page_gets_the_colours_of_the_tracks_it_shows_each_once(client, site):
    programme = client.get("/ai/programme/").context["tracks"]
    session = client.get("/ai/sessions/health/").context["tracks"]
    visit = client.get("/ai/sessions/visit/").context["tracks"]
    assert ([t.slug for t in programme], [t.slug for t in session], visit) == (
        ["governance", "science"],
        ["science"],
        [],
    )
    page = client.get("/ai/programme/").content.decode()
    science = programme[1]
    assert f".track-{science.pk} {{ --track: #7a1f5c; }}" in page


def test_the_grid_leaves_out_idle_rooms_and_spans_whole_half_hours():
    import zoneinfo
    from datetime import UTC, date, datetime

    from agenda import timetable

    paris = zoneinfo.ZoneInfo("Europe/Paris")
    nef, salon, shed = (RoomFactory.build(pk=pk) for pk in (1, 2, 3))
    sessions = [
        SessionFactory.build(
            room=room,
            start=datetime(2025, 2, 10, 9, 40, tzinfo=paris),
            end=datetime(2025, 2, 10, 10, 5, tzinfo=paris),
        )
        for room in (shed, nef)
    ]
    grid = timetable.build(
        day=date(2025, 2, 10), zone=paris, rooms=[nef, salon, shed], sessions=sessions
    )
    assert (grid.rooms, grid.idle) == ([(nef, 2), (shed, 3)], [salon])
    assert (grid.begin, grid.finish, grid.rows) == (
        datetime(2025, 2, 10, 8, 30, tzinfo=UTC),
        datetime(2025, 2, 10, 9, 30, tzinfo=UTC),
        12,
    )
