import re
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from agenda.models import Room, Session, Track
from people.models import Person
from tests.agenda.schedules import get_json, get_xml, json_events, placed, xml_events
from tests.factories import PARIS, RoomFactory, SessionFactory, SummitFactory, VenueFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

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
        <xs:element name="track" minOccurs="0" maxOccurs="unbounded"><xs:complexType>
          <xs:attribute name="name" type="xs:string" use="required"/>
          <xs:attribute name="slug" type="xs:string" use="required"/>
          <xs:attribute name="color" type="xs:string" use="required"/>
        </xs:complexType></xs:element>
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
                  <xs:attribute name="guid" type="uuid" use="required"/>
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
        "slug": f"ai_2025-{panel.pk}-panel",
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
        "acronym": "ai_2025",
        "title": "AI Action Summit",
        "start": "2025-02-10",
        "end": "2025-02-11",
        "daysCount": 2,
        "timeslot_duration": "00:05",
        "time_zone_name": "Europe/Paris",
        "url": "http://testserver/ai/",
        "tracks": [
            {"name": "Governance", "slug": "governance", "color": "#1f4e79"},
            {"name": "Science", "slug": "science", "color": "#7a1f5c"},
        ],
    }
    assert [room["name"] for room in conference["rooms"]] == ["Nef", "Salon", "Shed"]


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


def sessions_read_whole(queries):
    """The ids of the sessions each query read whole (by id), in order."""
    return [
        re.findall(r'"agenda_session"\."id" IN \(([^)]*)\)', query["sql"])
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and '"agenda_session"."id" IN (' in query["sql"]
    ]


@pytest.mark.parametrize("read", [get_json, get_xml])
def test_after_a_change_an_export_reads_again_only_the_session_it_touched(client, site, read):
    read(client)
    panel = site["sessions"]["panel"]
    Session.objects.filter(pk=panel.pk).update(title="Renamed panel")
    with CaptureQueriesContext(connection) as queries:
        schedule = read(client)
    titles = set(json_events(schedule) if read is get_json else xml_events(schedule))
    assert "Renamed panel" in titles and "Panel on trustworthy AI governance" not in titles
    assert sessions_read_whole(queries) == [[str(panel.pk)]]


def virkkunen_renamed():
    Person.objects.filter(slug="virkkunen").update(name="H. Virkkunen")


@pytest.mark.parametrize(
    ("change", "field", "value"),
    [
        (virkkunen_renamed, "persons", ["H. Virkkunen"]),
        (lambda: Room.objects.filter(slug="nef").update(name="Great Nave"), "under", "Great Nave"),
        (lambda: Track.objects.filter(slug="governance").update(name="Trust"), "track", "Trust"),
    ],
    ids=["person", "room", "track"],
)
def test_a_kept_entry_follows_what_it_shows(client, site, change, field, value):
    """A person, a room or a track renamed by a bulk update reaches the entries that show it."""
    get_json(client)
    change()
    panel = json_events(get_json(client))["Panel on trustworthy AI governance"]
    shown = [person["name"] for person in panel["persons"]] if field == "persons" else panel[field]
    assert shown == value
