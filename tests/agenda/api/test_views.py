import pytest

from tests.api_helpers import api, slugs
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ALL_PUBLIC = {"panel", "health", "visit", "energy"}


@pytest.mark.parametrize("who", ["anonymous", "attendee"])
def test_the_public_sees_public_sessions_only(site, who):
    client = api(None if who == "anonymous" else UserFactory())
    assert slugs(client.get("/api/v1/sessions/")) == ALL_PUBLIC
    closed = site["sessions"]["closed"]
    assert client.get(f"/api/v1/sessions/{closed.pk}/").status_code == 404
    assert client.get("/api/v1/sessions/", {"q": "roundtable"}).json()["count"] == 0


def test_a_participant_and_staff_see_the_invitation_only_session(site, staff_user):
    assert slugs(api(site["minister"].user).get("/api/v1/sessions/")) == ALL_PUBLIC | {"closed"}
    assert slugs(api(staff_user).get("/api/v1/sessions/")) == ALL_PUBLIC | {"closed"}
