from datetime import timedelta

import pytest

from agenda.models import Registration, Star
from tests.api_helpers import api
from tests.factories import (
    PersonFactory,
    RoomFactory,
    SessionFactory,
    UserFactory,
    VenueFactory,
    paris,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def test_me_is_the_callers_own_agenda(site):
    minister = site["minister"]
    data = api(minister.user).get("/api/v1/me/").json()
    assert data["person"]["name"] == "Minister Rossi"
    assert [s["slug"] for s in data["sessions"]] == ["closed"]
    assert data["meetings"] == []
    assert api().get("/api/v1/me/").status_code in {401, 403}


def test_the_api_registers_answers_in_words_and_cancels_harmlessly(site, attendee):
    health = site["sessions"]["health"]
    health.capacity = 1
    health.save()
    other = api(UserFactory())
    other.post("/api/v1/me/registrations/", {"session": health.pk})
    client = api(attendee)
    answer = client.post("/api/v1/me/registrations/", {"session": health.pk}).json()
    assert answer == {
        "session": health.pk,
        "status": "waitlisted",
        "position": 1,
        "message": "The session is full: you are number 1 on the waiting list.",
    }
    assert client.get("/api/v1/me/registrations/").json() == [answer]
    assert other.delete(f"/api/v1/me/registrations/{health.pk}/").status_code == 204
    assert other.delete(f"/api/v1/me/registrations/{health.pk}/").status_code == 204
    assert client.get("/api/v1/me/registrations/").json()[0]["status"] == "confirmed"


def test_the_api_refuses_what_the_site_refuses(site, attendee):
    client = api(attendee)
    closed, panel = site["sessions"]["closed"], site["sessions"]["panel"]
    assert "session" in client.post("/api/v1/me/registrations/", {"session": closed.pk}).json()
    no_seats = client.post("/api/v1/me/registrations/", {"session": panel.pk})
    assert no_seats.status_code == 400 and "takes no registrations" in no_seats.json()["session"][0]
    assert client.post("/api/v1/me/stars/", {"session": "x"}).status_code == 400
    assert client.post("/api/v1/me/stars/", {"session": panel.pk}).status_code == 201
    assert client.get("/api/v1/me/stars/").json() == [{"session": panel.pk}]
    assert client.delete(f"/api/v1/me/stars/{panel.pk}/").status_code == 204
    assert api().post("/api/v1/me/stars/", {"session": panel.pk}).status_code in {401, 403}


@pytest.mark.parametrize("size", [1, 5])
def test_my_api_lists_do_not_grow(django_assert_num_queries, size):
    user = UserFactory()
    person = PersonFactory(user=user)
    venue = VenueFactory()
    for n in range(size):
        start = paris(10, 8) + timedelta(hours=n)
        session = SessionFactory(
            room=RoomFactory(venue=venue),
            summit=venue.summit,
            start=start,
            end=start + timedelta(minutes=30),
            capacity=5,
        )
        Registration.objects.create(session=session, person=person, status="waitlisted")
        Star.objects.create(session=session, user=user)
    client = api(user)
    # They carry no time: the summit's zone is not even looked up.
    with django_assert_num_queries(1):
        assert client.get("/api/v1/me/stars/").status_code == 200
    with django_assert_num_queries(1):  # registrations with their places in line
        assert client.get("/api/v1/me/registrations/").status_code == 200
