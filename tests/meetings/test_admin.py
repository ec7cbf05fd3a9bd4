import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agenda.models import Session
from meetings.models import Meeting
from tests.factories import SessionFactory, paris

pytestmark = pytest.mark.django_db


def test_a_meeting_in_a_taken_room_is_refused(staff_client, programme):
    meeting = programme["meeting"]
    clash = SessionFactory(
        room=programme["shed"], start=paris(11, 9), end=paris(11, 10), title="Visit"
    )
    Session.objects.filter(pk=clash.pk).cancel()
    zone = meeting.summit.tz
    data = {
        "summit": meeting.summit_id,
        "title": meeting.title,
        "purpose": meeting.purpose,
        "requested_by": "",
        "confidentiality": meeting.confidentiality,
        "window_start_0": "2025-02-11",
        "window_start_1": "09:00:00",
        "window_end_0": "2025-02-11",
        "window_end_1": "18:00:00",
        "duration_minutes": 30,
        "status": "confirmed",
        "start_0": "2025-02-11",
        "start_1": timezone.localtime(meeting.start, zone).strftime("%H:%M:%S"),
        "end_0": "2025-02-11",
        "end_1": timezone.localtime(meeting.end, zone).strftime("%H:%M:%S"),
        "venue": "",
        "room": programme["shed"].pk,
        "participants-TOTAL_FORMS": 0,
        "participants-INITIAL_FORMS": 0,
        "participants-MIN_NUM_FORMS": 0,
        "participants-MAX_NUM_FORMS": 1000,
        "transitions-TOTAL_FORMS": 0,
        "transitions-INITIAL_FORMS": 0,
        "transitions-MIN_NUM_FORMS": 0,
        "transitions-MAX_NUM_FORMS": 1000,
        "respond_by_0": "",
        "respond_by_1": "",
    }
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    assert staff_client.post(url, data).status_code == 302  # a cancelled session frees the room
    SessionFactory(room=programme["shed"], start=paris(11, 9), end=paris(11, 10), title="Visit 2")
    response = staff_client.post(url, data | {"title": "Renamed"})
    assert list(response.context["adminform"].form.errors) == ["room"]
    assert Meeting.objects.get(pk=meeting.pk).title == meeting.title


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
