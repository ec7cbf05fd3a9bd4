import pytest

from agenda import seats
from agenda.models import AgendaChange, Registration, Session
from people.models import Person
from tests.api_helpers import api, slugs
from tests.factories import PersonFactory, SessionFactory, SummitFactory, UserFactory

pytestmark = pytest.mark.django_db

ALL_PUBLIC = {"panel", "health", "visit", "energy"}


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


@pytest.fixture
def full_workshop(site, clock):
    """The health workshop with two seats, both taken, and one person waiting."""
    health = site["sessions"]["health"]
    health.capacity = 2
    health.save()
    for name in ["Ada", "Bo", "Cy"]:
        seats.register(session=health, person=PersonFactory(name=name), actor=None)
    return health


FEWER = (
    "2 people already have a seat, so the session cannot offer fewer than 2. "
    "Cancel registrations first to free seats."
)
CLEARED = (
    "3 people are registered for this session (with a seat or on the waiting list), so it "
    "must keep its seats. Cancel the registrations first, or cancel the session."
)


@pytest.mark.parametrize(("capacity", "message"), [(1, FEWER), (0, FEWER), (None, CLEARED)])
def test_seats_cannot_be_taken_from_people_who_have_them(
    full_workshop, staff_user, capacity, message
):
    url = f"/api/v1/sessions/{full_workshop.pk}/"
    response = api(staff_user).patch(url, {"capacity": capacity}, format="json")
    assert (response.status_code, response.json()) == (400, {"capacity": [message]})
    assert Session.objects.values_list("capacity", "seats_taken").get(pk=full_workshop.pk) == (
        2,
        2,
    )


def test_a_session_offers_at_least_one_seat(site, staff_user):
    panel = site["sessions"]["panel"]
    response = api(staff_user).patch(f"/api/v1/sessions/{panel.pk}/", {"capacity": 0})
    assert (response.status_code, response.json()) == (
        400,
        {
            "capacity": [
                "Offer at least one seat, or leave the number of seats empty if the session "
                "takes no registrations."
            ]
        },
    )


def seated(session):
    return {
        r.person.name: r.status
        for r in Registration.objects.filter(session=session).select_related("person")
    }


def test_more_seats_through_the_api_go_down_the_line(full_workshop, staff_user):
    url = f"/api/v1/sessions/{full_workshop.pk}/"
    assert api(staff_user).patch(url, {"capacity": 3}).status_code == 200
    assert seated(full_workshop) == {"Ada": "confirmed", "Bo": "confirmed", "Cy": "confirmed"}


def test_a_person_deleted_through_the_api_gives_up_their_seat(full_workshop, staff_user):
    ada = Person.objects.get(name="Ada")
    assert api(staff_user).delete(f"/api/v1/people/{ada.pk}/").status_code == 204
    assert seated(full_workshop) == {"Bo": "confirmed", "Cy": "confirmed"}
    assert Session.objects.values_list("seats_taken", flat=True).get(pk=full_workshop.pk) == 2


KEPT_SESSION = (
    "This session has registrations or a record of changes to attendees' agendas, which "
    "deleting it would lose. Cancel it instead (status “cancelled”): calendars and attendees "
    "then see that it will not take place."
)
KEPT_SUMMIT = (
    "This summit has sessions, so it cannot be deleted. Delete its sessions first; those with "
    "registrations or a record of changes are kept, so cancel them instead and keep the summit."
)


def test_a_session_with_registrations_is_cancelled_not_deleted(full_workshop, staff_user):
    kept = list(Registration.objects.values_list("pk", flat=True)), AgendaChange.objects.count()
    response = api(staff_user).delete(f"/api/v1/sessions/{full_workshop.pk}/")
    assert (response.status_code, response.json()) == (409, {"detail": KEPT_SESSION})
    assert (
        list(Registration.objects.values_list("pk", flat=True)),
        AgendaChange.objects.count(),
    ) == kept


@pytest.mark.usefixtures("clock")
def test_a_session_with_a_history_of_stars_is_not_deleted(site, staff_user):
    visit = site["sessions"]["visit"]
    client = api(UserFactory())
    client.post("/api/v1/me/stars/", {"session": visit.pk})
    client.delete(f"/api/v1/me/stars/{visit.pk}/")
    response = api(staff_user).delete(f"/api/v1/sessions/{visit.pk}/")
    assert (response.status_code, response.json()) == (409, {"detail": KEPT_SESSION})
    assert list(AgendaChange.objects.values_list("action", "session")) == [
        ("unstarred", visit.pk),
        ("starred", visit.pk),
    ]


def test_a_summit_with_sessions_is_not_deleted(staff_user):
    summit = SessionFactory(room=None, summit=SummitFactory()).summit  # no room holds it
    response = api(staff_user).delete(f"/api/v1/summits/{summit.pk}/")
    assert (response.status_code, response.json()) == (409, {"detail": KEPT_SUMMIT})
    assert Session.objects.filter(summit=summit).count() == 1
    empty = SummitFactory()
    assert api(staff_user).delete(f"/api/v1/summits/{empty.pk}/").status_code == 204
