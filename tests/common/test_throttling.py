"""The API's throttles count per client, as common.clients tells clients apart."""

import pytest
from rest_framework.throttling import SimpleRateThrottle

from tests.api_helpers import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "3/min"})


def statuses(client, forwarded_for):
    return [
        client.get("/api/v1/summits/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=ip).status_code
        for ip in forwarded_for
    ]


def test_a_client_without_a_proxy_cannot_escape_by_writing_x_forwarded_for(
    three_a_minute, settings
):
    settings.TRUSTED_PROXIES = 0
    fresh = [f"203.0.113.{n}" for n in range(5)]
    assert statuses(api(), fresh) == [200, 200, 200, 429, 429]


def test_behind_the_proxy_each_client_has_its_own_allowance(three_a_minute, settings):
    settings.TRUSTED_PROXIES = 1
    client = api()
    assert statuses(client, ["203.0.113.66"] * 4) == [200, 200, 200, 429]
    assert statuses(client, ["198.51.100.7"]) == [200]
    # A spoofed entry on the left changes nothing: the proxy appended the real address.
    assert statuses(client, ["198.51.100.7, 203.0.113.66"]) == [429]
