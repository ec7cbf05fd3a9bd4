"""axe over every page the project's own templates render, as visitors, attendees and staff
see them, at a desktop and a phone width: no serious or critical violation. Pages are listed
by role; add a page by adding its address."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from agenda.demo import load_demo
from meetings.models import Meeting

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [1366, 390]
LOGINS = {"attendee": ("rahul", "summit-rahul-2025"), "staff": ("staff", "summit-staff-2025")}


@pytest.fixture
def demo():
    summit = load_demo().summit
    session = (
        summit.sessions.filter(visibility="public", roles__person__is_public=True)
        .order_by("start")
        .first()
    )
    person = session.roles.filter(person__is_public=True).first().person
    user = get_user_model().objects.get(username="rahul")
    meeting = Meeting.objects.filter(participants__person__user=user).first()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    reset = f"/accounts/reset/{uid}/{default_token_generator.make_token(user)}/"
    home = f"/{summit.slug}/"
    return {
        "visitor": [
            home,
            f"{home}programme/",
            f"{home}programme/grid/",
            f"{home}sessions/{session.slug}/",
            f"{home}people/",
            f"{home}people/{person.slug}/",
            f"{home}changes/",
            f"/fr{home}programme/",
            f"{home}no-such-page/",
            "/accounts/login/",
            "/accounts/password_reset/",
            "/accounts/password_reset/done/",
            reset,
            "/accounts/reset/done/",
        ],
        "attendee": [
            home,
            f"{home}programme/",
            f"{home}sessions/{session.slug}/",
            "/me/",
            "/me/calendar/",
            "/me/meetings/",
            f"/me/meetings/{meeting.pk}/",
        ],
        "staff": [
            f"{home}programme/",
            "/me/",
            f"/admin/agenda/summit/{summit.pk}/timetable/",
            f"/admin/agenda/summit/{summit.pk}/release/",
        ],
    }


def serious_violations(page) -> list:
    results = Axe().run(page)
    return [
        (violation["id"], violation["help"], [node["target"] for node in violation["nodes"]])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def open_as(browser, live_server, role, width):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="en-GB", timezone_id="Europe/Paris"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    if role in LOGINS:
        username, password = LOGINS[role]
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        page.locator("main").get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ["visitor", "attendee", "staff"])
def test_every_page_has_no_serious_accessibility_violation(browser, live_server, demo, role, width):
    context, page = open_as(browser, live_server, role, width)
    found = {}
    for path in demo[role]:
        page.goto(f"{live_server.url}{path}")
        found[path] = serious_violations(page)
    context.close()
    assert {path: violations for path, violations in found.items() if violations} == {}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("template", ["403.html", "500.html"])
def test_the_error_pages_have_no_serious_accessibility_violation(
    browser, live_server, demo, template, width
):
    context, page = open_as(browser, live_server, "visitor", width)
    page.goto(f"{live_server.url}/accounts/login/")  # the site's address, for its stylesheets
    page.set_content(render_to_string(template))
    assert page.locator("h1").count() == 1
    assert serious_violations(page) == []
    context.close()
