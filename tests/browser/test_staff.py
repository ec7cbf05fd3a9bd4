"""Staff at work in the admin, under the site's Content-Security-Policy: the calendar and
clock of the date fields, the autocomplete fields, inlines and the changelists."""

import pytest

from agenda.models import SessionRole
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff_page(page, live_server):
    UserFactory(username="staff", password="Summit-staff-2025", is_staff=True, is_superuser=True)
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill("Summit-staff-2025")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Site administration").wait_for()
    return page


def choose(page, field, text):
    """Pick `text` in the select2 autocomplete of `field`."""
    page.locator(f"#{field} + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).click()


def test_staff_edit_a_session_with_its_widgets_and_inlines(staff_page, live_server, site):
    page = staff_page
    panel = site["sessions"]["panel"]
    page.goto(f"{live_server.url}/admin/agenda/session/{panel.pk}/change/")
    assert page.get_by_text("Local time in Europe/Paris.").first.is_visible()

    page.locator("#calendarlink0").click()
    assert page.locator("#calendarbox0").is_visible()
    page.locator("#calendarbox0").get_by_role("link", name="Cancel").click()
    page.locator("#clocklink1").click()
    page.locator("#clockbox1").get_by_role("link", name="6 p.m.").click()
    assert page.locator("#id_end_1").input_value() == "18:00:00"

    choose(page, "id_track", "Science")
    with page.expect_popup() as opened:
        page.locator("#add_id_room").click()
    popup = opened.value
    popup.get_by_label("Venue").select_option(label="Grand Palais")
    popup.locator("#id_name_en").fill("Salon Jean Perrin")
    popup.get_by_role("button", name="Save", exact=True).click()
    popup.wait_for_event("close")
    assert (
        page.locator("#id_room option:checked").inner_text() == "Salon Jean Perrin (Grand Palais)"
    )
    page.get_by_role("button", name="Add another Session role").click()
    choose(page, "id_roles-3-person", "Minister Rossi")
    page.locator("#id_roles-3-role").select_option("moderator")
    page.get_by_role("button", name="Save and continue editing").click()
    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    panel.refresh_from_db()
    moderators = panel.roles.filter(role=SessionRole.Role.MODERATOR).count()
    assert (panel.room.name, panel.track.slug, moderators) == (
        "Salon Jean Perrin",
        "science",
        1,
    )


def test_staff_browse_changelists_with_filters_and_actions(staff_page, live_server, site):
    page = staff_page
    page.goto(f"{live_server.url}/admin/agenda/session/")
    page.get_by_role("link", name="Science", exact=True).click()
    page.locator("#changelist-search input[type=text]").fill("energy")
    page.locator("#changelist-search input[type=submit]").click()
    page.locator("input.action-select").first.check()
    assert "1 of 1 selected" in page.locator(".action-counter").inner_text()
    page.goto(f"{live_server.url}/admin/agenda/track/")
    assert page.get_by_role("link", name="Governance").is_visible()
    page.goto(f"{live_server.url}/admin/meetings/meeting/")
    page.get_by_role("link", name="SECRET-BILATERAL").click()
    page.get_by_role("link", name="Suggest slots").click()
    page.get_by_role("heading", name="Free slots for “SECRET-BILATERAL”").wait_for()
