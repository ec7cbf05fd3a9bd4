import pytest

from meetings import lifecycle
from tests.factories import (
    MeetingFactory,
    MeetingParticipantFactory,
    PersonFactory,
    RoomFactory,
    UserFactory,
    paris,
)


@pytest.fixture
def request_for_day_two(db):
    """A request for a bilateral on day two, both principals yet to answer."""
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


@pytest.fixture
def confirmed_day_two(request_for_day_two):
    """The same bilateral proposed for 13:00 in Bilateral Room 1 and accepted by both: sequence
    2 (scheduled, then confirmed). Its emails were never sent (no commit in a test)."""
    meeting = request_for_day_two["meeting"]
    lifecycle.propose(meeting, start=paris(11, 13), room=request_for_day_two["room"], actor=None)
    for key in ("evp", "minister"):
        lifecycle.reply(meeting, person=request_for_day_two[key], response="accepted", actor=None)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == ("confirmed", 2)
    return request_for_day_two
