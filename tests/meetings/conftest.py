import pytest

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
