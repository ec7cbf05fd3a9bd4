"""Versions, ETags and 304s: a client that is up to date gets nothing built, and any change
of what a feed or an export shows moves its version."""

import pytest

from agenda.models import Session
from tests.agenda.ics import events
from tests.factories import PersonFactory, RoomFactory, SessionRoleFactory, paris

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

EXPORTS = ["/ai/schedule.json", "/ai/schedule.xml"]


def test_head_and_conditional_requests(client, site):
    first = client.get("/ai/programme.ics")
    head = client.head("/ai/programme.ics")
    assert (head.status_code, head.content, head["ETag"]) == (200, b"", first["ETag"])
    assert head["Content-Length"] == str(len(first.content))
    again = client.get("/ai/programme.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", first["ETag"])
    since = client.get("/ai/programme.ics", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    assert client.get("/ai/programme.ics", HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_the_same_data_gives_the_same_bytes_and_etag(client, site):
    one, two = client.get("/ai/programme.ics"), client.get("/ai/programme.ics")
    assert (one.content, one["ETag"]) == (two.content, two["ETag"])


def test_a_subscriber_follows_a_session_through_moves_and_cancellation(client, site):
    panel = site["sessions"]["panel"]
    uid = f"session-{panel.pk}@summit.invalid"
    response = client.get("/ai/programme.ics")
    seen = [(events(response.content)[uid]["SEQUENCE"], response["ETag"])]

    def change(**fields):
        session = Session.objects.get(pk=panel.pk)
        for name, value in fields.items():
            setattr(session, name, value)
        session.save()

    for edit in [
        {"start": paris(10, 9), "end": paris(10, 10)},
        {"room": RoomFactory(venue=panel.room.venue)},
        {"status": Session.Status.CANCELLED},
    ]:
        change(**edit)
        old_etag = seen[-1][1]
        stale = client.get("/ai/programme.ics", HTTP_IF_NONE_MATCH=old_etag)
        assert stale.status_code == 200
        event = events(stale.content)[uid]
        seen.append((event["SEQUENCE"], stale["ETag"]))
        fresh = client.get("/ai/programme.ics", HTTP_IF_NONE_MATCH=stale["ETag"])
        assert fresh.status_code == 304
    assert [sequence for sequence, _ in seen] == [0, 1, 2, 3]
    assert len({etag for _, etag in seen}) == 4
    assert (
        event["STATUS"] == "CANCELLED" and str(event["DTSTART"].to_ical()) == "b'20250210T090000'"
    )


def test_a_change_of_people_or_place_name_moves_the_etag(client, site):
    etag = client.get("/ai/programme.ics")["ETag"]
    SessionRoleFactory(
        session=site["sessions"]["health"], person=PersonFactory(name="Dr Amélie Durand")
    )
    etag_after_role = client.get("/ai/programme.ics")["ETag"]
    venue = site["sessions"]["panel"].room.venue
    venue.address = "17 Avenue du Général Eisenhower, 75008 Paris"
    venue.save()
    etag_after_venue = client.get("/ai/programme.ics")["ETag"]
    assert len({etag, etag_after_role, etag_after_venue}) == 3


@pytest.mark.parametrize("url", EXPORTS)
def test_an_up_to_date_client_gets_304(client, site, url):
    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", first["ETag"])
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


@pytest.mark.parametrize("url", EXPORTS)
def test_head_sends_headers_only(client, site, url):
    response = client.head(url)
    assert (response.status_code, response.content) == (200, b"")
    assert int(response["Content-Length"]) == len(client.get(url).content)


@pytest.mark.parametrize("url", EXPORTS)
def test_a_cancellation_moves_the_etag_and_drops_the_session(client, site, url):
    first = client.get(url)
    Session.objects.filter(pk=site["sessions"]["visit"].pk).cancel()
    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert b"Visit to Station F" not in after.content
