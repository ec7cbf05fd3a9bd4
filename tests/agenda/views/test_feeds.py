import re
from datetime import timedelta

import pytest
from django.utils import timezone

from agenda.models import FeedToken, Session
from meetings.models import Meeting, MeetingParticipant
from tests.agenda.ics import events
from tests.api_helpers import api
from tests.factories import (
    MeetingFactory,
    MeetingParticipantFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    SummitFactory,
    TrackFactory,
    UserFactory,
    VenueFactory,
    paris,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

FEEDS = [
    "/ai/programme.ics",
    "/ai/sessions/panel.ics",
    "/ai/people/virkkunen.ics",
    "/ai/tracks/science.ics",
]


def uids(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return {str(event["SUMMARY"]) for event in events(response.content).values()}


def personal_url(user):
    _token, secret = FeedToken.issue(user=user, label="phone")
    return f"/feeds/{secret}.ics"


def test_every_public_feed_answers_as_a_calendar(client, site):
    for url in FEEDS:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response["ETag"].startswith('"') and response["Last-Modified"]
        assert response["Cache-Control"] == "public, no-cache"
        events(response.content)


def test_each_feed_holds_exactly_its_public_sessions(client, site):
    assert uids(client, "/ai/programme.ics") == {
        "Panel on trustworthy AI governance",
        "AI in health and science",
        "Visit to Station F",
        "Cancelled: AI and energy",
    }
    assert uids(client, "/ai/tracks/science.ics") == {
        "AI in health and science",
        "Cancelled: AI and energy",
    }
    assert uids(client, "/ai/people/virkkunen.ics") == {
        "Panel on trustworthy AI governance",
        "Visit to Station F",
    }
    assert uids(client, "/ai/sessions/panel.ics") == {"Panel on trustworthy AI governance"}


def test_a_uid_is_the_same_in_every_feed(client, site):
    panel = site["sessions"]["panel"]
    for url in ["/ai/programme.ics", "/ai/people/virkkunen.ics", "/ai/sessions/panel.ics"]:
        assert f"session-{panel.pk}@summit.invalid" in events(client.get(url).content)


def test_a_single_session_is_a_download_with_an_ascii_name(client, site):
    response = client.get("/ai/sessions/panel.ics")
    assert response["Content-Disposition"] == 'attachment; filename="panel.ics"'


def test_cancelled_sessions_leave_the_feed_once_they_are_over(client, site, clock):
    assert "Cancelled: AI and energy" in uids(client, "/ai/programme.ics")
    clock(paris(11, 10, 1))
    assert "Cancelled: AI and energy" not in uids(client, "/ai/programme.ics")


def test_french_feeds_mark_cancellations_in_french(client, site):
    assert "Annulé\u00a0: AI and energy" in uids(client, "/ai/programme.ics?lang=fr")


def test_invitation_only_and_confidential_items_stay_out_of_public_feeds(client, site, staff_user):
    client.force_login(staff_user)  # even a staff browser gets the public feed
    for url in FEEDS:
        content = client.get(url).content
        assert b"Closed ministerial roundtable" not in content and b"SECRET" not in content, url


def test_the_personal_feed_holds_the_holders_sessions_and_meetings(client, site):
    evp = site["evp"]
    evp.user = UserFactory(username="evp")
    evp.save()
    url = personal_url(evp.user)
    client.logout()
    response = client.get(url)
    assert response["Cache-Control"] == "private, no-cache"
    feed = events(response.content)
    assert {str(e["SUMMARY"]) for e in feed.values()} == {
        "Panel on trustworthy AI governance",
        "Visit to Station F",
        "Closed ministerial roundtable",
        "SECRET-BILATERAL",
    }
    meeting = next(e for e in feed.values() if str(e["SUMMARY"]) == "SECRET-BILATERAL")
    assert (meeting["STATUS"], meeting["CLASS"]) == ("CONFIRMED", "CONFIDENTIAL")
    assert "SECRET-PURPOSE" in str(meeting["DESCRIPTION"])


def test_the_personal_feed_carries_stars_and_registrations(client, site, attendee):
    health, panel = site["sessions"]["health"], site["sessions"]["panel"]
    health.capacity = 1
    health.save()
    seated = api(UserFactory())
    seated.post("/api/v1/me/registrations/", {"session": health.pk})
    client.force_login(attendee)
    client.post(f"/me/stars/{panel.pk}/")
    client.post(f"/me/registrations/{health.pk}/")
    _token, secret = FeedToken.issue(user=attendee)
    client.logout()
    first = client.get(f"/feeds/{secret}.ics")
    feed = {str(e["SUMMARY"]): e for e in events(first.content).values()}
    assert set(feed) == {"Panel on trustworthy AI governance", "AI in health and science"}
    assert feed["AI in health and science"]["STATUS"] == "TENTATIVE"
    # The seated attendee cancels: promotion turns the event confirmed, under a new ETag.
    seated.delete(f"/api/v1/me/registrations/{health.pk}/")
    again = client.get(f"/feeds/{secret}.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    feed = {str(e["SUMMARY"]): e for e in events(again.content).values()}
    assert feed["AI in health and science"]["STATUS"] == "CONFIRMED"


def test_a_minister_sees_only_their_own_items(client, site):
    feed = events(client.get(personal_url(site["minister"].user)).content)
    assert {str(e["SUMMARY"]) for e in feed.values()} == {"Closed ministerial roundtable"}


def test_an_attendee_without_items_gets_an_empty_feed(client, site):
    user = UserFactory()
    PersonFactory(user=user)
    assert events(client.get(personal_url(user)).content) == {}


def test_a_declined_meeting_is_cancelled_in_the_decliners_feed(client, site):
    evp = site["evp"]
    evp.user = UserFactory(username="evp")
    evp.save()
    MeetingParticipant.objects.filter(person=evp).update(response="declined")
    feed = events(client.get(personal_url(evp.user)).content)
    meeting = next(e for e in feed.values() if "SECRET-BILATERAL" in str(e["SUMMARY"]))
    assert meeting["STATUS"] == "CANCELLED"


@pytest.mark.parametrize("closed", ["expired", "declined", "cancelled"])
def test_a_closed_meeting_is_cancelled_in_feeds_until_it_is_over(client, site, clock, closed):
    evp = site["evp"]
    evp.user = UserFactory(username="evp")
    evp.save()
    Meeting.objects.filter(title="SECRET-BILATERAL").update(status=closed)
    url = personal_url(evp.user)
    feed = events(client.get(url).content)
    meeting = next(e for e in feed.values() if "SECRET-BILATERAL" in str(e["SUMMARY"]))
    assert (meeting["STATUS"], str(meeting["SUMMARY"])) == (
        "CANCELLED",
        "Cancelled: SECRET-BILATERAL",
    )
    clock(paris(11, 16))  # the meeting's half hour is over
    titles = {str(e["SUMMARY"]) for e in events(client.get(url).content).values()}
    assert not any("SECRET-BILATERAL" in title for title in titles)


def test_revoked_and_unknown_tokens_get_the_same_empty_404(client, site):
    token, secret = FeedToken.issue(user=site["minister"].user)
    assert client.get(f"/feeds/{secret}.ics").status_code == 200
    token.revoke()
    revoked = client.get(f"/feeds/{secret}.ics")
    unknown = client.get("/feeds/not-a-token.ics")
    assert (revoked.status_code, revoked.content) == (404, b"")
    assert (unknown.status_code, unknown.content, unknown["Content-Type"]) == (
        404,
        b"",
        revoked["Content-Type"],
    )


def test_a_feed_records_the_use_of_its_token_once_an_hour(client, site):
    token, secret = FeedToken.issue(user=site["minister"].user)
    client.get(f"/feeds/{secret}.ics")
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < timedelta(minutes=1)
    client.get(f"/feeds/{secret}.ics")  # within the hour: no write
    assert FeedToken.objects.get(pk=token.pk).last_used_at == token.last_used_at


def populate(size):
    summit = SummitFactory(slug="many")
    track = TrackFactory(summit=summit, slug="t")
    holder = PersonFactory(slug="holder", user=UserFactory())
    venue = VenueFactory(summit=summit)
    for n in range(size):
        room = RoomFactory(venue=venue)
        start = paris(10, 8) + timedelta(minutes=30 * n)
        session = SessionFactory(
            summit=summit, room=room, track=track, start=start, end=start + timedelta(minutes=20)
        )
        SessionRoleFactory(session=session, person=holder)
        SessionRoleFactory(session=session)
        meeting = MeetingFactory(
            summit=summit,
            status=Meeting.Status.CONFIRMED,
            confidentiality="public",
            start=start + timedelta(minutes=20),
            end=start + timedelta(minutes=30),
            room=room,
        )
        MeetingParticipantFactory(meeting=meeting, person=holder)
        MeetingParticipantFactory(meeting=meeting)
    return holder


@pytest.mark.parametrize("size", [1, 20])
@pytest.mark.parametrize(
    ("url", "cold", "warm"),
    [
        # Shared from the cache once built: then the programme's version is the only query.
        # Built: version, summit, the rows' stamp, when a listed closed item leaves (sessions
        # and meetings), the sessions' and roles' plain rows (what names each event); then,
        # for the events not kept yet, sessions and roles read whole; meetings, participants.
        ("/many/programme.ics", 12, 1),
        ("/many/tracks/t.ics", 9, 1),
        ("/many/people/holder.ics", 9, 1),
        # One session, shared like the others; built: version, summit, its title, stamp,
        # when it leaves, rows and roles, then the session and roles read whole.
        ("/many/sessions/session-x.ics", 9, 1),
    ],
)
def test_feed_queries_do_not_grow_with_items(
    client, django_assert_num_queries, size, url, cold, warm
):
    holder = populate(size)
    if "session-x" in url:
        Session.objects.filter(pk=Session.objects.filter(summit__slug="many").first().pk).update(
            slug="session-x"
        )
    with django_assert_num_queries(cold):
        first = client.get(url)
    with django_assert_num_queries(warm):
        again = client.get(url)
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    assert holder


@pytest.mark.parametrize("size", [1, 20])
def test_personal_feed_queries_do_not_grow_with_items(client, django_assert_num_queries, size):
    holder = populate(size)
    url = personal_url(holder.user)
    # Built: holder, version, summit, stars and seats (one query); then the stamp of what it
    # shows (sessions and meetings), when a listed closed item leaves (both), the events'
    # plain rows and roles, sessions and roles read whole, meetings and participants.
    with django_assert_num_queries(15):
        response = client.get(url)
    assert len(events(response.content)) == 2 * size
    # Then kept for the holder: the holder, the version, their stars and seats.
    with django_assert_num_queries(3):
        again = client.get(url)
    assert again.content == response.content


def test_after_a_change_only_the_changed_sessions_are_read_whole(client, site):
    """Each event is kept under the plain row it is made of: a rename reads one session."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/ai/programme.ics")
    panel = site["sessions"]["panel"]
    Session.objects.filter(pk=panel.pk).update(title="Renamed panel")
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/ai/programme.ics")
    assert b"Renamed panel" in answer.content
    whole = [
        query["sql"]
        for query in queries.captured_queries
        if 'FROM "agenda_session"' in query["sql"]
        and "IN (" in query["sql"]
        and '"agenda_session"."id" IN' in query["sql"]
    ]
    assert [re.findall(r'"agenda_session"."id" IN \(([^)]*)\)', sql) for sql in whole] == [
        [str(panel.pk)]
    ]


def test_a_personal_feed_follows_the_holders_stars_and_seats_at_once(client, site):
    """Stars and seats move no programme version: the kept feed is the holder's choices'."""
    from agenda.models import Registration, Star

    holder = site["minister"]
    url = personal_url(holder.user)
    panel, health = site["sessions"]["panel"], site["sessions"]["health"]

    def statuses():
        found = events(client.get(url).content)
        return {str(event["SUMMARY"]): str(event["STATUS"]) for event in found.values()}

    before = statuses()
    Star.objects.create(user=holder.user, session=panel)
    assert statuses() == {**before, panel.title: "CONFIRMED"}
    seat = Registration.objects.create(
        session=health, person=holder, status=Registration.Status.WAITLISTED
    )
    assert statuses()[health.title] == "TENTATIVE"
    Registration.objects.filter(pk=seat.pk).update(status=Registration.Status.CONFIRMED)
    assert statuses()[health.title] == "CONFIRMED"
    Star.objects.filter(user=holder.user).delete()
    assert panel.title not in statuses()
