import pytest

from agenda.models import Session, SessionRole
from tests.api_helpers import api, new_session, results
from tests.factories import TravelTimeFactory, paris

pytestmark = pytest.mark.django_db


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


def rows():
    return (
        list(Session.objects.order_by("pk").values()),
        list(SessionRole.objects.order_by("pk").values()),
    )


def test_staff_create_a_session_with_its_people(site, staff_user):
    response = api(staff_user).post("/api/v1/sessions/", new_session(site))
    assert response.status_code == 201, response.json()
    session = Session.objects.get(slug="code-of-practice")
    assert session.start == paris(10, 12)
    assert list(session.roles.values_list("person__name", "role")) == [
        ("Henna Virkkunen", "speaker")
    ]


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
