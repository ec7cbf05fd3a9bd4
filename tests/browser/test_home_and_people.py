from io import BytesIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from agenda.models import KeyPerson
from tests.factories import PersonFactory, paris

pytestmark = pytest.mark.django_db(transaction=True)


def serious_violations(page):
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]])
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


@pytest.fixture
def photographed(site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    made = BytesIO()
    Image.new("RGB", (300, 400), "#336699").save(made, "JPEG")
    evp = site["evp"]
    evp.photo = SimpleUploadedFile("evp.jpg", made.getvalue())
    evp.save()
    president = PersonFactory(name="Ursula von der Leyen", slug="vdl", organisation=None)
    KeyPerson.objects.create(summit=site["summit"], person=president, position=0)
    KeyPerson.objects.create(summit=site["summit"], person=evp, position=1)
    return site


@pytest.mark.parametrize("width", [1366, 390])
def test_during_the_summit_the_home_page_opens_on_what_is_on(
    browser, live_server, photographed, monkeypatch, width
):
    monkeypatch.setattr(timezone, "now", lambda: paris(10, 15))
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/ai/")

    now = page.locator(".home-now")
    assert now.locator("h2").all_inner_texts() == ["On now", "Up next"]
    assert now.locator(".home-upcoming-when").all_inner_texts() == ["Until 16:00", "Tomorrow 10:00"]
    # Above the fold, after the title and dates.
    assert now.bounding_box()["y"] < 900
    people = page.locator(".person-card")
    assert people.locator(".card-title").all_inner_texts() == [
        "Ursula von der Leyen",
        "Henna Virkkunen",
    ]
    assert people.locator("span.avatar").all_inner_texts() == ["UL"]
    photo = people.locator("img.avatar")
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 192
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_violations(page) == []
    context.close()


@pytest.mark.parametrize("path", ["/ai/people/", "/ai/people/virkkunen/", "/ai/sessions/panel/"])
def test_people_pages_with_photos_and_initials_are_accessible(
    page, live_server, photographed, path
):
    page.goto(f"{live_server.url}{path}")
    assert page.locator(".avatar").count() >= 1
    assert serious_violations(page) == []
