from datetime import timedelta

import pytest
from django.utils import timezone

from agenda.models import FeedToken, Session
from meetings.models import Meeting, MeetingParticipant
from tests.agenda.ics import events
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


def test_cancelled_sessions_leave_the_feed_once_they_are_over(client, site, clock):
    assert "Cancelled: AI and energy" in uids(client, "/ai/programme.ics")
    clock(paris(11, 10, 1))
    assert "Cancelled: AI and energy" not in uids(client, "/ai/programme.ics")


def test_french_feeds_mark_cancellations_in_french(client, site):
    assert "Annulé : AI and energy" in uids(client, "/ai/programme.ics?lang=fr")


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


def test_tokens_are_random_stored_hashed_and_record_their_use(client, site):
    user = site["minister"].user
    token, secret = FeedToken.issue(user=user)
    assert len(secret) >= 43  # 256 bits in URL-safe base64
    assert (
        secret not in token.token_hash and FeedToken.objects.filter(token_hash=secret).count() == 0
    )
    assert token.last_used_at is None
    client.get(f"/feeds/{secret}.ics")
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < timedelta(minutes=1)
    client.get(f"/feeds/{secret}.ics")  # within the hour: no write
    assert FeedToken.objects.get(pk=token.pk).last_used_at == token.last_used_at


def test_the_owner_makes_copies_and_revokes_links_on_a_page(client, site):
    user = site["minister"].user
    client.force_login(user)
    response = client.post("/me/calendar/", {"label": "phone"}, follow=True)
    links = response.context["new_links"]
    assert links.webcal.startswith("webcal://testserver/feeds/") and links.https.endswith(".ics")
    assert client.get(links.https.replace("http://testserver", "")).status_code == 200
    assert client.get("/me/calendar/").context["new_links"] is None  # shown once
    [token] = FeedToken.objects.filter(user=user)
    other = FeedToken.issue(user=UserFactory())[0]
    assert client.post("/me/calendar/", {"revoke": other.pk}).status_code == 404
    client.post("/me/calendar/", {"revoke": token.pk})
    token.refresh_from_db()
    other.refresh_from_db()
    assert (token.is_active, other.is_active) == (False, True)
    assert client.get(links.https.replace("http://testserver", "")).status_code == 404


def test_staff_revoke_any_link_in_the_admin(client, site, staff_user):
    token, _secret = FeedToken.issue(user=site["minister"].user)
    client.force_login(staff_user)
    client.post("/admin/agenda/feedtoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert not token.is_active


def test_the_calendar_page_needs_a_login(client):
    assert client.get("/me/calendar/")["Location"].startswith("/accounts/login/")


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
    ("url", "queries"),
    [
        # zone, summit, versions of sessions and meetings, sessions, roles, meetings, participants
        ("/many/programme.ics", 8),
        ("/many/tracks/t.ics", 5),
        ("/many/people/holder.ics", 6),
        ("/many/sessions/session-x.ics", 5),
    ],
)
def test_feed_queries_do_not_grow_with_items(client, django_assert_num_queries, size, url, queries):
    holder = populate(size)
    if "session-x" in url:
        Session.objects.filter(pk=Session.objects.filter(summit__slug="many").first().pk).update(
            slug="session-x"
        )
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    assert holder


@pytest.mark.parametrize("size", [1, 20])
def test_personal_feed_queries_do_not_grow_with_items(client, django_assert_num_queries, size):
    holder = populate(size)
    url = personal_url(holder.user)
    with django_assert_num_queries(12):
        response = client.get(url)
    assert len(events(response.content)) == 2 * size
