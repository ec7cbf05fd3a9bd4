"""The outbox: queued in the sender's transaction, delivered once after commit, retried
with backoff while the mail server fails, and visible to staff."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from outbox import mail as outbox
from outbox.models import Email
from outbox.tasks import backoff, deliver

pytestmark = pytest.mark.django_db


def test_an_email_waits_for_the_commit_and_is_sent_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = outbox.send(to=["amelie@example.org"], subject="Your seat", body="Hello")
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    email.refresh_from_db()
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["amelie@example.org"], "Your seat", "Hello")
    ]
    assert (email.status, email.attempts) == ("sent", 1)
    # A second delivery of the same email (a task run twice) sends nothing more.
    assert deliver.call(email.pk) == "not queued"
    assert len(mail.outbox) == 1


def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outbox.send(to=["amelie@example.org"], subject="Never", body="Rolled back")
    # The callbacks of a transaction that rolls back are dropped: none of them ran.
    assert mail.outbox == [] and len(callbacks) == 1


def test_a_subject_with_a_line_break_is_one_line(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.send(
            to=["a@example.org"], subject="AI and\r\nBcc: x@evil.example\n energy", body="-"
        )
    [message] = mail.outbox
    assert message.subject == "AI and Bcc: x@evil.example energy"
    assert message.message()["Bcc"] is None


def test_no_recipient_no_email():
    assert outbox.send(to=["", ""], subject="Nobody", body="-") is None
    assert Email.objects.count() == 0


def test_a_failing_mail_server_is_tried_again_later_then_given_up(mail_server, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    email = Email.objects.create(
        to=["a@example.org"], from_email="s@example.org", subject="S", body="B"
    )
    before = timezone.now()
    assert deliver.call(email.pk) == "queued"
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("queued", 1)
    assert "ConnectionRefusedError" in email.last_error
    assert before + backoff(1) <= email.next_attempt_at <= timezone.now() + backoff(1)
    deliver.call(email.pk)
    assert deliver.call(email.pk) == "failed"
    email.refresh_from_db()
    assert (email.status, email.attempts, email.next_attempt_at) == ("failed", 3, None)


def test_backoff_doubles_up_to_an_hour(settings):
    settings.OUTBOX_RETRY_SECONDS = 30
    assert [backoff(n) for n in (1, 2, 3, 8, 20)] == [
        timedelta(seconds=30),
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(seconds=3600),
        timedelta(seconds=3600),
    ]


def test_staff_see_the_outbox_and_send_failed_emails_again(
    client, staff_user, django_capture_on_commit_callbacks
):
    failed = Email.objects.create(
        to=["a@example.org"],
        from_email="s@example.org",
        subject="Invitation: Bilateral",
        body="B",
        status="failed",
        attempts=10,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    client.force_login(staff_user)
    page = client.get("/admin/outbox/email/", {"status": "failed"})
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [failed]
    detail = client.get(f"/admin/outbox/email/{failed.pk}/change/").content.decode()
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in detail
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/outbox/email/", {"action": "retry", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("sent", 1)
    assert [m.subject for m in mail.outbox] == ["Invitation: Bilateral"]
