from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def log_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_logging_in_and_out(client):
    UserFactory(username="amelie", password="Summit-amelie-2025")
    assert log_in(client, "amelie", "Summit-amelie-2025")["Location"] == "/me/"
    assert client.get("/me/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/me/").status_code == 302


def test_a_wrong_password_says_so(client):
    UserFactory(username="amelie", password="Summit-amelie-2025")
    response = log_in(client, "amelie", "nope")
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_repeated_failures_lock_the_login_until_the_cool_off(client, settings):
    UserFactory(username="amelie", password="Summit-amelie-2025")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "amelie", "wrong")
    locked = log_in(client, "amelie", "Summit-amelie-2025")
    assert locked.status_code == 429
    assert "Try again in 15 minutes" in locked.content.decode()
    assert client.get("/me/").status_code == 302  # the right password did not get in

    # The cool-off passes.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    assert log_in(client, "amelie", "Summit-amelie-2025")["Location"] == "/me/"


def test_another_username_is_not_locked_by_someone_elses_failures(client, settings):
    UserFactory(username="amelie", password="Summit-amelie-2025")
    UserFactory(username="rahul", password="Summit-rahul-2025")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "amelie", "wrong")
    assert log_in(client, "rahul", "Summit-rahul-2025")["Location"] == "/me/"


def test_a_forgotten_password_is_reset_by_email(client, django_capture_on_commit_callbacks):
    UserFactory(username="amelie", email="amelie@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password_reset/", {"email": "amelie@example.org"})
    assert response["Location"] == "/accounts/password_reset/done/"
    [message] = mail.outbox
    assert "/accounts/reset/" in message.body and "amelie" in message.body
    # An unknown address gets the same answer and no email.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert len(mail.outbox) == 1
