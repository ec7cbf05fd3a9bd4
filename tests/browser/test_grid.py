"""The timetable grid in Chromium: nothing clipped, nine rooms in 1366 px, headers that stay,
the line of the current time, and a list on phones."""

from datetime import datetime, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import (
    PARIS,
    RoomFactory,
    SessionFactory,
    SummitFactory,
    TrackFactory,
    UserFactory,
    VenueFactory,
    paris,
)

pytestmark = pytest.mark.django_db(transaction=True)

GRID = "/crowded/programme/grid/?day=2025-02-10"
ROOMS = {
    "Grand Palais": [
        "Nef",
        "Salon d'Honneur",
        "Salle Clemenceau",
        "Salle Jean Perrin",
        "Bilateral Room 1",
        "Bilateral Room 2",
    ],
    "Station F": ["Main Hall (Shed)", "Workshop Room", "Meeting Room Ada"],
}


@pytest.fixture
def crowded(db):
    """Nine rooms in use on the first day, each with a session of a quarter of an hour and a
    long title, then three quarters of an hour; a tenth room used only on the second day."""
    summit = SummitFactory(name="AI Action Summit", slug="crowded")
    governance = TrackFactory(summit=summit, name="Governance & Trust", colour="#1f4e79")
    sessions = []
    for venue_name, room_names in ROOMS.items():
        venue = VenueFactory(summit=summit, name=venue_name)
        for position, name in enumerate(room_names):
            room = RoomFactory(venue=venue, name=name, position=position)
            n = len(sessions) // 3 + 1
            sessions += [
                SessionFactory(
                    room=room,
                    track=governance,
                    title=f"Update on the Code of Practice for general-purpose AI, part {n}",
                    start=paris(10, 9),
                    end=paris(10, 9, 15),
                ),
                SessionFactory(
                    room=room,
                    title=f"Towards a Global Dialogue on AI governance, round {n}",
                    start=paris(10, 9, 15),
                    end=paris(10, 10),
                ),
                SessionFactory(
                    room=room,
                    title=f"Leaders' plenary on inclusive and sustainable AI, {n}",
                    start=paris(10, 14),
                    end=paris(10, 17, 30),
                ),
            ]
    idle = RoomFactory(venue=venue, name="Salle des Fêtes", position=9)
    SessionFactory(room=idle, start=paris(11, 9), end=paris(11, 10))
    return sessions


@pytest.fixture
def open_grid(browser, live_server):
    """Opens the crowded grid in a window `width` wide, for a logged-in reader or a visitor,
    with the browser's clock at `moment` when given; each window closed after the test."""
    contexts = []

    def open_grid(*, width, reader=False, moment=None):
        context = browser.new_context(
            viewport={"width": width, "height": 800}, locale="en-GB", timezone_id="Europe/Paris"
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        if moment is not None:
            page.clock.install(time=moment)
        if reader:
            UserFactory(username="amelie", password="Summit-amelie-2025")
            page.goto(f"{live_server.url}/accounts/login/")
            page.get_by_label("Username").fill("amelie")
            page.get_by_label("Password").fill("Summit-amelie-2025")
            page.get_by_role("button", name="Log in").click()
            page.wait_for_load_state()
        page.goto(f"{live_server.url}{GRID}")
        return page

    yield open_grid
    for context in contexts:
        context.close()


# For each box, each control and text in it that is not wholly inside the box, or that a box
# around it clips: its box's title, what it is, and why.
CLIPPED = """
() => {
  const inside = (inner, outer) =>
    inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5 &&
    inner.top >= outer.top - 0.5 && inner.bottom <= outer.bottom + 0.5;
  const found = [];
  for (const box of document.querySelectorAll(".tt-session")) {
    const title = (box.querySelector(".tt-title") || box).textContent.trim();
    const outer = box.getBoundingClientRect();
    if (box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1)
      found.push([title, "box", "overflows"]);
    const parts = box.querySelectorAll(
      "a, button, input:not([type=hidden]), select, textarea, [tabindex], .tt-meta, .track-label"
    );
    for (const part of parts) {
      const rect = part.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) found.push([title, part.className, "empty"]);
      if (!inside(rect, outer)) found.push([title, part.className, "outside"]);
      for (let node = part.parentElement; node && node !== document.body; node = node.parentElement) {
        const style = getComputedStyle(node);
        if ((style.overflowX !== "visible" || style.overflowY !== "visible") &&
            !inside(rect, node.getBoundingClientRect()))
          found.push([title, part.className, "clipped by " + node.className]);
      }
    }
  }
  return found;
}
"""


@pytest.mark.parametrize("reader", [False, True], ids=["visitor", "reader"])
def test_every_control_and_text_of_every_box_is_inside_its_box(open_grid, crowded, reader):
    page = open_grid(width=1366, reader=reader)
    assert page.locator(".tt-session").count() == len(crowded)
    assert page.locator(".tt-session .star-button").count() == (len(crowded) if reader else 0)
    assert page.evaluate(CLIPPED) == []


def test_each_control_is_in_view_and_uncovered_when_it_has_the_focus(open_grid, crowded):
    page = open_grid(width=1366, reader=True)
    controls = page.locator(".tt-session a, .tt-session button")
    assert controls.count() == 2 * len(crowded)
    hidden = []
    for index in range(controls.count()):
        control = controls.nth(index)
        # Scrolled just under the top of the window, where the sticky head is, as after
        # scrolling down with the mouse and then going back with Shift+Tab.
        control.evaluate("node => window.scrollBy(0, node.getBoundingClientRect().top - 10)")
        control.focus()
        seen = control.evaluate(
            "node => { const r = node.getBoundingClientRect();"
            " const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);"
            " return r.top >= 0 && r.bottom <= innerHeight && node.contains(top); }"
        )
        if not seen:
            hidden.append(index)
    assert hidden == []


def test_nine_rooms_fit_in_1366_pixels_and_the_idle_room_is_left_out(open_grid, crowded):
    page = open_grid(width=1366, reader=True)
    rooms = page.locator(".tt-room").all_inner_texts()
    assert rooms == [name for names in ROOMS.values() for name in names]
    assert page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    ) == [1366, 1366]
    right = page.locator(".timetable").evaluate("node => node.getBoundingClientRect().right")
    assert right <= 1366
    assert page.locator(".tt-idle").inner_text() == (
        "Not in use on this day: Salle des Fêtes (Station F)."
    )


def test_room_names_stay_in_view_when_the_day_scrolls(open_grid, crowded):
    page = open_grid(width=1366)
    assert page.evaluate("window.scrollTo(0, 900); window.scrollY") == 900
    tops = page.locator(".tt-room").evaluate_all(
        "nodes => nodes.map(node => Math.round(node.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == 1 and 0 <= tops[0] < 80
    # What sits right under the names is the head, not a session scrolled beneath it.
    covered = page.locator(".tt-room").evaluate_all(
        "nodes => nodes.filter(node => { const r = node.getBoundingClientRect();"
        " return !node.contains(document.elementFromPoint(r.left + 4, r.top + 4)); }).length"
    )
    assert covered == 0


def test_each_box_tells_a_screen_reader_its_room_and_time(open_grid, crowded):
    page = open_grid(width=1366)
    found = page.locator(".tt-session").evaluate_all(
        """boxes => boxes.map(box => {
          const r = box.getBoundingClientRect(), middle = r.left + r.width / 2;
          const head = [...document.querySelectorAll('.tt-room')].find(room => {
            const h = room.getBoundingClientRect();
            return h.left <= middle && middle <= h.right;
          });
          return [box.querySelector('.tt-title').textContent, box.getAttribute('role'),
                  box.getAttribute('aria-label'), head.textContent];
        })"""
    )
    expected = [
        [
            s.title,
            "group",
            f"{s.room.name}, {s.room.venue.name}, "
            f"{s.start.astimezone(PARIS):%H:%M}–{s.end.astimezone(PARIS):%H:%M}",
            s.room.name,
        ]
        for s in crowded
    ]
    assert sorted(found) == sorted(expected)


@pytest.mark.parametrize(
    ("moment", "between"),
    [
        (datetime(2025, 2, 10, 9, 40, tzinfo=PARIS), ("09:30", "10:00", 1 / 3)),
        (datetime(2025, 2, 10, 15, 15, tzinfo=PARIS), ("15:00", "15:30", 1 / 2)),
        (datetime(2025, 2, 10, 8, 0, tzinfo=PARIS), None),
        (datetime(2025, 2, 11, 9, 40, tzinfo=PARIS), None),
    ],
    ids=["morning", "afternoon", "before", "next-day"],
)
def test_the_now_line_marks_the_current_time_only_during_the_day(
    open_grid, crowded, moment, between
):
    page = open_grid(width=1366, moment=moment)
    line = page.locator(".tt-now")
    if between is None:
        assert line.is_hidden()
        return
    assert line.is_visible()
    assert line.inner_text() == "Now"
    earlier, later, fraction = between

    def top(label):
        return page.locator(".tt-time", has_text=label).evaluate(
            "node => node.getBoundingClientRect().top"
        )

    expected = top(earlier) + fraction * (top(later) - top(earlier))
    assert line.evaluate("node => node.getBoundingClientRect().top") == pytest.approx(
        expected, abs=1.5
    )


def test_the_now_line_moves_with_the_clock(open_grid, crowded):
    page = open_grid(width=1366, moment=datetime(2025, 2, 10, 9, 30, tzinfo=PARIS))
    line = page.locator(".tt-now")
    before = line.evaluate("node => node.getBoundingClientRect().top")
    page.clock.run_for(timedelta(minutes=15).total_seconds() * 1000)
    after = line.evaluate("node => node.getBoundingClientRect().top")
    half_hour = page.locator(".tt-time", has_text="10:00").evaluate(
        "node => node.getBoundingClientRect().top"
    )
    assert after - before == pytest.approx((half_hour - before) / 2, abs=1.5)


def test_a_phone_gets_the_day_as_a_list_without_sideways_scroll(open_grid, crowded):
    page = open_grid(width=390, reader=True)
    assert page.locator(".timetable").is_hidden()
    assert page.locator(".tt-idle").is_hidden()
    titles = page.locator(".timetable-list .session-title a").all_inner_texts()
    assert sorted(titles) == sorted(s.title for s in crowded)
    assert page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    ) == [390, 390]


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("reader", [False, True], ids=["visitor", "reader"])
def test_the_grid_has_no_serious_accessibility_violations(open_grid, crowded, width, reader):
    page = open_grid(
        width=width,
        reader=reader,
        moment=datetime(2025, 2, 10, 9, 40, tzinfo=PARIS),
    )
    results = Axe().run(page)
    serious = [
        (violation["id"], [node["target"] for node in violation["nodes"]])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert serious == []


def test_times_stay_on_the_left_when_a_narrow_window_scrolls_sideways(open_grid, crowded):
    page = open_grid(width=900)
    scrolled = page.evaluate("window.scrollTo(10000, 600); [window.scrollX, window.scrollY]")
    assert scrolled[0] > 100 and scrolled[1] == 600
    times = page.locator(".tt-time").evaluate_all(
        """nodes => nodes.filter(node => {
          const r = node.getBoundingClientRect();
          const head = document.querySelector('.tt-head').getBoundingClientRect();
          return r.top > head.bottom && r.top + 8 < innerHeight;
        }).map(node => {
          const r = node.getBoundingClientRect();
          return [Math.round(r.left), node.contains(document.elementFromPoint(r.left + 8, r.top + 8))];
        })"""
    )
    assert times and {tuple(seen) for seen in times} == {(0, True)}
    # The head covers every column, the last included.
    last = page.locator(".tt-room").last.evaluate(
        "node => { const r = node.getBoundingClientRect();"
        " return node.contains(document.elementFromPoint(r.right - 4, r.top + 4)); }"
    )
    assert last is True


def test_staff_see_a_reserved_room_as_a_box_named_by_its_room_that_clips_nothing(
    page, live_server, site, staff_user
):
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("staffer")
    page.get_by_label("Password").fill("pw-staffer-123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/ai/programme/grid/?day=2025-02-11")
    reserved = page.get_by_role("group", name="Salon, Grand Palais, 15:00–15:30")
    assert reserved.inner_text().split("\n")[0] == "15:00–15:30"
    assert reserved.get_by_role("link").inner_text() == "confidential meeting"
    assert "SECRET" not in page.locator(".timetable").inner_text()
    assert page.evaluate(CLIPPED) == []
