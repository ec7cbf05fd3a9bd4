"""The language switch in every page's header."""

import pytest

pytestmark = pytest.mark.django_db


def test_switching_to_french_comes_back_to_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/fr/ai/programme/"})
    assert (response.status_code, response["Location"]) == (302, "/fr/ai/programme/")
    assert response.cookies["django_language"].value == "fr"


def test_a_language_the_site_does_not_speak_is_a_400_naming_it(client):
    response = client.post("/i18n/setlang/", {"language": "<b>klingon</b>", "next": "/"})
    assert (response.status_code, response["Content-Type"]) == (400, "text/plain; charset=utf-8")
    assert response.content.decode().startswith("“language”: ")
    assert "klingon" not in response.content.decode()
    assert "django_language" not in response.cookies


def test_a_get_switches_nothing_and_goes_back(client):
    response = client.get("/i18n/setlang/", {"language": "fr", "next": "/ai/"})
    assert (response.status_code, response["Location"]) == (302, "/ai/")
    assert "django_language" not in response.cookies
