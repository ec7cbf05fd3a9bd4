import json
from datetime import timedelta

import pytest

from meetings.models import Meeting
from tests.agenda.schedules import get_json, get_xml, json_events, xml_events
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

URLS = ["/ai/schedule.json", "/ai/schedule.xml"]

PUBLIC = {"Panel on trustworthy AI governance", "AI in health and science", "Visit to Station F"}


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


def test_people_hidden_from_the_public_are_left_out(client, site):
    panel = "Panel on trustworthy AI governance"
    people = json_events(get_json(client))[panel]["persons"]
    assert [person["name"] for person in people] == ["Henna Virkkunen"]
    assert xml_events(get_xml(client))[panel]["persons"] == ["Henna Virkkunen"]


@pytest.mark.parametrize("url", URLS)
def test_the_readers_language_changes_nothing(client, site, url):
    english = client.get(url)
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert (french.content, french["ETag"]) == (english.content, english["ETag"])


@pytest.mark.parametrize("url", ["/nowhere/schedule.json", "/nowhere/schedule.xml"])
def test_an_unknown_summit_is_404(client, site, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", URLS)
def test_only_safe_methods_are_allowed(client, site, url):
    assert client.post(url).status_code == 405


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
        meeting = MeetingFactory(
            summit=summit,
            status=Meeting.Status.CONFIRMED,
            confidentiality=Meeting.Confidentiality.PUBLIC,
            start=start + timedelta(days=1),
            end=start + timedelta(days=1, minutes=20),
            room=RoomFactory(venue=venue),
        )
        MeetingParticipantFactory(meeting=meeting, person=PersonFactory())
        MeetingParticipantFactory(meeting=meeting, person=PersonFactory(is_public=False))


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize("url", ["/many/schedule.json", "/many/schedule.xml"])
def test_export_queries_do_not_grow_with_sessions(client, django_assert_num_queries, size, url):
    programme(size)
    # zone (middleware), summit, its last release, version of sessions, of meetings; the
    # sessions' rows and their roles' rows, the sessions not kept read whole with their people,
    # their rooms and tracks; meetings, their participants
    with django_assert_num_queries(13):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.count(b"Session ") == response.content.count(b"Bilateral ") == size


def test_the_json_export_is_the_standard_library_s_compact_json(client, site):
    """orjson writes it: the same bytes as `json.dumps` with compact separators and the text
    as it is, hostile characters included."""
    panel = site["sessions"]["panel"]
    panel.title = 'Gouvernance « digne de confiance » \u2028😀 "<b>&</b>"\t\\ \x1f'
    panel.save()
    body = client.get(URLS[0]).content
    schedule = json.loads(body)
    assert body == json.dumps(schedule, ensure_ascii=False, separators=(",", ":")).encode()
    assert panel.title in json_events(schedule)
