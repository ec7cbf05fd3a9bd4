import zoneinfo
from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from meetings import lifecycle
from meetings.models import Meeting
from tests.factories import (
    MeetingFactory,
    MeetingParticipantFactory,
    PersonFactory,
    RoomFactory,
    UserFactory,
    paris,
)
from tests.meetings.outcome import calendar_of, sent, steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def bilateral():
    room = RoomFactory(name="Bilateral Room 1", capacity=8)
    meeting = MeetingFactory(
        summit=room.venue.summit, title="EVP Virkkunen – Minister Tamm", duration_minutes=30
    )
    evp = PersonFactory(name="Henna Virkkunen", user=UserFactory(email="evp@example.org"))
    cabinet = PersonFactory(name="Head of cabinet", user=UserFactory(email="cabinet@example.org"))
    minister = PersonFactory(name="Kadri Tamm", user=UserFactory(email="tamm@example.org"))
    MeetingParticipantFactory(meeting=meeting, person=evp, response="pending")
    MeetingParticipantFactory(
        meeting=meeting, person=cabinet, response="pending", is_principal=False
    )
    MeetingParticipantFactory(meeting=meeting, person=minister, response="pending")
    return {"meeting": meeting, "room": room, "evp": evp, "cabinet": cabinet, "minister": minister}


def history(meeting):
    return [(before, after) for before, after, _note in steps(meeting)]


def invitations():
    """(recipient, METHOD, SEQUENCE, UID) of each email, parsed from its attached .ics."""
    found = []
    for message in mail.outbox:
        _parsed, calendar = calendar_of(message)
        [event] = calendar.walk("VEVENT")
        found.append((message.to[0], str(calendar["METHOD"]), event["SEQUENCE"], str(event["UID"])))
    return sorted(found)


def test_propose_reply_confirm_with_invitations(bilateral, django_capture_on_commit_callbacks):
    meeting, evp = bilateral["meeting"], bilateral["evp"]
    staff = UserFactory(is_staff=True)
    lifecycle.propose(meeting, start=paris(11, 11), room=bilateral["room"], actor=staff)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.end) == ("proposed", paris(11, 11, 30))
    with django_capture_on_commit_callbacks(execute=True):
        for person in (evp, bilateral["cabinet"], bilateral["minister"]):
            lifecycle.reply(meeting, person=person, response="accepted", actor=person.user)
    meeting.refresh_from_db()
    assert meeting.status == "confirmed"
    assert history(meeting) == [
        ("requested", "proposed"),
        ("proposed", "proposed"),
        ("proposed", "proposed"),
        ("proposed", "proposed"),
        ("proposed", "confirmed"),
    ]
    uid = f"meeting-{meeting.pk}@summit.invalid"
    # Scheduled (sequence 1), then confirmed (2): the invitation carries the latest.
    assert invitations() == [
        ("cabinet@example.org", "REQUEST", 2, uid),
        ("evp@example.org", "REQUEST", 2, uid),
        ("tamm@example.org", "REQUEST", 2, uid),
    ]


def test_moving_a_confirmed_meeting_sends_it_back_to_proposed(
    bilateral, django_capture_on_commit_callbacks
):
    meeting = bilateral["meeting"]
    lifecycle.propose(meeting, start=paris(11, 11), room=bilateral["room"], actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        for key in ("evp", "cabinet", "minister"):
            lifecycle.reply(meeting, person=bilateral[key], response="accepted", actor=None)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.propose(meeting, start=paris(11, 14), room=bilateral["room"], actor=None)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == ("proposed", 3)
    assert set(meeting.participants.values_list("response", flat=True)) == {"pending"}
    assert {(method, sequence) for _to, method, sequence, _uid in invitations()} == {("REQUEST", 3)}


def test_cancelling_sends_cancel_with_the_next_sequence(
    bilateral, django_capture_on_commit_callbacks
):
    meeting = bilateral["meeting"]
    lifecycle.propose(meeting, start=paris(11, 11), room=bilateral["room"], actor=None)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.cancel(meeting, actor=None)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == ("cancelled", 2)
    assert {(method, sequence) for _to, method, sequence, _uid in invitations()} == {("CANCEL", 2)}


def test_a_principal_declining_declines_an_adviser_does_not(bilateral):
    meeting = bilateral["meeting"]
    lifecycle.propose(meeting, start=paris(11, 11), room=bilateral["room"], actor=None)
    lifecycle.reply(meeting, person=bilateral["cabinet"], response="declined", actor=None)
    assert Meeting.objects.get(pk=meeting.pk).status == "proposed"
    lifecycle.reply(meeting, person=bilateral["minister"], response="declined", actor=None)
    assert Meeting.objects.get(pk=meeting.pk).status == "declined"


@pytest.mark.parametrize(
    ("setup", "action"),
    [
        (
            "requested",
            lambda m, b: lifecycle.reply(m, person=b["evp"], response="accepted", actor=None),
        ),
        ("cancelled", lambda m, b: lifecycle.propose(m, start=paris(11, 11), actor=None)),
        ("cancelled", lambda m, b: lifecycle.cancel(m, actor=None)),
        (
            "expired",
            lambda m, b: lifecycle.reply(m, person=b["evp"], response="accepted", actor=None),
        ),
        (
            "proposed",
            lambda m, b: lifecycle.reply(
                m, person=PersonFactory(), response="accepted", actor=None
            ),
        ),
        (
            "proposed",
            lambda m, b: lifecycle.reply(m, person=b["evp"], response="maybe", actor=None),
        ),
    ],
)
def test_illegal_transitions_are_refused(bilateral, setup, action):
    meeting = bilateral["meeting"]
    if setup == "proposed":
        lifecycle.propose(meeting, start=paris(11, 11), room=bilateral["room"], actor=None)
    elif setup != "requested":
        Meeting.objects.filter(pk=meeting.pk).update(status=setup)
    meeting.refresh_from_db()
    before = (meeting.status, history(meeting))
    with pytest.raises(ValidationError):
        action(meeting, bilateral)
    meeting.refresh_from_db()
    assert (meeting.status, history(meeting)) == before


def test_a_proposal_in_a_taken_room_is_refused(bilateral):
    MeetingFactory(
        summit=bilateral["meeting"].summit,
        status="confirmed",
        start=paris(11, 11),
        end=paris(11, 12),
        room=bilateral["room"],
    )
    with pytest.raises(ValidationError) as refused:
        lifecycle.propose(
            bilateral["meeting"], start=paris(11, 11, 30), room=bilateral["room"], actor=None
        )
    assert "room" in refused.value.message_dict
    assert Meeting.objects.get(pk=bilateral["meeting"].pk).status == "requested"


def test_requests_unanswered_past_their_deadline_expire(bilateral):
    meeting = bilateral["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(respond_by=paris(10, 18))
    fresh = MeetingFactory(summit=meeting.summit, respond_by=paris(11, 18))
    expired = lifecycle.expire_overdue(now=paris(10, 18) + timedelta(minutes=1))
    assert [m.pk for m in expired] == [meeting.pk]
    assert Meeting.objects.get(pk=fresh.pk).status == "requested"
    assert history(meeting) == [("requested", "expired")]


def test_a_meeting_proposed_in_the_repeated_hour_lasts_its_real_duration(request_for_day_two):
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


def test_moving_a_proposal_tells_the_participants(bilateral, django_capture_on_commit_callbacks):
    meeting = bilateral["meeting"]
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.propose(meeting, start=paris(11, 11), room=bilateral["room"], actor=None)
    assert mail.outbox == []  # the first proposal is answered on the site
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.propose(meeting, start=paris(11, 14), room=bilateral["room"], actor=None)
    assert sent() == [
        ("cabinet@example.org", "REQUEST", 2),
        ("evp@example.org", "REQUEST", 2),
        ("tamm@example.org", "REQUEST", 2),
    ]


def test_deleting_a_principal_cancels_the_meeting_and_tells_the_others(
    bilateral, django_capture_on_commit_callbacks
):
    meeting = bilateral["meeting"]
    lifecycle.propose(meeting, start=paris(11, 11), room=bilateral["room"], actor=None)
    for key in ("evp", "cabinet", "minister"):
        lifecycle.reply(meeting, person=bilateral[key], response="accepted", actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        bilateral["minister"].delete()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == ("cancelled", 3)
    assert steps(meeting, since=5) == [
        ("confirmed", "cancelled", "Kadri Tamm, a principal, was deleted")
    ]
    assert sent() == [("cabinet@example.org", "CANCEL", 3), ("evp@example.org", "CANCEL", 3)]


def test_deleting_an_adviser_leaves_the_meeting_as_it_is(
    bilateral, django_capture_on_commit_callbacks
):
    meeting = bilateral["meeting"]
    lifecycle.propose(meeting, start=paris(11, 11), room=bilateral["room"], actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        bilateral["cabinet"].delete()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence, len(steps(meeting))) == ("proposed", 1, 1)
    assert mail.outbox == []


def test_a_principal_declining_a_proposal_calls_it_off_in_every_calendar(
    bilateral, django_capture_on_commit_callbacks
):
    meeting = bilateral["meeting"]
    lifecycle.propose(meeting, start=paris(11, 11), room=bilateral["room"], actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.reply(meeting, person=bilateral["minister"], response="declined", actor=None)
    assert sent() == [
        ("cabinet@example.org", "CANCEL", 2),
        ("evp@example.org", "CANCEL", 2),
        ("tamm@example.org", "CANCEL", 2),
    ]
