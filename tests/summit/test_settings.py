"""What the settings switch on for the whole API (token authentication, throttling and
conditional GETs) and what they refuse or trust."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
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


def import_settings(code="", **env):
    """Import the settings in a fresh interpreter (no pytest in it), with `env` on top of an
    environment cleared of what the settings read; run `code` after."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "TRUSTED_PROXIES"}
    }
    return subprocess.run(
        [sys.executable, "-c", f"import summit.settings as settings\n{code}"],
        cwd=django_settings.BASE_DIR,
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_server_refuses_the_development_key_without_debug():
    refused = import_settings(DEBUG="0")
    assert refused.returncode == 1
    assert (
        "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is the development key, "
        "which is public, and DEBUG is off." in refused.stderr
    )


@pytest.mark.parametrize(
    "env", [{"DEBUG": "1"}, {"DEBUG": "0", "SECRET_KEY": "a-real-key-" + "x" * 50}]
)
def test_debug_or_a_key_of_its_own_starts(env):
    started = import_settings(**env)
    assert started.returncode == 0, started.stderr


@pytest.mark.parametrize(
    "proxies, header",
    [("0", "None"), ("", "None"), ("1", "('HTTP_X_FORWARDED_PROTO', 'https')")],
)
def test_the_https_header_is_trusted_only_behind_a_proxy(proxies, header):
    env = {"DEBUG": "1"} | ({"TRUSTED_PROXIES": proxies} if proxies else {})
    imported = import_settings("print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))", **env)
    assert imported.stdout.strip() == header, imported.stderr


def test_a_client_cannot_claim_https_without_a_proxy(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert (response.status_code, response["Location"]) == (301, "https://testserver/")


@pytest.mark.parametrize(
    "url, backend",
    [
        ("", "LocMemCache"),
        ("redis://cache.example.org:6379/0", "RedisCache"),
        ("rediss://cache.example.org:6380/0", "RedisCache"),
    ],
)
def test_cache_url_names_the_shared_cache(url, backend):
    imported = import_settings(
        "print(settings.CACHES['default']['BACKEND'].rpartition('.')[2] if hasattr(settings, "
        "'CACHES') else 'LocMemCache')",
        DEBUG="1",
        CACHE_URL=url,
    )
    assert imported.stdout.strip() == backend, imported.stderr


def test_a_cache_url_that_is_not_redis_is_refused():
    refused = import_settings(DEBUG="1", CACHE_URL="memcached://cache.example.org:11211")
    assert "CACHE_URL must be a Redis URL" in refused.stderr


def test_the_served_application_spares_the_collector_what_lives_as_long_as_it():
    # In a process of its own: the suite's collector is left as it is.
    code = (
        "import gc\nfrom summit import wsgi\n"
        "print(gc.get_threshold()[0], gc.get_freeze_count() > 10_000)"
    )
    served = subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env={**os.environ, "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert served.returncode == 0, served.stderr
    assert served.stdout.split() == ["10000", "True"]
