"""A property-based fuzz of the whole API with schemathesis: every operation, every check,
against a live server holding the demo summit. No server error, no answer the schema does
not describe, no input the schema allows refused for anything but a business rule (see
schemathesis.toml)."""

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle

from agenda.demo import load_demo

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def unthrottled(monkeypatch):
    # The live server runs in a thread of this process, so the patched rates apply to it.
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100000/s", "user": "100000/s"}
    )


class ServerErrors(logging.Handler):
    """Collects the errors the live server logs, tracebacks included."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.reports = []

    def emit(self, record):
        self.reports.append(self.format(record))


def fuzz(live_server, tmp_path, *args, seconds):
    """Run schemathesis against the live server, print its report and the tracebacks the
    server logged (the live server runs in this process), and return its exit code."""
    command = [
        str(SCHEMATHESIS),
        "--config-file",
        str(Path(settings.BASE_DIR) / "schemathesis.toml"),
        "run",
        f"{live_server.url}/api/schema/",
        "--url",
        live_server.url,
        "--checks",
        "all",
        "--workers",
        "1",
        "--seed",
        "20250210",
        "--max-time",
        str(seconds),
        "--generation-database",
        "none",
        "--no-color",
        *args,
    ]
    errors = ServerErrors()
    logging.getLogger().addHandler(errors)
    try:
        # In a fresh folder: no cache of an earlier run's failures is replayed.
        done = subprocess.run(
            command, cwd=tmp_path, capture_output=True, text=True, timeout=seconds + 60
        )
    finally:
        logging.getLogger().removeHandler(errors)
    # Shown under "Captured stdout" when the test fails (and with -rA when it passes).
    print("\n".join([done.stdout, done.stderr, *errors.reports]))
    return done.returncode


def test_staff_writes_and_reads_break_neither_the_server_nor_the_schema(
    live_server, unthrottled, tmp_path
):
    load_demo()
    staff = get_user_model().objects.get(username="staff")
    token = Token.objects.create(user=staff)
    code = fuzz(
        live_server,
        tmp_path,
        "--header",
        f"Authorization: Token {token.key}",
        seconds=50,
    )
    assert code == 0, "schemathesis found failures: see its report below"


def test_anonymous_reads_and_refusals_break_neither_the_server_nor_the_schema(
    live_server, unthrottled, tmp_path
):
    load_demo()
    code = fuzz(live_server, tmp_path, seconds=30)
    assert code == 0, "schemathesis found failures: see its report below"
