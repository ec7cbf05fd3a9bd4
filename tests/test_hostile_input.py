"""A fixed corpus of hostile values (tests/hostile.py) sent to every write of the API, every
query parameter of its lists and every id in its paths: never a 500, a 4xx naming the field,
nothing written, nothing reflected unescaped.

The API's schema says what there is to send: a write or a field that the corpus does not
cover fails `test_every_api_write_is_in_the_corpus`, and every query parameter it lists is
tried (one that several lists share unchanged, such as `page`, on the first). A value the
schema allows for a field (markup or SQL as free text, true for a boolean) may be taken; it
is sent in a transaction that is rolled back, and the answer must still carry no markup.

A create gets every value in every field. An update (PUT, PATCH) gets, in each field of the
body, the values the schema allows, which reach the checks that read the stored row; the
values it refuses are refused by the very field code a create goes through (the fields of
the items of a list get every value). A path gets every value as its id, by the most harmful
method it takes."""

import functools
import json
import logging
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator
from rest_framework.throttling import SimpleRateThrottle

from agenda.models import Room, TravelTime, Venue
from meetings.models import Meeting
from people.models import Organisation
from tests.api_helpers import api, new_session
from tests.factories import MeetingFactory, MeetingParticipantFactory
from tests.hostile import (
    HOSTILE,
    TEXT,
    as_text,
    changed_tables,
    encoded,
    form_values,
    json_body,
    reflects_markup,
    report,
    rolled_back,
    stored_rows,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def unthrottled(monkeypatch):
    # Thousands of requests from one client: the corpus is not a flood to be slowed down.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})


@pytest.fixture(autouse=True)
def quiet_refusals():
    # Thousands of 4xx, each logged as a warning: only server errors are worth a line.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture
def corpus(fast_passwords, clock, site, staff_user):
    """The `site` programme on the eve of the summit, with a travel time and a meeting
    still requested: one of everything the API writes to."""
    summit = site["summit"]
    venues = {venue.slug: venue for venue in Venue.objects.filter(summit=summit)}
    travel = TravelTime.objects.create(
        origin=venues["grand-palais"], destination=venues["station-f"], minutes=30
    )
    requested = MeetingFactory(summit=summit, title="Requested bilateral")
    MeetingParticipantFactory(meeting=requested, person=site["evp"])
    return {
        **site,
        "staff": staff_user,
        "attendee": site["minister"].user,
        "venues": venues,
        "rooms": {room.slug: room for room in Room.objects.filter(venue__summit=summit)},
        "travel": travel,
        "commission": Organisation.objects.get(slug="ec"),
        "secret": Meeting.objects.get(title="SECRET-BILATERAL"),
        "requested": requested,
    }


@dataclass
class Write:
    url: str
    body: dict
    user: User


def summit_body(c):
    return {
        "slug": "ai-2026",
        "name": "AI Impact Summit",
        "tagline": "New Delhi",
        "description": "The next summit.",
        "city": "New Delhi",
        "start_date": "2026-02-19",
        "end_date": "2026-02-20",
        "time_zone": "Asia/Kolkata",
    }


def venue_body(c):
    return {
        "summit": c["summit"].pk,
        "slug": "elysee",
        "name": "Élysée Palace",
        "address": "55 rue du Faubourg Saint-Honoré",
        "latitude": "48.870500",
        "longitude": "2.316900",
        "description": "Dinner of the heads of state.",
    }


def travel_body(c):
    return {
        "origin": c["venues"]["station-f"].pk,
        "destination": c["venues"]["grand-palais"].pk,
        "minutes": 25,
    }


def room_body(c):
    return {
        "venue": c["venues"]["grand-palais"].pk,
        "slug": "salon-d-honneur",
        "name": "Salon d'honneur",
        "capacity": 120,
        "position": 3,
    }


def track_body(c):
    return {
        "summit": c["summit"].pk,
        "slug": "culture",
        "name": "Culture",
        "colour": "#336699",
        "description": "Artists and AI.",
    }


def session_body(c):
    return new_session(
        c,
        abstract="Where the code stands.",
        track=c["summit"].tracks.get(slug="governance").pk,
        status="scheduled",
        visibility="public",
        capacity=40,
        accept_conflicts=False,
    )


def person_body(c):
    return {
        "slug": "sejourne",
        "name": "Stéphane Séjourné",
        "position": "Executive Vice-President",
        "organisation": c["commission"].pk,
        "country": "FR",
        "bio": "Prosperity and industrial strategy.",
        "is_public": True,
        "email": "evp@example.org",
    }


def organisation_body(c):
    return {
        "slug": "inria",
        "name": "Inria",
        "kind": "research",
        "country": "FR",
        "website": "https://www.inria.fr",
    }


def meeting_body(c):
    return {
        "summit": c["summit"].pk,
        "title": "EVP – Minister Rossi",
        "purpose": "Apply AI Strategy.",
        "status": "requested",
        "confidentiality": "confidential",
        "window_start": "2025-02-11T09:00:00+01:00",
        "window_end": "2025-02-11T18:00:00+01:00",
        "duration_minutes": 30,
        "start": None,
        "end": None,
        "venue": c["venues"]["grand-palais"].pk,
        "room": None,
        "requested_by": c["evp"].pk,
        "participants": [{"person": c["evp"].pk, "side": "host", "is_principal": True}],
        "accept_conflicts": False,
    }


def detail(collection, pk):
    return f"/api/v1/{collection}/{pk}/"


def resource(collection, body, target):
    """The create, replace and partial update of one resource, with the same full body."""
    return {
        ("post", f"/api/v1/{collection}/"): lambda c: Write(
            f"/api/v1/{collection}/", body(c), c["staff"]
        ),
        ("put", f"/api/v1/{collection}/{{id}}/"): lambda c: Write(
            detail(collection, target(c).pk), body(c), c["staff"]
        ),
        ("patch", f"/api/v1/{collection}/{{id}}/"): lambda c: Write(
            detail(collection, target(c).pk), body(c), c["staff"]
        ),
    }


API_WRITES = {
    **resource("summits", summit_body, lambda c: c["summit"]),
    **resource("venues", venue_body, lambda c: c["venues"]["station-f"]),
    **resource("travel-times", travel_body, lambda c: c["travel"]),
    **resource("rooms", room_body, lambda c: c["rooms"]["shed"]),
    **resource("tracks", track_body, lambda c: c["summit"].tracks.get(slug="science")),
    **resource("sessions", session_body, lambda c: c["sessions"]["visit"]),
    **resource("people", person_body, lambda c: c["evp"]),
    **resource("organisations", organisation_body, lambda c: c["commission"]),
    **resource("meetings", meeting_body, lambda c: c["requested"]),
    ("post", "/api/v1/sessions/{id}/conflicts/"): lambda c: Write(
        f"/api/v1/sessions/{c['sessions']['visit'].pk}/conflicts/", session_body(c), c["staff"]
    ),
    ("post", "/api/v1/meetings/{id}/propose/"): lambda c: Write(
        f"/api/v1/meetings/{c['requested'].pk}/propose/",
        {
            "start": "2025-02-11T16:00:00+01:00",
            "room": c["rooms"]["nef"].pk,
            "venue": c["venues"]["grand-palais"].pk,
            "accept_conflicts": False,
        },
        c["staff"],
    ),
    ("post", "/api/v1/meetings/{id}/reply/"): lambda c: Write(
        f"/api/v1/meetings/{c['secret'].pk}/reply/",
        {"response": "declined", "person": c["evp"].pk},
        c["staff"],
    ),
    ("post", "/api/v1/meetings/find-slots/"): lambda c: Write(
        "/api/v1/meetings/find-slots/",
        {
            "summit": c["summit"].pk,
            "participants": [c["evp"].pk],
            "window_start": "2025-02-11T09:00:00+01:00",
            "window_end": "2025-02-11T18:00:00+01:00",
            "duration_minutes": 30,
            "venue": c["venues"]["grand-palais"].pk,
        },
        c["staff"],
    ),
    ("post", "/api/v1/me/stars/"): lambda c: Write(
        "/api/v1/me/stars/", {"session": c["sessions"]["panel"].pk}, c["attendee"]
    ),
    ("post", "/api/v1/me/registrations/"): lambda c: Write(
        "/api/v1/me/registrations/", {"session": c["sessions"]["health"].pk}, c["attendee"]
    ),
}


@functools.cache
def api_schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def resolved(node):
    components = api_schema()["components"]["schemas"]
    while "$ref" in node:
        node = components[node["$ref"].rsplit("/", 1)[-1]]
    return node


def operations():
    for path, methods in api_schema()["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def body_fields(method, path):
    """(path in the body, schema) of every field a write takes, and of the fields of the
    first item of a list of objects."""
    operation = api_schema()["paths"][path][method]
    body = resolved(operation["requestBody"]["content"]["application/json"]["schema"])
    for name, field in body["properties"].items():
        if field.get("readOnly"):
            continue
        yield (name,), field
        items = resolved(field.get("items", {}))
        for item_name, item_field in items.get("properties", {}).items():
            if not item_field.get("readOnly"):
                yield (name, 0, item_name), item_field


def free_text(field):
    return field.get("type") == "string" and not {"format", "enum", "pattern"} & set(field)


def allows(field, name):
    """Whether the schema lets a field of a JSON body take the hostile value `name`."""
    field = resolved(field)
    kind = field.get("type")
    if name in TEXT:
        return free_text(field)
    if name == "boolean":
        return kind == "boolean"
    if name == "list":
        return kind == "array" and resolved(field["items"]).get("type") == "integer"
    if name == "past 64 bits":
        return kind == "integer" and field.get("maximum", 2**70) >= 2**70
    return False


def allows_text(field, name):
    """Whether the schema lets a query parameter take the hostile value `name`, which is
    text there (a lone surrogate arrives as U+FFFD); a list is the parameter given twice,
    which Django reads as its last value, as it reads a form."""
    field = resolved(field)
    if name in {"nul", "1 MB string"}:
        return False
    if name in {"list", "boolean", "past 64 bits"}:
        return name == "list" or allows(field, name) or free_text(field)
    return free_text(field)


def fault(response, field, name, allowed):
    """What is wrong with the answer to a hostile value, or None."""
    status = response.status_code
    if status >= 500 or reflects_markup(response):
        return f"{status} {response.content[:200]!r}"
    if status < 300:
        return None if allowed else f"{status}: taken"
    if not 400 <= status < 500 or response["Content-Type"] != "application/json":
        return f"{status} {response['Content-Type']}"
    named = response.json()
    if field in named or (name == "deep nesting" and set(named) == {"detail"}):
        return None  # a body too deep to read has no field to name
    return f"{status} does not name it: {response.content[:200]!r}"


def test_every_api_write_is_in_the_corpus(corpus):
    writes = {
        (method, path) for method, path, operation in operations() if "requestBody" in operation
    }
    assert set(API_WRITES) == writes
    for (method, path), write in API_WRITES.items():
        fields = {field[0] for field, _schema in body_fields(method, path)}
        assert set(write(corpus).body) == fields, (method, path)


@pytest.mark.parametrize("method, path", API_WRITES)
def test_api_writes_refuse_hostile_values(corpus, method, path):
    write = API_WRITES[method, path](corpus)
    client = api(write.user)

    def send(body):
        return getattr(client, method)(write.url, body, content_type="application/json")

    with rolled_back():
        response = send(json.dumps(write.body))
    assert 200 <= response.status_code < 300, response.content[:500]
    faults = []
    for field, schema in body_fields(method, path):
        # A partial update sends the one field; the others send the whole body.
        body = {field[0]: write.body[field[0]]} if method == "patch" else write.body
        before = stored_rows()
        for name in HOSTILE:
            allowed = allows(schema, name)
            if method in {"put", "patch"} and len(field) == 1 and not allowed:
                continue  # refused by the very field checks a POST goes through
            with rolled_back() if allowed else transaction.atomic():
                response = send(json_body(body, field, name))
            if problem := fault(response, field[0], name, allowed):
                faults.append((field, name, problem))
        if (after := stored_rows()) != before:
            faults.append((field, "written", changed_tables(before, after)))
    assert faults == [], report(faults)


def query_parameters():
    """Every query parameter of every list; one that several lists share unchanged (pages,
    ids) is read by the same code on each, so it is tried on the first."""
    seen = set()
    for method, path, operation in operations():
        for parameter in operation.get("parameters", []):
            schema = parameter.get("schema", {})
            key = (parameter["name"], json.dumps(schema, sort_keys=True))
            if parameter["in"] == "query" and key not in seen:
                seen.add(key)
                yield method, path, parameter["name"], schema


def concrete(path, corpus):
    """A path of the schema with real ids: each operation is tried on something that exists."""
    return path.replace("{id}", str(corpus["secret"].pk)).replace(
        "{session_id}", str(corpus["sessions"]["panel"].pk)
    )


def test_api_lists_refuse_hostile_filters(corpus):
    client = api(corpus["staff"])
    faults = []
    for method, path, parameter, schema in query_parameters():
        url = concrete(path, corpus)
        for name in HOSTILE:
            query = encoded({parameter: form_values(name)})
            response = getattr(client, method)(f"{url}?{query}")
            allowed = allows_text(schema, name)
            if problem := fault(response, parameter, name, allowed):
                faults.append((path, parameter, name, problem))
    assert faults == [], report(faults)


def most_dangerous_methods():
    """For each path with an id, the one method to send hostile ids to: they all look the
    item up the same way, and a delete would do the most harm."""
    methods = {}
    for method, path, _operation in operations():
        if "{" in path:
            methods.setdefault(path, set()).add(method)
    for path, offered in methods.items():
        yield next(m for m in ("delete", "post", "patch", "put", "get") if m in offered), path


def test_api_paths_refuse_hostile_ids(corpus):
    client = api(corpus["staff"])
    before = stored_rows()
    faults = []
    for method, path in most_dangerous_methods():
        for name in HOSTILE:
            value = quote(as_text(name), safe="", errors="surrogatepass")
            url = path.replace("{id}", value).replace("{session_id}", value)
            body = {} if method == "get" else {"data": "{}", "content_type": "application/json"}
            with transaction.atomic():
                response = getattr(client, method)(url, **body)
            status = response.status_code
            if status not in {400, 404} or response["Content-Type"] != "application/json":
                faults.append((method, path, name, status, response.content[:200]))
            elif reflects_markup(response):
                faults.append((method, path, name, "reflects markup"))
    assert faults == [], report(faults)
    assert changed_tables(before, stored_rows()) == []
