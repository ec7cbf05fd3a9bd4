"""Programme staff at the timetable editor, in Chromium under the site's
Content-Security-Policy: moving, resizing, placing and unscheduling sessions with the mouse
and the keyboard, the rules answered on the grid, and two editors at once."""

import icalendar
import pytest
from axe_playwright_python.sync_playwright import Axe

from agenda.models import Session
from tests.factories import SessionFactory, SessionRoleFactory, UserFactory, paris

pytestmark = pytest.mark.django_db(transaction=True)

# The grid's geometry (timetable-editor.js): a column of 140 px per room, 12 px per five
# minutes, from 08:00 on the days of the demo.
COL, ROW = 140, 12
ROOMS = {"Nef": 0, "Salon": 1, "Shed": 2}


OPEN = []


@pytest.fixture(autouse=True)
def closed_afterwards():
    """The editor polls the server every few seconds: its pages are closed with the test, or
    they would go on asking the live server during the tests after it."""
    yield
    while OPEN:
        OPEN.pop().close()


def log_in(browser, live_server):
    context = browser.new_context(
        locale="en-GB", timezone_id="Europe/Paris", viewport={"width": 1400, "height": 1000}
    )
    OPEN.append(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill("Summit-staff-2025")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Site administration").wait_for()
    return page


@pytest.fixture
def staff(db):
    return UserFactory(
        username="staff", password="Summit-staff-2025", is_staff=True, is_superuser=True
    )


def open_editor(page, live_server, site, day="2025-02-10"):
    page.goto(f"{live_server.url}/admin/agenda/summit/{site['summit'].pk}/timetable/?day={day}")
    page.wait_for_function("window.timetableEditorReady")


def block(page, title):
    return page.locator(".tte-block[data-id]", has_text=title)


def drag(page, handle, room, hour, minute=0, grab=(10, 4), hold=False):
    """Drag `handle` by the point `grab` inside it so that this point lands at `hour:minute`
    in `room` (or on the list of unscheduled sessions when room is None)."""
    box = handle.bounding_box()
    page.mouse.move(box["x"] + grab[0], box["y"] + grab[1])
    page.mouse.down()
    if room is None:
        target = page.locator("#tte-unscheduled").bounding_box()
        x, y = target["x"] + 20, target["y"] + 10
    else:
        body = page.locator(".tte-body").bounding_box()
        steps = ((hour - 8) * 60 + minute) // 5
        x, y = body["x"] + ROOMS[room] * COL + grab[0], body["y"] + steps * ROW + grab[1]
    page.mouse.move(box["x"] + grab[0] + 8, box["y"] + grab[1] + 8, steps=2)
    page.mouse.move(x, y, steps=8)
    if not hold:
        page.mouse.up()


def said(page, text):
    page.locator("#tte-live", has_text=text).wait_for()


def test_dragging_a_session_to_a_free_slot_moves_it_everywhere(browser, live_server, site, staff):
    page = log_in(browser, live_server)
    open_editor(page, live_server, site)
    drag(page, block(page, "Panel on trustworthy"), "Salon", 12)
    said(page, "Moved: Panel on trustworthy AI governance, 12:00–13:00, Salon")
    panel = Session.objects.get(slug="panel")
    assert (panel.start, panel.room.name, panel.sequence) == (paris(10, 12), "Salon", 1)

    public = page.context.browser.new_page()
    public.goto(f"{live_server.url}/ai/programme/?day=2025-02-10")
    listed = public.locator("li, tr, article", has_text="Panel on trustworthy AI governance")
    assert "12:00" in listed.last.inner_text()
    public.close()
    feed = icalendar.Calendar.from_ical(
        page.request.get(f"{live_server.url}/ai/sessions/panel.ics").body()
    )
    [event] = feed.walk("VEVENT")
    assert (event.decoded("dtstart"), event["sequence"], str(event["location"])) == (
        paris(10, 12),
        1,
        "Salon, Grand Palais, Paris",
    )


def test_a_drop_on_a_taken_room_is_refused_with_the_reason(browser, live_server, site, staff):
    page = log_in(browser, live_server)
    open_editor(page, live_server, site)
    drag(page, block(page, "Panel on trustworthy"), "Salon", 15)
    reason = page.locator(".tte-reason")
    reason.wait_for()
    assert reason.inner_text() == (
        "Salon (Grand Palais) is already taken by session “AI in health and science” "
        "at Mon 10 Feb 14:30–16:00."
    )
    assert Session.objects.get(slug="panel").start == paris(10, 10)
    assert block(page, "Panel on trustworthy").locator(".tte-time").inner_text() == "10:00–11:00"


def test_a_principal_in_two_places_is_a_warning_on_both_blocks(browser, live_server, site, staff):
    briefing = SessionFactory(
        summit=site["summit"],
        room=site["sessions"]["health"].room,
        slug="briefing",
        title="Commission briefing",
        start=paris(10, 12),
        end=paris(10, 13),
    )
    SessionRoleFactory(session=briefing, person=site["evp"], role="speaker")
    page = log_in(browser, live_server)
    open_editor(page, live_server, site)
    drag(page, block(page, "Panel on trustworthy"), "Nef", 12, 30, hold=True)
    # While held, the hour of the EVP's briefing is shaded, and the time shown moves along.
    assert page.locator(".tte-band:not(.tte-travel)").count() == 1
    assert block(page, "Panel on trustworthy").locator(".tte-time").inner_text() == "12:30–13:30"
    page.mouse.up()
    warnings = page.locator("#tte-warnings")
    warnings.get_by_text("Henna Virkkunen is already in session “Commission briefing”").wait_for()
    assert block(page, "Panel on trustworthy").locator(".tte-badge").inner_text() == "⚠ 1"
    assert block(page, "Commission briefing").locator(".tte-badge").inner_text() == "⚠ 1"
    assert Session.objects.get(slug="panel").start == paris(10, 10)

    warnings.get_by_role("button", name="Accept").click()
    said(page, "Moved: Panel on trustworthy AI governance, 12:30–13:30, Nef")
    assert page.locator(".tte-badge").count() == 0
    assert Session.objects.get(slug="panel").start == paris(10, 12, 30)


def test_a_session_is_moved_with_the_keyboard_alone(browser, live_server, site, staff):
    page = log_in(browser, live_server)
    open_editor(page, live_server, site)
    block(page, "Panel on trustworthy").focus()
    page.keyboard.press("Enter")
    said(page, "Picked up: Panel on trustworthy AI governance, 10:00–11:00, Nef")
    for _ in range(6):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Shift+ArrowRight")
    said(page, "Panel on trustworthy AI governance, 10:30–11:30, Salon")
    page.keyboard.press("Enter")
    said(page, "Moved: Panel on trustworthy AI governance, 10:30–11:30, Salon")
    panel = Session.objects.get(slug="panel")
    assert (panel.start, panel.room.name) == (paris(10, 10, 30), "Salon")

    page.keyboard.press("Enter")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Escape")
    said(page, "Cancel: Panel on trustworthy AI governance")
    assert Session.objects.get(slug="panel").start == paris(10, 10, 30)


def test_the_second_of_two_editors_is_refused_and_sees_the_first_change(
    browser, live_server, site, staff
):
    first = log_in(browser, live_server)
    second = log_in(browser, live_server)
    second.clock.install()  # its poll waits, so its copy of the panel is out of date
    open_editor(first, live_server, site)
    open_editor(second, live_server, site)
    drag(first, block(first, "Panel on trustworthy"), "Nef", 12)
    said(first, "Moved: Panel on trustworthy AI governance, 12:00–13:00, Nef")

    drag(second, block(second, "Panel on trustworthy"), "Shed", 9)
    said(second, "Someone else changed this session; the timetable shows their change.")
    assert block(second, "Panel on trustworthy").locator(".tte-time").inner_text() == "12:00–13:00"
    panel = Session.objects.get(slug="panel")
    assert (panel.start, panel.room.name) == (paris(10, 12), "Nef")

    # And an editor who waits sees the other's change within a few seconds.
    drag(first, block(first, "Panel on trustworthy"), "Nef", 13)
    said(first, "Moved: Panel on trustworthy AI governance, 13:00–14:00, Nef")
    second.clock.run_for(4000)
    second.locator(".tte-block[data-id] .tte-time", has_text="13:00–14:00").wait_for()


def test_resize_place_unschedule_and_undo(browser, live_server, site, staff):
    health = site["sessions"]["health"]
    health.status = Session.Status.UNSCHEDULED
    health.save()
    page = log_in(browser, live_server)
    open_editor(page, live_server, site)

    resize = block(page, "Panel on trustworthy").locator(".tte-resize")
    drag(page, resize, "Nef", 11, 30, grab=(20, 2))
    said(page, "Moved: Panel on trustworthy AI governance, 10:00–11:30, Nef")
    assert Session.objects.get(slug="panel").end == paris(10, 11, 30)

    placed = page.locator("#tte-unscheduled .tte-block", has_text="AI in health")
    drag(page, placed, "Shed", 9)
    said(page, "Moved: AI in health and science, 09:00–10:30, Shed")
    health.refresh_from_db()
    assert (health.status, health.start, health.end, health.room.name) == (
        "scheduled",
        paris(10, 9),
        paris(10, 10, 30),
        "Shed",
    )

    drag(page, block(page, "AI in health"), None, 0)
    said(page, "Moved: AI in health and science, Unscheduled")
    assert Session.objects.get(slug="health").status == "unscheduled"
    page.get_by_role("button", name="Undo").click()
    said(page, "Undone: AI in health and science, 09:00–10:30, Shed")
    assert Session.objects.get(slug="health").status == "scheduled"


def test_the_editor_has_no_serious_accessibility_violations(browser, live_server, site, staff):
    page = log_in(browser, live_server)
    open_editor(page, live_server, site)
    results = Axe().run(page)
    serious = [
        (violation["id"], violation["help"], [node["target"] for node in violation["nodes"]])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert serious == []
