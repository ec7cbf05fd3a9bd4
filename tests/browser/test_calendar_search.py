import pytest
from axe_playwright_python.sync_playwright import Axe

from agenda.models import FeedToken
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [1366, 390]


def serious_violations(page):
    results = Axe().run(page)
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def overflows(page):
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def logged_in(browser, live_server, width, **options):
    user = UserFactory(username="amelie", password="Summit-amelie-2025")
    PersonFactory(name="Amélie Durand", user=user, is_public=False)
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("amelie")
    page.get_by_label("Password").fill("Summit-amelie-2025")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    return context, page, user


@pytest.mark.parametrize("width", WIDTHS)
def test_a_new_calendar_link_is_copied_and_shown_as_a_qr_code(browser, live_server, site, width):
    context, page, _user = logged_in(
        browser, live_server, width, permissions=["clipboard-read", "clipboard-write"]
    )
    page.goto(f"{live_server.url}/me/calendar/")
    page.get_by_label("Device or calendar").fill("phone")
    page.get_by_role("button", name="Make a link").click()
    webcal = page.get_by_label("Link (webcal)").input_value()
    assert webcal.startswith("webcal://localhost:") and webcal.endswith(".ics")

    page.get_by_role("button", name="Copy the webcal link").click()
    page.get_by_text("Copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == webcal

    qr = page.get_by_role("img", name="QR code of your new calendar link")
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 120 and box["width"] == box["height"]
    assert box["x"] + box["width"] <= width
    assert not overflows(page)
    assert serious_violations(page) == []
    context.close()


def test_without_javascript_the_new_link_stays_selectable_text(browser, live_server, site):
    context, page, _user = logged_in(browser, live_server, 390, java_script_enabled=False)
    page.goto(f"{live_server.url}/me/calendar/")
    page.get_by_label("Device or calendar").fill("phone")
    page.get_by_role("button", name="Make a link").click()
    field = page.get_by_label("Link (https)")
    assert field.input_value().startswith("http://localhost:")
    assert field.get_attribute("readonly") == ""
    assert not page.get_by_role("button", name="Copy the https link").is_visible()
    assert page.get_by_role("img", name="QR code of your new calendar link").is_visible()
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_revoking_a_link_asks_first(browser, live_server, site, javascript):
    context, page, user = logged_in(browser, live_server, 390, java_script_enabled=javascript)
    token, _secret = FeedToken.issue(user=user, label="tablet")
    page.goto(f"{live_server.url}/me/calendar/")
    confirm = page.get_by_role("button", name="Yes, revoke “tablet”")
    assert not confirm.is_visible()
    page.get_by_text("Revoke “tablet”…").click()
    assert "This cannot be undone." in page.locator("details.confirm").inner_text()
    if javascript:  # axe runs in the page
        assert serious_violations(page) == []
    confirm.click()
    page.get_by_text("The link is revoked").wait_for()
    token.refresh_from_db()
    assert token.is_active is False
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_session_is_added_to_google_calendar_as_an_event(browser, live_server, site, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/ai/sessions/health/")
    google = page.get_by_role("link", name="Add to Google Calendar")
    assert google.get_attribute("href").startswith(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text=AI%20in%20health"
        "%20and%20science&dates=20250210T133000Z%2F20250210T150000Z"
    )
    outlook = page.get_by_role("link", name="Add to Outlook.com")
    assert outlook.get_attribute("href").startswith(
        "https://outlook.live.com/calendar/0/deeplink/compose?"
    )
    assert not overflows(page)
    assert serious_violations(page) == []
    context.close()


def test_on_a_phone_the_filters_fold_behind_a_button_that_counts_them(browser, live_server, site):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/ai/programme/?track=science&day=2025-02-10")
    fold = page.locator("summary", has_text="Filters")
    assert fold.inner_text() == "Filters (2)"
    assert not page.get_by_label("Track").is_visible()
    fold.click()
    assert page.get_by_label("Track").is_visible()
    page.get_by_label("Kind").select_option("workshop")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**kind=workshop*")
    assert page.locator("summary", has_text="Filters").inner_text() == "Filters (3)"
    assert page.locator(".session-title a").all_inner_texts() == ["AI in health and science"]
    assert not overflows(page)
    assert serious_violations(page) == []
    context.close()


def test_on_a_wide_screen_the_filters_are_in_view(browser, live_server, site):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/ai/programme/?track=science")
    assert not page.locator(".filter-fold > summary").is_visible()
    assert page.get_by_label("Track").is_visible()
    page.get_by_label("Day", exact=True).select_option("2025-02-10")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**day=2025-02-10*")
    # The subscription says what it holds: two filters have no calendar of their own.
    assert "This subscribes to the whole programme" in page.locator(".subscription").inner_text()
    assert serious_violations(page) == []
    context.close()


def test_the_subscription_of_a_track_is_that_track(page, live_server, site):
    page.goto(f"{live_server.url}/ai/programme/?track=science")
    subscription = page.locator(".subscription")
    assert "This subscribes to the track “Science”" in subscription.inner_text()
    webcal = subscription.get_by_role("link", name="Subscribe (webcal)")
    assert webcal.get_attribute("href") == f"webcal://{live_server.url[7:]}/ai/tracks/science.ics"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_header_search_finds_sessions_and_people(browser, live_server, site, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/ai/")
    page.get_by_role("searchbox", name="Search sessions and people").fill("virkkunen")
    page.get_by_role("search", name="Search the summit").get_by_role("button").click()
    page.wait_for_url("**/ai/search/?q=virkkunen")
    assert page.locator("h1").inner_text() == "Search"
    assert page.locator(".people .card-title").all_inner_texts() == ["Henna Virkkunen"]
    assert page.locator(".session-title a").all_inner_texts() == [
        "Panel on trustworthy AI governance",
        "Visit to Station F",
    ]
    assert not overflows(page)
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/fr/ai/search/?q=virkkunen")
    assert page.locator("h1").inner_text() == "Rechercher"
    assert serious_violations(page) == []
    context.close()


@pytest.mark.parametrize("width", [1366, 390, 320])
def test_the_directory_finds_a_name_and_reflows(browser, live_server, site, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/ai/people/")
    page.get_by_label("Name").fill("VIRK")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**name=VIRK*")
    assert page.locator(".people .card-title").all_inner_texts() == ["Henna Virkkunen"]
    assert not overflows(page)
    for control in ("Name", "Organisation", "Country"):
        box = page.get_by_label(control).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert serious_violations(page) == []
    context.close()
