"""Delivery, after the response: each email is claimed by one worker, sent once, and on a
failure of the mail server tried again later, waiting longer each time."""

import smtplib
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from outbox.models import Email


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... up to an hour between tries (settings may change the base)."""
    seconds = settings.OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, 3600))


@task()
def deliver(email_id: int) -> str:
    """Send one queued email; returns what became of it."""
    # Claimed with one conditional UPDATE, so two workers never both send it.
    claimed = Email.objects.filter(pk=email_id, status=Email.Status.QUEUED).update(
        status=Email.Status.SENDING
    )
    if not claimed:
        return "not queued"
    email = Email.objects.get(pk=email_id)
    email.attempts += 1
    try:
        email.as_message().send()
    except (smtplib.SMTPException, OSError) as error:
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            email.status, email.next_attempt_at = Email.Status.FAILED, None
        else:
            email.status = Email.Status.QUEUED
            email.next_attempt_at = timezone.now() + backoff(email.attempts)
    else:
        email.status, email.sent_at = Email.Status.SENT, timezone.now()
        email.last_error, email.next_attempt_at = "", None
    email.save()
    if email.status == Email.Status.QUEUED and deliver.get_backend().supports_defer:
        deliver.using(run_after=email.next_attempt_at).enqueue(email.pk)
    return str(email.status)


def retry(emails: Iterable[Email]) -> int:
    """Send failed, stuck or overdue emails again, now."""
    ids = [email.pk for email in emails if email.status != Email.Status.SENT]
    Email.objects.filter(pk__in=ids).update(
        status=Email.Status.QUEUED, next_attempt_at=None, attempts=0
    )
    for pk in ids:
        transaction.on_commit(partial(deliver.enqueue, pk), robust=True)
    return len(ids)
