import re
from datetime import timedelta

import pytest
from django.core import mail

from agenda.models import AgendaChange, FeedToken, Registration, Star
from tests.agenda.ics import events
from tests.api_helpers import api
from tests.factories import (
    MeetingFactory,
    MeetingParticipantFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    TravelTimeFactory,
    UserFactory,
    VenueFactory,
    paris,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def attendee(site):
    user = UserFactory(username="amelie")
    PersonFactory(name="Amélie Durand", user=user, is_public=False)
    return user


def agenda(client):
    response = client.get("/me/")
    assert response.status_code == 200
    return {
        entry.item.title: entry for _day, entries in response.context["days"] for entry in entries
    }


def test_the_agenda_needs_a_login(client):
    assert client.get("/me/")["Location"].startswith("/accounts/login/")


def test_the_agenda_holds_exactly_the_attendees_items(client, site, attendee):
    health = site["sessions"]["health"]
    panel = site["sessions"]["panel"]
    client.force_login(attendee)
    client.post(f"/me/stars/{panel.pk}/", {"next": "/ai/programme/"})
    client.post(f"/me/registrations/{health.pk}/", {"next": "/ai/sessions/health/"})
    other = UserFactory()
    PersonFactory(user=other)
    client.force_login(other)
    client.post(f"/me/stars/{site['sessions']['visit'].pk}/")
    client.force_login(attendee)
    items = agenda(client)
    assert set(items) == {"Panel on trustworthy AI governance", "AI in health and science"}
    assert items["AI in health and science"].registration.status == "confirmed"
    assert items["Panel on trustworthy AI governance"].starred
    assert "SECRET" not in client.get("/me/").content.decode()


def test_the_agenda_flags_a_clash_and_a_too_short_venue_change(client, site, attendee):
    panel, visit = site["sessions"]["panel"], site["sessions"]["visit"]
    person = attendee.person
    # Panel 10:00-11:00 at the Grand Palais; a Station F session at 11:15 the same day.
    TravelTimeFactory(origin=panel.room.venue, destination=visit.room.venue, minutes=35)
    tight = SessionFactory(
        summit=site["summit"],
        room=visit.room,
        title="Start-up pitch",
        start=paris(10, 11, 15),
        end=paris(10, 12),
    )
    clash = SessionFactory(
        summit=site["summit"],
        room=RoomFactory(venue=panel.room.venue),
        title="Side event",
        start=paris(10, 10, 30),
        end=paris(10, 11),
    )
    for session in (panel, tight, clash):
        SessionRoleFactory(session=session, person=person, role="participant")
    client.force_login(attendee)
    items = agenda(client)
    assert any(
        "Start-up pitch" in w and "35 min" in w
        for w in items["Panel on trustworthy AI governance"].warnings
    )
    assert any("already in" in w for w in items["Side event"].warnings)


def test_meetings_are_in_the_participants_agenda_only(client, site):
    evp_user = UserFactory()
    site["evp"].user = evp_user
    site["evp"].save()
    client.force_login(evp_user)
    assert "SECRET-BILATERAL" in agenda(client)
    client.force_login(site["minister"].user)
    assert "SECRET-BILATERAL" not in agenda(client)


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


def test_the_api_registers_answers_in_words_and_cancels_harmlessly(site, attendee):
    health = site["sessions"]["health"]
    health.capacity = 1
    health.save()
    other = api(UserFactory())
    other.post("/api/v1/me/registrations/", {"session": health.pk})
    client = api(attendee)
    answer = client.post("/api/v1/me/registrations/", {"session": health.pk}).json()
    assert answer == {
        "session": health.pk,
        "status": "waitlisted",
        "position": 1,
        "message": "The session is full: you are number 1 on the waiting list.",
    }
    assert client.get("/api/v1/me/registrations/").json() == [answer]
    assert other.delete(f"/api/v1/me/registrations/{health.pk}/").status_code == 204
    assert other.delete(f"/api/v1/me/registrations/{health.pk}/").status_code == 204
    assert client.get("/api/v1/me/registrations/").json()[0]["status"] == "confirmed"


def test_the_api_refuses_what_the_site_refuses(site, attendee):
    client = api(attendee)
    closed, panel = site["sessions"]["closed"], site["sessions"]["panel"]
    assert "session" in client.post("/api/v1/me/registrations/", {"session": closed.pk}).json()
    no_seats = client.post("/api/v1/me/registrations/", {"session": panel.pk})
    assert no_seats.status_code == 400 and "takes no registrations" in no_seats.json()["session"][0]
    assert client.post("/api/v1/me/stars/", {"session": "x"}).status_code == 400
    assert client.post("/api/v1/me/stars/", {"session": panel.pk}).status_code == 201
    assert client.get("/api/v1/me/stars/").json() == [{"session": panel.pk}]
    assert client.delete(f"/api/v1/me/stars/{panel.pk}/").status_code == 204
    assert api().post("/api/v1/me/stars/", {"session": panel.pk}).status_code in {401, 403}


def test_the_personal_feed_carries_stars_and_registrations(client, site, attendee):
    health, panel = site["sessions"]["health"], site["sessions"]["panel"]
    health.capacity = 1
    health.save()
    seated = api(UserFactory())
    seated.post("/api/v1/me/registrations/", {"session": health.pk})
    client.force_login(attendee)
    client.post(f"/me/stars/{panel.pk}/")
    client.post(f"/me/registrations/{health.pk}/")
    _token, secret = FeedToken.issue(user=attendee)
    client.logout()
    first = client.get(f"/feeds/{secret}.ics")
    feed = {str(e["SUMMARY"]): e for e in events(first.content).values()}
    assert set(feed) == {"Panel on trustworthy AI governance", "AI in health and science"}
    assert feed["AI in health and science"]["STATUS"] == "TENTATIVE"
    # The seated attendee cancels: promotion turns the event confirmed, under a new ETag.
    seated.delete(f"/api/v1/me/registrations/{health.pk}/")
    again = client.get(f"/feeds/{secret}.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    feed = {str(e["SUMMARY"]): e for e in events(again.content).values()}
    assert feed["AI in health and science"]["STATUS"] == "CONFIRMED"


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


def test_the_session_page_offers_registration_and_shows_the_outcome(client, site, attendee):
    assert "Log in to register" in client.get("/ai/sessions/health/").content.decode()
    client.force_login(attendee)
    assert "Register" in client.get("/ai/sessions/health/").content.decode()
    client.post(f"/me/registrations/{site['sessions']['health'].pk}/")
    content = client.get("/ai/sessions/health/").content.decode()
    assert "You have a seat." in content and "Cancel my registration" in content
    assert "29 seats left" in content


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
        meeting = MeetingFactory(
            summit=venue.summit,
            status="confirmed",
            start=start + timedelta(minutes=30),
            end=start + timedelta(minutes=40),
            room=RoomFactory(venue=venue),
        )
        MeetingParticipantFactory(meeting=meeting, person=person)
    client.force_login(user)
    with django_assert_num_queries(12):
        assert client.get("/me/").status_code == 200


def test_invitations_create_logins_and_send_set_password_links(client, staff_user):
    client.force_login(staff_user)
    csv_text = "name,email,organisation,country\nAmélie Durand,amelie@example.org,Institut,FR\nRahul Mehta,rahul@example.org,,IN\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("invitees.csv", csv_text.encode(), content_type="text/csv")
    response = client.post("/admin/people/person/invite/", {"csv_file": upload})
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["amelie@example.org", "rahul@example.org"]
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    client.logout()
    form = client.get(link, follow=True)
    assert form.context["validlink"]
    password = "Summit-2025-delegate"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert done.status_code == 302
    login = client.post(
        "/accounts/login/", {"username": mail.outbox[0].to[0], "password": password}
    )
    assert (login.status_code, login["Location"]) == (302, "/me/")


def test_a_bad_csv_invites_nobody_and_names_the_line(client, staff_user):
    client.force_login(staff_user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv_text = "name,email\nGood Person,good@example.org\nBad Person,not-an-email\n"
    upload = SimpleUploadedFile("invitees.csv", csv_text.encode())
    response = client.post("/admin/people/person/invite/", {"csv_file": upload})
    assert response.status_code == 200
    assert response.context["errors"] == ["Line 3, email: “not-an-email” is not an email address."]
    assert mail.outbox == []
    from people.models import Person

    assert not Person.objects.filter(name="Good Person").exists()


@pytest.mark.parametrize("size", [1, 5])
def test_my_api_lists_do_not_grow(django_assert_num_queries, size):
    user = UserFactory()
    person = PersonFactory(user=user)
    venue = VenueFactory()
    for n in range(size):
        start = paris(10, 8) + timedelta(hours=n)
        session = SessionFactory(
            room=RoomFactory(venue=venue),
            summit=venue.summit,
            start=start,
            end=start + timedelta(minutes=30),
            capacity=5,
        )
        Registration.objects.create(session=session, person=person, status="waitlisted")
        Star.objects.create(session=session, user=user)
    client = api(user)
    with django_assert_num_queries(2):  # zone, stars
        assert client.get("/api/v1/me/stars/").status_code == 200
    with django_assert_num_queries(2):  # zone, registrations with their places in line
        assert client.get("/api/v1/me/registrations/").status_code == 200
