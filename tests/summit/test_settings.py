"""What the settings switch on for the whole API: token authentication, throttling and
conditional GETs."""

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from agenda.models import Session
from tests.api_helpers import api, new_session

pytestmark = pytest.mark.django_db


def test_token_authentication_for_programs(site, staff_user):
    token = Token.objects.create(user=staff_user)
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.post("/api/v1/sessions/", new_session(site)).status_code == 201
    token.delete()
    assert client.get("/api/v1/sessions/").status_code == 401


def test_throttling_answers_429_with_retry_after(site, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "3/min"})
    from django.core.cache import cache

    cache.clear()
    client = api()
    codes = [client.get("/api/v1/summits/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/summits/")
    assert int(limited["Retry-After"]) > 0
    cache.clear()


def test_lists_and_details_answer_304_to_a_matching_etag(site):
    client = api()
    first = client.get("/api/v1/sessions/")
    again = client.get("/api/v1/sessions/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    panel = site["sessions"]["panel"]
    detail = client.get(f"/api/v1/sessions/{panel.pk}/")
    Session.objects.filter(pk=panel.pk).update(title="Renamed", updated_at=timezone.now())
    assert (
        client.get(f"/api/v1/sessions/{panel.pk}/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code
        == 200
    )
