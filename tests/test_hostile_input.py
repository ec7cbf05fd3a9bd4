"""A fixed corpus of hostile values sent to the JSON write endpoints of sessions and
meetings and to the filters of the sessions list: a 4xx naming the field, nothing written,
nothing reflected unescaped, never a 500."""

import json
from urllib.parse import urlencode

import pytest

from agenda.models import Session
from meetings.models import Meeting
from tests.api_helpers import api, new_session

pytestmark = pytest.mark.django_db

DEEP = "[" * 1000 + "]" * 1000
HOSTILE = {
    "nul": "x\x00y",
    "lone surrogate": "\ud800",
    "1 MB string": "x" * 1_000_000,
    "deep nesting": DEEP,  # spliced in as raw JSON
    "object": {"$gt": ""},
    "list": [1, 2],
    "boolean": True,
    "past 64 bits": 2**70,
    "negative past 64 bits": -(2**70),
    "no offset": "2025-02-10T12:00:00",
    "no such time zone": "2025-02-10T12:00:00[Mars/Olympus_Mons]",
    "offset out of range": "2025-02-10T12:00:00+25:00",
    "html": "<script>alert(1)</script>",
    "sql": "1' OR '1'='1'; DROP TABLE agenda_session; --",
}
# Free text takes these as the text they are.
TEXT = {"no offset", "no such time zone", "offset out of range", "html", "sql"}


def body_with(body, field, name):
    if name == "deep nesting":
        return json.dumps(body | {field: "DEEP"}).replace('"DEEP"', DEEP)
    return json.dumps(body | {field: HOSTILE[name]})


def meeting_body(site):
    return {
        "summit": site["summit"].pk,
        "title": "EVP – Minister Rossi",
        "status": "requested",
        "window_start": "2025-02-11T09:00:00+01:00",
        "window_end": "2025-02-11T18:00:00+01:00",
        "duration_minutes": 30,
        "participants": [{"person": site["evp"].pk}],
    }


def assert_refused(response, field, name):
    assert response.status_code < 500, (field, name, response.content[:300])
    assert response["Content-Type"] == "application/json", (field, name)
    assert b"<script>" not in response.content, (field, name, response.content[:300])
    assert 400 <= response.status_code < 500, (field, name, response.content[:300])
    assert set(response.json()) & {field, "detail"}, (field, name, response.content[:300])


@pytest.mark.parametrize("name", HOSTILE)
def test_session_writes_refuse_hostile_values(site, staff_user, name):
    base = new_session(site)
    before = Session.objects.count()
    for field in base:
        if name in TEXT and field == "title":
            continue
        response = api(staff_user).post(
            "/api/v1/sessions/", body_with(base, field, name), content_type="application/json"
        )
        assert_refused(response, field, name)
    assert Session.objects.count() == before


@pytest.mark.parametrize("name", HOSTILE)
def test_meeting_writes_refuse_hostile_values(site, staff_user, name):
    base = meeting_body(site)
    assert api(staff_user).post("/api/v1/meetings/", base).status_code == 201
    before = Meeting.objects.count()
    meeting = Meeting.objects.get(title="SECRET-BILATERAL")
    for field in base:
        if name in TEXT and field == "title":
            continue
        response = api(staff_user).post(
            "/api/v1/meetings/", body_with(base, field, name), content_type="application/json"
        )
        assert_refused(response, field, name)
    response = api(staff_user).post(
        f"/api/v1/meetings/{meeting.pk}/reply/",
        body_with({"response": "accepted"}, "response", name),
        content_type="application/json",
    )
    assert_refused(response, "response", name)
    assert Meeting.objects.count() == before


@pytest.mark.parametrize("name", [name for name in HOSTILE if name != "deep nesting"])
def test_session_filters_refuse_hostile_values(site, name):
    value = HOSTILE[name]
    for field in [
        "summit",
        "day",
        "track",
        "kind",
        "room",
        "venue",
        "person",
        "status",
        "visibility",
        "q",
        "updated_since",
    ]:
        # Percent-encoded by hand: a lone surrogate travels as the bytes a client would send.
        query = urlencode({field: str(value)}, errors="surrogatepass")
        response = api().get(f"/api/v1/sessions/?{query}")
        assert response.status_code < 500, (field, name)
        assert b"<script>" not in response.content, (field, name)
        if response.status_code != 200:
            assert set(response.json()) & {field, "detail"}, (field, name, response.content[:300])
