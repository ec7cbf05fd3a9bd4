import json
from urllib.parse import urlencode

import pytest

from agenda.models import FeedToken, Session
from tests.api_helpers import api, new_session

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_query_parameter_is_a_400_naming_it(client, site):
    response = client.get("/ai/people/", {"organisation": "\x00"})
    assert (response.status_code, response["Content-Type"]) == (400, "text/plain; charset=utf-8")
    assert "“organisation” contains a NUL character" in response.content.decode()


def test_a_nul_in_a_parameter_name_is_refused_without_reflecting_it(client, site):
    response = client.get("/ai/people/?%3Cb%3E%00=1")
    assert response.status_code == 400
    assert response.content.decode() == "“<b>\\0” contains a NUL character, which is not allowed."


def test_a_nul_in_a_form_field_is_a_400_and_nothing_is_stored(client, site, staff_user):
    client.force_login(staff_user)
    response = client.post("/me/calendar/", {"label": "Work\x00"})
    assert response.status_code == 400
    assert "“label”" in response.content.decode()
    assert not FeedToken.objects.exists()


def test_a_nul_in_an_api_filter_is_a_400_in_the_api_error_shape(client, site):
    response = client.get("/api/v1/sessions/", {"room": "\x00"})
    assert response.status_code == 400
    assert response.json() == {"room": ["“room” contains a NUL character, which is not allowed."]}


def test_a_nul_in_an_api_address_is_a_400_in_the_api_error_shape(client, site):
    response = client.get("/api/v1/sessions/%00/")
    assert response.status_code == 400
    assert response.json() == {"detail": "The address contains a NUL character."}


def test_text_without_nul_passes(client, site):
    assert client.get("/ai/people/", {"organisation": "ec"}).status_code == 200


def test_an_api_body_over_the_upload_limit_is_a_413_in_json(client, site, staff_user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps(new_session(site, title="x" * 10_000))
    response = api(staff_user).post("/api/v1/sessions/", body, content_type="application/json")
    assert (response.status_code, response.json()) == (
        413,
        {"detail": "The request body is larger than the 10000 bytes allowed."},
    )
    assert not Session.objects.filter(slug="code-of-practice").exists()


@pytest.mark.parametrize("multipart", [True, False])
def test_a_form_over_the_upload_limit_is_a_413(client, site, staff_user, settings, multipart):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client.force_login(staff_user)
    data = {"label": "x" * 10_000}
    if multipart:
        response = client.post("/me/calendar/", data)
    else:
        response = client.post(
            "/me/calendar/", urlencode(data), content_type="application/x-www-form-urlencoded"
        )
    assert (response.status_code, response.content) == (
        413,
        b"The request body is larger than the 10000 bytes allowed.",
    )
    assert not FeedToken.objects.exists()


def test_a_one_megabyte_field_is_a_400_naming_it(site, staff_user):
    body = new_session(site, title="x" * 1_000_000)
    response = api(staff_user).post("/api/v1/sessions/", body)
    assert (response.status_code, list(response.json())) == (400, ["title"])
    assert not Session.objects.filter(slug="code-of-practice").exists()


def test_an_api_parameter_name_is_quoted_without_markup(client, site):
    response = client.get("/api/v1/sessions/?%3Cb%3E%00=1")
    assert response.status_code == 400
    assert b"<b>" not in response.content
    assert list(response.json()) == ["<b>\\0"]
