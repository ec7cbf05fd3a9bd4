"""The staff timetable editor on a crowded day: `make bench`.

300 sessions on one day in 20 rooms of two venues, each with two of 60 people. The page is
timed on the server, then loaded in Chromium: the number of DOM nodes, the time the script
takes to draw the grid and the time until it is drawn are printed."""

import os
import shutil
from datetime import timedelta

import pytest

from agenda.models import Session
from tests.factories import (
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    SummitFactory,
    UserFactory,
    VenueFactory,
    paris,
)

CHROMIUM = (
    os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def crowded_day():
    summit = SummitFactory(slug="ai")
    venues = [VenueFactory(summit=summit, slug=f"venue-{n}") for n in range(2)]
    rooms = [RoomFactory(venue=venues[n % 2], slug=f"room-{n}") for n in range(20)]
    people = [PersonFactory(slug=f"person-{n}") for n in range(60)]
    for n in range(300):
        start = paris(10, 8) + timedelta(minutes=45 * (n // 20))
        session = SessionFactory(
            summit=summit,
            room=rooms[n % 20],
            slug=f"session-{n}",
            title=f"Session {n}",
            start=start,
            end=start + timedelta(minutes=40),
        )
        SessionRoleFactory(session=session, person=people[n % 60])
        SessionRoleFactory(session=session, person=people[(n * 7 + 1) % 60], role="moderator")
    assert Session.objects.count() == 300
    UserFactory(username="staff", password="Summit-staff-2025", is_staff=True, is_superuser=True)
    return f"/admin/agenda/summit/{summit.pk}/timetable/?day=2025-02-10"


@pytest.mark.django_db
def test_the_server_renders_the_editor_of_a_crowded_day(benchmark, client):
    url = crowded_day()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = benchmark(client.get, url)
    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_chromium_draws_the_editor_of_a_crowded_day(benchmark, live_server, capsys):
    from playwright.sync_api import sync_playwright

    if CHROMIUM is None:
        pytest.skip("no Chromium found")
    url = crowded_day()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{live_server.url}/admin/login/")
        page.get_by_label("Username").fill("staff")
        page.get_by_label("Password").fill("Summit-staff-2025")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/admin/")

        def load():
            page.goto(f"{live_server.url}{url}")
            page.wait_for_function("window.timetableEditorReady")
            return page.evaluate(
                """() => ({
                  nodes: document.getElementsByTagName("*").length,
                  blocks: document.querySelectorAll(".tte-block[data-id]").length,
                  render: performance.getEntriesByName("timetable-render")[0].duration,
                  drawn: performance.getEntriesByName("timetable-render")[0].startTime
                    + performance.getEntriesByName("timetable-render")[0].duration,
                })"""
            )

        measured = benchmark.pedantic(load, rounds=5, iterations=1)
        browser.close()
    with capsys.disabled():
        print(
            f"\ntimetable editor, 300 sessions: {measured['nodes']} DOM nodes, "
            f"{measured['blocks']} blocks, grid drawn by the script in {measured['render']:.1f} ms, "
            f"{measured['drawn']:.0f} ms after navigation began"
        )
    assert measured["blocks"] == 300
