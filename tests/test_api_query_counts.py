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


# The queries of each list. One that shows a time also reads the programme's version and
# the current summit, for its time zone: both on a first request, the version alone later
# (the summit is kept in the cache).
LISTS = {
    "/api/v1/summits/": 2,
    "/api/v1/venues/": 3,
    "/api/v1/travel-times/": 2,
    "/api/v1/rooms/": 2,
    "/api/v1/tracks/": 2,
    # count, sessions, roles, and the summit of the day for the zone of its times
    "/api/v1/sessions/": 4,
    "/api/v1/removals/": 2,
    "/api/v1/people/": 2,
    "/api/v1/organisations/": 2,
    "/api/v1/meetings/": 3,
}
WITHOUT_TIMES = {"/api/v1/travel-times/", "/api/v1/organisations/"}
# Pages shared from the cache: then only the programme's version is read.
SHARED = {"/api/v1/sessions/"}


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize("url", LISTS)
def test_list_queries_do_not_grow(django_assert_num_queries, size, url):
    populate(size)
    client = api()
    zoned = url not in WITHOUT_TIMES
    with django_assert_num_queries(LISTS[url] + 2 * zoned):
        first = client.get(url)
    with django_assert_num_queries(1 if url in SHARED else LISTS[url] + zoned):
        again = client.get(url)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
