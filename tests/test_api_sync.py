"""A client using only the API mirrors the programme exactly, then keeps it in sync through
moves, cancellations, deletions and sessions hidden from the public."""

import importlib.util
from pathlib import Path

import pytest
from django.conf import settings

from agenda.models import Session
from tests.api_helpers import api
from tests.factories import SessionFactory, paris

spec = importlib.util.spec_from_file_location(
    "mirror_programme", Path(settings.BASE_DIR) / "scripts" / "mirror_programme.py"
)
mirror_programme = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mirror_programme)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def fetcher(client):
    def fetch(url):
        response = client.get(url.replace("http://testserver", ""))
        assert response.status_code == 200, response.content
        return response.json()

    return fetch


def server_programme(client):
    mirror = mirror_programme.ProgrammeMirror(fetcher(client), "http://testserver")
    mirror.sync()
    return mirror.sessions


def change(session, **fields):
    session = Session.objects.get(pk=session.pk)
    for name, value in fields.items():
        setattr(session, name, value)
    session.save()


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_an_api_client_mirrors_the_programme_through_every_kind_of_change(site, staff_user, who):
    client = api(staff_user if who == "staff" else None)
    mirror = mirror_programme.ProgrammeMirror(fetcher(client), "http://testserver")
    mirror.sync()
    assert mirror.sessions == server_programme(client)
    sessions = site["sessions"]

    change(sessions["panel"], start=paris(10, 9), end=paris(10, 9, 45))
    change(sessions["visit"], status=Session.Status.CANCELLED)
    Session.objects.get(pk=sessions["health"].pk).delete()
    change(sessions["energy"], visibility=Session.Visibility.INVITATION)
    SessionFactory(
        summit=site["summit"],
        room=sessions["visit"].room,
        slug="new",
        title="New session",
        start=paris(11, 15),
        end=paris(11, 16),
    )
    transferred = mirror.sync()

    assert mirror.sessions == server_programme(client)
    assert transferred < len(mirror.sessions) + 2  # only what changed travelled
    held = {s["slug"]: s for s in mirror.sessions.values()}
    assert held["panel"]["start"] == "2025-02-10T09:00:00+01:00"
    assert held["visit"]["status"] == "cancelled"
    assert "health" not in held
    assert ("energy" in held) is (who == "staff")

    # Shown again after being hidden: the newer change wins over the older removal.
    change(sessions["energy"], visibility=Session.Visibility.PUBLIC)
    mirror.sync()
    assert mirror.sessions == server_programme(client)
    assert "energy" in {s["slug"] for s in mirror.sessions.values()}


def test_the_mirror_state_survives_a_restart(site):
    client = api()
    first = mirror_programme.ProgrammeMirror(fetcher(client), "http://testserver")
    first.sync()
    again = mirror_programme.ProgrammeMirror(fetcher(client), "http://testserver", first.state())
    change(site["sessions"]["panel"], title="Renamed panel")
    assert again.sync() in {1, 2}  # the change, and perhaps one within the overlap
    assert again.sessions == server_programme(client)
