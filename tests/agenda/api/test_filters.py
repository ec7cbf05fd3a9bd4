import pytest

from tests.api_helpers import api, slugs

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"day": "2025-02-10"}, {"panel", "health"}),
        ({"kind": "workshop"}, {"health"}),
        ({"status": "cancelled"}, {"energy"}),
        ({"q": "cancer"}, {"health"}),
        ({"q": "quiet adviser"}, set()),
    ],
)
def test_session_filters(site, params, expected):
    assert slugs(api().get("/api/v1/sessions/", params)) == expected


def test_session_filters_by_relations(site):
    panel, health, visit = (site["sessions"][k] for k in ("panel", "health", "visit"))
    client = api()
    assert slugs(client.get("/api/v1/sessions/", {"track": health.track_id})) == {
        "health",
        "energy",
    }
    assert slugs(client.get("/api/v1/sessions/", {"room": panel.room_id})) == {"panel", "energy"}
    assert slugs(client.get("/api/v1/sessions/", {"venue": visit.room.venue_id})) == {"visit"}
    assert slugs(client.get("/api/v1/sessions/", {"person": site["evp"].pk})) == {"panel", "visit"}
    assert slugs(client.get("/api/v1/sessions/", {"summit": panel.summit_id})) == {
        "panel",
        "health",
        "visit",
        "energy",
    }


def test_bad_filter_values_are_400_with_the_field(site):
    response = api().get("/api/v1/sessions/", {"day": "someday", "updated_since": "yesterday"})
    assert response.status_code == 400
    assert set(response.json()) == {"day", "updated_since"}


@pytest.mark.parametrize(
    "params",
    [
        {"updated_since": "2025-02-10T12:00:00"},
        {"q": "x" * 201},
        {"ordering": "titel"},
        {"ordering": "start,<b>"},
    ],
)
def test_filters_that_would_be_guessed_at_are_400_with_the_field(site, params):
    response = api().get("/api/v1/sessions/", params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_removals_since_a_time_without_offset_are_refused(site):
    response = api().get("/api/v1/removals/", {"since": "2025-02-10T12:00:00"})
    assert response.status_code == 400
    assert set(response.json()) == {"since"}


def test_orderings_may_name_several_fields(site):
    response = api().get("/api/v1/sessions/", {"ordering": "-start,title"})
    assert [s["slug"] for s in response.json()["results"]] == ["visit", "energy", "health", "panel"]
