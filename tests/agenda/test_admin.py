import pytest
from django.urls import reverse

from agenda import seats
from agenda.models import FeedToken, Registration, Session
from tests.agenda.test_admin_forms import session_data
from tests.api_helpers import api
from tests.factories import (
    PersonFactory,
    SessionFactory,
    SessionRoleFactory,
    SummitFactory,
    UserFactory,
    paris,
)

pytestmark = pytest.mark.django_db


def test_the_session_list_filters_to_sessions_with_conflicts(staff_client, programme):
    visit = SessionFactory(room=programme["shed"], start=paris(10, 11), end=paris(10, 12))
    SessionRoleFactory(session=visit, person=programme["evp"])
    SessionFactory(room=programme["shed"], start=paris(10, 14), end=paris(10, 15))
    url = reverse("admin:agenda_session_changelist")
    listed = staff_client.get(url, {"conflicts": "yes"}).context["cl"].result_list
    assert set(listed) == {programme["panel"], visit}
    listed = staff_client.get(url, {"conflicts": "no"}).context["cl"].result_list
    assert len(listed) == 1


def test_bulk_cancel_and_reinstate(staff_client, programme):
    panel = programme["panel"]
    url = reverse("admin:agenda_session_changelist")
    staff_client.post(url, {"action": "cancel_sessions", "_selected_action": [panel.pk]})
    panel.refresh_from_db()
    assert (panel.status, panel.sequence) == ("cancelled", 1)

    # While cancelled, another session takes the room: reinstating is refused.
    taker = SessionFactory(room=panel.room, start=panel.start, end=panel.end, title="Taker")
    response = staff_client.post(
        url, {"action": "reinstate_sessions", "_selected_action": [panel.pk]}, follow=True
    )
    panel.refresh_from_db()
    assert (panel.status, panel.sequence) == ("cancelled", 1)
    assert any("Taker" in str(m) for m in response.context["messages"])

    Session.objects.filter(pk=taker.pk).cancel()
    staff_client.post(url, {"action": "reinstate_sessions", "_selected_action": [panel.pk]})
    panel.refresh_from_db()
    assert (panel.status, panel.sequence) == ("scheduled", 2)


@pytest.mark.usefixtures("clock")
def test_staff_register_a_guest_of_honour_first_in_line(client, site, staff_user):
    health = site["sessions"]["health"]
    health.capacity = 1
    health.save()
    api(UserFactory()).post("/api/v1/me/registrations/", {"session": health.pk})
    api(UserFactory()).post("/api/v1/me/registrations/", {"session": health.pk})
    vip = PersonFactory(name="Minister of Digital Affairs")
    client.force_login(staff_user)
    response = client.post(
        "/admin/agenda/registration/add/",
        {"session": health.pk, "person": vip.pk, "priority": "on"},
    )
    assert response.status_code == 302
    registration = Registration.objects.with_positions().get(person=vip)
    assert (registration.status, registration.waitlist_position) == ("waitlisted", 1)
    # And cancelling someone in the admin offers the seat down the line: to the guest first.
    seated = Registration.objects.get(session=health, status="confirmed")
    client.post(
        "/admin/agenda/registration/",
        {"action": "cancel_registrations", "_selected_action": [seated.pk]},
    )
    registration.refresh_from_db()
    assert registration.status == "confirmed"


@pytest.mark.usefixtures("clock")
def test_staff_revoke_any_link_in_the_admin(client, site, staff_user):
    token, _secret = FeedToken.issue(user=site["minister"].user)
    client.force_login(staff_user)
    client.post("/admin/agenda/feedtoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert not token.is_active


@pytest.mark.usefixtures("clock")
def test_staff_cannot_offer_fewer_seats_than_are_taken(staff_client, programme):
    panel = programme["panel"]
    panel.capacity = 2
    panel.save()
    for _n in range(2):
        seats.register(session=panel, person=PersonFactory(), actor=None)
    url = reverse("admin:agenda_session_change", args=[panel.pk])
    response = staff_client.post(url, session_data(panel, capacity=1))
    assert response.context["adminform"].form.errors == {
        "capacity": [
            "2 people already have a seat, so the session cannot offer fewer than 2. "
            "Cancel registrations first to free seats."
        ]
    }
    response = staff_client.post(url, session_data(panel, capacity=0))
    assert response.context["adminform"].form.errors["capacity"] == [
        "2 people already have a seat, so the session cannot offer fewer than 2. "
        "Cancel registrations first to free seats."
    ]
    assert Session.objects.values_list("capacity", "seats_taken").get(pk=panel.pk) == (2, 2)


def test_staff_are_told_a_session_offers_at_least_one_seat(staff_client, programme):
    panel = programme["panel"]
    url = reverse("admin:agenda_session_change", args=[panel.pk])
    response = staff_client.post(url, session_data(panel, capacity=0))
    assert response.context["adminform"].form.errors == {
        "capacity": [
            "Offer at least one seat, or leave the number of seats empty if the session "
            "takes no registrations."
        ]
    }


@pytest.fixture
def line(programme, clock):
    """The panel with one seat, Ada in it, Bo then Cy in line."""
    panel = programme["panel"]
    panel.capacity = 1
    panel.save()
    for name in ["Ada", "Bo", "Cy"]:
        seats.register(session=panel, person=PersonFactory(name=name), actor=None)
    return panel


def seated(session):
    return {
        r.person.name: r.status
        for r in Registration.objects.filter(session=session).select_related("person")
    }


def test_more_seats_in_the_admin_go_down_the_line(staff_client, line):
    url = reverse("admin:agenda_session_change", args=[line.pk])
    response = staff_client.post(url, session_data(line, capacity=2))
    assert response.status_code == 302
    assert seated(line) == {"Ada": "confirmed", "Bo": "confirmed", "Cy": "waitlisted"}


def test_a_registration_deleted_in_the_admin_gives_its_seat_to_the_first_in_line(
    staff_client, line
):
    ada = Registration.objects.get(session=line, person__name="Ada")
    url = reverse("admin:agenda_registration_delete", args=[ada.pk])
    assert staff_client.post(url, {"post": "yes"}).status_code == 302
    assert seated(line) == {"Bo": "confirmed", "Cy": "waitlisted"}
    bo = Registration.objects.get(session=line, person__name="Bo")
    staff_client.post(
        reverse("admin:agenda_registration_changelist"),
        {"action": "delete_selected", "_selected_action": [bo.pk], "post": "yes"},
    )
    assert seated(line) == {"Cy": "confirmed"}
    assert Session.objects.values_list("seats_taken", flat=True).get(pk=line.pk) == 1


def test_staff_cannot_register_anyone_for_a_session_that_is_over(staff_client, site, clock):
    health = site["sessions"]["health"]
    clock(paris(11, 9))
    response = staff_client.post(
        "/admin/agenda/registration/add/", {"session": health.pk, "person": site["evp"].pk}
    )
    assert response.context["adminform"].form.errors == {
        "session": ["“AI in health and science” is over: it takes no more registrations."]
    }
    assert Registration.objects.count() == 0


def test_the_admin_keeps_a_session_with_registrations_and_says_to_cancel_it(
    staff_client, programme
):
    panel = programme["panel"]
    panel.capacity = 5
    panel.save()
    Registration.objects.create(session=panel, person=PersonFactory(), status="confirmed")
    url = reverse("admin:agenda_session_delete", args=[panel.pk])
    page = staff_client.get(url)
    assert [str(message) for message in page.context["messages"]] == [
        "This session has registrations or a record of changes to attendees' agendas, which "
        "deleting it would lose. Cancel it instead (status “cancelled”): calendars and "
        "attendees then see that it will not take place."
    ]
    staff_client.post(url, {"post": "yes"})
    assert Registration.objects.filter(session=panel).count() == 1


def test_the_admin_keeps_a_summit_with_sessions(staff_client):
    summit = SessionFactory(room=None, summit=SummitFactory()).summit  # no room holds it
    url = reverse("admin:agenda_summit_delete", args=[summit.pk])
    page = staff_client.get(url)
    assert [str(message) for message in page.context["messages"]] == [
        "This summit has sessions, so it cannot be deleted. Delete its sessions first; those "
        "with registrations or a record of changes are kept, so cancel them instead and keep "
        "the summit."
    ]
    staff_client.post(url, {"post": "yes"})
    assert Session.objects.filter(summit=summit).count() == 1
