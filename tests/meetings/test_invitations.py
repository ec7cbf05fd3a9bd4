"""Invitation emails as calendar programs expect them (iMIP, RFC 6047; iTIP, RFC 5546)."""

import io

import pytest
import vobject
from django.core import mail
from django.core.checks import run_checks

from meetings import invitations
from tests.factories import (
    MeetingFactory,
    MeetingParticipantFactory,
    PersonFactory,
    RoomFactory,
    UserFactory,
    paris,
)
from tests.meetings.outcome import calendar_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(settings):
    settings.SUMMIT_ORGANIZER_EMAIL = "protocol@summit.example.org"
    room = RoomFactory(name="Bilateral Room 1", venue__summit__name="AI Action Summit")
    meeting = MeetingFactory(
        summit=room.venue.summit,
        title="EVP Virkkunen – Minister Tamm",
        status="confirmed",
        start=paris(11, 11),
        end=paris(11, 11, 30),
        room=room,
    )
    people = [
        # A login's address serves when the person has none of their own...
        PersonFactory(name="Henna Virkkunen", user=UserFactory(email="evp@example.org")),
        # ...the person's own address serves, login or not...
        PersonFactory(name="Kadri Tamm", email="tamm@example.ee"),
        PersonFactory(
            name="Head of cabinet",
            email="cabinet@example.org",
            user=UserFactory(email="cabinet-login@example.org"),
        ),
        # ...and nobody is written to without an address.
        PersonFactory(name="Note-taker"),
    ]
    for person, principal, response in zip(
        people,
        [True, True, False, False],
        ["accepted", "pending", "declined", "pending"],
        strict=True,
    ):
        MeetingParticipantFactory(
            meeting=meeting, person=person, is_principal=principal, response=response
        )
    return meeting


def test_an_invitation_is_an_imip_message_with_every_attendee(
    confirmed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.send(confirmed) == 3
    assert sorted(message.to for message in mail.outbox) == [
        ["cabinet@example.org"],
        ["evp@example.org"],
        ["tamm@example.ee"],
    ]
    parsed, calendar = calendar_of(mail.outbox[0])
    assert parsed.get_content_type() == "multipart/alternative"
    assert [
        (part.get_content_type(), dict(part.get_params()[1:]), part["Content-Transfer-Encoding"])
        for part in parsed.get_payload()
    ] == [
        ("text/plain", {"charset": "utf-8"}, "8bit"),
        ("text/calendar", {"method": "REQUEST", "charset": "UTF-8"}, "base64"),
    ]
    assert str(calendar["METHOD"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    organizer = event["ORGANIZER"]
    assert (str(organizer), dict(organizer.params)) == (
        "mailto:protocol@summit.example.org",
        {"CN": "AI Action Summit"},
    )
    assert [(str(a), dict(a.params)) for a in event["ATTENDEE"]] == [
        (
            "mailto:evp@example.org",
            {
                "CN": "Henna Virkkunen",
                "ROLE": "REQ-PARTICIPANT",
                "PARTSTAT": "ACCEPTED",
                "RSVP": "TRUE",
            },
        ),
        (
            "mailto:tamm@example.ee",
            {
                "CN": "Kadri Tamm",
                "ROLE": "REQ-PARTICIPANT",
                "PARTSTAT": "NEEDS-ACTION",
                "RSVP": "TRUE",
            },
        ),
        (
            "mailto:cabinet@example.org",
            {
                "CN": "Head of cabinet",
                "ROLE": "OPT-PARTICIPANT",
                "PARTSTAT": "DECLINED",
                "RSVP": "TRUE",
            },
        ),
    ]


def test_vobject_reads_the_attendees_and_the_organizer(
    confirmed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitations.send(confirmed)
    parsed, _calendar = calendar_of(mail.outbox[0])
    [part] = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    data = part.get_payload(decode=True).decode("utf-8")
    event = vobject.readOne(io.StringIO(data), validate=True, ignoreUnreadable=False).vevent
    assert event.organizer.value == "mailto:protocol@summit.example.org"
    assert [(a.value, a.params["PARTSTAT"], a.params["RSVP"]) for a in event.attendee_list] == [
        ("mailto:evp@example.org", ["ACCEPTED"], ["TRUE"]),
        ("mailto:tamm@example.ee", ["NEEDS-ACTION"], ["TRUE"]),
        ("mailto:cabinet@example.org", ["DECLINED"], ["TRUE"]),
    ]


def test_a_cancellation_names_the_attendees_and_asks_no_answer(
    confirmed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitations.send(confirmed, method="CANCEL")
    parsed, calendar = calendar_of(mail.outbox[0])
    [part] = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert dict(part.get_params()[1:]) == {"method": "CANCEL", "charset": "UTF-8"}
    [event] = calendar.walk("VEVENT")
    assert (str(calendar["METHOD"]), str(event["STATUS"])) == ("CANCEL", "CANCELLED")
    assert [(str(a), a.params["PARTSTAT"], "RSVP" in a.params) for a in event["ATTENDEE"]] == [
        ("mailto:evp@example.org", "ACCEPTED", False),
        ("mailto:tamm@example.ee", "NEEDS-ACTION", False),
        ("mailto:cabinet@example.org", "DECLINED", False),
    ]


def organizer_warnings():
    return [
        (message.id, message.msg)
        for message in run_checks(include_deployment_checks=True)
        if message.id.startswith("meetings.")
    ]


def test_check_deploy_warns_while_replies_would_go_nowhere(settings):
    assert organizer_warnings() == [
        (
            "meetings.W001",
            "SUMMIT_ORGANIZER_EMAIL is protocol@summit.invalid: the answers calendar programs "
            "send to meeting invitations cannot be delivered.",
        )
    ]
    settings.SUMMIT_ORGANIZER_EMAIL = "protocol@summit.example.org"
    assert organizer_warnings() == []
