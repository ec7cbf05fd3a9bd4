"""What syncing clients learn of deleted meetings: only what they could have seen."""

import pytest

from meetings import lifecycle
from tests.api_helpers import api, results
from tests.factories import MeetingFactory, MeetingParticipantFactory, RoomFactory, paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings():
    """Public meetings at each stage of their life, and a confidential confirmed one."""
    room = RoomFactory()
    found = {}
    for name, confidentiality, steps in [
        ("requested", "public", []),
        ("proposed", "public", ["propose"]),
        ("confirmed", "public", ["propose", "reply"]),
        ("cancelled before confirmation", "public", ["propose", "cancel"]),
        ("cancelled once confirmed", "public", ["propose", "reply", "cancel"]),
        ("confidential", "confidential", ["propose", "reply"]),
    ]:
        meeting = MeetingFactory(
            summit=room.venue.summit, title=name, confidentiality=confidentiality
        )
        participant = MeetingParticipantFactory(meeting=meeting, response="pending")
        start = paris(11, 9 + len(found))
        for step in steps:
            if step == "propose":
                lifecycle.propose(meeting, start=start, room=room, actor=None)
            elif step == "reply":
                lifecycle.reply(meeting, person=participant.person, response="accepted", actor=None)
            else:
                lifecycle.cancel(meeting, actor=None)
        found[name] = meeting
    return found


def test_only_the_deletion_of_an_announced_meeting_is_published(meetings, staff_user):
    removed = {meeting.pk: name for name, meeting in meetings.items()}
    for meeting in meetings.values():
        meeting.delete()
    public = results(api().get("/api/v1/removals/"))
    assert sorted(removed[r["object_id"]] for r in public) == [
        "cancelled once confirmed",
        "confirmed",
    ]
    for_staff = results(api(staff_user).get("/api/v1/removals/"))
    assert sorted(removed[r["object_id"]] for r in for_staff) == sorted(removed.values())
