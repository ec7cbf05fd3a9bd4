"""The mail server is down while meetings are confirmed and attendees invited: every request
still succeeds; once the server is back, every message arrives, exactly once."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from outbox.models import Email
from tests.factories import (
    MeetingFactory,
    MeetingParticipantFactory,
    PersonFactory,
    RoomFactory,
    UserFactory,
    paris,
)

pytestmark = pytest.mark.django_db(transaction=True)

RETRY_SECONDS = 2


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.OUTBOX_RETRY_SECONDS = RETRY_SECONDS


def test_a_mail_server_outage_delays_email_and_loses_or_doubles_none(
    client, staff_user, mail_server, database_tasks
):
    room = RoomFactory()
    meeting = MeetingFactory(
        summit=room.venue.summit,
        title="Bilateral: EVP and Minister",
        status="proposed",
        start=paris(11, 15),
        end=paris(11, 15, 30),
        room=room,
    )
    delegates = []
    for name in ("evp", "minister", "adviser"):
        user = UserFactory(username=name)
        MeetingParticipantFactory(
            meeting=meeting, person=PersonFactory(user=user, name=name), response="pending"
        )
        delegates.append(user)

    # With the server down, every participant answers and staff invite two attendees.
    for user in delegates:
        client.force_login(user)
        answer = client.post(
            f"/api/v1/meetings/{meeting.pk}/reply/", {"response": "accepted"}, "application/json"
        )
        assert answer.status_code == 200, answer.content
    client.force_login(staff_user)
    csv_text = "name,email\nAmélie Durand,amelie@example.org\nRahul Mehta,rahul@example.org\n"
    upload = SimpleUploadedFile("invitees.csv", csv_text.encode(), content_type="text/csv")
    assert client.post("/admin/people/person/invite/", {"csv_file": upload}).status_code == 302

    run_worker()
    assert sorted(Email.objects.values_list("status", "attempts")) == [("queued", 1)] * 5
    assert mail_server.delivered() == []

    mail_server.start()
    time.sleep(RETRY_SECONDS + 0.5)
    run_worker()
    run_worker()  # a second pass finds nothing left to send
    assert mail_server.delivered() == [
        ("adviser@example.org", "Invitation: Bilateral: EVP and Minister"),
        ("amelie@example.org", "Your invitation to the summit"),
        ("evp@example.org", "Invitation: Bilateral: EVP and Minister"),
        ("minister@example.org", "Invitation: Bilateral: EVP and Minister"),
        ("rahul@example.org", "Your invitation to the summit"),
    ]
    assert sorted(Email.objects.values_list("status", "attempts")) == [("sent", 2)] * 5
