"""Every answer under /api/ is JSON in the API's error shape, with DEBUG off."""

import pytest
from django.test import Client

from tests.api_helpers import api

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("debug_off")]


@pytest.fixture
def debug_off(settings):
    settings.DEBUG = False


def answer(response):
    return response.status_code, response["Content-Type"], response.json()


def test_unknown_paths_and_ids_that_are_not_numbers_are_json_404s(client):
    expected = (404, "application/json", {"detail": "Not found."})
    assert answer(client.get("/api/v1/no-such-thing/")) == expected
    assert answer(client.get("/api/v1/sessions/panel/")) == expected
    assert answer(client.get("/api/nothing")) == expected


def test_methods_the_api_does_not_take_are_json_405s(site, staff_user):
    staff = api(staff_user)
    assert answer(staff.delete("/api/v1/sessions/")) == (
        405,
        "application/json",
        {"detail": 'Method "DELETE" not allowed.'},
    )
    assert answer(api(site["minister"].user).patch("/api/v1/me/")) == (
        405,
        "application/json",
        {"detail": 'Method "PATCH" not allowed.'},
    )


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_the_description_and_its_pages_answer_a_405_in_json(client, path):
    refused = client.post(path)
    assert answer(refused) + (refused["Allow"],) == (
        405,
        "application/json",
        {"detail": "Method Not Allowed."},
        "GET, HEAD, OPTIONS",
    )


def test_an_unknown_host_is_a_json_400(client):
    assert answer(client.get("/api/v1/summits/", HTTP_HOST="evil.example")) == (
        400,
        "application/json",
        {"detail": "Bad Request."},
    )


def test_the_api_answers_json_to_a_browser_too(client, site):
    listed = client.get("/api/v1/summits/", HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert (listed.status_code, listed["Content-Type"]) == (200, "application/json")
    refused = client.get("/api/v1/summits/", HTTP_ACCEPT="text/html")
    assert answer(refused) == (
        406,
        "application/json",
        {"detail": "Could not satisfy the request Accept header."},
    )


@pytest.mark.urls("tests.summit.failing_urls")
def test_a_bug_in_the_api_is_a_json_500():
    client = Client(raise_request_exception=False)
    assert answer(client.get("/api/v1/broken/")) == (
        500,
        "application/json",
        {"detail": "Something went wrong on our side."},
    )


def test_pages_keep_their_html_errors(client):
    missing = client.get("/no-such-summit/programme/")
    assert (missing.status_code, missing["Content-Type"]) == (404, "text/html; charset=utf-8")
