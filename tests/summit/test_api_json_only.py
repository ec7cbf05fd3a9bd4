"""The API speaks JSON only: every route and method, with DEBUG off and on, answers JSON, and
every error is in the API's shape."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle

from agenda.models import Session
from summit import api_urls
from tests.api_helpers import api, new_session

pytestmark = pytest.mark.django_db

WRITES = ["POST", "PUT", "PATCH", "DELETE"]
# Every method a client may send: those of HTTP, WebDAV's, and one nobody defined.
METHODS = ["GET", "HEAD", "OPTIONS", *WRITES, "TRACE", "CONNECT", "PROPFIND", "BREW"]
ARGUMENTS = {"pk": 1, "session_id": 1, "format": "json"}
# The description and its pages answer in their own formats; only their errors are JSON.
DESCRIPTION = ["/api/schema/", "/api/docs/", "/api/redoc/"]
ODD_ADDRESSES = [
    "/api/",
    "/api/v1/no-such-thing/",
    "/api/nothing",
    "/api/v1/sessions/panel/",
    "/api/v1/sessions/1.5/",
    "/api/v1/sessions/99999999999999999999999/",
    "/api/v1/sessions/%00/",
    "/api/v1/sessions.xml",
    "/api/v1/meetings/panel/slots/",
    "/api/v1/me/stars/panel/",
    "/api/v1/sessions/1",
]


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


def api_addresses():
    """The address of every route of the API, with made-up arguments, format suffixes too."""
    return sorted(
        {
            reverse(
                pattern.name,
                kwargs={key: ARGUMENTS[key] for key in pattern.pattern.regex.groupindex},
            )
            for pattern in api_urls.urlpatterns
        }
    )


ADDRESSES = api_addresses()


def test_every_api_route_is_walked():
    assert len(ADDRESSES) == len(api_urls.urlpatterns)
    assert {"/api/v1/", "/api/v1/meetings/1/propose/", "/api/v1/sessions.json"} < set(ADDRESSES)


def not_json(response, method, *, own_format=False):
    """What is wrong with an answer of the API, or None: it is JSON (a 204 has no body at
    all), an error or a redirect is in the API's shape, and no browser may sniff it as HTML."""
    status = response.status_code
    if response.get("X-Content-Type-Options") != "nosniff":
        return "no X-Content-Type-Options: nosniff"
    if status == 204:
        return "a 204 with a body" if response.content else None
    if own_format and status < 300:
        return None
    if response.get("Content-Type") != "application/json":
        return f"Content-Type {response.get('Content-Type')}"
    if method == "HEAD" or status < 300:
        return None
    body = json.loads(response.content)
    return None if in_error_shape(body, status) else f"not the error shape: {body}"


def in_error_shape(body, status):
    if isinstance(body, dict) and list(body) == ["detail"] and isinstance(body["detail"], str):
        return True
    # A refused request names its fields, each with its messages (nested for nested fields).
    return (
        status == 400
        and isinstance(body, dict)
        and bool(body)
        and all(isinstance(messages, list | dict) for messages in body.values())
    )


def walk(client, addresses, **options):
    """{(method, address, status): what is wrong} for every method on every address."""
    wrong = {}
    for address in addresses:
        for method in METHODS:
            body = {"data": "{}", "content_type": "application/json"} if method in WRITES else {}
            response = client.generic(method, address, **body)
            problem = not_json(response, method, **options)
            if problem:
                wrong[method, address, response.status_code] = problem
    return wrong


@pytest.fixture(params=["anonymous", "staff token"])
def caller(request, site, staff_user, monkeypatch):
    # Hundreds of requests in a row: the throttles would answer most of them.
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100000/s", "user": "100000/s"}
    )
    if request.param == "anonymous":
        return Client(raise_request_exception=False)
    token = Token.objects.create(user=staff_user)
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token.key}")


def test_every_route_answers_every_method_in_json(debug, caller):
    assert walk(caller, [*ADDRESSES, *ODD_ADDRESSES]) == {}


def test_the_description_answers_its_errors_in_json(debug, caller):
    assert walk(caller, DESCRIPTION, own_format=True) == {}


def test_a_body_that_is_not_json_is_a_json_415(debug, site, staff_user):
    token = Token.objects.create(user=staff_user)
    response = Client().post(
        "/api/v1/sessions/",
        "title=x",
        content_type="application/x-www-form-urlencoded",
        headers={"Authorization": f"Token {token.key}"},
    )
    assert (response.status_code, not_json(response, "POST")) == (415, None)


@pytest.mark.urls("tests.summit.failing_urls")
@pytest.mark.parametrize("address", ["/api/v1/broken/", "/api/broken/"])
def test_a_bug_is_a_json_500(debug, client, address):
    for method in ["GET", *WRITES]:
        response = client.generic(method, address)
        assert (response.status_code, not_json(response, method)) == (500, None)
