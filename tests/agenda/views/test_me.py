from datetime import timedelta

import pytest
import segno

from agenda.models import AgendaChange, FeedToken, Registration, Star
from people.models import Person
from tests.agenda.pages import agenda
from tests.api_helpers import api
from tests.factories import (
    MeetingFactory,
    MeetingParticipantFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    UserFactory,
    VenueFactory,
    paris,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def test_the_agenda_needs_a_login(client):
    assert client.get("/me/")["Location"].startswith("/accounts/login/")


def test_starring_without_javascript_comes_back_to_the_session(client, site, attendee):
    panel = site["sessions"]["panel"]
    client.force_login(attendee)
    response = client.post(f"/me/stars/{panel.pk}/", {"next": "/ai/programme/?day=2025-02-10"})
    assert response["Location"] == f"/ai/programme/?day=2025-02-10#session-{panel.pk}"
    assert Star.objects.filter(user=attendee, session=panel).exists()
    client.post(f"/me/stars/{panel.pk}/", {"action": "unstar", "next": "https://evil.example/"})
    assert not Star.objects.filter(user=attendee, session=panel).exists()


def test_starring_with_javascript_returns_the_button(client, site, attendee):
    panel = site["sessions"]["panel"]
    client.force_login(attendee)
    response = client.post(f"/me/stars/{panel.pk}/", HTTP_X_REQUESTED_WITH="fetch")
    content = response.content.decode()
    assert (
        content.strip().startswith('<form class="star-form"') and 'aria-pressed="true"' in content
    )


def test_an_invisible_session_cannot_be_starred_or_joined(client, site, attendee):
    closed = site["sessions"]["closed"]
    client.force_login(attendee)
    assert client.post(f"/me/stars/{closed.pk}/").status_code == 404
    assert client.post(f"/me/registrations/{closed.pk}/").status_code == 404


def test_a_refused_registration_leaves_a_login_without_a_person_as_it_was(client, site):
    # A person is made for such a login when it registers, not when it is refused.
    user = UserFactory()
    client.force_login(user)
    panel, health = site["sessions"]["panel"], site["sessions"]["health"]
    people = Person.objects.count()
    assert client.post(f"/me/registrations/{panel.pk}/").status_code == 302
    assert client.post(f"/me/registrations/{health.pk}/", {"action": "cancel"}).status_code == 302
    refused = api(user).post("/api/v1/me/registrations/", {"session": panel.pk})
    assert (refused.status_code, Person.objects.count()) == (400, people)
    client.post(f"/me/registrations/{health.pk}/")
    assert Person.objects.filter(user=user).count() == 1


def test_a_full_workshop_puts_the_attendee_in_line_with_a_position(client, site, attendee):
    health = site["sessions"]["health"]
    health.capacity = 1
    health.save()
    api_client = api(UserFactory())
    first = api_client.post("/api/v1/me/registrations/", {"session": health.pk})
    assert (first.status_code, first.json()["status"]) == (201, "confirmed")
    client.force_login(attendee)
    response = client.post(
        f"/me/registrations/{health.pk}/", {"next": "/ai/sessions/health/"}, follow=True
    )
    assert "number 1 on the waiting list" in response.content.decode()
    assert agenda(client)["AI in health and science"].registration.waitlist_position == 1


def test_every_change_of_an_attendees_time_is_recorded_with_its_author(client, site, attendee):
    health = site["sessions"]["health"]
    client.force_login(attendee)
    client.post(f"/me/stars/{health.pk}/")
    client.post(f"/me/registrations/{health.pk}/")
    client.post(f"/me/registrations/{health.pk}/", {"action": "cancel"})
    rows = list(
        AgendaChange.objects.order_by("id").values_list(
            "action", "actor__username", "session__slug"
        )
    )
    assert rows == [
        ("starred", "amelie", "health"),
        ("registered", "amelie", "health"),
        ("cancelled", "amelie", "health"),
    ]


@pytest.mark.parametrize("size", [1, 5])
def test_agenda_queries_do_not_grow(client, django_assert_num_queries, size):
    user = UserFactory()
    person = PersonFactory(user=user)
    venue = VenueFactory()
    for n in range(size):
        start = paris(10, 8) + timedelta(minutes=40 * n)
        session = SessionFactory(
            room=RoomFactory(venue=venue),
            summit=venue.summit,
            start=start,
            end=start + timedelta(minutes=30),
            capacity=5,
        )
        SessionRoleFactory(session=session, person=person)
        Registration.objects.create(session=session, person=person, status="waitlisted")
        Star.objects.create(session=session, user=user)
        seated = SessionFactory(
            room=RoomFactory(venue=venue), summit=venue.summit, start=start, capacity=5
        )
        Registration.objects.create(session=seated, person=person, status="confirmed")
        AgendaChange.objects.create(session=seated, person=person, action="promoted")
        meeting = MeetingFactory(
            summit=venue.summit,
            status="confirmed",
            start=start + timedelta(minutes=30),
            end=start + timedelta(minutes=40),
            room=RoomFactory(venue=venue),
        )
        MeetingParticipantFactory(meeting=meeting, person=person)
    client.force_login(user)
    # + seats given from a waiting list since the last visit, and marking them seen; the
    # zone of the current summit (the programme's version, the summit, kept in the cache);
    # the last visit, and this first one recorded
    with django_assert_num_queries(17):
        response = client.get("/me/")
    assert (response.status_code, len(response.context["new_seats"])) == (200, size)


def test_the_calendar_page_needs_a_login(client):
    assert client.get("/me/calendar/")["Location"].startswith("/accounts/login/")


def test_the_owner_makes_copies_and_revokes_links_on_a_page(client, site):
    user = site["minister"].user
    client.force_login(user)
    response = client.post("/me/calendar/", {"label": "phone"}, follow=True)
    links = response.context["new_links"]
    assert links.webcal.startswith("webcal://testserver/feeds/") and links.https.endswith(".ics")
    assert client.get(links.https.replace("http://testserver", "")).status_code == 200
    assert client.get("/me/calendar/").context["new_links"] is None  # shown once
    [token] = FeedToken.objects.filter(user=user)
    other = FeedToken.issue(user=UserFactory())[0]
    assert client.post("/me/calendar/", {"revoke": other.pk}).status_code == 404
    client.post("/me/calendar/", {"revoke": token.pk})
    token.refresh_from_db()
    other.refresh_from_db()
    assert (token.is_active, other.is_active) == (False, True)
    assert client.get(links.https.replace("http://testserver", "")).status_code == 404


def test_a_new_link_comes_with_its_qr_code_and_copy_buttons(client):
    client.force_login(UserFactory())
    response = client.post("/me/calendar/", {"label": "phone"}, follow=True)
    webcal = response.context["new_links"].webcal
    drawn = segno.make(webcal, error="m").svg_inline(
        scale=4,
        omitsize=True,
        title="QR code of your new calendar link",
        svgclass="qr-code",
        dark="#000",
        light="#fff",
    )
    content = response.content.decode()
    # The library's drawing of exactly the webcal:// link shown, as an inline image.
    assert drawn.replace("<svg ", '<svg role="img" ', 1) in content
    assert f'value="{webcal}"' in content
    assert content.count('class="copy-action"') == 2
    assert "/static/js/copy.js" in content
    again = client.get("/me/calendar/").content.decode()
    assert ("qr-code" in again, "copy.js" in again) == (False, False)


def test_revoking_asks_first_without_javascript(client):
    user = UserFactory()
    token, _secret = FeedToken.issue(user=user, label="tablet")
    client.force_login(user)
    content = client.get("/me/calendar/").content.decode()
    confirm = content[content.index('<details class="confirm">') :]
    confirm = confirm[: confirm.index("</details>")]
    assert "<summary>Revoke “tablet”…</summary>" in confirm
    assert (
        f'<button type="submit" class="danger" name="revoke" value="{token.pk}">'
        "Yes, revoke “tablet”</button>"
    ) in confirm


def test_a_head_of_the_calendar_page_answers_and_leaves_the_new_link_to_be_shown(client):
    client.force_login(UserFactory())
    client.post("/me/calendar/", {"label": "phone"})
    assert client.head("/me/calendar/").status_code == 200
    assert client.get("/me/calendar/").context["new_links"] is not None


def test_revoking_a_link_that_is_not_a_number_is_a_404(client):
    client.force_login(UserFactory())
    assert client.post("/me/calendar/", {"revoke": "abc"}).status_code == 404
    assert client.post("/me/calendar/", {"revoke": "²"}).status_code == 404


def test_a_seat_is_kept_when_the_session_moves_onto_another_and_the_clash_is_shown(
    client, site, attendee, staff_user
):
    health, panel = site["sessions"]["health"], site["sessions"]["panel"]
    SessionRoleFactory(session=panel, person=attendee.person, role="participant")
    client.force_login(attendee)
    client.post(f"/me/registrations/{health.pk}/")
    moved = {"start": "2025-02-10T10:30:00+01:00", "end": "2025-02-10T12:00:00+01:00"}
    assert api(staff_user).patch(f"/api/v1/sessions/{health.pk}/", moved).status_code == 200
    entry = agenda(client)["AI in health and science"]
    assert (entry.registration.status, entry.warnings) == (
        "confirmed",
        ["Clashes with “Panel on trustworthy AI governance”, 10:00–11:00."],
    )


def test_a_session_that_is_over_takes_no_registrations(client, site, attendee, clock):
    health = site["sessions"]["health"]
    clock(paris(10, 16))
    refusal = "“AI in health and science” is over: it takes no more registrations."
    client.force_login(attendee)
    response = client.post(f"/me/registrations/{health.pk}/", follow=True)
    assert [str(message) for message in response.context["messages"]] == [refusal]
    answer = api(attendee).post("/api/v1/me/registrations/", {"session": health.pk})
    assert (answer.status_code, answer.json()) == (400, {"session": [refusal]})
    page = client.get(health.get_absolute_url()).content.decode()
    assert "Registration is closed: this session is over." in page
    assert f'action="/me/registrations/{health.pk}/"' not in page
    assert Registration.objects.count() == 0


def test_a_seat_from_the_waiting_list_is_told_on_the_agenda_once(client, site, attendee):
    health = site["sessions"]["health"]
    health.capacity = 1
    health.save()
    other = api(UserFactory())
    other.post("/api/v1/me/registrations/", {"session": health.pk})
    api(attendee).post("/api/v1/me/registrations/", {"session": health.pk})
    client.force_login(attendee)
    assert client.get("/me/").context["new_seats"] == []
    other.delete(f"/api/v1/me/registrations/{health.pk}/")
    response = client.get("/me/")
    assert [change.session for change in response.context["new_seats"]] == [health]
    assert (
        "You have a seat at “AI in health and science” now: a seat came free and you were next "
        "on the waiting list." in response.content.decode()
    )
    assert client.get("/me/").context["new_seats"] == []


@pytest.mark.parametrize("path", ["/me/stars/{pk}/", "/me/registrations/{pk}/"])
def test_a_button_sending_an_unknown_action_is_a_400_naming_it(client, site, attendee, path):
    health = site["sessions"]["health"]
    client.force_login(attendee)
    response = client.post(path.format(pk=health.pk), {"action": "<b>bold</b>"})
    assert (response.status_code, response["Content-Type"]) == (400, "text/plain; charset=utf-8")
    assert response.content.decode().startswith("“action”: ")
    assert "<b>" not in response.content.decode()  # what was sent is not repeated
    assert (Star.objects.count(), Registration.objects.count()) == (0, 0)


def test_a_return_address_longer_than_any_page_is_a_400_naming_it(client, site, attendee):
    panel = site["sessions"]["panel"]
    client.force_login(attendee)
    response = client.post(f"/me/stars/{panel.pk}/", {"next": "/" + "x" * 1_000_000})
    assert response.status_code == 400
    assert response.content.decode().startswith("“next”: ")
    assert not Star.objects.exists()


def test_a_link_label_too_long_is_shown_beside_the_field_and_makes_no_link(client, site):
    client.force_login(site["minister"].user)
    response = client.post("/me/calendar/", {"label": "x" * 101})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"label"}
    assert 'id="label-error"' in response.content.decode()
    assert not FeedToken.objects.exists()


@pytest.mark.parametrize(
    "target", ["programme", "\ufffd", "//evil.example/", "https://evil.example/"]
)
def test_a_return_address_that_is_not_a_path_of_the_site_returns_to_the_session(
    client, site, attendee, target
):
    panel = site["sessions"]["panel"]
    client.force_login(attendee)
    response = client.post(f"/me/stars/{panel.pk}/", {"next": target})
    assert response["Location"] == f"/ai/sessions/panel/#session-{panel.pk}"
