"""The programme's filters, through the programme page that offers them."""

import pytest

from tests.agenda.pages import programme

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"day": "2025-02-10"}, {"panel", "health"}),
        ({"day": "2025-02-11"}, {"visit", "energy"}),
        ({"track": "science"}, {"health", "energy"}),
        ({"kind": "panel"}, {"panel", "energy"}),
        ({"venue": "station-f"}, {"visit"}),
        ({"person": "virkkunen"}, {"panel", "visit"}),
        ({"q": "cancer"}, {"health"}),
        ({"q": "virkkunen"}, {"panel", "visit"}),
        ({"q": "quiet adviser"}, set()),  # a person hidden from the public is not searchable
        ({"q": "roundtable"}, set()),
        ({"day": "2025-02-10", "track": "science", "kind": "workshop"}, {"health"}),
        ({"day": "2025-02-11", "track": "governance"}, set()),
    ],
)
def test_filters_return_exactly_the_matching_sessions(client, site, params, expected):
    assert programme(client, **params) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"day": "2025-13-45"},
        {"day": "tomorrow"},
        {"track": "nope"},
        {"person": "../x"},
        {"q": "x" * 500},
    ],
)
def test_bad_filter_values_are_explained_not_crashed(client, site, params):
    response = client.get("/ai/programme/", params)
    assert response.status_code == 200
    assert response.context["filters"].form.errors
