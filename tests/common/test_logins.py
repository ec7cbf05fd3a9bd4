"""A logged-in request's session and user, each read in one plain statement, mean what
Django's own stores make them mean: the same user, and no one for an expired session, a
deactivated account or a changed password."""

from datetime import timedelta

import pytest
from django.contrib.auth import backends
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common import logins
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def fields(user):
    return {field.attname: getattr(user, field.attname) for field in user._meta.concrete_fields}


def test_the_user_read_is_the_one_django_reads():
    user = UserFactory(username="amelie", is_staff=True, last_login=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        read = logins.ModelBackend().get_user(user.pk)
    assert len(queries) == 1
    assert fields(read) == fields(backends.ModelBackend().get_user(user.pk))
    assert read.last_login.tzinfo is not None
    assert not read._state.adding
    # Saved as a row read from the database: an UPDATE, never a second INSERT.
    read.first_name = "Amélie"
    read.save()
    assert type(user).objects.get(pk=user.pk).first_name == "Amélie"


def test_no_user_for_an_unknown_id_or_a_deactivated_account():
    user = UserFactory(is_active=False)
    assert logins.ModelBackend().get_user(user.pk) is None
    assert logins.ModelBackend().get_user(user.pk + 1000) is None


def test_a_session_loads_what_was_saved_and_nothing_once_expired():
    store = logins.SessionStore()
    store["seen"] = [1, 2]
    store.save()
    key = store.session_key
    with CaptureQueriesContext(connection) as queries:
        assert logins.SessionStore(key).load() == db.SessionStore(key).load() == {"seen": [1, 2]}
    assert len(queries) == 2  # one each
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = logins.SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None  # a new key on its next save, never the old one


def test_log_in_out_and_a_changed_password_end_other_sessions(client):
    user = UserFactory(username="amelie", password="Summit-amelie-2025")
    answer = client.post(
        "/accounts/login/", {"username": "amelie", "password": "Summit-amelie-2025"}
    )
    assert answer.status_code == 302
    assert client.get("/me/").status_code == 200
    user.set_password("Another-one-2026")
    user.save()
    assert client.get("/me/").status_code == 302  # the session's hash no longer matches
    client.post("/accounts/login/", {"username": "amelie", "password": "Another-one-2026"})
    assert client.get("/me/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/me/").status_code == 302


def test_a_session_s_text_is_checked_once_and_each_load_gets_its_own_objects():
    store = logins.SessionStore()
    store["seen"] = [1, 2]
    store.save()
    first = logins.SessionStore(store.session_key)
    first["seen"].append(3)  # changed in place, unsaved
    assert logins.SessionStore(store.session_key).load() == {"seen": [1, 2]}
    logins.verified.cache_clear()
    logins.SessionStore(store.session_key).load()
    logins.SessionStore(store.session_key).load()
    assert logins.verified.cache_info().hits == 1


def test_a_tampered_session_is_empty_and_warned_of_every_time(caplog):
    store = logins.SessionStore()
    store["seen"] = [1]
    store.save()
    row = Session.objects.get(pk=store.session_key)
    Session.objects.filter(pk=row.pk).update(session_data=row.session_data[:-2] + "xx")
    for _ in range(2):
        assert logins.SessionStore(store.session_key).load() == {}
    corrupted = [r for r in caplog.records if r.name == "django.security.SuspiciousSession"]
    assert len(corrupted) == 2


def test_a_new_secret_key_unsigns_what_the_old_one_signed_no_more(settings):
    store = logins.SessionStore()
    store["seen"] = [1]
    store.save()
    assert logins.SessionStore(store.session_key).load() == {"seen": [1]}
    settings.SECRET_KEY = "another-" + "k" * 60
    assert logins.SessionStore(store.session_key).load() == {}
