import pytest

from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_log_in_star_register_and_find_both_in_my_agenda(page, live_server, site, clock):
    user = UserFactory(username="amelie", password="Summit-amelie-2025")
    PersonFactory(name="Amélie Durand", user=user, is_public=False)

    page.goto(f"{live_server.url}/ai/programme/")
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("amelie")
    page.get_by_label("Password").fill("Summit-amelie-2025")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/ai/programme/")  # back where the login started

    page.evaluate("window.scrollTo(0, 300)")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 0
    star = page.get_by_role("button", name="Star “Panel on trustworthy AI governance”: Star")
    star.click()
    pressed = page.locator(f"#session-{site['sessions']['panel'].pk} .star-button")
    pressed.wait_for(state="attached")
    page.wait_for_function(
        "id => document.querySelector(`#session-${id} .star-button`).getAttribute('aria-pressed') === 'true'",
        arg=site["sessions"]["panel"].pk,
    )
    # No reload, no jump.
    assert (page.url, page.evaluate("window.scrollY")) == (
        f"{live_server.url}/ai/programme/",
        scrolled,
    )

    page.get_by_role("link", name="AI in health and science").first.click()
    page.get_by_role("button", name="Register").click()
    assert "You have a seat." in page.locator("main").inner_text()

    page.get_by_role("link", name="My agenda").click()
    agenda = page.locator("main").inner_text()
    assert "Panel on trustworthy AI governance" in agenda and "Starred" in agenda
    assert "AI in health and science" in agenda and "Seat confirmed" in agenda


def test_starring_works_without_javascript(browser, live_server, site):
    user = UserFactory(username="rahul", password="Summit-rahul-2025")
    PersonFactory(user=user)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("rahul")
    page.get_by_label("Password").fill("Summit-rahul-2025")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/ai/programme/")
    page.get_by_role("button", name="Star “Visit to Station F”: Star").click()
    assert page.url.endswith(f"/ai/programme/#session-{site['sessions']['visit'].pk}")
    assert page.get_by_role("button", name="Unstar “Visit to Station F”: Starred").is_visible()
    context.close()
