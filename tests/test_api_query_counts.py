"""Every list endpoint of the API runs as many queries for five items as for one."""

from datetime import timedelta

import pytest

from tests.api_helpers import api
from tests.factories import (
    MeetingFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    SummitFactory,
    TrackFactory,
    TravelTimeFactory,
    VenueFactory,
    paris,
)

pytestmark = pytest.mark.django_db


def populate(size):
    summit = SummitFactory()
    venue = VenueFactory(summit=summit)
    track = TrackFactory(summit=summit)
    for n in range(size):
        room = RoomFactory(venue=venue)
        start = paris(10, 8) + timedelta(minutes=30 * n)
        session = SessionFactory(
            summit=summit, room=room, track=track, start=start, end=start + timedelta(minutes=20)
        )
        SessionRoleFactory(session=session)
        SessionRoleFactory(session=session)
        MeetingFactory(
            summit=summit,
            confidentiality="public",
            status="confirmed",
            start=paris(11, 8) + timedelta(hours=n),
            end=paris(11, 8, 30) + timedelta(hours=n),
        )
        PersonFactory()
        TravelTimeFactory(origin=venue, destination=VenueFactory(summit=summit))
    SessionFactory(summit=summit, room=room, start=paris(11, 9), end=paris(11, 10)).delete()


LISTS = {
    "/api/v1/summits/": 2,
    "/api/v1/venues/": 3,
    "/api/v1/travel-times/": 2,
    "/api/v1/rooms/": 2,
    "/api/v1/tracks/": 2,
    "/api/v1/sessions/": 3,
    "/api/v1/removals/": 2,
    "/api/v1/people/": 2,
    "/api/v1/organisations/": 2,
    "/api/v1/meetings/": 3,
}


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize("url", LISTS)
def test_list_queries_do_not_grow(django_assert_num_queries, size, url):
    populate(size)
    client = api()
    with django_assert_num_queries(LISTS[url] + 1):  # + the summit time zone lookup
        assert client.get(url).status_code == 200
