"""What an attendee does from their own pages: giving a seat or a place in line away after
a confirmation, the programme's seats, the frame of the attendee's pages, meeting answers."""

import re

import pytest
from django.utils import translation

from agenda import seats
from agenda.models import Registration
from tests.factories import (
    MeetingFactory,
    MeetingParticipantFactory,
    PersonFactory,
    SessionFactory,
    SessionRoleFactory,
    UserFactory,
    paris,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def seats_lines(content: str) -> list[str]:
    return re.findall(r'<p class="seats[^"]*">([^<]*)</p>', content)


def test_giving_up_a_seat_asks_first_on_a_page_that_posts_the_cancellation(client, site, attendee):
    health = site["sessions"]["health"]
    client.force_login(attendee)
    client.post(f"/me/registrations/{health.pk}/")
    page = client.get(f"/me/registrations/{health.pk}/", {"next": "/me/"})
    content = page.content.decode()
    assert (page.status_code, page.context["next"], page.context["registration"].status) == (
        200,
        "/me/",
        "confirmed",
    )
    assert "Give up your seat at “AI in health and science”?" in content
    assert Registration.objects.get(session=health).status == "confirmed"  # asked, not done
    done = client.post(
        f"/me/registrations/{health.pk}/", {"action": "cancel", "next": "/me/"}, follow=True
    )
    assert [str(m) for m in done.context["messages"]] == [
        "Your registration for “AI in health and science” is cancelled."
    ]
    assert Registration.objects.get(session=health).status == "cancelled"


def test_leaving_the_waiting_list_asks_first_and_says_what_was_done(client, site, attendee):
    health = site["sessions"]["health"]
    health.capacity = 1
    health.save()
    first = UserFactory()
    client.force_login(first)
    client.post(f"/me/registrations/{health.pk}/")
    client.force_login(attendee)
    client.post(f"/me/registrations/{health.pk}/")
    page = client.get(f"/me/registrations/{health.pk}/")
    assert "Leave the waiting list for “AI in health and science”?" in page.content.decode()
    assert "You are number 1 on the waiting list." in page.content.decode()
    done = client.post(
        f"/me/registrations/{health.pk}/", {"action": "cancel", "next": "/me/"}, follow=True
    )
    assert [str(m) for m in done.context["messages"]] == [
        "You have left the waiting list for “AI in health and science”."
    ]
    assert done.redirect_chain == [(f"/me/#session-{health.pk}", 302)]


def test_the_confirmation_page_without_a_registration_says_so(client, site, attendee):
    health = site["sessions"]["health"]
    client.force_login(attendee)
    page = client.get(f"/me/registrations/{health.pk}/")
    assert (page.status_code, page.context["registration"]) == (200, None)
    assert "You have no seat and no place on the waiting list" in page.content.decode()


@pytest.mark.parametrize(
    ("asked", "kept"),
    [
        ("https://evil.example/", "/ai/sessions/health/"),
        ("//evil.example/me/", "/ai/sessions/health/"),
        ("javascript:alert(1)", "/ai/sessions/health/"),
        ("/ai/programme/?day=2025-02-10#x", "/ai/programme/?day=2025-02-10"),
    ],
)
def test_the_confirmation_page_returns_only_to_this_site(client, site, attendee, asked, kept):
    client.force_login(attendee)
    page = client.get(f"/me/registrations/{site['sessions']['health'].pk}/", {"next": asked})
    assert (page.status_code, page.context["next"]) == (200, kept)


def test_bad_input_to_the_confirmation_page_is_refused_without_an_error(client, site, attendee):
    client.force_login(attendee)
    health, closed = site["sessions"]["health"], site["sessions"]["closed"]
    too_long = client.get(f"/me/registrations/{health.pk}/", {"next": "/" + "x" * 3000})
    assert too_long.status_code == 400
    assert client.get(f"/me/registrations/{closed.pk}/").status_code == 404
    assert client.get("/me/registrations/999999/").status_code == 404
    assert client.post(f"/me/registrations/{health.pk}/", {"action": "nope"}).status_code == 400
    client.logout()
    assert client.get(f"/me/registrations/{health.pk}/")["Location"].startswith("/accounts/login/")


def test_programme_cards_show_seats_left_as_they_stand(
    client, site, attendee, django_capture_on_commit_callbacks
):
    health = site["sessions"]["health"]
    person = PersonFactory()
    assert seats_lines(client.get("/ai/programme/").content.decode()) == ["30 seats left"]
    # A registration leaves the programme's version alone and moves the seats' once it is
    # committed: the page's lines about seats, kept under it, show the new count.
    with django_capture_on_commit_callbacks(execute=True):
        seats.register(session=health, person=person, actor=None)
    health.refresh_from_db()
    assert health.seats_taken == 1
    assert seats_lines(client.get("/ai/programme/").content.decode()) == ["29 seats left"]
    health.capacity = 1
    health.save()
    assert seats_lines(client.get("/ai/programme/").content.decode()) == ["Full: waiting list open"]


def test_seats_leave_a_card_once_its_session_is_over(client, site, attendee, clock):
    """The lines about seats are kept under the seats' version, which the end of a session
    does not move: they are kept until the next session with seats is over."""
    assert seats_lines(client.get("/ai/programme/").content.decode()) == ["30 seats left"]
    clock(paris(10, 15, 59))
    assert seats_lines(client.get("/ai/programme/").content.decode()) == ["30 seats left"]
    clock(paris(10, 16, 1))
    assert seats_lines(client.get("/ai/programme/").content.decode()) == []
    client.force_login(attendee)
    assert seats_lines(client.get("/ai/programme/").content.decode()) == []


def test_programme_cards_show_the_readers_own_seat_or_place_in_line(client, site, attendee):
    health = site["sessions"]["health"]
    health.capacity = 1
    health.save()
    client.force_login(UserFactory())
    client.post(f"/me/registrations/{health.pk}/")
    assert seats_lines(client.get("/ai/programme/").content.decode()) == ["You have a seat"]
    client.force_login(attendee)
    client.post(f"/me/registrations/{health.pk}/")
    assert seats_lines(client.get("/ai/programme/").content.decode()) == [
        "Number 1 on the waiting list"
    ]
    client.logout()
    assert seats_lines(client.get("/ai/programme/").content.decode()) == ["Full: waiting list open"]


def test_a_page_served_again_after_a_registration_is_not_a_stale_304(client, site, attendee):
    client.force_login(attendee)
    first = client.get("/ai/programme/")
    seats.register(session=site["sessions"]["health"], person=PersonFactory(), actor=None)
    again = client.get("/ai/programme/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, seats_lines(again.content.decode())) == (200, ["29 seats left"])


@pytest.mark.parametrize("size", [1, 5])
def test_seats_on_the_programme_cost_the_same_queries_whatever_their_number(
    client, site, attendee, django_assert_num_queries, size
):
    for hour in range(size):
        SessionFactory(
            summit=site["summit"], capacity=10, start=paris(11, 14 + hour), end=paris(11, 15 + hour)
        )
    client.force_login(attendee)
    client.get("/ai/programme/")  # fragments and seats cached
    # Session, user, versions, and the reader's stars and registrations in one query.
    with django_assert_num_queries(4):
        content = client.get("/ai/programme/").content.decode()
    assert len(seats_lines(content)) == size + 1


@pytest.mark.parametrize(
    "url",
    ["/me/", "/me/calendar/", "/me/meetings/", "/accounts/login/", "/accounts/password_reset/"],
)
def test_attendee_and_account_pages_keep_the_summits_frame(client, site, attendee, url):
    if url.startswith("/me/"):
        client.force_login(attendee)
    content = client.get(url).content.decode()
    title = re.search(r"<title>(.*?)</title>", content, re.DOTALL)[1]
    assert title.endswith(" · AI Action Summit")
    assert 'href="/ai/programme/"' in content
    assert "All times are in Europe/Paris." in content


def test_a_meeting_page_shows_the_answer_given_and_says_what_was_done(client, site):
    meeting = MeetingFactory(
        summit=site["summit"],
        title="Bilateral on compute",
        status="proposed",
        start=paris(11, 9),
        end=paris(11, 9, 30),
    )
    mine = MeetingParticipantFactory(meeting=meeting, person=site["minister"], response="pending")
    client.force_login(site["minister"].user)
    page = client.get(f"/me/meetings/{meeting.pk}/").content.decode()
    assert "You have not answered yet." in page
    done = client.post(f"/me/meetings/{meeting.pk}/answer/", {"response": "accepted"}, follow=True)
    content = done.content.decode()
    assert [str(m) for m in done.context["messages"]] == ["You accepted “Bilateral on compute”."]
    assert "You have accepted this meeting." in content
    assert re.findall(
        r'value="(\w+)" class="answer-button[^"]*"[^>]*aria-pressed="(\w+)"', content
    ) == [
        ("accepted", "true"),
        ("declined", "false"),
    ]
    mine.refresh_from_db()
    assert mine.response == "accepted"


def test_the_agenda_names_the_other_item_of_a_clash_in_french(client, site, attendee):
    panel = site["sessions"]["panel"]
    side = SessionFactory(
        summit=site["summit"], title="Side event", start=paris(10, 10, 30), end=paris(10, 11)
    )
    for session in (panel, side):
        SessionRoleFactory(session=session, person=attendee.person, role="participant")
    client.force_login(attendee)
    with translation.override("fr"):
        content = client.get("/fr/me/").content.decode()
    assert "En même temps que « Side event », 10:30–11:00." in content


def test_the_printed_agenda_names_the_summit_the_attendee_and_the_venues(client, site, attendee):
    panel = site["sessions"]["panel"]
    panel.room.venue.address = "17 Avenue du Général Eisenhower, 75008 Paris"
    panel.room.venue.save()
    SessionRoleFactory(session=panel, person=attendee.person, role="participant")
    client.force_login(attendee)
    response = client.get("/me/")
    content = response.content.decode()
    assert [venue.name for venue in response.context["venues"]] == ["Grand Palais"]
    assert "17 Avenue du Général Eisenhower, 75008 Paris" in content
    assert re.sub(r"<[^>]+>", "", re.search(r'<p class="agenda-for">(.*?)</p>', content)[1]) == (
        "AI Action Summit · Amélie Durand · All times are in Europe/Paris."
    )
