"""Forty people click "register" at the same moment for a workshop with ten seats, or
register and cancel for 20 s while staff edit the workshop, through a real server with
several worker processes and a database on disk (SQLite here; PostgreSQL when the suite runs
on it). An in-memory test database would hide the race."""

import http.cookiejar
import json
import os
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from functools import partial

from tests.live import environment, free_port, gunicorn, manage, own_database

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
    with own_database(tmp_path, prefix="race") as url:
        env = environment(url, STATIC_ROOT=str(tmp_path / "static"))
        manage(env, "migrate", "--noinput")
        seeded = json.loads(manage(env, "shell", "-c", SEED).strip().splitlines()[-1])
        port = free_port()
        answers = []
        start = threading.Barrier(40)

        def click(token):
            start.wait(timeout=30)
            answers.append(register(port, seeded["session"], token))

        with gunicorn(env, port, log=tmp_path / "gunicorn.log"):
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


MIXED_SEED = """
import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from agenda.models import Room, Session, Summit, Venue
paris = ZoneInfo("Europe/Paris")
day = date.today() + timedelta(days=30)
summit = Summit.objects.create(name="Race", slug="race", start_date=day, end_date=day + timedelta(days=1))
room = Room.objects.create(venue=Venue.objects.create(summit=summit, name="GP", slug="gp"), name="Salle", slug="salle", capacity=60)
workshop = Session.objects.create(summit=summit, room=room, title="Workshop", slug="workshop", kind="workshop",
    capacity=10, start=datetime.combine(day, time(14), tzinfo=paris), end=datetime.combine(day, time(15), tzinfo=paris))
User = get_user_model()
tokens = [Token.objects.create(user=User.objects.create_user(f"delegate{n}")).key for n in range(40)]
staff = User.objects.create_superuser("staff", "staff@example.org", "race-staff-pw")
print(json.dumps({"session": workshop.pk, "room": room.pk, "summit": summit.pk, "day": day.isoformat(),
    "tokens": tokens, "staff": Token.objects.create(user=staff).key}))
"""
SETTLED = """
import json
from agenda.models import Registration, Session
s = Session.objects.get(slug="workshop")
line = Registration.objects.with_positions().filter(session=s, status="waitlisted")
print(json.dumps({"capacity": s.capacity, "seats_taken": s.seats_taken,
    "confirmed": Registration.objects.filter(session=s, status="confirmed").count(),
    "positions": sorted(r.waitlist_position for r in line)}))
"""


def call(port, method, path, token, body=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
        method=method,
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class AdminBrowser:
    """Staff in the admin: a login, then the session's change form posted as a browser would."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def csrf(self):
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def post(self, path, fields):
        fields = {**fields, "csrfmiddlewaretoken": self.csrf()}
        request = urllib.request.Request(
            self.base + path,
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Referer": self.base + path},
            method="POST",
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, path, error.read().decode()

    def log_in(self, username, password):
        self.opener.open(self.base + "/admin/login/", timeout=30).read()
        status, url, _body = self.post(
            "/admin/login/?next=/admin/", {"username": username, "password": password}
        )
        assert (status, url) == (200, self.base + "/admin/"), (status, url)


def test_staff_edits_never_undo_what_attendees_do(tmp_path):
    """Forty attendees register and cancel at random for 20 s while staff edit the same
    workshop through the API and the admin form: the seat count stays the number of people
    with a seat, never above the seats, and the waiting list runs 1..n."""
    seconds = float(os.environ.get("SUMMIT_RACE_SECONDS", "20"))
    with own_database(tmp_path, prefix="race") as url:
        env = environment(url, STATIC_ROOT=str(tmp_path / "static"))
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")  # the admin's pages, as in production
        seeded = json.loads(manage(env, "shell", "-c", MIXED_SEED).strip().splitlines()[-1])
        session = seeded["session"]
        port = free_port()
        done = []  # (what, outcome), appended from every thread
        deadline = time.monotonic() + seconds

        def attendee(token, seed):
            pick = random.Random(seed)
            while time.monotonic() < deadline:
                if pick.random() < 0.6:
                    status, _ = call(
                        port, "POST", "/api/v1/me/registrations/", token, {"session": session}
                    )
                    done.append(("register", status))
                else:
                    status, _ = call(port, "DELETE", f"/api/v1/me/registrations/{session}/", token)
                    done.append(("cancel", status))

        def staff_api():
            pick = random.Random(0)
            while time.monotonic() < deadline:
                body = {"title": f"Workshop {pick.randrange(1000)}"}
                if pick.random() < 0.5:
                    body["capacity"] = pick.randint(8, 16)
                status, text = call(
                    port, "PATCH", f"/api/v1/sessions/{session}/", seeded["staff"], body
                )
                assert status in {200, 400}, text
                assert status == 200 or "capacity" in json.loads(text), text
                done.append(("api edit", status))

        def staff_admin():
            pick = random.Random(1)
            admin = AdminBrowser(port)
            admin.log_in("staff", "race-staff-pw")
            path = f"/admin/agenda/session/{session}/change/"
            while time.monotonic() < deadline:
                fields = {
                    "summit": seeded["summit"],
                    "title_en": f"Workshop {pick.randrange(1000)}",
                    "slug": "workshop",
                    "kind": "workshop",
                    "start_0": seeded["day"],
                    "start_1": "14:00:00",
                    "end_0": seeded["day"],
                    "end_1": "15:00:00",
                    "room": seeded["room"],
                    "status": "scheduled",
                    "visibility": "public",
                    "capacity": 16,  # as many as the API ever offers: never refused
                    **{
                        f"{inline}-{part}": 0
                        for inline in ("roles", "registrations")
                        for part in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS")
                    },
                    "roles-MAX_NUM_FORMS": 1000,
                    "registrations-MAX_NUM_FORMS": 1000,
                }
                status, landed, body = admin.post(path, fields)
                assert (status, landed) == (200, admin.base + "/admin/agenda/session/"), body
                done.append(("admin edit", "saved"))

        tasks = [partial(attendee, token, n) for n, token in enumerate(seeded["tokens"])]
        tasks += [staff_api, staff_admin]
        failures = []

        def run(task):
            try:
                task()
            except Exception as error:  # an assertion in a thread, reported below
                failures.append(error)

        with gunicorn(env, port, log=tmp_path / "gunicorn.log"):
            threads = [threading.Thread(target=run, args=(task,)) for task in tasks]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=seconds + 120)
        assert failures == []
        settled = json.loads(manage(env, "shell", "-c", SETTLED).strip().splitlines()[-1])
        answers = Counter(done)
        print(f"\n{seconds:.0f} s: {dict(answers)}; settled: {settled}")
        assert {status for (kind, status) in answers if kind in {"register", "cancel"}} <= {
            201,
            204,
        }
        assert settled["seats_taken"] == settled["confirmed"] <= settled["capacity"]
        assert settled["positions"] == list(range(1, len(settled["positions"]) + 1))
        # Nobody waits while a seat is free: no one here is anywhere else at that time.
        assert not settled["positions"] or settled["confirmed"] == settled["capacity"]
