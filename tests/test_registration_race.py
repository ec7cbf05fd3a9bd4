"""Forty people click "register" at the same moment for a workshop with ten seats, through a
real server with several worker processes and a database on disk (SQLite here; PostgreSQL
when the suite runs on it). An in-memory test database would hide the race."""

import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import dj_database_url
from django.conf import settings

BASE = Path(settings.BASE_DIR)
SEED = """
import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from agenda.models import Room, Session, Summit, Venue
paris = ZoneInfo("Europe/Paris")
day = date.today() + timedelta(days=30)  # a session that is over takes no registrations
summit = Summit.objects.create(name="Race", slug="race", start_date=day, end_date=day + timedelta(days=1))
room = Room.objects.create(venue=Venue.objects.create(summit=summit, name="GP", slug="gp"), name="Salle", slug="salle", capacity=40)
workshop = Session.objects.create(summit=summit, room=room, title="Workshop", slug="workshop", kind="workshop",
    capacity=10, start=datetime.combine(day, time(14), tzinfo=paris), end=datetime.combine(day, time(15), tzinfo=paris))
User = get_user_model()
tokens = [Token.objects.create(user=User.objects.create_user(f"delegate{n}")).key for n in range(40)]
print(json.dumps({"session": workshop.pk, "tokens": tokens}))
"""
COUNT = """
import json
from agenda.models import Registration, Session
s = Session.objects.get(slug="workshop")
print(json.dumps({"seats_taken": s.seats_taken,
    "confirmed": Registration.objects.filter(status="confirmed").count(),
    "waitlisted": Registration.objects.filter(status="waitlisted").count()}))
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def race_database(tmp_path):
    """A database of its own: a file for SQLite, a fresh database on the PostgreSQL server."""
    configured = settings.DATABASES["default"]
    if configured["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp_path / 'race.sqlite3'}"
        return
    import psycopg

    name = f"race_{secrets.token_hex(4)}"
    server = dj_database_url.parse(os.environ["DATABASE_URL"])
    params = {
        "host": server["HOST"],
        "port": server["PORT"] or 5432,
        "user": server["USER"],
        "password": server["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = f"{server['USER']}:{server['PASSWORD']}" if server["PASSWORD"] else server["USER"]
        yield f"postgres://{auth}@{server['HOST']}:{params['port']}/{name}"
    finally:
        with psycopg.connect(**params) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@contextmanager
def server(env, port):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "summit.wsgi",
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=BASE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError) as error:
                assert process.poll() is None, process.stderr.read()
                assert time.monotonic() < deadline, f"server did not start: {error}"
                time.sleep(0.2)
        yield
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stderr.close()


def register(port, session, token):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/me/registrations/",
        data=json.dumps({"session": session}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_forty_people_racing_for_ten_seats_get_exactly_ten(tmp_path):
    with race_database(tmp_path) as url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "0",
            "SECRET_KEY": "race-test-" + secrets.token_hex(16),
            "ALLOWED_HOSTS": "127.0.0.1",
            "API_USER_RATE": "100000/min",
            "API_ANON_RATE": "100000/min",
        }
        manage(env, "migrate", "--noinput")
        seeded = json.loads(manage(env, "shell", "-c", SEED).strip().splitlines()[-1])
        port = free_port()
        answers = []
        start = threading.Barrier(40)

        def click(token):
            start.wait(timeout=30)
            answers.append(register(port, seeded["session"], token))

        with server(env, port):
            threads = [threading.Thread(target=click, args=(token,)) for token in seeded["tokens"]]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        assert sorted(status for status, _ in answers) == [201] * 40, answers
        outcomes = sorted(body["status"] for _, body in answers)
        assert outcomes == ["confirmed"] * 10 + ["waitlisted"] * 30
        positions = sorted(
            body["position"] for _, body in answers if body["status"] == "waitlisted"
        )
        assert positions == list(range(1, 31))
        counted = json.loads(manage(env, "shell", "-c", COUNT).strip().splitlines()[-1])
        assert counted == {"seats_taken": 10, "confirmed": 10, "waitlisted": 30}
