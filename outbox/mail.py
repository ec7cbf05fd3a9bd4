"""Queue an email."""

import re
from collections.abc import Sequence
from functools import partial

from django.conf import settings
from django.db import transaction

from outbox.models import Email
from outbox.tasks import deliver


def one_line(text: str) -> str:
    """A subject is one line: a title typed with a line break must not end the headers.
    No-break spaces stay (French puts them before a colon)."""
    return re.sub(r"[^\S\u00a0\u202f]+", " ", str(text)).strip()


def send(
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    calendar: str = "",
    method: str = "",
    cancellation: str = "",
    purpose: str = "",
) -> Email | None:
    """Write the email to the outbox in the caller's transaction; it is delivered after
    commit, by a task, so a slow or failing mail server never holds up or fails a request.
    Nothing is sent for a transaction that rolls back."""
    recipients = [address for address in dict.fromkeys(to) if address]
    if not recipients:
        return None
    email = Email.objects.create(
        to=recipients,
        from_email=settings.DEFAULT_FROM_EMAIL,
        subject=one_line(subject)[:300],
        body=body,
        calendar=calendar,
        method=method,
        cancellation=cancellation,
        purpose=purpose,
    )
    # robust: a task queue that is down leaves the email queued for a retry, not a 500.
    transaction.on_commit(partial(deliver.enqueue, email.pk), robust=True)
    return email
