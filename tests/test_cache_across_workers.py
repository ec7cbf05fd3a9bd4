"""Two gunicorn workers, each with its own cache in memory: a change made anywhere (another
process writing in bulk, the API) shows on the very next request to either worker, because
the version renderings are cached under lives in the database."""

import urllib.request

import pytest

from tests.live import environment, free_port, gunicorn, manage, own_database

SEED = """
from datetime import date, datetime, time
from zoneinfo import ZoneInfo
from agenda.models import Room, Session, Summit, Venue
paris = ZoneInfo("Europe/Paris")
day = date(2025, 2, 10)
summit = Summit.objects.create(name="Twin", slug="twin", start_date=day, end_date=day)
room = Room.objects.create(venue=Venue.objects.create(summit=summit, name="GP", slug="gp"), name="Nef", slug="nef")
Session.objects.create(summit=summit, room=room, title="First title", slug="talk", kind="panel",
    start=datetime.combine(day, time(10), tzinfo=paris), end=datetime.combine(day, time(11), tzinfo=paris))
"""
RENAME = """
from agenda.models import Session
Session.objects.filter(slug="talk").update(title="Second title")
"""

URLS = ["/twin/programme.ics", "/twin/programme/", "/twin/schedule.json"]


def fetch(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as answer:
        return answer.read().decode()


@pytest.mark.django_db(transaction=True)
def test_a_change_shows_on_the_next_request_to_any_worker(tmp_path):
    with own_database(tmp_path, prefix="twin") as url:
        # DEBUG on spares collecting the static files the page links to (minutes on a busy
        # machine); what is cached, and where, is the same.
        env = environment(url, DEBUG="1")
        manage(env, "migrate", "--noinput")
        manage(env, "shell", "-c", SEED)
        port = free_port()
        with gunicorn(env, port, log=tmp_path / "gunicorn.log", workers=2):
            # Enough requests for both workers to keep each rendering.
            for _ in range(12):
                for path in URLS:
                    assert "First title" in fetch(port, path)
            manage(env, "shell", "-c", RENAME)
            for _ in range(12):
                for path in URLS:
                    answer = fetch(port, path)
                    assert "Second title" in answer and "First title" not in answer, path
