"""Sixty attendees register and cancel at random for twenty seconds, through gunicorn with four
workers, for a workshop of forty seats, while staff edit that workshop (title, abstract, seats
raised and lowered) through the API and through the admin form. Afterwards the seat counter
equals the confirmed registrations, never passes the seats on offer, and the waiting list runs
1..n without gaps, as its attendees see it. On SQLite here; on PostgreSQL when the suite runs
on it, where a save that writes back the counter it read would lose the seats taken meanwhile.
"""

import json
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from html.parser import HTMLParser
from http.cookiejar import CookieJar

from tests.live import environment, free_port, gunicorn, manage, own_database

SECONDS = 20
ATTENDEES = 60
SEATS = 40
# Staff move the seats within what the room holds; lowering them below the seats taken at
# that moment is refused, which is a valid answer too.
CAPACITIES = [40, 42, 44, 46, 48]
MAX_ACTIONS = 2000
STAFF_PASSWORD = "race-staff-password-1"
LANDED = {
    ("register", "confirmed"),
    ("register", "waitlisted"),
    ("cancel", 204),
    ("API edit", 200),
    ("admin edit", "saved"),
}

SEED = f"""
import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token
from tests.factories import RoomFactory, SessionFactory, SummitFactory
paris = ZoneInfo("Europe/Paris")
day = timezone.localdate() + timedelta(weeks=6)
summit = SummitFactory(slug="race", start_date=day, end_date=day + timedelta(days=1))
workshop = SessionFactory(
    room=RoomFactory(venue__summit=summit, capacity=100), title="Workshop", slug="workshop",
    kind="workshop", capacity={SEATS},
    start=datetime.combine(day, time(14), tzinfo=paris),
    end=datetime.combine(day, time(15), tzinfo=paris),
)
User = get_user_model()
staff = User.objects.create_superuser("staff", "staff@example.org", "{STAFF_PASSWORD}")
tokens = [Token.objects.create(user=User.objects.create_user(f"attendee{{n}}")).key
          for n in range({ATTENDEES})]
print(json.dumps({{"session": workshop.pk, "tokens": tokens,
                  "staff_token": Token.objects.create(user=staff).key}}))
"""
STATE = """
import json
from agenda.models import Registration, Session
session = Session.objects.get(slug="workshop")
print(json.dumps({"seats_taken": session.seats_taken, "capacity": session.capacity,
    "confirmed": Registration.objects.filter(session=session, status="confirmed").count(),
    "waitlisted": Registration.objects.filter(session=session, status="waitlisted").count()}))
"""


class Race:
    """The clients' side of the race: what they did and what they were answered."""

    def __init__(self, port, session):
        self.base = f"http://127.0.0.1:{port}"
        self.session = session
        self.deadline = time.monotonic() + SECONDS
        self.answers = Counter()
        self.failures = []
        self.lock = threading.Lock()

    def running(self, actions):
        return actions < MAX_ACTIONS and time.monotonic() < self.deadline

    def count(self, what, status):
        with self.lock:
            self.answers[what, status] += 1

    def api(self, method, path, token, body=None):
        request = urllib.request.Request(
            self.base + path,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
            method=method,
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                content = response.read()
                return response.status, json.loads(content) if content else None
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors="replace")
            if error.code >= 500:
                with self.lock:
                    self.failures.append((method, path, error.code, body[:300]))
            return error.code, body

    def attendee(self, number, token):
        """Registers when not registered; cancels now and then. Five in six hold a seat
        or a place in line at any moment: more than the seats, so the line is used."""
        chance = random.Random(number)
        registered = False
        actions = 0
        while self.running(actions):
            actions += 1
            if not registered:
                registered = self.register(token)
            elif chance.random() < 0.2:
                status, _body = self.api(
                    "DELETE", f"/api/v1/me/registrations/{self.session}/", token
                )
                self.count("cancel", status)
                registered = status != 204
            time.sleep(chance.uniform(0.05, 0.3))
        # The last call: everyone wants a seat, so the race ends with a waiting list.
        if not registered:
            self.register(token)

    def register(self, token):
        status, body = self.api(
            "POST", "/api/v1/me/registrations/", token, {"session": self.session}
        )
        self.count("register", body["status"] if status == 201 else status)
        return status == 201

    def staff_through_the_api(self, token):
        chance = random.Random("api")
        actions = 0
        while self.running(actions):
            actions += 1
            status, _body = self.api(
                "PATCH",
                f"/api/v1/sessions/{self.session}/",
                token,
                {
                    "title": f"Workshop (API edit {actions})",
                    "abstract": f"Edited through the API, time {actions}.",
                    "capacity": chance.choice(CAPACITIES),
                },
            )
            self.count("API edit", status)
            time.sleep(chance.uniform(0, 0.05))

    def staff_through_the_admin(self):
        chance = random.Random("admin")
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        login = f"{self.base}/admin/login/"
        form = fields_of(browser.open(login, timeout=60).read().decode(), "login-form")
        form.update({"username": "staff", "password": STAFF_PASSWORD})
        with browser.open(login, urllib.parse.urlencode(form).encode(), timeout=60) as answer:
            assert answer.url == f"{self.base}/admin/", "the staff login failed"
        change = f"{self.base}/admin/agenda/session/{self.session}/change/"
        actions = 0
        while self.running(actions):
            actions += 1
            form = fields_of(browser.open(change, timeout=60).read().decode(), "session_form")
            form.update(
                {
                    "title_en": f"Workshop (admin edit {actions})",
                    "abstract_en": f"Edited in the admin, time {actions}.",
                    "capacity": str(chance.choice(CAPACITIES)),
                    "_save": "Save",
                }
            )
            try:
                with browser.open(change, urllib.parse.urlencode(form).encode(), timeout=60) as a:
                    # Saved: redirected to the list. Refused: the form again, with the reason.
                    status = "saved" if a.url != change else "refused"
            except urllib.error.HTTPError as error:
                status = error.code
            self.count("admin edit", status)
            time.sleep(chance.uniform(0, 0.05))


class FormFields(HTMLParser):
    """The fields a browser would send from one form of a page."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields = {}
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input" and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") not in {"checkbox", "radio"} or "checked" in attrs:
                self.fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.fields[self.textarea] = ""
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields[self.select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data


def fields_of(page, form_id):
    parser = FormFields(form_id)
    parser.feed(page)
    # The admin writes a newline after <textarea>, which browsers drop.
    return {
        name: value.removeprefix("\n") if isinstance(value, str) else value
        for name, value in parser.fields.items()
    }


def waiting_list_positions(race, tokens):
    """Each attendee's place in line, as the API tells them."""
    positions = []
    for token in tokens:
        status, registrations = race.api("GET", "/api/v1/me/registrations/", token)
        assert status == 200, registrations
        positions += [r["position"] for r in registrations if r["status"] == "waitlisted"]
    return sorted(positions)


def test_seats_stay_counted_while_attendees_race_and_staff_edit_the_workshop(tmp_path):
    with own_database(tmp_path, "race") as url:
        # The admin's pages name their assets through the manifest that collectstatic writes.
        env = environment(url, STATIC_ROOT=str(tmp_path / "static"))
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        seeded = json.loads(manage(env, "shell", "-c", SEED).strip().splitlines()[-1])
        port = free_port()
        with gunicorn(env, port, tmp_path / "gunicorn.log", workers=4):
            race = Race(port, seeded["session"])
            threads = [
                threading.Thread(target=race.attendee, args=(number, token))
                for number, token in enumerate(seeded["tokens"])
            ]
            threads.append(
                threading.Thread(target=race.staff_through_the_api, args=(seeded["staff_token"],))
            )
            threads.append(threading.Thread(target=race.staff_through_the_admin))
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=SECONDS + 120)
            positions = waiting_list_positions(race, seeded["tokens"])
        state = json.loads(manage(env, "shell", "-c", STATE).strip().splitlines()[-1])

    answers = dict(sorted(race.answers.items(), key=str))
    print(f"answers: {answers}; final state: {state}; waiting list: {positions}")
    print(f"server errors (first 5 of {len(race.failures)}): {race.failures[:5]}")
    print(f"server log: {tmp_path / 'gunicorn.log'}")
    # The race happened: seats taken, places in line, seats given up, staff edits of both kinds.
    assert LANDED & answers.keys() == LANDED
    assert {
        "counter": state["seats_taken"],
        "within the seats": state["confirmed"] <= state["capacity"],
        "waiting list": positions,
    } == {
        "counter": state["confirmed"],
        "within the seats": True,
        "waiting list": list(range(1, state["waitlisted"] + 1)),
    }
    # Every answer is a success or a refusal that says why: never a server error.
    assert {key: n for key, n in answers.items() if isinstance(key[1], int) and key[1] >= 500} == {}
