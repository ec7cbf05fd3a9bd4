import pytest

from tests.api_helpers import api, results

pytestmark = pytest.mark.django_db


def test_people_hidden_from_the_public_are_not_listed(site, staff_user):
    names = {p["name"] for p in results(api().get("/api/v1/people/"))}
    assert "Quiet Adviser" not in names and "Henna Virkkunen" in names
    assert "Quiet Adviser" in {p["name"] for p in results(api(staff_user).get("/api/v1/people/"))}
