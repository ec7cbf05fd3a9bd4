"""The 404, 403 and 500 pages as visitors get them, DEBUG off (as under pytest-django)."""

import re

import pytest
from django.test import Client


def text_of(page: str, tag: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found)).strip()
        for found in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", page, re.DOTALL)
    ]


def test_a_missing_page_is_a_404_with_the_summits_navigation(client, site, settings):
    assert settings.DEBUG is False
    response = client.get("/ai/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert text_of(page, "title") == ["Page not found · AI Action Summit"]
    assert text_of(page, "h1") == ["We cannot find that page"]
    assert text_of(page, "nav") == [
        "Programme Timetable People Changes Search",
        "ENEnglish FRFrançais",
        "Calendar feed (.ics) API",
    ]
    assert '<a class="button" href="/ai/programme/">Browse the programme</a>' in page


def test_a_missing_page_in_french_is_in_french(client, site):
    response = client.get("/fr/ai/pas-de-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert text_of(page, "h1") == ["Nous ne trouvons pas cette page"]
    assert '<a class="button" href="/fr/ai/programme/">Parcourir le programme</a>' in page


def test_a_missing_page_outside_any_summit_leads_to_the_current_one(client, site):
    page = client.get("/nowhere/at/all/").content.decode()
    assert text_of(page, "title") == ["Page not found · AI Action Summit"]
    assert '<a href="/ai/">Back to AI Action Summit</a>' in page


def test_the_api_still_answers_a_404_in_json(client, db):
    response = client.get("/api/v1/no-such-thing/")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")


@pytest.mark.urls("tests.error_urls")
def test_a_refusal_is_a_403_page_that_offers_to_log_in(client, site):
    response = client.get("/refused/")
    page = response.content.decode()
    assert response.status_code == 403
    assert text_of(page, "h1") == ["This page is not open to you"]
    assert '<a class="button" href="/accounts/login/?next=/refused/">Log in</a>' in page


@pytest.mark.urls("tests.error_urls")
def test_a_refusal_in_french_is_in_french(client, site):
    page = client.get("/fr/refused/").content.decode()
    assert text_of(page, "h1") == ["Cette page ne vous est pas ouverte"]


@pytest.mark.urls("tests.error_urls")
def test_a_server_error_is_a_500_page_made_without_the_database():
    # No `db` fixture: any query while making the page fails the test.
    response = Client(raise_request_exception=False).get("/broken/")
    page = response.content.decode()
    assert response.status_code == 500
    assert text_of(page, "title") == ["Something went wrong"]
    assert text_of(page, "h1") == ["Something went wrong on our side"]
    assert '<a class="button" href="/">Go to the home page</a>' in page
    assert "<style" not in page and " style=" not in page


@pytest.mark.urls("tests.error_urls")
def test_a_server_error_in_french_is_in_french():
    response = Client(raise_request_exception=False).get("/fr/broken/")
    assert text_of(response.content.decode(), "h1") == ["Un problème est survenu de notre côté"]
