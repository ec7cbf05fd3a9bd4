"""schedule.xml and schedule.json against the schemas the c3voc tools and the apps hold them to
(copies in tests/agenda/schemas, see its README), for the demo summit and for a programme of
awkward content; and both kept in step with programme.ics."""

import json
import re
import uuid
from datetime import date, datetime
from pathlib import Path

import pytest
from jsonschema import Draft6Validator, FormatChecker
from lxml import etree

from agenda import publishing
from agenda.demo import load_demo
from agenda.frab import MEETING_IDS
from agenda.models import Session
from meetings.models import Meeting, MeetingTransition
from people.models import Person
from tests.agenda.ics import events as ics_events
from tests.agenda.schedules import get_json, json_events
from tests.factories import (
    MeetingFactory,
    MeetingParticipantFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    SummitFactory,
    TrackFactory,
    VenueFactory,
    paris,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

SCHEMAS = Path(__file__).parent / "schemas"
XSD = etree.XMLSchema(etree.parse(SCHEMAS / "schedule.xml.xsd"))
JSON_SCHEMA = json.loads((SCHEMAS / "schedule.json.schema.json").read_text())

# The formats the JSON schema names, checked strictly here (jsonschema leaves "uri" and
# "date-time" unchecked without optional packages, and draft 6 knows no "uuid" or "date").
FORMATS = FormatChecker(formats=())
DATE = r"\d{4}-\d{2}-\d{2}"


@FORMATS.checks("date", raises=ValueError)
def is_date(value):
    return not isinstance(value, str) or bool(
        re.fullmatch(DATE, value) and date.fromisoformat(value)
    )


@FORMATS.checks("date-time", raises=ValueError)
def is_date_time(value):
    pattern = DATE + r"T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})"
    return not isinstance(value, str) or bool(
        re.fullmatch(pattern, value) and datetime.fromisoformat(value)
    )


@FORMATS.checks("uuid", raises=ValueError)
def is_uuid(value):
    return not isinstance(value, str) or bool(
        re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", value) and uuid.UUID(value)
    )


@FORMATS.checks("uri")
def is_uri(value):
    # An absolute URI of RFC 3986: a scheme, then only characters a URI may hold.
    return not isinstance(value, str) or bool(
        re.fullmatch(r"https?://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9\-._~%!$&'()*+,;=:@/?#]*)?", value)
    )


@FORMATS.checks("color")
def is_colour(value):
    return not isinstance(value, str) or bool(re.fullmatch(r"#[0-9a-fA-F]{6}", value))


def json_errors(data):
    validator = Draft6Validator(JSON_SCHEMA, format_checker=FORMATS)
    return sorted(
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(data)
    )


def xml_errors(body):
    root = etree.fromstring(body)
    XSD.validate(root)
    return [f"{error.line}: {error.message}" for error in XSD.error_log]


def test_the_formats_are_checked():
    """The checks above refuse what they are there to refuse."""
    assert [
        FORMATS.conforms(value, name)
        for value, name in [
            ("2025-02-10", "date"),
            ("10/02/2025", "date"),
            ("2025-02-30", "date"),
            ("2025-02-10T10:00:00+01:00", "date-time"),
            ("2025-02-10T10:00:00", "date-time"),
            (str(uuid.uuid4()), "uuid"),
            ("not-a-uuid", "uuid"),
            ("http://testserver/ai/sessions/x/", "uri"),
            ("/ai/sessions/x/", "uri"),
            ("http://testserver/a b", "uri"),
            ("#1f4e79", "color"),
            ("blue", "color"),
        ]
    ] == [True, False, False, True, False, True, False, True, False, False, True, False]


MINIMAL_JSON = {
    "schedule": {
        "version": "1",
        "base_url": "http://testserver/ai/",
        "conference": {
            "acronym": "ai_2025",
            "title": "AI",
            "start": "2025-02-10",
            "end": "2025-02-10",
            "daysCount": 1,
            "timeslot_duration": "00:05",
            "days": [],
            "tracks": [{"name": "Science", "slug": "science", "color": "#1f4e79"}],
        },
    }
}
MINIMAL_XML = """<schedule><version>1</version><conference><acronym>ai_2025</acronym></conference>
<day index="1" date="2025-02-10" start="2025-02-10T00:00:00+01:00" end="2025-02-11T00:00:00+01:00">
<room name="Nef"><event id="1" guid="6f1c2a7e-8b0e-5c43-9d3e-2a1b0c9d8e7f"><room>Nef</room>
<title>T</title><type>panel</type><date>2025-02-10T10:00:00+01:00</date><start>10:00</start>
<duration>01:00</duration><abstract/><track/><slug>{slug}</slug></event></room></day></schedule>"""


def test_the_schemas_refuse_what_the_exports_used_to_say():
    """A pass means something: the schemas refuse the acronym, person and slug we used to
    write, and accept the same documents written as we now do."""
    assert json_errors(MINIMAL_JSON) == []
    conference = MINIMAL_JSON["schedule"]["conference"]
    old_acronym = {
        "schedule": {
            **MINIMAL_JSON["schedule"],
            "conference": {**conference, "acronym": "ai-action-summit"},
        }
    }
    assert json_errors(old_acronym) == [
        "schedule/conference/acronym: 'ai-action-summit' does not match "
        "'^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$'"
    ]
    person = Draft6Validator(
        {"$ref": "#/definitions/Person", "definitions": JSON_SCHEMA["definitions"]}
    )
    both_shapes = {"id": 1, "guid": str(uuid.uuid4()), "public_name": "Ada", "name": "Ada"}
    assert [error.validator for error in person.iter_errors(both_shapes)] == ["oneOf"]
    assert person.is_valid({"id": 1, "guid": str(uuid.uuid4()), "name": "Ada"})
    assert xml_errors(MINIMAL_XML.format(slug="ai_2025-1-panel").encode()) == []
    assert xml_errors(MINIMAL_XML.format(slug="ai-1-panel").encode()) == [
        "5: Element 'slug': [facet 'pattern'] The value 'ai-1-panel' is not accepted by the "
        "pattern '[a-z0-9_]{4,}-[a-z0-9\\-_]{4,}'.",
        "5: Element 'slug': Warning: No precomputed value available, the value was either "
        "invalid or something strange happened.",
    ]


def awkward_programme():
    """A programme with every case the schemas are strict about: a two-letter summit slug,
    session slugs of one character or with capitals and underscores, a track slug starting
    with a digit, text in several scripts and with control characters, rooms sharing a name,
    a session without a room, cancelled, hidden and draft sessions, public meetings in a
    room and at a venue only, one called off, a confidential one, and people the public may
    and may not see."""
    summit = SummitFactory(name="Sommet « IA » — 人工智能", slug="ai", time_zone="Europe/Paris")
    palais = VenueFactory(summit=summit, name="Grand Palais", slug="palais")
    station = VenueFactory(summit=summit, name="Station F", slug="station")
    salle = RoomFactory(venue=palais, name="Salle Ω", slug="salle")
    hall_a = RoomFactory(venue=palais, name="Hall", slug="hall")
    hall_b = RoomFactory(venue=station, name="Hall", slug="hall")
    track = TrackFactory(summit=summit, name="Santé & science", slug="2025_Health_")
    public = PersonFactory(name="Stéphane Séjourné", slug="sejourne")
    other = PersonFactory(name="Henna Virkkunen", slug="virkkunen")
    hidden = PersonFactory(name="HIDDEN-PERSON", slug="hidden", is_public=False)
    sessions = [
        SessionFactory(
            summit=summit,
            room=salle,
            track=track,
            slug="x",
            title="L’IA et la santé: «早期» <détection> & co",
            abstract="Line one\r\nline two\x01 \u200b end",
            start=paris(10, 9),
            end=paris(10, 10, 30),
        ),
        SessionFactory(
            summit=summit, room=hall_a, slug="Panel_On_AI_", start=paris(10, 11), end=paris(10, 12)
        ),
        SessionFactory(summit=summit, room=hall_b, slug="_", start=paris(11, 9), end=paris(11, 10)),
        SessionFactory(
            summit=summit, room=None, slug="tba", start=paris(11, 14), end=paris(11, 15)
        ),
    ]
    for session in sessions[:2]:
        SessionRoleFactory(session=session, person=public)
        SessionRoleFactory(session=session, person=hidden, role="panellist")
    SessionRoleFactory(session=sessions[0], person=other, role="moderator")
    SessionFactory(
        summit=summit,
        room=salle,
        slug="gone",
        start=paris(10, 19),
        end=paris(10, 19, 30),
        title="CANCELLED-SESSION",
        status="cancelled",
    )
    SessionFactory(
        summit=summit,
        room=salle,
        slug="closed",
        start=paris(10, 20),
        end=paris(10, 20, 30),
        title="HIDDEN-SESSION",
        visibility="invitation",
    )
    SessionFactory(
        summit=summit,
        room=salle,
        slug="draft",
        start=paris(10, 21),
        end=paris(10, 21, 30),
        title="DRAFT-SESSION",
        status="unscheduled",
    )
    in_room = MeetingFactory(
        summit=summit,
        title="Bilatérale France–Inde",
        purpose="Annoncée à la presse.",
        status=Meeting.Status.CONFIRMED,
        confidentiality=Meeting.Confidentiality.PUBLIC,
        start=paris(11, 16),
        end=paris(11, 16, 30),
        room=salle,
    )
    at_venue = MeetingFactory(
        summit=summit,
        title="EU–Canada",
        status=Meeting.Status.CONFIRMED,
        confidentiality=Meeting.Confidentiality.PUBLIC,
        start=paris(11, 17),
        end=paris(11, 17, 30),
        venue=station,
    )
    called_off = MeetingFactory(
        summit=summit,
        title="CALLED-OFF-MEETING",
        status=Meeting.Status.CANCELLED,
        confidentiality=Meeting.Confidentiality.PUBLIC,
        start=paris(11, 12),
        end=paris(11, 12, 30),
        room=salle,
    )
    MeetingTransition.objects.create(
        meeting=called_off, from_status=Meeting.Status.CONFIRMED, to_status=Meeting.Status.CANCELLED
    )
    secret = MeetingFactory(
        summit=summit,
        title="SECRET-MEETING",
        status=Meeting.Status.CONFIRMED,
        start=paris(11, 18),
        end=paris(11, 18, 30),
        room=salle,
    )
    for meeting in (in_room, at_venue, called_off, secret):
        MeetingParticipantFactory(meeting=meeting, person=other)
    MeetingParticipantFactory(meeting=in_room, person=hidden)
    return summit, sessions, [in_room, at_venue]


def exports(client, summit):
    json_body = client.get(f"/{summit.slug}/schedule.json").content
    xml_body = client.get(f"/{summit.slug}/schedule.xml").content
    return json_body, xml_body


def test_the_exports_of_an_awkward_programme_are_valid(client):
    summit, sessions, meetings = awkward_programme()
    json_body, xml_body = exports(client, summit)
    assert json_errors(json.loads(json_body)) == []
    assert xml_errors(xml_body) == []
    for hidden in ("CANCELLED-", "HIDDEN-", "DRAFT-", "CALLED-OFF", "SECRET-"):
        assert hidden.encode() not in json_body + xml_body


def test_the_awkward_programme_as_apps_read_it(client):
    summit, sessions, meetings = awkward_programme()
    schedule = get_json(client, "/ai/schedule.json")
    conference = schedule["schedule"]["conference"]
    assert conference["acronym"] == "ai_2025"
    assert conference["tracks"] == [
        {"name": "Santé & science", "slug": "track-2025-health", "color": "#1f4e79"}
    ]
    assert [room["name"] for room in conference["rooms"]] == [
        "Hall (Grand Palais)",
        "Salle Ω",
        "Station F",
        "Hall (Station F)",
        "To be announced",
    ]
    first, panel, underscore, unplaced = (session.pk for session in sessions)
    in_room, at_venue = (meeting.pk for meeting in meetings)
    shown = {
        event["id"]: (event["slug"], event["under"], event["type"], event["url"], names(event))
        for event in json_events(schedule).values()
    }
    programme = "http://testserver/ai/programme/"
    assert shown == {
        first: (
            f"ai_2025-{first}-session",
            "Salle Ω",
            "panel",
            "http://testserver/ai/sessions/x/",
            ["Stéphane Séjourné", "Henna Virkkunen"],
        ),
        panel: (
            f"ai_2025-{panel}-panel_on_ai",
            "Hall (Grand Palais)",
            "panel",
            "http://testserver/ai/sessions/Panel_On_AI_/",
            ["Stéphane Séjourné"],
        ),
        underscore: (
            f"ai_2025-{underscore}-session",
            "Hall (Station F)",
            "panel",
            "http://testserver/ai/sessions/_/",
            [],
        ),
        unplaced: (
            f"ai_2025-{unplaced}-tba",
            "To be announced",
            "panel",
            "http://testserver/ai/sessions/tba/",
            [],
        ),
        MEETING_IDS + in_room: (
            f"ai_2025-meeting-{in_room}",
            "Salle Ω",
            "meeting",
            f"{programme}#meeting-{in_room}",
            ["Henna Virkkunen"],
        ),
        MEETING_IDS + at_venue: (
            f"ai_2025-meeting-{at_venue}",
            "Station F",
            "meeting",
            f"{programme}#meeting-{at_venue}",
            ["Henna Virkkunen"],
        ),
    }
    # The meetings' links lead to their place on the programme.
    page = client.get("/ai/programme/").content.decode()
    assert {f'id="meeting-{key}"' in page for key in (in_room, at_venue)} == {True}


def names(event):
    return [person["name"] for person in event["persons"]]


def test_the_demo_summit_exports_are_valid(client):
    summit = load_demo().summit
    json_body, xml_body = exports(client, summit)
    schedule = json.loads(json_body)
    assert json_errors(schedule) == []
    assert xml_errors(xml_body) == []
    conference = schedule["schedule"]["conference"]
    assert conference["acronym"] == "ai_action_summit_2025"
    # Every public session that goes ahead and the announced meeting are there.
    expected = set(
        Session.objects.filter(summit=summit, visibility="public", status="scheduled").values_list(
            "title", flat=True
        )
    ) | {"EVP Virkkunen meets Minister Émilie Tremblay (Canada)"}
    assert set(json_events(schedule)) == expected


def test_a_zone_name_the_json_schema_refuses_is_left_out(client):
    summit = SummitFactory(slug="gulf", time_zone="Etc/GMT-4")
    SessionFactory(summit=summit, room=RoomFactory(venue=VenueFactory(summit=summit)))
    json_body, xml_body = exports(client, summit)
    schedule = json.loads(json_body)
    assert json_errors(schedule) == []
    assert xml_errors(xml_body) == []
    assert "time_zone_name" not in schedule["schedule"]["conference"]
    [event] = json_events(schedule).values()
    assert event["date"] == "2025-02-10T13:00:00+04:00"


def guids_in_ics(client, summit):
    """The guids of what programme.ics shows as going ahead, from its UIDs."""
    events = ics_events(client.get(f"/{summit.slug}/programme.ics").content)
    return {
        str(uuid.uuid5(uuid.NAMESPACE_URL, uid))
        for uid, event in events.items()
        if event["STATUS"] != "CANCELLED"
    }


def guids_in_exports(client, summit):
    json_body, xml_body = exports(client, summit)
    days = json.loads(json_body)["schedule"]["conference"]["days"]
    in_json = {
        event["guid"] for day in days for events in day["rooms"].values() for event in events
    }
    in_xml = {event.get("guid") for event in etree.fromstring(xml_body).iter("event")}
    return in_json, in_xml


@pytest.mark.parametrize("make", ["awkward", "demo"])
def test_the_exports_show_what_programme_ics_shows_as_going_ahead(client, make):
    summit = awkward_programme()[0] if make == "awkward" else load_demo().summit
    in_json, in_xml = guids_in_exports(client, summit)
    assert in_json == in_xml == guids_in_ics(client, summit)
    going_ahead = Session.objects.filter(summit=summit, visibility="public", status="scheduled")
    announced = Meeting.objects.filter(summit=summit, confidentiality="public", status="confirmed")
    assert (
        len(in_json) == going_ahead.count() + announced.count() == (6 if make == "awkward" else 19)
    )


def versions(client, summit):
    json_body, xml_body = exports(client, summit)
    in_json = json.loads(json_body)["schedule"]["version"]
    in_xml = etree.fromstring(xml_body).findtext("version")
    assert in_json == in_xml
    return in_json


def test_the_version_moves_with_every_change_of_content(client):
    summit, sessions, meetings = awkward_programme()
    seen = [versions(client, summit)]
    assert versions(client, summit) == seen[0]

    def changed():
        seen.append(versions(client, summit))
        return seen[-1] not in seen[:-1]

    cancelled = sessions[1]
    cancelled.status = Session.Status.CANCELLED
    cancelled.save()
    assert changed()
    hidden = sessions[2]
    hidden.visibility = Session.Visibility.INVITATION
    hidden.save()
    assert changed()
    moved = sessions[0]
    moved.start, moved.end = paris(10, 17), paris(10, 18)
    moved.save()
    assert changed()
    person = Person.objects.get(slug="sejourne")
    person.name = "Stéphane Séjourné (EVP)"
    person.save()
    assert changed()
    meeting = meetings[0]
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    assert changed()


def test_the_version_stays_when_nothing_shown_changes(client):
    summit, sessions, meetings = awkward_programme()
    before = versions(client, summit)
    etag = client.get("/ai/schedule.json")["ETag"]
    # Saved without a change, and a change to a session the exports leave out: the files are
    # made again, and say the same.
    sessions[0].save()
    hidden = Session.objects.get(title="HIDDEN-SESSION")
    hidden.title = "HIDDEN-SESSION, renamed"
    hidden.save()
    assert client.get("/ai/schedule.json")["ETag"] != etag
    assert versions(client, summit) == before


def test_the_version_names_the_last_release_and_moves_after_it(client):
    summit, sessions, _meetings = awkward_programme()
    unreleased = versions(client, summit)
    assert re.fullmatch(r"[0-9a-f]{12}", unreleased)
    publishing.publish(summit=summit, note="First programme", user=None, after=0)
    first = versions(client, summit)
    assert first == f"v1-{unreleased}"
    cancelled = sessions[1]
    cancelled.status = Session.Status.CANCELLED
    cancelled.save()
    edited = versions(client, summit)
    assert edited.startswith("v1-") and edited != first
    publishing.publish(summit=summit, note="A cancellation", user=None, after=1)
    assert versions(client, summit) == "v2-" + edited.removeprefix("v1-")
