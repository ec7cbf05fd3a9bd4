"""The attendee's pages and what is done from them, in Chromium at a laptop's and a phone's
width: the summit's frame, clash warnings, giving a seat away after a confirmation, seats on
the programme, feedback after each action, meeting answers and the printed agenda."""

import time

import pytest
from axe_playwright_python.sync_playwright import Axe

from agenda import seats
from agenda.models import Registration, Session, Star
from tests.factories import (
    MeetingFactory,
    MeetingParticipantFactory,
    PersonFactory,
    SessionFactory,
    SessionRoleFactory,
    UserFactory,
    paris,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clock")]

PASSWORD = "Summit-amelie-2025"


@pytest.fixture(params=[1366, 390], ids=["laptop", "phone"])
def screen(browser, request):
    context = browser.new_context(
        viewport={"width": request.param, "height": 900}, locale="en-GB", timezone_id="Europe/Paris"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def amelie(site):
    user = UserFactory(username="amelie", password=PASSWORD)
    PersonFactory(name="Amélie Durand", user=user, is_public=False)
    return user


def log_in(page, live_server, username="amelie"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def serious_violations(page) -> list:
    results = Axe().run(page)
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def frame_of(page) -> tuple[str, bool, bool]:
    return (
        page.title(),
        page.get_by_role("navigation", name="Main")
        .get_by_role("link", name="Programme")
        .is_visible(),
        page.locator(".site-footer").get_by_text("All times are in Europe/Paris.").is_visible(),
    )


def test_attendee_and_login_pages_keep_the_summits_frame(screen, live_server, site, amelie):
    screen.goto(f"{live_server.url}/accounts/login/")
    assert frame_of(screen) == ("Log in · AI Action Summit", True, True)
    assert serious_violations(screen) == []
    screen.goto(f"{live_server.url}/accounts/password_reset/")
    assert frame_of(screen) == ("Forgotten password · AI Action Summit", True, True)
    log_in(screen, live_server)
    for path, title in [
        ("/me/", "My agenda · AI Action Summit"),
        ("/me/calendar/", "My calendar links · AI Action Summit"),
        ("/me/meetings/", "My meetings · AI Action Summit"),
    ]:
        screen.goto(f"{live_server.url}{path}")
        assert frame_of(screen) == (title, True, True)
        assert serious_violations(screen) == []


def test_clash_warnings_name_the_other_item(screen, live_server, site, amelie):
    panel = site["sessions"]["panel"]
    side = SessionFactory(
        summit=site["summit"],
        room=site["sessions"]["health"].room,  # another room: a room holds one thing at a time
        title="Side event",
        start=paris(10, 10, 30),
        end=paris(10, 11, 15),
    )
    for session in (panel, side):
        SessionRoleFactory(session=session, person=amelie.person, role="participant")
    log_in(screen, live_server)
    screen.goto(f"{live_server.url}/me/")
    assert screen.locator(f"#session-{panel.pk} .warning").all_inner_texts() == [
        "⚠ Clashes with “Side event”, 10:30–11:15."
    ]
    assert screen.locator(f"#session-{side.pk} .warning").all_inner_texts() == [
        "⚠ Clashes with “Panel on trustworthy AI governance”, 10:00–11:00."
    ]
    assert serious_violations(screen) == []


def test_giving_up_a_seat_from_my_agenda_asks_first_then_says_so(screen, live_server, site, amelie):
    health = site["sessions"]["health"]
    seats.register(session=health, person=amelie.person, actor=amelie)
    log_in(screen, live_server)
    screen.goto(f"{live_server.url}/me/")
    give_up = screen.get_by_role("link", name="Give up my seat: AI in health and science")
    give_up.click()
    dialog = screen.get_by_role("dialog")
    assert dialog.inner_text().startswith(
        "Give up your seat at “AI in health and science”? It goes to the next person"
    )
    assert screen.evaluate("document.activeElement.textContent") == "Keep my seat"
    assert serious_violations(screen) == []
    dialog.get_by_role("button", name="Keep my seat").click()
    assert (dialog.is_visible(), Registration.objects.get(session=health).status) == (
        False,
        "confirmed",
    )
    give_up.click()
    dialog.get_by_role("button", name="Give up my seat").click()
    screen.wait_for_url(f"**/me/#session-{health.pk}")
    message = screen.locator("#messages")
    message.wait_for()
    assert (
        message.inner_text() == "✓ Your registration for “AI in health and science” is cancelled."
    )
    screen.wait_for_function("() => document.activeElement.id === 'messages'")
    assert message.is_visible() and message.bounding_box()["y"] < 900
    assert Registration.objects.get(session=health).status == "cancelled"
    assert serious_violations(screen) == []


def test_leaving_the_waiting_list_asks_on_a_page_without_javascript(
    browser, live_server, site, amelie
):
    health = site["sessions"]["health"]
    health.capacity = 1
    health.save()
    seats.register(session=health, person=PersonFactory(), actor=None)
    seats.register(session=health, person=amelie.person, actor=amelie)
    # On the phone the attendee thinks better of it; on the laptop they leave.
    for width in (390, 1366):
        context = browser.new_context(
            java_script_enabled=False, viewport={"width": width, "height": 900}
        )
        page = context.new_page()
        log_in(page, live_server)
        page.goto(f"{live_server.url}/me/")
        assert "Waiting list: number 1" in page.locator("main").inner_text()
        page.get_by_role("link", name="Leave the waiting list: AI in health and science").click()
        assert page.get_by_role("heading", level=1).inner_text() == (
            "Leave the waiting list for “AI in health and science”?"
        )
        if width == 390:
            page.get_by_role("link", name="Stay on the list").click()
            assert page.url == f"{live_server.url}/me/"
        else:
            page.get_by_role("button", name="Leave the waiting list").click()
            assert page.locator("#messages").inner_text() == (
                "✓ You have left the waiting list for “AI in health and science”."
            )
        context.close()
    assert Registration.objects.get(session=health, person=amelie.person).status == "cancelled"


def test_unstarring_from_my_agenda(screen, live_server, site, amelie):
    panel = site["sessions"]["panel"]
    Star.objects.create(user=amelie, session=panel)
    log_in(screen, live_server)
    screen.goto(f"{live_server.url}/me/")
    screen.get_by_role(
        "button", name="Unstar “Panel on trustworthy AI governance”: Starred"
    ).click()
    screen.get_by_role("button", name="Star “Panel on trustworthy AI governance”: Star").wait_for()
    # The server's write, seen from the test's own connection: allowed a moment on a busy
    # machine, never more.
    deadline = time.monotonic() + 5
    while Star.objects.filter(user=amelie, session=panel).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Star.objects.filter(user=amelie, session=panel).exists()


def test_programme_cards_show_seats_left_and_my_own_place(screen, live_server, site, amelie):
    health = site["sessions"]["health"]
    card = screen.locator(f"#session-{health.pk} .seats")
    screen.goto(f"{live_server.url}/ai/programme/")
    assert card.inner_text() == "30 seats left"
    seats.register(session=health, person=PersonFactory(), actor=None)
    screen.reload()
    assert card.inner_text() == "29 seats left"
    log_in(screen, live_server)
    screen.goto(f"{live_server.url}/ai/sessions/health/")
    screen.get_by_role("button", name="Register").click()
    screen.goto(f"{live_server.url}/ai/programme/")
    assert card.inner_text() == "You have a seat"
    seats.cancel(session=health, person=amelie.person, actor=amelie)
    Session.objects.filter(pk=health.pk).update(capacity=1)  # the other one's seat is the last
    health.refresh_from_db()
    seats.register(session=health, person=amelie.person, actor=amelie)
    screen.reload()
    assert card.inner_text() == "Number 1 on the waiting list"
    assert serious_violations(screen) == []


def test_a_refusal_looks_like_an_error_and_is_announced(screen, live_server, site, amelie, clock):
    log_in(screen, live_server)
    screen.goto(f"{live_server.url}/ai/sessions/health/")
    clock(paris(10, 16, 30))  # the workshop is over before the button is pressed
    screen.get_by_role("button", name="Register").click()
    message = screen.get_by_role("alert")
    assert " ".join(message.text_content().split()) == (
        "✕ Error: “AI in health and science” is over: it takes no more registrations."
    )
    colour = message.evaluate("element => getComputedStyle(element).color")
    assert colour == "rgb(164, 22, 26)"
    screen.wait_for_function("() => document.activeElement.id === 'messages'")


def test_meeting_answers_show_the_choice_and_declining_asks_first(
    screen, live_server, site, amelie
):
    meeting = MeetingFactory(
        summit=site["summit"],
        title="Bilateral on compute",
        status="proposed",
        start=paris(11, 9),
        end=paris(11, 9, 30),
    )
    MeetingParticipantFactory(meeting=meeting, person=amelie.person, response="pending")
    log_in(screen, live_server)
    screen.goto(f"{live_server.url}/me/meetings/{meeting.pk}/")
    assert frame_of(screen) == ("Bilateral on compute · AI Action Summit", True, True)
    answer = screen.locator(".meeting-answer")
    assert answer.locator(".current-answer").inner_text() == "You have not answered yet."
    screen.get_by_role("button", name="Accept").click()
    assert screen.locator("#messages").inner_text() == "✓ You accepted “Bilateral on compute”."
    assert answer.locator(".current-answer").inner_text() == "You have accepted this meeting."
    assert answer.get_by_role("button", name="Accepted").get_attribute("aria-pressed") == "true"
    assert serious_violations(screen) == []
    screen.get_by_role("button", name="Decline").click()
    dialog = screen.get_by_role("dialog")
    assert dialog.locator(".confirm-question").inner_text() == "Decline “Bilateral on compute”?"
    dialog.get_by_role("button", name="Decline").click()
    screen.locator("#messages").get_by_text("You declined “Bilateral on compute”.").wait_for()
    assert answer.locator(".current-answer").inner_text() == "You have declined this meeting."


def test_the_printed_agenda_names_the_summit_the_attendee_the_zone_and_the_venues(
    screen, live_server, site, amelie
):
    panel = site["sessions"]["panel"]
    panel.room.venue.address = "17 Avenue du Général Eisenhower, 75008 Paris"
    panel.room.venue.save()
    SessionRoleFactory(session=panel, person=amelie.person, role="participant")
    Star.objects.create(user=amelie, session=panel)
    log_in(screen, live_server)
    screen.emulate_media(media="print")
    screen.goto(f"{live_server.url}/me/")
    assert screen.locator(".agenda-for").inner_text() == (
        "AI Action Summit · Amélie Durand · All times are in Europe/Paris."
    )
    assert screen.locator(".agenda-venues li").all_inner_texts() == [
        "Grand Palais\n\n17 Avenue du Général Eisenhower, 75008 Paris"
    ]
    hidden = [".site-header", ".agenda-actions", ".site-footer"]
    assert [screen.locator(selector).first.is_visible() for selector in hidden] == [False] * 3
