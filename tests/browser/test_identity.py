"""The summit's identity as browsers show it: its colours under the policy, its logo, a
header that keeps to little height on a phone."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db(transaction=True)

LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40">'
    b'<rect width="120" height="40" fill="#fff"/></svg>'
)


@pytest.fixture
def branded(site):
    summit = site["summit"]
    summit.primary_colour = "#1d2b64"
    summit.accent_colour = "#c8102e"
    summit.logo.save("mark.svg", SimpleUploadedFile("mark.svg", LOGO))
    return summit


# On a phone the French navigation takes a second line rather than hiding links.
@pytest.mark.parametrize(("width", "tallest"), [(1366, 80), (390, 120)])
def test_the_header_wears_the_summits_colours_and_logo_in_little_height(
    browser, live_server, branded, width, tallest
):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    for path in ("/ai/", "/ai/programme/", "/ai/people/virkkunen/", "/fr/ai/sessions/health/"):
        page.goto(f"{live_server.url}{path}")
        header = page.locator(".site-header")
        colours = header.evaluate(
            "h => [getComputedStyle(h).backgroundColor, getComputedStyle(h).borderBottomColor]"
        )
        logo = page.get_by_role("img", name="AI Action Summit")
        assert colours == ["rgb(29, 43, 100)", "rgb(200, 16, 46)"], path
        assert logo.evaluate("img => img.complete && img.naturalWidth") == 120, path
        assert header.bounding_box()["height"] <= tallest, path
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    context.close()


def test_every_link_of_the_phone_header_can_be_reached(browser, live_server, branded):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/fr/ai/programme/")
    names = ["Programme", "Grille horaire", "Personnes", "Modifications", "English", "Se connecter"]
    for name in names:
        link = page.locator(".site-header").get_by_role("link", name=name, exact=True)
        link.scroll_into_view_if_needed()
        assert link.is_visible(), name
    context.close()
