import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.django_db(transaction=True)


def test_browse_filter_open_a_session_and_switch_to_french(page, live_server, site):
    page.goto(f"{live_server.url}/ai/programme/")
    assert page.locator("h1").inner_text() == "Programme"

    page.get_by_label("Track").select_option("science")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/ai/programme/?*track=science*")
    titles = page.locator(".session-title a").all_inner_texts()
    assert titles == ["AI in health and science", "AI and energy"]

    page.get_by_role("link", name="AI in health and science").click()
    assert page.locator("h1").inner_text() == "AI in health and science"
    assert "30 seats left" in page.locator(".facts").inner_text()

    page.get_by_role("link", name="Français").click()
    page.wait_for_url("**/fr/ai/sessions/health/")
    assert page.locator("html").get_attribute("lang") == "fr"
    facts = page.locator(".facts").inner_text()
    assert "Quand" in facts and "10 février 2025, 14 h 30" in facts
    assert page.get_by_role("link", name="Programme").is_visible()


def test_the_visitor_sees_their_own_time_zone_where_it_differs(browser, live_server, site):
    context = browser.new_context(locale="en-US", timezone_id="America/New_York")
    page = context.new_page()
    page.goto(f"{live_server.url}/ai/sessions/health/")
    local = page.locator(".local-time")
    assert local.is_visible()
    assert "8:30" in local.inner_text() and "Your time" in local.inner_text()
    context.close()


def test_a_phone_gets_the_list_instead_of_the_grid(browser, live_server, site):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/ai/programme/grid/")
    assert not page.locator(".timetable").is_visible()
    assert (
        page.locator(".timetable-list")
        .get_by_role("link", name="AI in health and science")
        .is_visible()
    )
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/ai/",
        "/ai/programme/",
        "/ai/programme/grid/",
        "/ai/sessions/health/",
        "/ai/people/virkkunen/",
        "/ai/people/",
        "/fr/ai/programme/",
    ],
)
def test_pages_have_no_serious_accessibility_violations(page, live_server, site, path):
    page.goto(f"{live_server.url}{path}")
    results = Axe().run(page)
    serious = [
        (violation["id"], violation["help"], [node["target"] for node in violation["nodes"]])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert serious == []


def test_the_timetable_is_laid_out_and_coloured_under_the_policy(browser, live_server, site):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/ai/programme/grid/?day=2025-02-10")
    panel = page.locator(".tt-session", has_text="Panel on trustworthy AI governance")
    placed = panel.evaluate(
        "node => { const style = getComputedStyle(node);"
        " return [style.gridColumnStart, style.gridRowStart, style.gridRowEnd,"
        " style.borderLeftColor]; }"
    )
    # Nef is the first room; 10:00 is the first row (the room names head a grid of their
    # own); an hour is twelve rows of five minutes; the governance track is #1f4e79.
    assert placed == ["2", "1", "13", "rgb(31, 78, 121)"]
    context.close()
