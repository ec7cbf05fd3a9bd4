"""Staff import and export the programme in the browser, at a desk and on a phone, under the
Content-Security-Policy (the `browser` fixture fails a test on any violation), and with no
serious accessibility problem on the export page, the dry run and its errors.

axe checks those pages in a context of its own: on the pages that load the admin's jQuery,
axe-core's own probes add inline styles, which the policy blocks and the watch would report
as the page's."""

import pytest
import tablib
from axe_playwright_python.sync_playwright import Axe

from agenda.models import Session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [1366, 390]


def serious_violations(page):
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]])
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def logged_in(browser, live_server, width):
    UserFactory(username="staff", password="Summit-staff-2025", is_staff=True, is_superuser=True)
    context = browser.new_context(locale="en-GB", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill("Summit-staff-2025")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Site administration").wait_for()
    return context, page


@pytest.fixture
def staff_page(browser, live_server, request):
    context, page = logged_in(browser, live_server, request.param)
    yield page
    context.close()


BAD_CSV = (
    "summit,slug,title_en,kind,visibility,status,start,end,room\n"
    "ai,late,Late,panel,public,scheduled,2025-02-10T12:00,2025-02-10T11:00,nef\n"
    "ai,attic,Attic,panel,public,scheduled,2025-02-10T12:00,2025-02-10T13:00,attic\n"
)
GOOD_CSV = (
    "summit,slug,title_en,kind,visibility,status,start,end,room,people\n"
    "ai,busy,Busy,panel,public,scheduled,2025-02-10T10:30,2025-02-10T11:30,shed,virkkunen\n"
)


def upload(page, live_server, path):
    page.goto(f"{live_server.url}/admin/agenda/session/import/")
    page.get_by_label("Format").select_option("csv")
    page.get_by_label("File to import").set_input_files(path)
    page.get_by_role("button", name="Submit").click()


@pytest.mark.parametrize("staff_page", WIDTHS, indirect=True)
def test_staff_export_the_programme_and_import_it_back(staff_page, live_server, site, tmp_path):
    page = staff_page
    page.goto(f"{live_server.url}/admin/agenda/session/")
    page.get_by_role("link", name="Export").click()
    page.get_by_label("Select all").uncheck()
    page.get_by_label("Select all").check()
    page.get_by_label("Format").select_option("csv")
    with page.expect_download() as download:
        page.get_by_role("button", name="Submit").click()
    exported = tmp_path / "programme.csv"
    download.value.save_as(exported)
    rows = tablib.Dataset().load(exported.read_text(encoding="utf-8-sig"), format="csv")
    assert sorted(rows["slug"]) == ["closed", "energy", "health", "panel", "visit"]

    edited = tablib.Dataset(headers=rows.headers)
    for row in rows.dict:
        if row["slug"] == "visit":
            row["start"], row["end"] = "2025-02-11T10:30:00+01:00", "2025-02-11T11:30:00+01:00"
        edited.append(list(row.values()))
    changed = tmp_path / "edited.csv"
    changed.write_text(edited.export("csv"), encoding="utf-8")
    upload(page, live_server, changed)
    page.get_by_role("heading", name="Preview").wait_for()
    page.get_by_role("button", name="Confirm import").click()
    page.locator(".messagelist").wait_for()
    visit = Session.objects.get(slug="visit")
    assert visit.start.isoformat() == "2025-02-11T09:30:00+00:00"


@pytest.mark.parametrize("staff_page", WIDTHS, indirect=True)
def test_staff_read_each_rows_errors_and_nothing_is_written(
    staff_page, live_server, site, tmp_path
):
    page = staff_page
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    upload(page, live_server, bad)
    page.get_by_role("heading", name="Errors: nothing was imported").wait_for()
    assert page.locator("ul.errorlist li").all_inner_texts() == [
        "Line 1, end: The end must come after the start.",
        "Line 1: Constraint “session_ends_after_start” is violated.",
        "Line 2, room: No “attic” here.",
    ]
    assert page.get_by_role("button", name="Confirm import").count() == 0
    assert Session.objects.count() == 5


@pytest.mark.parametrize("width", WIDTHS)
def test_the_spreadsheet_pages_have_no_serious_accessibility_violations(
    chromium, live_server, site, tmp_path, width
):
    context, page = logged_in(chromium, live_server, width)
    page.goto(f"{live_server.url}/admin/agenda/session/export/")
    found = {"export": serious_violations(page)}
    for name, content in [("errors", BAD_CSV), ("preview", GOOD_CSV)]:
        path = tmp_path / f"{name}.csv"
        path.write_text(content, encoding="utf-8")
        upload(page, live_server, path)
        found[name] = serious_violations(page)
    context.close()
    assert found == {"export": [], "errors": [], "preview": []}
