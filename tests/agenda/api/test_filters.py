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
