"""Where people use meetings: participants' pages and answers, staff's slot step, the API."""

import pytest
from django.core import mail

from meetings.models import Meeting
from tests.api_helpers import api
from tests.factories import (
    MeetingFactory,
    MeetingParticipantFactory,
    PersonFactory,
    RoomFactory,
    UserFactory,
    paris,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_for_day_two():
    room = RoomFactory(name="Bilateral Room 1", capacity=8)
    meeting = MeetingFactory(
        summit=room.venue.summit,
        title="EVP – Minister Satō",
        purpose="Illustrative.",
        window_start=paris(11, 13),
        window_end=paris(11, 18),
        venue=room.venue,
    )
    evp = PersonFactory(name="Henna Virkkunen", user=UserFactory(email="evp@example.org"))
    minister = PersonFactory(name="Haruki Satō", user=UserFactory(email="sato@example.org"))
    for person in (evp, minister):
        MeetingParticipantFactory(meeting=meeting, person=person, response="pending")
    return {"meeting": meeting, "room": room, "evp": evp, "minister": minister}


def test_staff_turn_a_request_into_a_confirmed_meeting_with_the_slot_finder(
    client, staff_user, request_for_day_two, django_capture_on_commit_callbacks
):
    meeting = request_for_day_two["meeting"]
    client.force_login(staff_user)
    page = client.get(f"/admin/meetings/meeting/{meeting.pk}/suggest/")
    [first, *_rest] = page.context["suggestions"].slots
    assert first.start == paris(11, 13) and first.room == request_for_day_two["room"]
    response = client.post(
        f"/admin/meetings/meeting/{meeting.pk}/suggest/",
        {"start": first.start.isoformat(), "room": first.room.pk},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.start, meeting.room) == ("proposed", paris(11, 13), first.room)

    # Both answer on their meeting page.
    with django_capture_on_commit_callbacks(execute=True):
        for key in ("evp", "minister"):
            client.force_login(request_for_day_two[key].user)
            page = client.get(f"/me/meetings/{meeting.pk}/")
            assert page.context["can_answer"]
            client.post(f"/me/meetings/{meeting.pk}/answer/", {"response": "accepted"})
    meeting.refresh_from_db()
    assert meeting.status == "confirmed"
    assert sorted(m.to[0] for m in mail.outbox) == ["evp@example.org", "sato@example.org"]
    assert "EVP – Minister Satō" in client.get("/me/").content.decode()


def test_a_meeting_page_is_for_its_participants_and_staff_only(
    client, staff_user, request_for_day_two
):
    meeting = request_for_day_two["meeting"]
    url = f"/me/meetings/{meeting.pk}/"
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(f"{url}answer/", {"response": "accepted"}).status_code == 404
    client.force_login(request_for_day_two["minister"].user)
    assert client.get(url).status_code == 200
    assert client.get("/me/meetings/").context["meetings"].get() == meeting
    client.force_login(staff_user)
    assert client.get(url).status_code == 200


def test_answering_a_request_without_a_time_is_refused_with_a_message(client, request_for_day_two):
    meeting = request_for_day_two["meeting"]
    client.force_login(request_for_day_two["evp"].user)
    response = client.post(
        f"/me/meetings/{meeting.pk}/answer/", {"response": "accepted"}, follow=True
    )
    assert "Only a proposed or confirmed meeting can be answered." in response.content.decode()


def test_the_api_exposes_the_lifecycle_and_the_slot_finder(staff_user, request_for_day_two):
    meeting = request_for_day_two["meeting"]
    staff = api(staff_user)
    slots = staff.get(f"/api/v1/meetings/{meeting.pk}/slots/").json()
    assert slots["reasons"] == [] and slots["slots"][0]["start"] == "2025-02-11T13:00:00+01:00"
    proposed = staff.post(
        f"/api/v1/meetings/{meeting.pk}/propose/",
        {"start": "2025-02-11T15:00:00+01:00", "room": request_for_day_two["room"].pk},
    )
    assert (proposed.status_code, proposed.json()["status"]) == (200, "proposed")
    minister = api(request_for_day_two["minister"].user)
    answered = minister.post(f"/api/v1/meetings/{meeting.pk}/reply/", {"response": "accepted"})
    assert answered.status_code == 200
    evp = request_for_day_two["evp"]
    # Staff answer for the EVP's office.
    done = staff.post(
        f"/api/v1/meetings/{meeting.pk}/reply/", {"response": "accepted", "person": evp.pk}
    )
    assert done.json()["status"] == "confirmed"
    # Someone else cannot answer for a participant, nor propose.
    stranger = api(request_for_day_two["minister"].user)
    assert (
        stranger.post(
            f"/api/v1/meetings/{meeting.pk}/reply/", {"response": "declined", "person": evp.pk}
        ).status_code
        == 403
    )
    assert (
        stranger.post(
            f"/api/v1/meetings/{meeting.pk}/propose/", {"start": "2025-02-11T16:00:00+01:00"}
        ).status_code
        == 403
    )
    cancelled = staff.post(f"/api/v1/meetings/{meeting.pk}/cancel/")
    assert cancelled.json()["status"] == "cancelled"
    again = staff.post(f"/api/v1/meetings/{meeting.pk}/cancel/")
    assert again.status_code == 400 and "status" in again.json()


def test_the_api_slot_finder_for_people_without_a_meeting(staff_user, request_for_day_two):
    summit = request_for_day_two["meeting"].summit
    body = {
        "summit": summit.pk,
        "participants": [request_for_day_two["evp"].pk, request_for_day_two["minister"].pk],
        "window_start": "2025-02-11T09:00:00+01:00",
        "window_end": "2025-02-11T09:20:00+01:00",
        "duration_minutes": 30,
    }
    found = api(staff_user).post("/api/v1/meetings/find-slots/", body).json()
    assert found == {"slots": [], "reasons": ["The window is shorter than the meeting."]}
    bad = api(staff_user).post(
        "/api/v1/meetings/find-slots/", body | {"window_end": "2025-02-11T08:00:00+01:00"}
    )
    assert bad.status_code == 400 and "window_end" in bad.json()
    assert api(UserFactory()).post("/api/v1/meetings/find-slots/", body).status_code == 403


def test_a_proposal_in_a_taken_room_is_a_400_naming_the_room(staff_user, request_for_day_two):
    meeting = request_for_day_two["meeting"]
    MeetingFactory(
        summit=meeting.summit,
        status="confirmed",
        start=paris(11, 15),
        end=paris(11, 16),
        room=request_for_day_two["room"],
    )
    response = api(staff_user).post(
        f"/api/v1/meetings/{meeting.pk}/propose/",
        {"start": "2025-02-11T15:15:00+01:00", "room": request_for_day_two["room"].pk},
    )
    assert response.status_code == 400 and "room" in response.json()
    assert Meeting.objects.get(pk=meeting.pk).status == "requested"


@pytest.mark.parametrize("size", [1, 5])
def test_my_meetings_queries_do_not_grow(client, django_assert_num_queries, size):
    person = PersonFactory(user=UserFactory())
    for _ in range(size):
        meeting = MeetingFactory()
        MeetingParticipantFactory(meeting=meeting, person=person)
        MeetingParticipantFactory(meeting=meeting)
    client.force_login(person.user)
    with django_assert_num_queries(6):  # session, user, zone, person, meetings, participants
        assert client.get("/me/meetings/").status_code == 200


def test_a_public_meeting_names_only_people_the_visitor_may_see(client, request_for_day_two):
    meeting = request_for_day_two["meeting"]
    adviser = PersonFactory(name="Hidden Adviser", is_public=False)
    MeetingParticipantFactory(meeting=meeting, person=adviser, is_principal=True)
    Meeting.objects.filter(pk=meeting.pk).update(
        confidentiality="public", status="confirmed", start=paris(11, 14), end=paris(11, 14, 30)
    )
    slug = meeting.summit.slug
    for url in (
        f"/{slug}/programme/",
        f"/{slug}/programme.ics",
        "/api/v1/meetings/",
        f"/api/v1/meetings/{meeting.pk}/",
    ):
        content = client.get(url).content.decode()
        assert "EVP – Minister Satō" in content or "EVP \\u2013" in content, url
        assert "Hidden Adviser" not in content, url
    client.force_login(request_for_day_two["minister"].user)  # a participant sees everyone
    assert "Hidden Adviser" in client.get(f"/me/meetings/{meeting.pk}/").content.decode()


def test_a_public_meeting_is_not_announced_before_it_is_confirmed(client, request_for_day_two):
    meeting = request_for_day_two["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(
        confidentiality="public", status="proposed", start=paris(11, 14), end=paris(11, 14, 30)
    )
    assert client.get("/api/v1/meetings/").json()["count"] == 0
    assert client.get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404


def test_a_meeting_proposed_in_the_repeated_hour_lasts_its_real_duration(request_for_day_two):
    import zoneinfo
    from datetime import date, datetime, timedelta

    from meetings import lifecycle

    meeting = request_for_day_two["meeting"]
    summit = meeting.summit
    summit.start_date, summit.end_date = date(2025, 10, 25), date(2025, 10, 26)
    summit.save()
    paris_zone = zoneinfo.ZoneInfo("Europe/Paris")
    Meeting.objects.filter(pk=meeting.pk).update(
        window_start=datetime(2025, 10, 26, 1, tzinfo=paris_zone),
        window_end=datetime(2025, 10, 26, 5, tzinfo=paris_zone),
    )
    start = datetime(2025, 10, 26, 2, 30, tzinfo=paris_zone)  # the first 02:30 (CEST)
    lifecycle.propose(meeting, start=start, room=request_for_day_two["room"], actor=None)
    meeting.refresh_from_db()
    assert meeting.end - meeting.start == timedelta(minutes=30)


def test_revoking_a_link_that_is_not_a_number_is_a_404(client):
    client.force_login(UserFactory())
    assert client.post("/me/calendar/", {"revoke": "abc"}).status_code == 404
    assert client.post("/me/calendar/", {"revoke": "²"}).status_code == 404
