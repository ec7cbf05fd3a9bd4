import email
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from agenda import seats
from agenda.ical import uid
from agenda.models import AgendaChange, Registration, Session
from people.models import Person
from tests.agenda.ics import parse
from tests.factories import (
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def workshop():
    return SessionFactory(
        title="Workshop on AI in health", kind="workshop", capacity=2, room=RoomFactory(capacity=40)
    )


def register(session, person, **kwargs):
    return seats.register(session=session, person=person, actor=None, **kwargs)


def statuses(session):
    return {
        r.person.name: (r.status, r.waitlist_position)
        for r in Registration.objects.with_positions()
        .filter(session=session)
        .select_related("person")
    }


def test_seats_then_a_waiting_list_with_positions(workshop):
    people = [PersonFactory(name=name) for name in ["Ada", "Bo", "Cy", "Di"]]
    outcomes = [register(workshop, person) for person in people]
    assert [(o.status, o.position) for o in outcomes] == [
        ("confirmed", None),
        ("confirmed", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]
    assert outcomes[2].describe() == "The session is full: you are number 1 on the waiting list."
    workshop.refresh_from_db()
    assert (workshop.seats_taken, workshop.seats_left) == (2, 0)


def test_registering_twice_changes_nothing(workshop):
    person = PersonFactory()
    first = register(workshop, person)
    again = register(workshop, person)
    assert again.registration.pk == first.registration.pk
    assert Session.objects.get(pk=workshop.pk).seats_taken == 1


def test_cancelling_promotes_the_first_in_line(workshop):
    ada, bo, cy, di = (PersonFactory(name=name) for name in ["Ada", "Bo", "Cy", "Di"])
    for person in (ada, bo, cy, di):
        register(workshop, person)
    seats.cancel(session=workshop, person=ada, actor=None)
    assert statuses(workshop) == {
        "Ada": ("cancelled", None),
        "Bo": ("confirmed", None),
        "Cy": ("confirmed", None),
        "Di": ("waitlisted", 1),
    }
    assert Session.objects.get(pk=workshop.pk).seats_taken == 2


def test_cancelling_twice_is_harmless(workshop):
    ada, bo = PersonFactory(), PersonFactory()
    register(workshop, ada)
    register(workshop, bo)
    seats.cancel(session=workshop, person=ada, actor=None)
    assert seats.cancel(session=workshop, person=ada, actor=None) is None
    assert seats.cancel(session=workshop, person=PersonFactory(), actor=None) is None
    assert Session.objects.get(pk=workshop.pk).seats_taken == 1


def test_promotion_passes_over_someone_who_would_be_in_two_places(workshop):
    ada, bo, cy, di = (PersonFactory(name=name) for name in ["Ada", "Bo", "Cy", "Di"])
    for person in (ada, bo, cy, di):
        register(workshop, person)
    # While Cy waits, Cy is put on a panel at the same time.
    SessionRoleFactory(
        person=cy,
        session=SessionFactory(room=RoomFactory(), start=workshop.start, end=workshop.end),
    )
    seats.cancel(session=workshop, person=ada, actor=None)
    assert statuses(workshop)["Cy"] == ("waitlisted", 1)
    assert statuses(workshop)["Di"] == ("confirmed", None)
    [skipped] = AgendaChange.objects.filter(action="skipped")
    assert skipped.person == cy and "Already in session" in skipped.detail


def test_priority_goes_first_in_line(workshop):
    for name in ["Ada", "Bo", "Cy"]:
        register(workshop, PersonFactory(name=name))
    vip = PersonFactory(name="Minister")
    assert register(workshop, vip, priority=True).position == 1
    assert statuses(workshop)["Cy"] == ("waitlisted", 2)


def test_a_clashing_registration_is_refused_and_recorded(workshop):
    person = PersonFactory()
    other = SessionFactory(room=RoomFactory(), start=workshop.start, end=workshop.end, capacity=5)
    register(other, person)
    with pytest.raises(ValidationError) as refused:
        register(workshop, person)
    assert "You are already in session" in refused.value.message_dict["session"][0]
    assert AgendaChange.objects.filter(action="refused", person=person).count() == 1
    assert register(workshop, person, allow_clash=True).status == "confirmed"


def test_sessions_without_seats_take_no_registrations():
    with pytest.raises(ValidationError):
        register(SessionFactory(capacity=None), PersonFactory())
    cancelled = SessionFactory(capacity=10, status="cancelled")
    with pytest.raises(ValidationError):
        register(cancelled, PersonFactory())


def test_every_step_is_recorded(workshop):
    ada, bo = PersonFactory(), PersonFactory()
    register(workshop, ada)
    register(workshop, bo)
    register(workshop, PersonFactory())
    seats.cancel(session=workshop, person=ada, actor=None)
    assert list(AgendaChange.objects.order_by("id").values_list("action", flat=True)) == [
        "registered",
        "registered",
        "waitlisted",
        "cancelled",
        "promoted",
    ]


def test_saving_a_session_read_before_a_registration_keeps_the_seat_count(workshop):
    stale = Session.objects.get(pk=workshop.pk)
    register(workshop, PersonFactory())
    stale.title = "Workshop on AI in health and science"
    stale.save()
    assert Session.objects.values_list("title", "seats_taken").get(pk=workshop.pk) == (
        "Workshop on AI in health and science",
        1,
    )


def line_of(workshop, names):
    people = {name: PersonFactory(name=name) for name in names}
    for person in people.values():
        register(workshop, person)
    return people


def seats_taken(session):
    return Session.objects.values_list("seats_taken", flat=True).get(pk=session.pk)


def test_more_seats_go_down_the_line(workshop):
    line_of(workshop, ["Ada", "Bo", "Cy", "Di"])
    workshop.capacity = 3
    workshop.save()
    assert statuses(workshop) == {
        "Ada": ("confirmed", None),
        "Bo": ("confirmed", None),
        "Cy": ("confirmed", None),
        "Di": ("waitlisted", 1),
    }
    assert seats_taken(workshop) == 3


def test_a_deleted_registration_gives_its_seat_to_the_first_in_line(workshop):
    people = line_of(workshop, ["Ada", "Bo", "Cy", "Di"])
    Registration.objects.get(person=people["Ada"]).delete()
    Registration.objects.get(person=people["Di"]).delete()
    assert statuses(workshop) == {"Bo": ("confirmed", None), "Cy": ("confirmed", None)}
    assert seats_taken(workshop) == 2


def test_a_deleted_person_gives_up_their_seat(workshop):
    people = line_of(workshop, ["Ada", "Bo", "Cy", "Di"])
    people["Ada"].delete()
    assert statuses(workshop) == {
        "Bo": ("confirmed", None),
        "Cy": ("confirmed", None),
        "Di": ("waitlisted", 1),
    }
    assert seats_taken(workshop) == 2


def test_deleting_two_people_at_once_offers_no_seat_to_either(workshop):
    people = line_of(workshop, ["Ada", "Bo", "Cy", "Di"])
    Person.objects.filter(pk__in=[people["Ada"].pk, people["Cy"].pk]).delete()
    assert statuses(workshop) == {"Bo": ("confirmed", None), "Di": ("confirmed", None)}
    assert seats_taken(workshop) == 2


def test_a_deleted_login_gives_up_its_seats(workshop):
    user = UserFactory()
    ada = PersonFactory(name="Ada", user=user)
    register(workshop, ada)
    line_of(workshop, ["Bo", "Cy"])
    user.delete()
    assert statuses(workshop) == {
        "Ada": ("cancelled", None),
        "Bo": ("confirmed", None),
        "Cy": ("confirmed", None),
    }
    assert list(
        AgendaChange.objects.filter(person=ada).order_by("id").values_list("action", "detail")
    ) == [("registered", ""), ("cancelled", "The login was deleted.")]


def test_moving_a_session_seats_who_can_now_come_and_keeps_who_has_a_seat(workshop):
    people = line_of(workshop, ["Ada", "Bo", "Cy"])
    later = {"start": workshop.start + timedelta(hours=2), "end": workshop.end + timedelta(hours=2)}
    # Cy is on a panel at the workshop's time, Bo on one at the time it moves to.
    SessionRoleFactory(person=people["Cy"], session__start=workshop.start)
    SessionRoleFactory(person=people["Bo"], session__start=later["start"])
    seats.cancel(session=workshop, person=people["Ada"], actor=None)
    assert statuses(workshop)["Cy"] == ("waitlisted", 1)
    workshop.title = "Workshop on AI in health and science"
    workshop.save()  # nothing changes for Cy, nor is it recorded again
    workshop.start, workshop.end = later["start"], later["end"]
    workshop.save()
    assert statuses(workshop) == {
        "Ada": ("cancelled", None),
        "Bo": ("confirmed", None),
        "Cy": ("confirmed", None),
    }
    assert list(
        AgendaChange.objects.filter(person=people["Cy"]).order_by("id").values_list("action")
    ) == [("waitlisted",), ("skipped",), ("promoted",)]


def test_the_promoted_attendee_is_sent_the_session_as_a_calendar_invitation(
    workshop, django_capture_on_commit_callbacks
):
    people = line_of(workshop, ["Ada", "Bo"])
    cy = PersonFactory(name="Cy", user=UserFactory(email="cy@example.org"))
    register(workshop, cy)
    with django_capture_on_commit_callbacks(execute=True):
        seats.cancel(session=workshop, person=people["Ada"], actor=None)
    [message] = mail.outbox
    assert (message.to, message.subject) == (
        ["cy@example.org"],
        "You have a seat: Workshop on AI in health",
    )
    assert message.body.startswith(
        "A seat came free at Workshop on AI in health, 2025-02-10 10:00 (Europe/Paris), "
        "and it is yours"
    )
    parsed = email.message_from_bytes(message.message().as_bytes())
    [part] = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    calendar = parse(part.get_payload(decode=True))
    [event] = calendar.walk("VEVENT")
    workshop.refresh_from_db()
    assert (
        str(calendar["METHOD"]),
        str(event["UID"]),
        event["SEQUENCE"],
        event["SUMMARY"],
        str(event["ATTENDEE"]),
        dict(event["ATTENDEE"].params),
        str(event["ORGANIZER"]),
    ) == (
        "REQUEST",
        uid("session", workshop.pk),
        workshop.sequence,
        "Workshop on AI in health",
        "mailto:cy@example.org",
        {"CN": "Cy", "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "ACCEPTED", "RSVP": "FALSE"},
        "mailto:protocol@summit.invalid",
    )
    assert event.decoded("DTSTART") == workshop.start
