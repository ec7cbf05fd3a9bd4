"""Open Graph and Twitter card meta on the summit, session and person pages."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def meta(page: str) -> dict[str, str]:
    return dict(
        re.findall(r'<meta (?:property|name)="((?:og|twitter):[^"]+)" content="([^"]*)"', page)
    )


@pytest.fixture
def hero(site):
    summit = site["summit"]
    summit.hero_image.save("hero.png", SimpleUploadedFile("hero.png", PNG))
    return f"http://testserver{summit.hero_image.url}"


def test_the_summit_home_has_a_link_preview_with_its_hero_image(client, site, hero):
    assert meta(client.get("/ai/").content.decode()) == {
        "og:type": "website",
        "og:site_name": "AI Action Summit",
        "og:title": "AI Action Summit",
        "og:description": "Paris, 10-11 February",
        "og:url": "http://testserver/ai/",
        "og:locale": "en_GB",
        "og:image": hero,
        "og:image:alt": "AI Action Summit",
        "twitter:card": "summary_large_image",
        "twitter:title": "AI Action Summit",
        "twitter:description": "Paris, 10-11 February",
        "twitter:image": hero,
    }


def test_a_session_page_previews_its_title_and_abstract(client, site, hero):
    found = meta(client.get("/ai/sessions/health/").content.decode())
    assert (found["og:title"], found["og:description"], found["og:url"], found["og:image"]) == (
        "AI in health and science",
        "Early cancer detection.",
        "http://testserver/ai/sessions/health/",
        hero,
    )


def test_a_person_page_previews_their_name_and_position(client, site):
    found = meta(client.get("/fr/ai/people/virkkunen/").content.decode())
    assert found == {
        "og:type": "website",
        "og:site_name": "AI Action Summit",
        "og:title": "Henna Virkkunen",
        "og:description": "Minister",
        "og:url": "http://testserver/fr/ai/people/virkkunen/",
        "og:locale": "fr_FR",
        "twitter:card": "summary",
        "twitter:title": "Henna Virkkunen",
        "twitter:description": "Minister",
    }


def test_a_page_kept_in_the_cache_names_the_host_each_visitor_asked(client, site, settings):
    settings.ALLOWED_HOSTS = ["testserver", "summit.example"]
    first = meta(client.get("/ai/people/virkkunen/").content.decode())
    second = meta(client.get("/ai/people/virkkunen/", HTTP_HOST="summit.example").content.decode())
    secure = meta(client.get("/ai/people/virkkunen/", secure=True).content.decode())
    assert [first["og:url"], second["og:url"], secure["og:url"]] == [
        "http://testserver/ai/people/virkkunen/",
        "http://summit.example/ai/people/virkkunen/",
        "https://testserver/ai/people/virkkunen/",
    ]


def test_a_host_the_site_does_not_serve_gets_no_page_to_preview(client, site):
    assert client.get("/ai/", HTTP_HOST="evil.example").status_code == 400
