"""The API speaks JSON only: every route and method, with DEBUG off and on, answers JSON, and
every error is in the API's shape."""

import pytest
from django.test import Client

from agenda.models import Session
from tests.api_helpers import api, new_session

pytestmark = pytest.mark.django_db

WRITES = ["POST", "PUT", "PATCH", "DELETE"]


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def client():
    # A bug shows as the answer a caller gets, not as an exception in the test.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", *WRITES])
def test_an_address_without_its_final_slash_is_a_json_308_to_the_right_one(
    debug, client, site, method
):
    response = client.generic(method, "/api/v1/sessions/7?ordering=start")
    assert (response.status_code, response["Content-Type"], response["Location"]) == (
        308,
        "application/json",
        "/api/v1/sessions/7/?ordering=start",
    )
    if method != "HEAD":
        assert response.json() == {
            "detail": "This address ends with a slash: /api/v1/sessions/7/?ordering=start"
        }


def test_the_description_without_its_slash_is_a_308_too(debug, client):
    response = client.post("/api/schema")
    assert (response.status_code, response["Location"], response.json()) == (
        308,
        "/api/schema/",
        {"detail": "This address ends with a slash: /api/schema/"},
    )


def test_a_write_that_follows_the_308_keeps_its_method_and_body(debug, site, staff_user):
    response = api(staff_user).post("/api/v1/sessions", new_session(site), follow=True)
    assert (response.status_code, response.redirect_chain) == (201, [("/api/v1/sessions/", 308)])
    assert Session.objects.filter(slug="code-of-practice").count() == 1


def test_an_unknown_address_without_a_slash_is_a_json_404(debug, client):
    response = client.post("/api/v1/no-such-thing")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    assert list(response.json()) == ["detail"]
