from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from rest_framework.authtoken.models import Token

from agenda.models import Session, SessionRole
from meetings.models import Meeting
from tests.api_helpers import api, results
from tests.factories import (
    MeetingFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    SummitFactory,
    TrackFactory,
    TravelTimeFactory,
    UserFactory,
    VenueFactory,
    paris,
)

pytestmark = pytest.mark.django_db

ALL_PUBLIC = {"panel", "health", "visit", "energy"}


def slugs(response):
    return {item["slug"] for item in results(response)}


# --- reading, by who may see what ----------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "attendee"])
def test_the_public_sees_public_sessions_only(site, who):
    client = api(None if who == "anonymous" else UserFactory())
    assert slugs(client.get("/api/v1/sessions/")) == ALL_PUBLIC
    closed = site["sessions"]["closed"]
    assert client.get(f"/api/v1/sessions/{closed.pk}/").status_code == 404
    assert client.get("/api/v1/sessions/", {"q": "roundtable"}).json()["count"] == 0


def test_a_participant_and_staff_see_the_invitation_only_session(site, staff_user):
    assert slugs(api(site["minister"].user).get("/api/v1/sessions/")) == ALL_PUBLIC | {"closed"}
    assert slugs(api(staff_user).get("/api/v1/sessions/")) == ALL_PUBLIC | {"closed"}


def test_a_confidential_meeting_does_not_exist_for_others(site, staff_user):
    meeting = Meeting.objects.get(title="SECRET-BILATERAL")
    for client in (api(), api(UserFactory()), api(site["minister"].user)):
        listed = client.get("/api/v1/meetings/")
        assert listed.json()["count"] == 0 and b"SECRET" not in listed.content
        hidden = client.get(f"/api/v1/meetings/{meeting.pk}/")
        missing = client.get("/api/v1/meetings/999999/")
        assert (
            (hidden.status_code, hidden.json())
            == (missing.status_code, missing.json())
            == (
                404,
                {"detail": "No Meeting matches the given query."},
            )
        )
    evp_user = UserFactory()
    site["evp"].user = evp_user
    site["evp"].save()
    for client in (api(evp_user), api(staff_user)):
        [listed] = results(client.get("/api/v1/meetings/"))
        assert (listed["title"], listed["purpose"]) == ("SECRET-BILATERAL", "SECRET-PURPOSE")


def test_sessions_carry_their_people_roles_and_offset_times(site):
    panel = site["sessions"]["panel"]
    data = api().get(f"/api/v1/sessions/{panel.pk}/").json()
    assert data["start"] == "2025-02-10T10:00:00+01:00"
    assert data["uid"] == f"session-{panel.pk}@summit.invalid"
    # The adviser is hidden from the public, so not listed.
    assert data["roles"] == [
        {
            "person": site["evp"].pk,
            "name": "Henna Virkkunen",
            "slug": "virkkunen",
            "role": "speaker",
        }
    ]


def test_venues_carry_their_travel_times(site):
    grand_palais, station_f = (
        site["sessions"]["panel"].room.venue,
        site["sessions"]["visit"].room.venue,
    )
    TravelTimeFactory(origin=grand_palais, destination=station_f, minutes=35)
    venues = {v["slug"]: v for v in results(api().get("/api/v1/venues/"))}
    assert venues["grand-palais"]["travel_times"] == [{"to": station_f.pk, "minutes": 35}]
    assert venues["grand-palais"]["latitude"] == "48.866100"


def test_people_hidden_from_the_public_are_not_listed(site, staff_user):
    names = {p["name"] for p in results(api().get("/api/v1/people/"))}
    assert "Quiet Adviser" not in names and "Henna Virkkunen" in names
    assert "Quiet Adviser" in {p["name"] for p in results(api(staff_user).get("/api/v1/people/"))}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"day": "2025-02-10"}, {"panel", "health"}),
        ({"kind": "workshop"}, {"health"}),
        ({"status": "cancelled"}, {"energy"}),
        ({"q": "cancer"}, {"health"}),
        ({"q": "quiet adviser"}, set()),
    ],
)
def test_session_filters(site, params, expected):
    assert slugs(api().get("/api/v1/sessions/", params)) == expected


def test_session_filters_by_relations(site):
    panel, health, visit = (site["sessions"][k] for k in ("panel", "health", "visit"))
    client = api()
    assert slugs(client.get("/api/v1/sessions/", {"track": health.track_id})) == {
        "health",
        "energy",
    }
    assert slugs(client.get("/api/v1/sessions/", {"room": panel.room_id})) == {"panel", "energy"}
    assert slugs(client.get("/api/v1/sessions/", {"venue": visit.room.venue_id})) == {"visit"}
    assert slugs(client.get("/api/v1/sessions/", {"person": site["evp"].pk})) == {"panel", "visit"}
    assert slugs(client.get("/api/v1/sessions/", {"summit": panel.summit_id})) == ALL_PUBLIC


def test_bad_filter_values_are_400_with_the_field(site):
    response = api().get("/api/v1/sessions/", {"day": "someday", "updated_since": "yesterday"})
    assert response.status_code == 400
    assert set(response.json()) == {"day", "updated_since"}


def test_lists_and_details_answer_304_to_a_matching_etag(site):
    client = api()
    first = client.get("/api/v1/sessions/")
    again = client.get("/api/v1/sessions/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    panel = site["sessions"]["panel"]
    detail = client.get(f"/api/v1/sessions/{panel.pk}/")
    Session.objects.filter(pk=panel.pk).update(title="Renamed", updated_at=timezone.now())
    assert (
        client.get(f"/api/v1/sessions/{panel.pk}/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code
        == 200
    )


# --- writing -------------------------------------------------------------------------------


def new_session(site, **changes):
    summit = site["summit"]
    room = site["sessions"]["panel"].room
    return {
        "summit": summit.pk,
        "slug": "code-of-practice",
        "title": "Update on the Code of Practice for general-purpose AI",
        "kind": "briefing",
        "start": "2025-02-10T12:00:00+01:00",
        "end": "2025-02-10T13:00:00+01:00",
        "room": room.pk,
        "roles": [{"person": site["evp"].pk, "role": "speaker"}],
    } | changes


def rows():
    return (
        list(Session.objects.order_by("pk").values()),
        list(SessionRole.objects.order_by("pk").values()),
    )


def test_anonymous_and_attendees_cannot_write(site):
    assert api().post("/api/v1/sessions/", new_session(site)).status_code in {401, 403}
    assert api(UserFactory()).post("/api/v1/sessions/", new_session(site)).status_code == 403
    panel = site["sessions"]["panel"]
    assert api(UserFactory()).delete(f"/api/v1/sessions/{panel.pk}/").status_code == 403


def test_staff_create_a_session_with_its_people(site, staff_user):
    response = api(staff_user).post("/api/v1/sessions/", new_session(site))
    assert response.status_code == 201, response.json()
    session = Session.objects.get(slug="code-of-practice")
    assert session.start == paris(10, 12)
    assert list(session.roles.values_list("person__name", "role")) == [
        ("Henna Virkkunen", "speaker")
    ]


def test_a_user_with_model_permissions_may_write(site):
    editor = UserFactory()
    editor.user_permissions.add(
        Permission.objects.get(codename="add_session", content_type__app_label="agenda")
    )
    assert api(editor).post("/api/v1/sessions/", new_session(site)).status_code == 201


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start": "2025-02-10T13:00:00+01:00", "end": "2025-02-10T12:00:00+01:00"}, "end"),
        ({"start": "2025-02-10T10:30:00+01:00", "end": "2025-02-10T11:30:00+01:00"}, "room"),
        ({"start": "2025-02-12T10:00:00+01:00", "end": "2025-02-12T11:00:00+01:00"}, "start"),
        ({"start": "2025-02-10T12:00:00"}, "start"),  # no offset: refused, not guessed
        ({"start": "noon"}, "start"),
        ({"room": 999999}, "room"),
        ({"summit": "one"}, "summit"),
        ({"title": "x" * 5000}, "title"),
        ({"kind": "party"}, "kind"),
        ({"capacity": -1}, "capacity"),
        ({"capacity": 10**12}, "capacity"),
        ({"slug": "not a slug!"}, "slug"),
        ({"slug": "panel"}, "slug"),
        ({"roles": [{"person": 999999, "role": "speaker"}]}, "roles"),
        ({"roles": "Henna"}, "roles"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(site, staff_user, changes, field):
    before = rows()
    response = api(staff_user).post(
        "/api/v1/sessions/", new_session(site, **changes), format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert rows() == before


def test_a_room_clash_names_the_clashing_session(site, staff_user):
    data = new_session(site, start="2025-02-10T10:30:00+01:00", end="2025-02-10T11:30:00+01:00")
    response = api(staff_user).post("/api/v1/sessions/", data)
    assert "Panel on trustworthy AI governance" in response.json()["room"][0]


def test_a_travel_warning_needs_accept_conflicts(site, staff_user):
    # The EVP is on the panel at the Grand Palais until 11:00; Station F by 11:15 is too soon.
    gp, sf = site["sessions"]["panel"].room.venue, site["sessions"]["visit"].room.venue
    TravelTimeFactory(origin=gp, destination=sf, minutes=35)
    data = new_session(
        site,
        room=site["sessions"]["visit"].room.pk,
        start="2025-02-10T11:15:00+01:00",
        end="2025-02-10T11:45:00+01:00",
    )
    client = api(staff_user)
    refused = client.post("/api/v1/sessions/", data)
    assert refused.status_code == 400
    assert "Henna Virkkunen has 15 min" in refused.json()["accept_conflicts"][0]
    assert client.post("/api/v1/sessions/", data | {"accept_conflicts": True}).status_code == 201


def test_moving_a_session_bumps_its_sequence(site, staff_user):
    panel = site["sessions"]["panel"]
    response = api(staff_user).patch(
        f"/api/v1/sessions/{panel.pk}/",
        {"start": "2025-02-10T09:00:00+01:00", "end": "2025-02-10T09:45:00+01:00"},
    )
    assert (response.status_code, response.json()["sequence"]) == (200, 1)


def test_deleting_leaves_a_removal_for_syncing_clients(site, staff_user):
    panel = site["sessions"]["panel"]
    closed = site["sessions"]["closed"]
    assert api(staff_user).delete(f"/api/v1/sessions/{panel.pk}/").status_code == 204
    api(staff_user).delete(f"/api/v1/sessions/{closed.pk}/")
    public = results(api().get("/api/v1/removals/"))
    assert [(r["kind"], r["object_id"]) for r in public] == [("session", panel.pk)]
    assert {r["object_id"] for r in results(api(staff_user).get("/api/v1/removals/"))} == {
        panel.pk,
        closed.pk,
    }


def test_making_a_session_invitation_only_removes_it_for_the_public(site, staff_user):
    health = site["sessions"]["health"]
    api(staff_user).patch(f"/api/v1/sessions/{health.pk}/", {"visibility": "invitation"})
    assert [r["object_id"] for r in results(api().get("/api/v1/removals/"))] == [health.pk]


def test_a_database_refusal_is_a_409_not_a_500(site, staff_user, postgres):
    # Bypass the checks to reach the exclusion constraint directly (PostgreSQL only).
    from agenda.api.serializers import SessionSerializer

    original = SessionSerializer.check
    SessionSerializer.check = lambda self, candidate, attrs: []
    try:
        data = new_session(site, start="2025-02-10T10:30:00+01:00", end="2025-02-10T11:30:00+01:00")
        response = api(staff_user).post("/api/v1/sessions/", data)
    finally:
        SessionSerializer.check = original
    assert response.status_code == 409
    assert not Session.objects.filter(slug="code-of-practice").exists()


def test_token_authentication_for_programs(site, staff_user):
    token = Token.objects.create(user=staff_user)
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.post("/api/v1/sessions/", new_session(site)).status_code == 201
    token.delete()
    assert client.get("/api/v1/sessions/").status_code == 401


def test_throttling_answers_429_with_retry_after(site, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "3/min"})
    from django.core.cache import cache

    cache.clear()
    client = api()
    codes = [client.get("/api/v1/summits/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/summits/")
    assert int(limited["Retry-After"]) > 0
    cache.clear()


def test_me_is_the_callers_own_agenda(site):
    minister = site["minister"]
    data = api(minister.user).get("/api/v1/me/").json()
    assert data["person"]["name"] == "Minister Rossi"
    assert [s["slug"] for s in data["sessions"]] == ["closed"]
    assert data["meetings"] == []
    assert api().get("/api/v1/me/").status_code in {401, 403}


# --- query counts ---------------------------------------------------------------------------


def populate(size):
    summit = SummitFactory()
    venue = VenueFactory(summit=summit)
    track = TrackFactory(summit=summit)
    for n in range(size):
        room = RoomFactory(venue=venue)
        start = paris(10, 8) + timedelta(minutes=30 * n)
        session = SessionFactory(
            summit=summit, room=room, track=track, start=start, end=start + timedelta(minutes=20)
        )
        SessionRoleFactory(session=session)
        SessionRoleFactory(session=session)
        MeetingFactory(
            summit=summit,
            confidentiality="public",
            status="confirmed",
            start=paris(11, 8) + timedelta(hours=n),
            end=paris(11, 8, 30) + timedelta(hours=n),
        )
        PersonFactory()
        TravelTimeFactory(origin=venue, destination=VenueFactory(summit=summit))
    SessionFactory(summit=summit, room=room, start=paris(11, 9), end=paris(11, 10)).delete()


LISTS = {
    "/api/v1/summits/": 2,
    "/api/v1/venues/": 3,
    "/api/v1/travel-times/": 2,
    "/api/v1/rooms/": 2,
    "/api/v1/tracks/": 2,
    "/api/v1/sessions/": 3,
    "/api/v1/removals/": 2,
    "/api/v1/people/": 2,
    "/api/v1/organisations/": 2,
    "/api/v1/meetings/": 3,
}


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize("url", LISTS)
def test_list_queries_do_not_grow(django_assert_num_queries, size, url):
    populate(size)
    client = api()
    with django_assert_num_queries(LISTS[url] + 1):  # + the summit time zone lookup
        assert client.get(url).status_code == 200
