import pytest

from tests.api_helpers import api, results

pytestmark = pytest.mark.django_db


def test_people_hidden_from_the_public_are_not_listed(site, staff_user):
    names = {p["name"] for p in results(api().get("/api/v1/people/"))}
    assert "Quiet Adviser" not in names and "Henna Virkkunen" in names
    assert "Quiet Adviser" in {p["name"] for p in results(api(staff_user).get("/api/v1/people/"))}


def test_a_persons_email_is_for_staff_only(client, site, staff_user):
    evp = site["evp"]
    evp.email = "evp@example.org"
    evp.save()
    url = f"/api/v1/people/{evp.pk}/"
    assert "email" not in api().get(url).json()
    assert "email" not in api(site["minister"].user).get(url).json()
    assert "evp@example.org" not in api().get("/api/v1/people/").content.decode()
    page = client.get("/ai/people/virkkunen/")
    assert page.status_code == 200 and "evp@example.org" not in page.content.decode()
    assert api(staff_user).get(url).json()["email"] == "evp@example.org"
    changed = api(staff_user).patch(url, {"email": "henna@example.org"})
    assert (changed.status_code, changed.json()["email"]) == (200, "henna@example.org")


def test_a_name_search_longer_than_a_name_is_400_with_the_field(site):
    response = api().get("/api/v1/people/", {"q": "x" * 1_000_000})
    assert response.status_code == 400
    assert set(response.json()) == {"q"}
