import json

import pytest

from agenda.models import Session
from common.parsers import MAX_DEPTH, nesting_depth
from meetings.models import Meeting
from tests.api_helpers import api, new_session

pytestmark = pytest.mark.django_db


def post_json(client, url, body):
    return client.post(url, data=body, content_type="application/json")


def test_a_lone_surrogate_is_a_400_naming_the_field(site, staff_user):
    meeting = Meeting.objects.get(title="SECRET-BILATERAL")
    response = post_json(
        api(staff_user), f"/api/v1/meetings/{meeting.pk}/reply/", '{"response": "\\ud800"}'
    )
    assert (response.status_code, list(response.json())) == (400, ["response"])
    assert "lone surrogate" in response.json()["response"][0]


def test_a_nul_or_a_lone_surrogate_deep_in_a_body_names_its_field_and_writes_nothing(
    site, staff_user
):
    for bad in ["\x00", "\ud800"]:
        body = new_session(site, roles=[{"person": site["evp"].pk, "role": "speaker" + bad}])
        response = post_json(api(staff_user), "/api/v1/sessions/", json.dumps(body))
        assert (response.status_code, list(response.json())) == (400, ["roles"])
    assert not Session.objects.filter(slug="code-of-practice").exists()


def test_deeply_nested_json_is_a_400(site, staff_user):
    meeting = Meeting.objects.get(title="SECRET-BILATERAL")
    for body in ["[" * 100_000 + "]" * 100_000, '{"response": ' + "[" * 65 + "]" * 65 + "}"]:
        response = post_json(api(staff_user), f"/api/v1/meetings/{meeting.pk}/reply/", body)
        assert response.status_code == 400
        assert response.json() == {
            "detail": f"JSON parse error - nested deeper than {MAX_DEPTH} levels."
        }


def test_a_surrogate_pair_is_text(site, staff_user):
    body = new_session(site, title="Emoji \ud83d\ude00 session")
    response = post_json(api(staff_user), "/api/v1/sessions/", json.dumps(body))
    assert response.status_code == 201, response.content
    assert Session.objects.get(slug="code-of-practice").title == "Emoji 😀 session"


def test_nesting_depth_skips_brackets_inside_strings():
    assert nesting_depth('{"a": [1, {"b": "[[[{{\\"]]"}]}') == 3
    assert nesting_depth('"[[["') == 0
    assert nesting_depth("[" * 64 + "]" * 64) == MAX_DEPTH
