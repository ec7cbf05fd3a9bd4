"""The OpenAPI description is generated, valid, committed, and documents every endpoint."""

from pathlib import Path

import jsonschema
import pytest
import yaml
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle

COMMITTED = Path(settings.BASE_DIR) / "openapi.yaml"


def test_the_committed_schema_is_up_to_date(tmp_path):
    fresh = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(fresh), "--validate", "--fail-on-warn")
    assert fresh.read_text() == COMMITTED.read_text(), "openapi.yaml is stale: run `make schema`"


@pytest.mark.django_db
def test_the_schema_and_its_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"openapi: 3" in schema.content
    for path in ["/api/v1/sessions/", "/api/v1/meetings/{id}/", "/api/v1/me/", "/api/v1/removals/"]:
        assert f"  {path}:".encode() in schema.content, path
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn" not in docs.lower() and "unpkg" not in docs and "jsdelivr" not in docs


DESCRIPTION = yaml.safe_load(COMMITTED.read_text())
OPERATIONS = [
    (path, method, operation)
    for path, item in DESCRIPTION["paths"].items()
    for method, operation in item.items()
]
EVERYWHERE = {"400", "401", "406", "429", "500", "503"}


def resolved(item):
    """A part of the description with its $ref followed."""
    while "$ref" in item:
        *_, kind, name = item["$ref"].split("/")
        item = DESCRIPTION["components"][kind][name]
    return item


@pytest.mark.parametrize(
    ("path", "method", "answers"),
    [
        ("/api/v1/sessions/", "get", {"200", "304"}),
        ("/api/v1/sessions/", "post", {"201", "403", "409", "413", "415"}),
        ("/api/v1/sessions/{id}/", "get", {"200", "304", "404"}),
        ("/api/v1/sessions/{id}/", "patch", {"200", "403", "404", "409", "413", "415"}),
        ("/api/v1/sessions/{id}/", "delete", {"204", "403", "404", "409"}),
        ("/api/v1/meetings/{id}/cancel/", "post", {"200", "403", "404", "409", "413"}),
        ("/api/v1/meetings/{id}/slots/", "get", {"200", "304", "403", "404"}),
        ("/api/v1/me/", "get", {"200", "304"}),
        ("/api/v1/me/stars/", "post", {"201", "403", "409", "413", "415"}),
    ],
)
def test_each_operation_documents_the_answers_it_can_give(path, method, answers):
    assert set(DESCRIPTION["paths"][path][method]["responses"]) == EVERYWHERE | answers


def test_every_error_is_documented_as_json_in_the_error_shape():
    detail = {"$ref": "#/components/schemas/ErrorDetail"}
    fields = {"anyOf": [detail, {"$ref": "#/components/schemas/FieldErrors"}]}
    for path, method, operation in OPERATIONS:
        errors = {code: resolved(r) for code, r in operation["responses"].items() if code >= "4"}
        assert set(errors) >= EVERYWHERE, (path, method)
        for code, answer in errors.items():
            assert answer["description"], (path, method, code)
            assert answer["content"] == {
                "application/json": {"schema": fields if code == "400" else detail}
            }, (path, method, code)


JSON = "application/json"
SESSIONS = "/api/v1/sessions/"
REFUSALS = [
    pytest.param(SESSIONS, "post", "staff", {"data": "{", "content_type": JSON}, id="bad JSON"),
    pytest.param(
        SESSIONS, "post", "staff", {"data": "[" * 65 + "]" * 65, "content_type": JSON}, id="deep"
    ),
    pytest.param(
        SESSIONS,
        "post",
        "staff",
        {"data": '{"title": "\\ud800"}', "content_type": JSON},
        id="lone surrogate",
    ),
    pytest.param(SESSIONS, "get", "anonymous", {"QUERY_STRING": "room=%00"}, id="NUL"),
    pytest.param(SESSIONS, "post", "staff", {"data": "{}", "content_type": JSON}, id="fields"),
    pytest.param(SESSIONS, "get", "bad token", {}, id="401"),
    pytest.param(SESSIONS, "post", "attendee", {"data": "{}", "content_type": JSON}, id="403"),
    pytest.param(SESSIONS + "{id}/", "get", "anonymous", {}, id="404"),
    pytest.param(SESSIONS, "get", "anonymous", {"HTTP_ACCEPT": "text/html"}, id="406"),
    pytest.param("/api/v1/summits/{id}/", "delete", "staff", {}, id="409"),
    pytest.param(
        SESSIONS, "post", "staff", {"data": "{}" + " " * 3000, "content_type": JSON}, id="413"
    ),
    pytest.param(
        SESSIONS, "post", "staff", {"data": "title=x", "content_type": "text/plain"}, id="415"
    ),
    pytest.param(SESSIONS, "get", "throttled", {}, id="429"),
]


@pytest.fixture
def callers(site, staff_user, settings, monkeypatch):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "1/min", "user": "1/min"})
    cache.clear()
    yield {
        "anonymous": Client(),
        "throttled": Client(),
        "staff": Client(
            headers={"Authorization": f"Token {Token.objects.create(user=staff_user).key}"}
        ),
        "attendee": Client(
            headers={
                "Authorization": f"Token {Token.objects.create(user=site['minister'].user).key}"
            }
        ),
        "bad token": Client(headers={"Authorization": "Token not-a-token"}),
    }
    cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "method", "caller", "request_"), REFUSALS)
def test_each_refusal_is_answered_as_documented(callers, site, path, method, caller, request_):
    client = callers[caller]
    address = path.replace("{id}", str(site["summit"].pk if "summits" in path else 999999))
    if caller == "throttled":
        client.get(address)
    response = client.generic(method.upper(), address, **request_)
    documented = DESCRIPTION["paths"][path][method]["responses"]
    assert str(response.status_code) in documented
    answer = resolved(documented[str(response.status_code)])
    assert response.status_code >= 400 and response["Content-Type"] in answer["content"]
    schema = answer["content"][response["Content-Type"]]["schema"]
    jsonschema.validate(response.json(), {**schema, "components": DESCRIPTION["components"]})
