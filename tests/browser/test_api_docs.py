"""The API's documentation (Swagger UI) runs under the site's Content-Security-Policy."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_swagger_ui_shows_the_operations_and_tries_one(page, live_server, site):
    page.goto(f"{live_server.url}/api/docs/")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".info .title").inner_text().startswith("Summit API")
    summits = page.locator(".opblock-get", has_text="/api/v1/summits/").first
    summits.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table .response .response-col_status")
    assert status.inner_text() == "200"
    assert (
        "AI Action Summit" in page.locator(".live-responses-table .microlight").first.inner_text()
    )
