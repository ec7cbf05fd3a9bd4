import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agenda.models import Session
from meetings import lifecycle
from meetings.models import Meeting
from tests.factories import PersonFactory, RoomFactory, SessionFactory, paris
from tests.meetings.outcome import sent, steps

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
        "title_en": meeting.title,
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
    response = staff_client.post(url, data | {"title_en": "Renamed"})
    assert list(response.context["adminform"].form.errors) == ["room"]
    assert Meeting.objects.get(pk=meeting.pk).title == meeting.title


def test_a_slot_that_cannot_be_is_refused_naming_its_field(client, staff_user, request_for_day_two):
    meeting = request_for_day_two["meeting"]
    client.force_login(staff_user)
    response = client.post(
        f"/admin/meetings/meeting/{meeting.pk}/suggest/", {"start": "soon", "room": "<b>"}
    )
    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]] == [
        "Start: Enter a valid date/time.",
        "Room: Select a valid choice. That choice is not one of the available choices.",
    ]
    meeting.refresh_from_db()
    assert meeting.status == "requested"


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


# The change form goes through the lifecycle, like the API.


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def change_form(meeting, **changes):
    """The change form of a meeting as staff post it, with `changes` (model values)."""
    values = {
        name: getattr(meeting, name)
        for name in ("window_start", "window_end", "start", "end", "status", "room", "venue")
    } | changes
    data = {
        "summit": meeting.summit_id,
        "title_en": meeting.title,
        "purpose": meeting.purpose,
        "requested_by": "",
        "confidentiality": meeting.confidentiality,
        "duration_minutes": meeting.duration_minutes,
        "status": values["status"],
        "room": values["room"].pk if values["room"] else "",
        "venue": values["venue"].pk if values["venue"] else "",
        "respond_by_0": "",
        "respond_by_1": "",
    }
    for name in ("window_start", "window_end", "start", "end"):
        local = timezone.localtime(values[name], meeting.summit.tz) if values[name] else None
        data[f"{name}_0"] = local.strftime("%Y-%m-%d") if local else ""
        data[f"{name}_1"] = local.strftime("%H:%M:%S") if local else ""
    participants = list(meeting.participants.all())
    data |= management("participants", len(participants), len(participants))
    for index, participant in enumerate(participants):
        data |= {
            f"participants-{index}-id": participant.pk,
            f"participants-{index}-meeting": meeting.pk,
            f"participants-{index}-person": participant.person_id,
            f"participants-{index}-side": participant.side,
            f"participants-{index}-is_principal": "on" if participant.is_principal else "",
        }
    return data | management("transitions", 0)


def save(client, meeting, data):
    response = client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Meeting.objects.get(pk=meeting.pk)


def test_moving_a_confirmed_meeting_in_the_admin_goes_through_the_lifecycle(
    staff_client, confirmed_day_two, django_capture_on_commit_callbacks
):
    meeting = confirmed_day_two["meeting"]
    # Another room in another venue: the room and the venue change.
    shed = RoomFactory(name="Shed", venue__summit=meeting.summit)
    data = change_form(meeting, room=shed, venue=shed.venue)
    with django_capture_on_commit_callbacks(execute=True):
        saved = save(staff_client, meeting, data)
    assert (saved.status, saved.room, saved.venue, saved.sequence) == (
        "confirmed",
        shed,
        shed.venue,
        3,
    )
    assert set(saved.participants.values_list("response", flat=True)) == {"pending"}
    assert steps(meeting, since=4) == [("confirmed", "confirmed", "moved by staff")]
    assert sent() == [("evp@example.org", "REQUEST", 3), ("sato@example.org", "REQUEST", 3)]


def test_staff_confirming_in_the_admin_is_recorded_as_such_and_invites(
    staff_client, request_for_day_two, django_capture_on_commit_callbacks
):
    meeting = request_for_day_two["meeting"]
    lifecycle.propose(meeting, start=paris(11, 13), room=request_for_day_two["room"], actor=None)
    meeting.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        saved = save(staff_client, meeting, change_form(meeting, status="confirmed"))
    assert (saved.status, saved.sequence) == ("confirmed", 2)
    assert steps(meeting, since=1) == [("proposed", "confirmed", "confirmed by staff")]
    assert sent() == [("evp@example.org", "REQUEST", 2), ("sato@example.org", "REQUEST", 2)]


def test_cancelling_in_the_admin_sends_the_cancellation(
    staff_client, confirmed_day_two, django_capture_on_commit_callbacks
):
    meeting = confirmed_day_two["meeting"]
    with django_capture_on_commit_callbacks(execute=True):
        saved = save(staff_client, meeting, change_form(meeting, status="cancelled"))
    assert (saved.status, saved.sequence) == ("cancelled", 3)
    assert steps(meeting, since=4) == [("confirmed", "cancelled", "cancelled by staff")]
    assert sent() == [("evp@example.org", "CANCEL", 3), ("sato@example.org", "CANCEL", 3)]


def test_a_cancelled_meeting_is_not_reopened_in_the_admin(staff_client, confirmed_day_two):
    meeting = confirmed_day_two["meeting"]
    lifecycle.cancel(meeting, actor=None)
    meeting.refresh_from_db()
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    response = staff_client.post(url, change_form(meeting, status="confirmed"))
    assert response.context["adminform"].form.errors == {
        "status": ["This meeting is Cancelled: its status can no longer change."]
    }
    assert Meeting.objects.get(pk=meeting.pk).status == "cancelled"


def test_answers_are_shown_but_not_edited_in_the_admin(staff_client, confirmed_day_two):
    meeting = confirmed_day_two["meeting"]
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    page = staff_client.get(url)
    [participants, _history] = page.context["inline_admin_formsets"]
    assert set(participants.formset.forms[0].fields) == {
        "id",
        "meeting",
        "person",
        "side",
        "is_principal",
        "DELETE",
    }
    assert "Accepted" in page.content.decode()
    data = change_form(meeting) | {"participants-0-response": "declined"}
    newcomer = PersonFactory(name="Adviser")
    data |= management("participants", 3, 2) | {
        "participants-2-meeting": meeting.pk,
        "participants-2-person": newcomer.pk,
        "participants-2-response": "accepted",
    }
    saved = save(staff_client, meeting, data)
    assert sorted(saved.participants.values_list("person__name", "response")) == [
        ("Adviser", "pending"),
        ("Haruki Satō", "accepted"),
        ("Henna Virkkunen", "accepted"),
    ]
    assert saved.status == "confirmed"


def test_staff_answer_for_participants_through_the_lifecycle(
    staff_client, request_for_day_two, django_capture_on_commit_callbacks
):
    meeting = request_for_day_two["meeting"]
    lifecycle.propose(meeting, start=paris(11, 13), room=request_for_day_two["room"], actor=None)
    url = reverse("admin:meetings_meetingparticipant_changelist")
    chosen = list(meeting.participants.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"action": "accept_for_them", "_selected_action": chosen})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "confirmed"
    assert [to for to, _method, _sequence in sent()] == ["evp@example.org", "sato@example.org"]
    assert steps(meeting, since=1) == [
        ("proposed", "proposed", "Henna Virkkunen: Accepted"),
        ("proposed", "proposed", "Haruki Satō: Accepted"),
        ("proposed", "confirmed", "everyone accepted"),
    ]
