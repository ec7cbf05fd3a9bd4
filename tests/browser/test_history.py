"""Staff read the history of a session and bring a deleted one back, in Chromium under the
site's Content-Security-Policy, on a laptop and on a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from agenda.models import Session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def serious_violations(page):
    results = Axe().run(page)
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("width", [1366, 390])
def test_staff_delete_a_session_read_its_history_and_restore_it(browser, live_server, site, width):
    UserFactory(username="staff", password="Summit-staff-2025", is_staff=True, is_superuser=True)
    context = browser.new_context(
        locale="en-GB", timezone_id="Europe/Paris", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill("Summit-staff-2025")
    page.get_by_role("button", name="Log in").click()
    panel = site["sessions"]["panel"]
    pk, people = panel.pk, sorted(panel.people.values_list("name", flat=True))

    page.goto(f"{live_server.url}/admin/agenda/session/{pk}/delete/")
    page.get_by_role("button", name="Yes, I’m sure").click()
    page.get_by_role("link", name="Recover deleted sessions").click()
    assert serious_violations(page) == []
    page.locator("#deleted-items").get_by_role("link", name=panel.title).click()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Yes, restore it").click()

    assert "is back, as it was when it was deleted" in page.locator(".messagelist").inner_text()
    assert sorted(Session.objects.get(pk=pk).people.values_list("name", flat=True)) == people
    page.get_by_role("link", name="History").first.click()
    rows = page.locator("#change-history tbody tr")
    assert [rows.nth(i).locator("td").nth(2).inner_text().strip() for i in range(3)] == [
        "Restored",
        "Deleted",
        "Created",
    ]
    assert serious_violations(page) == []
    rows.nth(0).get_by_role("link").click()
    # `is_visible` does not wait: on a busy machine the version's page was not there yet.
    read_only = page.get_by_text("This version is read only.")
    read_only.wait_for()
    assert read_only.is_visible()
    assert serious_violations(page) == []
    context.close()
