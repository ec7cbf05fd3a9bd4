import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.db.models import F
from django.test import Client

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


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


# Behind the TLS proxy every connection comes from the proxy; the proxy appends the address
# it saw to X-Forwarded-For.
PROXY = "10.0.0.1"
ATTACKER = "203.0.113.66"
VICTIM = "198.51.100.7"


def log_in_from(client, address, username, password, spoofed=""):
    forwarded = f"{spoofed}, {address}" if spoofed else address
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def lock(client, username, address=ATTACKER, spoofed=""):
    from django.conf import settings

    for _ in range(settings.AXES_FAILURE_LIMIT):
        answer = log_in_from(client, address, username, "wrong", spoofed=spoofed)
    assert answer.status_code == 429
    return answer


@pytest.fixture
def behind_the_proxy(settings):
    settings.TRUSTED_PROXIES = 1


def test_failures_behind_the_proxy_lock_only_the_attackers_address(behind_the_proxy, client):
    UserFactory(username="staffer", password="Summit-staffer-2025", is_staff=True)
    # The attacker writes the victim's address on the left: the proxy's entry is what counts.
    lock(client, "staffer", spoofed=VICTIM)
    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [
        ("staffer", ATTACKER)
    ]
    assert log_in_from(client, ATTACKER, "staffer", "Summit-staffer-2025").status_code == 429
    answer = log_in_from(client, VICTIM, "staffer", "Summit-staffer-2025")
    assert answer["Location"] == "/me/"


def reset_password(client, django_capture_on_commit_callbacks, email, password):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password_reset/", {"email": email})
    link = re.search(r"https?://testserver(/\S+)", mail.outbox[-1].body)[1]
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert done["Location"] == "/accounts/reset/done/"


def test_a_new_password_lifts_the_lock(
    behind_the_proxy, client, django_capture_on_commit_callbacks
):
    UserFactory(username="amelie", email="amelie@example.org", password="Summit-amelie-2025")
    UserFactory(username="rahul", password="Summit-rahul-2025")
    lock(client, "amelie")
    lock(client, "rahul")
    reset_password(client, django_capture_on_commit_callbacks, "amelie@example.org", "Nouveau-2026")
    assert log_in_from(client, ATTACKER, "amelie", "Nouveau-2026")["Location"] == "/me/"
    # Only her lock is lifted.
    assert log_in_from(client, ATTACKER, "rahul", "Summit-rahul-2025").status_code == 429


def test_staff_lift_a_login_lock_in_the_admin(behind_the_proxy, staff_client):
    amelie = UserFactory(username="amelie", password="Summit-amelie-2025")
    UserFactory(username="rahul", password="Summit-rahul-2025")
    attacker = Client()
    lock(attacker, "amelie")
    lock(attacker, "amelie", address=VICTIM)
    lock(attacker, "rahul")
    answer = staff_client.post(
        "/admin/auth/user/",
        {"action": "lift_login_lock", "_selected_action": [amelie.pk]},
        follow=True,
    )
    assert [str(m) for m in answer.context["messages"]] == ["Lifted the login lock of 1 user."]
    assert log_in_from(attacker, ATTACKER, "amelie", "Summit-amelie-2025")["Location"] == "/me/"
    assert log_in_from(attacker, VICTIM, "amelie", "Summit-amelie-2025")["Location"] == "/me/"
    assert log_in_from(attacker, ATTACKER, "rahul", "Summit-rahul-2025").status_code == 429

    unlocked = staff_client.post(
        "/admin/auth/user/",
        {"action": "lift_login_lock", "_selected_action": [amelie.pk]},
        follow=True,
    )
    assert [str(m) for m in unlocked.context["messages"]] == [
        "None of these users had failed logins on record."
    ]


def test_the_locked_page_says_for_how_long_for_whom_and_how_to_lift_it(behind_the_proxy, client):
    UserFactory(username="amelie", password="Summit-amelie-2025")
    answer = lock(client, "amelie")
    assert 14 * 60 < int(answer["Retry-After"]) <= 15 * 60
    text = " ".join(answer.content.decode().split())
    assert "Logging in as amelie from the address 203.0.113.66 failed too many times." in text
    assert "Try again in 15 minutes" in text
    assert "Logging in from another address, or as someone else, still works." in text
    assert "Choosing a new password lifts the lock at once." in text
    assert 'href="/accounts/password_reset/"' in text

    # Ten minutes later the lock has five to run; trying meanwhile does not restart it.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))
    again = log_in_from(client, ATTACKER, "amelie", "Summit-amelie-2025")
    assert again.status_code == 429
    assert 4 * 60 < int(again["Retry-After"]) <= 5 * 60
    assert "Try again in 5 minutes" in again.content.decode()


def test_the_locked_page_in_french(behind_the_proxy, client):
    UserFactory(username="amelie", password="Summit-amelie-2025")
    lock(client, "amelie")
    answer = client.post(
        "/fr/accounts/login/",
        {"username": "amelie", "password": "Summit-amelie-2025"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=ATTACKER,
    )
    text = answer.content.decode()
    assert "La connexion au compte amelie depuis l'adresse 203.0.113.66" in text
    assert "Réessayez dans 15\xa0minutes." in text


def ask_reset(client, email, address=ATTACKER):
    return client.post(
        "/accounts/password_reset/",
        {"email": email},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


def test_reset_emails_to_one_address_are_limited(
    behind_the_proxy, client, django_capture_on_commit_callbacks
):
    UserFactory(username="amelie", email="amelie@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            ask_reset(client, email, address=f"203.0.113.{n}")
            for n, email in enumerate(["amelie@example.org"] * 4 + ["Amelie@Example.org "])
        ]
    # Every visitor sees the same page: nothing tells whether the address has an account,
    # nor that someone else asked already.
    assert {a["Location"] for a in answers} == {"/accounts/password_reset/done/"}
    assert [m.to for m in mail.outbox] == [["amelie@example.org"]] * 3


def test_reset_emails_asked_from_one_client_are_limited(
    behind_the_proxy, client, django_capture_on_commit_callbacks
):
    users = [UserFactory(username=f"delegate{n}") for n in range(12)]
    with django_capture_on_commit_callbacks(execute=True):
        answers = [ask_reset(client, user.email) for user in users]
        unknown = ask_reset(client, "nobody@example.org")
    assert [a.status_code for a in answers] == [302] * 10 + [429] * 2
    assert unknown.status_code == 429  # the same for an address without an account
    assert "Too many new-password links were asked for from your address" in (
        answers[-1].content.decode()
    )
    assert len(mail.outbox) == 10
    with django_capture_on_commit_callbacks(execute=True):
        other = ask_reset(client, users[-1].email, address=VICTIM)
    assert other["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox[-1].to == [users[-1].email]


@pytest.mark.parametrize("login", ["/accounts/login/", "/admin/login/"])
def test_a_username_longer_than_any_is_refused_beside_its_field_and_not_recorded(client, login):
    response = client.post(login, {"username": "x" * 300, "password": "anything"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"username"}
    assert not AccessAttempt.objects.exists()


def test_the_login_page_shows_a_username_error_beside_the_field(client):
    response = client.post("/accounts/login/", {"username": "x" * 300, "password": "anything"})
    assert 'id="id_username-error"' in response.content.decode()
