"""What the API answers when the database itself refuses a write."""

import threading
import time

import pytest
from django.db import connection, transaction

from agenda.models import Session
from tests.api_helpers import api, new_session
from tests.factories import paris


def wait_for_a_blocked_writer(seconds=10):
    """Until another connection waits for a lock this one holds (PostgreSQL's pg_locks is
    read afresh at each query, also inside a transaction)."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the API's insert never waited for the other writer")


@pytest.mark.django_db(transaction=True)
def test_a_booking_the_checks_could_not_see_is_a_409_not_a_500(site, staff_user, postgres):
    # Another writer that skips the room lock (a script, a database console) moves the panel
    # into the new session's hour and commits only once the API has checked the room and
    # is inserting: the database's exclusion constraint refuses the insert, not the checks.
    panel = site["sessions"]["panel"]
    answers = []

    def create_session():
        try:
            answers.append(api(staff_user).post("/api/v1/sessions/", new_session(site)))
        finally:
            connection.close()

    creating = threading.Thread(target=create_session)
    with transaction.atomic():
        Session.objects.filter(pk=panel.pk).update(start=paris(10, 12, 30), end=paris(10, 13, 30))
        creating.start()
        wait_for_a_blocked_writer()
    creating.join(timeout=30)
    [answer] = answers
    assert (answer.status_code, answer.json()) == (
        409,
        {"detail": "The database refused this change: it conflicts with existing data."},
    )
    assert not Session.objects.filter(slug="code-of-practice").exists()
    assert Session.objects.get(pk=panel.pk).start == paris(10, 12, 30)
