import pytest

from meetings.models import Meeting
from tests.api_helpers import api, results
from tests.factories import MeetingFactory, UserFactory, paris

pytestmark = pytest.mark.django_db


def test_a_confidential_meeting_does_not_exist_for_others(site, staff_user):
    meeting = Meeting.objects.get(title="SECRET-BILATERAL")
    for client in (api(), api(UserFactory()), api(site["minister"].user)):
        listed = client.get("/api/v1/meetings/")
        assert listed.json()["count"] == 0 and b"SECRET" not in listed.content
        hidden = client.get(f"/api/v1/meetings/{meeting.pk}/")
        missing = client.get("/api/v1/meetings/999999/")
        assert (
            (hidden.status_code, hidden.json())
            == (missing.status_code, missing.json())
            == (
                404,
                {"detail": "No Meeting matches the given query."},
            )
        )
    evp_user = UserFactory()
    site["evp"].user = evp_user
    site["evp"].save()
    for client in (api(evp_user), api(staff_user)):
        [listed] = results(client.get("/api/v1/meetings/"))
        assert (listed["title"], listed["purpose"]) == ("SECRET-BILATERAL", "SECRET-PURPOSE")


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
