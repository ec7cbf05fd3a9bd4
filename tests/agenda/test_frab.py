import json
import os
import re
import subprocess
import sys
import tomllib
from datetime import date, datetime, timedelta
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from django.conf import settings
from lxml import etree

from agenda.models import Session
from tests.factories import (
    PARIS,
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

URLS = ["/ai/schedule.json", "/ai/schedule.xml"]
PUBLIC = {"Panel on trustworthy AI governance", "AI in health and science", "Visit to Station F"}

# The part of the c3voc schedule.xml schema that we emit, with each event's elements in order.
XSD = b"""<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:simpleType name="uuid"><xs:restriction base="xs:string">
    <xs:pattern value="[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}"/>
  </xs:restriction></xs:simpleType>
  <xs:simpleType name="hhmm"><xs:restriction base="xs:string">
    <xs:pattern value="[0-9]{2,}:[0-5][0-9]"/>
  </xs:restriction></xs:simpleType>
  <xs:simpleType name="dateTimeTZ"><xs:restriction base="xs:dateTime">
    <xs:pattern value=".+(Z|[+-][0-9]{2}:[0-9]{2})"/>
  </xs:restriction></xs:simpleType>
  <xs:complexType name="empty"/>
  <xs:element name="schedule">
    <xs:complexType><xs:sequence>
      <xs:element name="version" type="xs:string"/>
      <xs:element name="conference"><xs:complexType><xs:sequence>
        <xs:element name="acronym" type="xs:string"/>
        <xs:element name="title" type="xs:string"/>
        <xs:element name="start" type="xs:date"/>
        <xs:element name="end" type="xs:date"/>
        <xs:element name="days" type="xs:positiveInteger"/>
        <xs:element name="timeslot_duration" type="hhmm"/>
        <xs:element name="base_url" type="xs:anyURI"/>
        <xs:element name="time_zone_name" type="xs:string"/>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="day" maxOccurs="unbounded"><xs:complexType><xs:sequence>
        <xs:element name="room" minOccurs="0" maxOccurs="unbounded"><xs:complexType><xs:sequence>
          <xs:element name="event" maxOccurs="unbounded"><xs:complexType><xs:sequence>
            <xs:element name="date" type="dateTimeTZ"/>
            <xs:element name="start" type="hhmm"/>
            <xs:element name="duration" type="hhmm"/>
            <xs:element name="room" type="xs:string"/>
            <xs:element name="slug" type="xs:string"/>
            <xs:element name="url" type="xs:anyURI"/>
            <xs:element name="title" type="xs:string"/>
            <xs:element name="subtitle" type="xs:string"/>
            <xs:element name="track" type="xs:string"/>
            <xs:element name="type" type="xs:string"/>
            <xs:element name="language" type="xs:string"/>
            <xs:element name="abstract" type="xs:string"/>
            <xs:element name="description" type="xs:string"/>
            <xs:element name="persons"><xs:complexType><xs:sequence>
              <xs:element name="person" minOccurs="0" maxOccurs="unbounded">
                <xs:complexType><xs:simpleContent><xs:extension base="xs:string">
                  <xs:attribute name="id" type="xs:positiveInteger" use="required"/>
                </xs:extension></xs:simpleContent></xs:complexType>
              </xs:element>
            </xs:sequence></xs:complexType></xs:element>
            <xs:element name="links" type="empty"/>
            <xs:element name="attachments" type="empty"/>
          </xs:sequence>
          <xs:attribute name="guid" type="uuid" use="required"/>
          <xs:attribute name="id" type="xs:positiveInteger" use="required"/>
          </xs:complexType></xs:element>
        </xs:sequence>
        <xs:attribute name="name" type="xs:string" use="required"/>
        <xs:attribute name="guid" type="uuid" use="required"/>
        </xs:complexType></xs:element>
      </xs:sequence>
      <xs:attribute name="index" type="xs:positiveInteger" use="required"/>
      <xs:attribute name="date" type="xs:date" use="required"/>
      <xs:attribute name="start" type="dateTimeTZ" use="required"/>
      <xs:attribute name="end" type="dateTimeTZ" use="required"/>
      </xs:complexType></xs:element>
    </xs:sequence></xs:complexType>
    <xs:unique name="event_guid"><xs:selector xpath="day/room/event"/>
      <xs:field xpath="@guid"/></xs:unique>
    <xs:unique name="event_slug"><xs:selector xpath="day/room/event/slug"/>
      <xs:field xpath="."/></xs:unique>
  </xs:element>
</xs:schema>
"""

# The site as a production install has it: settings, apps, admin, middleware, every view and
# the system checks, with the modules named in argv (the dev extras) made impossible to import.
WITHOUT_DEV_EXTRAS = """
import sys
from importlib.abc import MetaPathFinder

class DevOnly(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in sys.argv[1:]:
            raise ModuleNotFoundError(f"No module named {name!r}: a dev extra", name=name)

sys.meta_path.insert(0, DevOnly())
import summit.wsgi, summit.urls
from django.core.management import call_command
call_command("check")
"""


def get_json(client, url="/ai/schedule.json"):
    response = client.get(url)
    assert response.status_code == 200
    return json.loads(response.content)


def get_xml(client, url="/ai/schedule.xml"):
    response = client.get(url)
    assert response.status_code == 200
    return etree.fromstring(response.content)


def json_events(schedule):
    """Each event by title, with the day and room it sits under."""
    return {
        event["title"]: {**event, "day": day["date"], "under": room}
        for day in schedule["schedule"]["conference"]["days"]
        for room, events in day["rooms"].items()
        for event in events
    }


def xml_events(root):
    return {
        event.findtext("title"): {
            "day": day.get("date"),
            "under": room.get("name"),
            "guid": event.get("guid"),
            "start": event.findtext("start"),
            "duration": event.findtext("duration"),
            "persons": [person.text for person in event.iter("person")],
        }
        for day in root.iterfind("day")
        for room in day.iterfind("room")
        for event in room.iterfind("event")
    }


def placed(events):
    return {
        title: (event["day"], event["under"], event["start"], event["duration"])
        for title, event in events.items()
    }


def test_both_formats_answer_with_their_content_type(client, site):
    json_response, xml_response = client.get(URLS[0]), client.get(URLS[1])
    assert json_response["Content-Type"] == "application/json"
    assert xml_response["Content-Type"] == "application/xml; charset=utf-8"
    assert xml_response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    for response in (json_response, xml_response):
        assert response["ETag"].startswith('"') and response["Last-Modified"]
        assert response["Cache-Control"] == "public, no-cache"


def test_only_public_scheduled_sessions_are_exported(client, site):
    assert set(json_events(get_json(client))) == PUBLIC
    assert set(xml_events(get_xml(client))) == PUBLIC
    for url in URLS:
        body = client.get(url).content.decode()
        for hidden in ("SECRET", "Closed ministerial", "AI and energy", "Quiet Adviser"):
            assert hidden not in body, (url, hidden)


def test_events_sit_under_their_local_day_and_room(client, site):
    expected = {
        "Panel on trustworthy AI governance": ("2025-02-10", "Nef", "10:00", "01:00"),
        "AI in health and science": ("2025-02-10", "Salon", "14:30", "01:30"),
        "Visit to Station F": ("2025-02-11", "Shed", "10:00", "01:00"),
    }
    assert placed(json_events(get_json(client))) == expected
    assert placed(xml_events(get_xml(client))) == expected


def test_a_json_event_carries_the_frab_fields(client, site):
    panel = site["sessions"]["panel"]
    event = json_events(get_json(client))["Panel on trustworthy AI governance"]
    evp = site["evp"]
    assert {k: v for k, v in event.items() if k not in {"guid", "day", "under"}} == {
        "id": panel.pk,
        "date": "2025-02-10T10:00:00+01:00",
        "start": "10:00",
        "duration": "01:00",
        "room": "Nef",
        "slug": f"ai-{panel.pk}-panel",
        "url": "http://testserver/ai/sessions/panel/",
        "title": "Panel on trustworthy AI governance",
        "subtitle": "",
        "track": "Governance",
        "type": "panel",
        "language": "en",
        "abstract": panel.abstract,
        "description": "",
        "persons": [
            {
                "id": evp.pk,
                "guid": event["persons"][0]["guid"],
                "public_name": "Henna Virkkunen",
                "name": "Henna Virkkunen",
            }
        ],
        "links": [],
        "attachments": [],
    }


def test_the_conference_describes_the_summit(client, site):
    conference = get_json(client)["schedule"]["conference"]
    days = [(d["index"], d["date"], d["day_start"], d["day_end"]) for d in conference["days"]]
    assert days == [
        (1, "2025-02-10", "2025-02-10T00:00:00+01:00", "2025-02-11T00:00:00+01:00"),
        (2, "2025-02-11", "2025-02-11T00:00:00+01:00", "2025-02-12T00:00:00+01:00"),
    ]
    header = {k: v for k, v in conference.items() if k not in {"days", "rooms"}}
    assert header == {
        "acronym": "ai",
        "title": "AI Action Summit",
        "start": "2025-02-10",
        "end": "2025-02-11",
        "daysCount": 2,
        "timeslot_duration": "00:05",
        "time_zone_name": "Europe/Paris",
        "url": "http://testserver/ai/",
        "tracks": [
            {"name": "Governance", "color": "#1f4e79"},
            {"name": "Science", "color": "#7a1f5c"},
        ],
    }
    assert [room["name"] for room in conference["rooms"]] == ["Nef", "Salon", "Shed"]


def test_people_hidden_from_the_public_are_left_out(client, site):
    panel = "Panel on trustworthy AI governance"
    people = json_events(get_json(client))[panel]["persons"]
    assert [person["name"] for person in people] == ["Henna Virkkunen"]
    assert xml_events(get_xml(client))[panel]["persons"] == ["Henna Virkkunen"]


def test_guids_are_stable_and_the_same_in_both_formats(client, site):
    first = {title: event["guid"] for title, event in json_events(get_json(client)).items()}
    again = {title: event["guid"] for title, event in json_events(get_json(client)).items()}
    in_xml = {title: event["guid"] for title, event in xml_events(get_xml(client)).items()}
    assert first == again == in_xml
    assert len(set(first.values())) == 3


def test_the_xml_follows_the_schema(client, site):
    schema = etree.XMLSchema(etree.fromstring(XSD))
    root = get_xml(client)
    assert schema.validate(root), schema.error_log
    event = root.find("day/room/event")
    assert [child.tag for child in event] == [
        "date",
        "start",
        "duration",
        "room",
        "slug",
        "url",
        "title",
        "subtitle",
        "track",
        "type",
        "language",
        "abstract",
        "description",
        "persons",
        "links",
        "attachments",
    ]


def test_xml_text_reads_back_as_stored(client, site):
    # A browser's textarea ends lines with CR LF; the JSON keeps them, so must the XML.
    abstract = 'Trust & "safety":\r\n- <open> questions\rend\ttab \x01 été'
    Session.objects.filter(pk=site["sessions"]["panel"].pk).update(abstract=abstract)
    event = get_xml(client).find("day/room/event[title='Panel on trustworthy AI governance']")
    assert event.findtext("abstract") == abstract.replace("\x01", "")


@pytest.mark.parametrize("url", URLS)
def test_the_readers_language_changes_nothing(client, site, url):
    english = client.get(url)
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert (french.content, french["ETag"]) == (english.content, english["ETag"])


@pytest.mark.parametrize("url", URLS)
def test_an_up_to_date_client_gets_304(client, site, url):
    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", first["ETag"])
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


@pytest.mark.parametrize("url", URLS)
def test_a_cancellation_moves_the_etag_and_drops_the_session(client, site, url):
    first = client.get(url)
    Session.objects.filter(pk=site["sessions"]["visit"].pk).cancel()
    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert b"Visit to Station F" not in after.content


@pytest.mark.parametrize("url", URLS)
def test_head_sends_headers_only(client, site, url):
    response = client.head(url)
    assert (response.status_code, response.content) == (200, b"")
    assert int(response["Content-Length"]) == len(client.get(url).content)


@pytest.mark.parametrize("url", ["/nowhere/schedule.json", "/nowhere/schedule.xml"])
def test_an_unknown_summit_is_404(client, site, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", URLS)
def test_only_safe_methods_are_allowed(client, site, url):
    assert client.post(url).status_code == 405


def test_durations_are_elapsed_time_the_night_the_clocks_change(client):
    summit = SummitFactory(
        slug="spring",
        start_date=date(2025, 3, 30),
        end_date=date(2025, 3, 30),
    )
    room = RoomFactory(venue=VenueFactory(summit=summit), name="Hall")
    # Clocks in Paris jump from 02:00 to 03:00: 01:30 to 03:30 on the wall is one hour.
    start = datetime(2025, 3, 30, 1, 30, tzinfo=PARIS)
    SessionFactory(
        summit=summit, room=room, title="Night", start=start, end=start + timedelta(hours=1)
    )
    [day] = get_json(client, "/spring/schedule.json")["schedule"]["conference"]["days"]
    [event] = day["rooms"]["Hall"]
    assert (day["day_start"], day["day_end"]) == (
        "2025-03-30T00:00:00+01:00",
        "2025-03-31T00:00:00+02:00",
    )
    assert (event["date"], event["start"], event["duration"]) == (
        "2025-03-30T01:30:00+01:00",
        "01:30",
        "01:00",
    )
    assert xml_events(get_xml(client, "/spring/schedule.xml"))["Night"]["duration"] == "01:00"


def test_rooms_sharing_a_name_and_sessions_without_a_room(client):
    summit = SummitFactory(slug="rooms")
    for venue_name in ("Alpha", "Beta"):
        venue = VenueFactory(summit=summit, name=venue_name)
        SessionFactory(summit=summit, room=RoomFactory(venue=venue, name="Hall"), title=venue_name)
    SessionFactory(summit=summit, room=None, title="Roaming")
    expected = {"Alpha": "Hall (Alpha)", "Beta": "Hall (Beta)", "Roaming": "To be announced"}
    in_json = json_events(get_json(client, "/rooms/schedule.json"))
    in_xml = xml_events(get_xml(client, "/rooms/schedule.xml"))
    assert {title: event["room"] for title, event in in_json.items()} == expected
    assert {title: event["under"] for title, event in in_xml.items()} == expected


def programme(size):
    summit = SummitFactory(slug="many")
    track = TrackFactory(summit=summit)
    venue = VenueFactory(summit=summit)
    for n in range(size):
        start = paris(10, 8) + timedelta(minutes=30 * n)
        session = SessionFactory(
            summit=summit,
            room=RoomFactory(venue=venue),
            track=track,
            start=start,
            end=start + timedelta(minutes=20),
        )
        SessionRoleFactory(session=session, person=PersonFactory())
        SessionRoleFactory(session=session, person=PersonFactory(is_public=False))


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize("url", ["/many/schedule.json", "/many/schedule.xml"])
def test_export_queries_do_not_grow_with_sessions(client, django_assert_num_queries, size, url):
    programme(size)
    # zone (middleware), summit, version, sessions, people
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.count(b"Session ") == size


def dev_only_modules():
    """The top-level modules installed by the distributions of pyproject's dev extras alone."""
    pyproject = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())

    def canonical(name):
        return re.sub(r"[-_.]+", "-", name).lower()

    dev = {
        canonical(re.match(r"[\w.-]+", requirement)[0])
        for requirement in pyproject["project"]["optional-dependencies"]["dev"]
    }
    return {
        module
        for module, distributions in packages_distributions().items()
        if {canonical(d) for d in distributions} <= dev
    }


def test_the_site_needs_no_dev_extra():
    modules = dev_only_modules()
    assert "pytest" in modules  # else the blocker would block nothing and prove nothing
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_DEV_EXTRAS, *sorted(modules)],
        cwd=settings.BASE_DIR,  # first on the path of `python -c`: these sources, no other copy
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "summit.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
