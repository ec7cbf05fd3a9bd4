import pytest

from meetings import lifecycle
from meetings.models import Meeting
from tests.api_helpers import api, results
from tests.factories import MeetingFactory, PersonFactory, UserFactory, VenueFactory, paris
from tests.meetings.outcome import sent, steps

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


def test_answering_for_someone_else_is_refused_alike_whoever_the_id_names(request_for_day_two):
    meeting, evp = request_for_day_two["meeting"], request_for_day_two["evp"]
    lifecycle.propose(meeting, start=paris(11, 13), room=request_for_day_two["room"], actor=None)
    hidden = PersonFactory(is_public=False)
    minister = api(request_for_day_two["minister"].user)
    url = f"/api/v1/meetings/{meeting.pk}/reply/"
    answers = {
        (response.status_code, response.content)
        for person in (evp.pk, hidden.pk, 999999)
        for response in [minister.post(url, {"response": "declined", "person": person})]
    }
    assert answers == {(403, b'{"detail":"Only staff answer for someone else."}')}


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


# Edits go through the lifecycle: PATCH and PUT record the step, move SEQUENCE and email.


def meeting_url(meeting):
    return f"/api/v1/meetings/{meeting.pk}/"


def put_body(client, meeting, **changes):
    """The meeting as the API shows it, with `changes`: what a client PUTs back."""
    return client.get(meeting_url(meeting)).json() | changes


@pytest.mark.parametrize("method", ["patch", "put"])
def test_moving_a_confirmed_meeting_goes_through_the_lifecycle(
    staff_user, confirmed_day_two, django_capture_on_commit_callbacks, method
):
    meeting = confirmed_day_two["meeting"]
    staff = api(staff_user)
    changes = {"start": "2025-02-11T15:00:00+01:00", "end": "2025-02-11T15:30:00+01:00"}
    body = changes if method == "patch" else put_body(staff, meeting, **changes)
    with django_capture_on_commit_callbacks(execute=True):
        response = getattr(staff, method)(meeting_url(meeting), body)
    assert response.status_code == 200, response.content
    answer = response.json()
    # Staff moved it and kept it confirmed; the participants are asked about the new time.
    assert (
        answer["status"],
        answer["start"],
        answer["sequence"],
        [p["response"] for p in answer["participants"]],
    ) == ("confirmed", "2025-02-11T15:00:00+01:00", 3, ["pending", "pending"])
    assert steps(meeting, since=4) == [("confirmed", "confirmed", "moved by staff")]
    assert sent() == [("evp@example.org", "REQUEST", 3), ("sato@example.org", "REQUEST", 3)]


def test_a_new_venue_is_a_move_that_calendars_hear_of(
    staff_user, request_for_day_two, django_capture_on_commit_callbacks
):
    meeting = request_for_day_two["meeting"]
    lifecycle.propose(meeting, start=paris(11, 13), venue=meeting.venue, actor=None)
    station_f = VenueFactory(summit=meeting.summit, name="Station F")
    with django_capture_on_commit_callbacks(execute=True):
        response = api(staff_user).patch(meeting_url(meeting), {"venue": station_f.pk})
    assert response.status_code == 200, response.content
    assert (response.json()["venue"], response.json()["sequence"]) == (station_f.pk, 2)
    assert steps(meeting, since=1) == [("proposed", "proposed", "moved by staff")]
    assert sent() == [("evp@example.org", "REQUEST", 2), ("sato@example.org", "REQUEST", 2)]


def test_staff_confirming_directly_is_recorded_as_such_and_invites(
    staff_user, request_for_day_two, django_capture_on_commit_callbacks
):
    meeting = request_for_day_two["meeting"]
    lifecycle.propose(meeting, start=paris(11, 13), room=request_for_day_two["room"], actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(staff_user).patch(meeting_url(meeting), {"status": "confirmed"})
    answer = response.json()
    # Nobody answered: staff confirmed for everyone, and the answers stay as they were.
    assert (
        response.status_code,
        answer["status"],
        answer["sequence"],
        [p["response"] for p in answer["participants"]],
    ) == (200, "confirmed", 2, ["pending", "pending"])
    assert steps(meeting, since=1) == [("proposed", "confirmed", "confirmed by staff")]
    assert sent() == [("evp@example.org", "REQUEST", 2), ("sato@example.org", "REQUEST", 2)]


def test_cancelling_by_patch_sends_the_cancellation(
    staff_user, confirmed_day_two, django_capture_on_commit_callbacks
):
    meeting = confirmed_day_two["meeting"]
    with django_capture_on_commit_callbacks(execute=True):
        response = api(staff_user).patch(meeting_url(meeting), {"status": "cancelled"})
    assert (response.status_code, response.json()["sequence"]) == (200, 3)
    assert steps(meeting, since=4) == [("confirmed", "cancelled", "cancelled by staff")]
    assert sent() == [("evp@example.org", "CANCEL", 3), ("sato@example.org", "CANCEL", 3)]


@pytest.mark.parametrize(
    ("setup", "status", "message"),
    [
        ("cancelled", "confirmed", "This meeting is Cancelled: its status can no longer change."),
        (
            "confirmed",
            "requested",
            "A proposed or confirmed meeting does not go back to requested: "
            "propose another time, or cancel it.",
        ),
        (
            "confirmed",
            "expired",
            "A meeting expires by itself when it is left unanswered past its deadline.",
        ),
    ],
)
def test_a_status_the_lifecycle_does_not_allow_is_a_400(
    staff_user, confirmed_day_two, setup, status, message
):
    meeting = confirmed_day_two["meeting"]
    if setup == "cancelled":
        lifecycle.cancel(meeting, actor=None)
    before = steps(meeting)
    response = api(staff_user).patch(meeting_url(meeting), {"status": status})
    assert (response.status_code, response.json()) == (400, {"status": [message]})
    assert (Meeting.objects.get(pk=meeting.pk).status, steps(meeting)) == (setup, before)


def test_only_the_reply_action_writes_an_answer(staff_user, request_for_day_two):
    meeting = request_for_day_two["meeting"]
    evp, minister = request_for_day_two["evp"], request_for_day_two["minister"]
    lifecycle.propose(meeting, start=paris(11, 13), room=request_for_day_two["room"], actor=None)
    lifecycle.reply(meeting, person=minister, response="accepted", actor=None)
    adviser = PersonFactory(name="Adviser")
    listed = [
        {"person": evp.pk, "side": "European Commission", "response": "accepted"},
        {"person": minister.pk, "side": "Japan", "response": "declined"},
        {"person": adviser.pk, "is_principal": False, "response": "accepted"},
    ]
    response = api(staff_user).patch(meeting_url(meeting), {"participants": listed})
    assert response.status_code == 200, response.content
    # The sides are written; the answers stay those given through the reply action, and a
    # newcomer has yet to answer.
    assert [
        (p["name"], p["side"], p["is_principal"], p["response"])
        for p in response.json()["participants"]
    ] == [
        ("Henna Virkkunen", "European Commission", True, "pending"),
        ("Haruki Satō", "Japan", True, "accepted"),
        ("Adviser", "", False, "pending"),
    ]
    assert Meeting.objects.get(pk=meeting.pk).status == "proposed"


def test_creating_a_confirmed_meeting_is_recorded_and_invites(
    staff_user, request_for_day_two, django_capture_on_commit_callbacks
):
    summit = request_for_day_two["meeting"].summit
    body = {
        "summit": summit.pk,
        "title": "EVP – Minister Tamm",
        "status": "confirmed",
        "window_start": "2025-02-11T09:00:00+01:00",
        "window_end": "2025-02-11T18:00:00+01:00",
        "start": "2025-02-11T16:00:00+01:00",
        "end": "2025-02-11T16:30:00+01:00",
        "room": request_for_day_two["room"].pk,
        "participants": [{"person": request_for_day_two["evp"].pk, "response": "accepted"}],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api(staff_user).post("/api/v1/meetings/", body)
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert [p["response"] for p in response.json()["participants"]] == ["pending"]
    assert steps(meeting) == [("requested", "confirmed", "confirmed by staff")]
    assert sent() == [("evp@example.org", "REQUEST", 0)]
