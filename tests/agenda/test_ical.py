import io
import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
import vobject
from django.contrib.auth.models import AnonymousUser

from agenda import ical
from agenda.models import Session
from tests.agenda.ics import check_bytes, events, parse
from tests.factories import (
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    SummitFactory,
)

pytestmark = pytest.mark.django_db

LONG_FRENCH_TITLE = (
    "Atelier : renforcer le leadership européen en matière d'intelligence artificielle "
    "responsable, éthique et digne de confiance — enjeux, défis et perspectives"
)


def build(sessions, **kwargs):
    return ical.to_bytes(
        ical.build_calendar(
            name="AI Action Summit", zone="Europe/Paris", sessions=sessions, **kwargs
        )
    )


@pytest.fixture
def workshop():
    session = SessionFactory(title=LONG_FRENCH_TITLE, abstract="Détection précoce du cancer. " * 5)
    SessionRoleFactory(session=session, person=PersonFactory(name="Stéphane Séjourné"))
    SessionRoleFactory(session=session, person=PersonFactory(name="Henna Virkkunen"), role="chair")
    return Session.objects.with_people(AnonymousUser())


def test_the_feed_obeys_the_byte_rules_and_parses_strictly(workshop):
    data = build(workshop)
    check_bytes(data)
    [event] = events(data).values()
    assert str(event["SUMMARY"]) == LONG_FRENCH_TITLE
    description = str(event["DESCRIPTION"])
    assert "Speaker: Stéphane Séjourné" in description and "Chair: Henna Virkkunen" in description


def test_the_same_data_gives_the_same_bytes(workshop):
    assert build(workshop) == build(Session.objects.with_people(AnonymousUser()))


def test_times_carry_the_summit_zone_and_its_vtimezone(workshop):
    data = build(workshop)
    assert b"DTSTART;TZID=Europe/Paris:20250210T100000\r\n" in data
    assert b"DTEND;TZID=Europe/Paris:20250210T110000\r\n" in data
    calendar = parse(data)
    [timezone] = calendar.walk("VTIMEZONE")
    assert {c.name for c in timezone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    assert all("RRULE" in c for c in timezone.subcomponents)
    assert calendar["X-WR-TIMEZONE"] == "Europe/Paris"
    assert calendar["REFRESH-INTERVAL"].to_ical() == b"PT1H"
    assert (
        calendar.content_line("X-PUBLISHED-TTL", calendar["X-PUBLISHED-TTL"])
        == "X-PUBLISHED-TTL:PT1H"
    )
    assert "METHOD" not in calendar and "UID" not in calendar


def test_record_fields_come_from_the_row(workshop):
    session = workshop.get()
    [event] = events(build(workshop)).values()
    assert str(event["UID"]) == f"session-{session.pk}@summit.invalid"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTAMP") == session.updated_at.replace(microsecond=0)
    assert event.decoded("LAST-MODIFIED") == session.updated_at.replace(microsecond=0)
    assert event["STATUS"] == "CONFIRMED"
    assert str(event["LOCATION"]).startswith(f"{session.room.name}, {session.room.venue.name}")
    assert event["GEO"].latitude == pytest.approx(48.8661)


def test_a_cancelled_session_says_so_in_each_language(workshop):
    Session.objects.all().cancel()
    [event] = events(build(workshop)).values()
    assert (event["STATUS"], str(event["SUMMARY"])) == (
        "CANCELLED",
        f"Cancelled: {LONG_FRENCH_TITLE}",
    )
    [event] = events(build(workshop, language="fr")).values()
    assert str(event["SUMMARY"]) == f"Annulé\u00a0: {LONG_FRENCH_TITLE}"


def test_a_session_the_night_the_clocks_change_keeps_its_wall_clock_time():
    summit = SummitFactory(start_date=date(2025, 10, 25), end_date=date(2025, 10, 26))
    room = RoomFactory(venue__summit=summit)
    paris_zone = zoneinfo.ZoneInfo("Europe/Paris")
    # 02:30 happens twice that night. The first (CEST, 00:30 UTC) is written with the TZID;
    # the second (CET, 01:30 UTC) would be read as the first, so it is written in UTC.
    first = datetime(2025, 10, 26, 2, 30, fold=0, tzinfo=paris_zone)
    second = datetime(2025, 10, 26, 2, 30, fold=1, tzinfo=paris_zone)
    SessionFactory(
        summit=summit,
        room=room,
        title="early",
        start=first,
        end=first.astimezone(UTC) + timedelta(minutes=30),
    )
    SessionFactory(
        summit=summit,
        room=room,
        title="late",
        start=second,
        end=second.astimezone(UTC) + timedelta(hours=1),
    )
    data = build(Session.objects.with_people(AnonymousUser()))
    assert b"DTSTART;TZID=Europe/Paris:20251026T023000\r\n" in data
    assert b"DTSTART:20251026T013000Z\r\n" in data
    parsed = vobject.readOne(io.StringIO(data.decode()), validate=True)
    starts = {
        str(event.summary.value): event.dtstart.value.astimezone(paris_zone)
        for event in parsed.vevent_list  # vobject reads the zone from our VTIMEZONE block
    }
    assert {title: (s.strftime("%H:%M"), s.utcoffset()) for title, s in starts.items()} == {
        "early": ("02:30", timedelta(hours=2)),
        "late": ("02:30", timedelta(hours=1)),
    }


@pytest.mark.parametrize("language", ["en", "fr"])
def test_events_kept_in_the_cache_give_the_same_bytes_as_a_calendar_built_whole(site, language):
    from meetings.models import Meeting

    def both():
        meetings = Meeting.objects.with_participants()
        arguments = {
            "name": "Feed",
            "zone": "Europe/Paris",
            "meetings": meetings,
            "link": ical.Links("https://example.org/"),
            "language": language,
            "holder": site["evp"],
            "waiting": {site["sessions"]["health"].pk},
        }
        sessions = Session.objects.all()
        return (
            ical.calendar_bytes(**arguments, sessions=sessions, viewer=AnonymousUser()),
            ical.to_bytes(
                ical.build_calendar(**arguments, sessions=sessions.with_people(AnonymousUser()))
            ),
        )

    assert both()[0] == both()[1]  # the second time from the cache
    kept, whole = both()
    assert kept == whole
    # Changes reach the kept events: a room renamed, a person renamed, a reply.
    site["sessions"]["panel"].room.__class__.objects.filter(slug="nef").update(name="Grande Nef")
    site["evp"].__class__.objects.filter(slug="virkkunen").update(name="H. Virkkunen")
    Meeting.objects.get().participants.update(response="declined")
    kept, whole = both()
    assert kept == whole
    assert b"Grande Nef" in kept and b"H. Virkkunen" in kept
