import pytest

from agenda.models import Session
from tests.api_helpers import api, new_session

pytestmark = pytest.mark.django_db


def test_a_database_refusal_is_a_409_not_a_500(site, staff_user, postgres):
    # Bypass the checks to reach the exclusion constraint directly (PostgreSQL only).
    from agenda.api.serializers import SessionSerializer

    original = SessionSerializer.check
    SessionSerializer.check = lambda self, candidate, attrs: []
    try:
        data = new_session(site, start="2025-02-10T10:30:00+01:00", end="2025-02-10T11:30:00+01:00")
        response = api(staff_user).post("/api/v1/sessions/", data)
    finally:
        SessionSerializer.check = original
    assert response.status_code == 409
    assert not Session.objects.filter(slug="code-of-practice").exists()
