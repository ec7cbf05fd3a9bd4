"""Limits hold across processes. Two servers (as two gunicorn workers, or two machines) that
share one Redis cache grant one allowance between them; each with a cache in its own memory,
they would grant one each. Requests alternate between the servers, so neither can be the one
that counted them all."""

import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack, contextmanager

import pytest

from tests.live import environment, free_port, gunicorn, manage, own_database

CLIENT = "203.0.113.66"  # as the proxy in front of both servers saw it
SEED = """
from django.contrib.auth import get_user_model
get_user_model().objects.create_user("amelie", "amelie@example.org", "Summit-amelie-2025")
"""
RESET_EMAILS = """
import json
from outbox.models import Email
print(json.dumps(list(Email.objects.filter(purpose="password-reset").values_list("to", flat=True))))
"""


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """A database with one account, for every server here."""
    folder = tmp_path_factory.mktemp("limits")
    with own_database(folder, prefix="limits") as url:
        env = environment(url, TRUSTED_PROXIES="1", STATIC_ROOT=str(folder / "static"))
        manage(env, "migrate", "--noinput")
        manage(env, "shell", "-c", SEED)
        yield env


@contextmanager
def two_servers(deployment, logs, **settings):
    """Two single-worker servers on the deployment's database, with the settings given."""
    env = {**deployment, **settings}
    ports = [free_port(), free_port()]
    with ExitStack() as servers:
        for n, port in enumerate(ports):
            servers.enter_context(gunicorn(env, port, log=logs / f"server{n}.log", workers=1))
        yield ports


def alternating(ports, count):
    """`count` ports taken in turn from `ports`."""
    return [ports[n % len(ports)] for n in range(count)]


class KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def status(url, data=None, headers=()):
    """The status of one request from the client behind the proxy; redirects not followed."""
    request = urllib.request.Request(
        url, data=data, headers={"X-Forwarded-For": CLIENT, **dict(headers)}
    )
    try:
        with urllib.request.build_opener(KeepRedirects).open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def api_statuses(ports, count):
    return [
        status(f"http://127.0.0.1:{port}/api/v1/summits/") for port in alternating(ports, count)
    ]


def ask_resets(ports, count, email):
    """Post the new-password form `count` times, with the CSRF cookie and token a browser
    holds once it has the form (no page is rendered, so no assets need collecting)."""
    secret = secrets.token_hex(16)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": secret, "email": email}).encode()
    return [
        status(
            f"http://127.0.0.1:{port}/accounts/password_reset/",
            data=form,
            headers={"Cookie": f"csrftoken={secret}"},
        )
        for port in alternating(ports, count)
    ]


def test_two_servers_on_one_redis_cache_count_one_allowance(deployment, tmp_path, redis_url):
    with two_servers(deployment, tmp_path, CACHE_URL=redis_url, API_ANON_RATE="5/min") as ports:
        assert api_statuses(ports, 10) == [200] * 5 + [429] * 5
        # Five asks for one address: three emails, and the same answer to every ask.
        assert ask_resets(ports, 5, "amelie@example.org") == [302] * 5
        sent = json.loads(manage(deployment, "shell", "-c", RESET_EMAILS).strip().splitlines()[-1])
        assert sent == [["amelie@example.org"]] * 3


def test_each_server_with_a_cache_of_its_own_counts_alone(deployment, tmp_path):
    """What `check --deploy` warns of: the same requests get twice the allowance."""
    with two_servers(deployment, tmp_path, CACHE_URL="", API_ANON_RATE="5/min") as ports:
        assert api_statuses(ports, 10) == [200] * 10
