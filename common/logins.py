"""What every logged-in request reads before its view, its session and its user, each in one
plain statement (`SESSION_ENGINE`, `AUTHENTICATION_BACKENDS`).

Django's own stores build both queries through the ORM on every request: 0.7 ms of a warm
reader's page, where the statements themselves take 0.1 ms. What is read, and what a missing,
expired or inactive row means, stay Django's."""

import copy
import functools

from django.contrib.auth import backends, get_user_model
from django.contrib.sessions.backends import db
from django.core import signing
from django.core.signals import setting_changed
from django.db import connections, router
from django.dispatch import receiver
from django.utils import timezone

from common import plain


class SessionStore(db.SessionStore):
    def load(self):
        data = self._session_data()
        return self.decode(data) if data is not None else {}

    def decode(self, session_data):
        """Django's, whose checking of the signature is a third of a session's load, done
        once per process for each text: a session's text changes whenever what it holds
        does. Each load gets objects of its own to change."""
        try:
            found = verified(session_data, self.key_salt, self.serializer)
        except Exception:
            # Django's answer to a text that fails, and its warning, every time.
            return super().decode(session_data)
        return copy.deepcopy(found)

    def _session_data(self) -> str | None:
        """The session's signed text, or None (and no key any more) when it has expired."""
        model = self.model
        key = self.session_key
        if not key:
            return None
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('session_data')} FROM {plain.table(model, connection)} "
                f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s",
                [key, now],
            )
            found = cursor.fetchone()
        if found is None:
            self._session_key = None
            return None
        return found[0]


@functools.lru_cache(maxsize=1024)
def verified(session_data: str, salt: str, serializer) -> dict:
    return signing.loads(session_data, salt=salt, serializer=serializer)


@receiver(setting_changed)
def forget_verified(*, setting, **kwargs):
    if setting in {"SECRET_KEY", "SECRET_KEY_FALLBACKS", "SESSION_SERIALIZER"}:
        verified.cache_clear()


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        connection = connections[router.db_for_read(model)]
        names = [field.name for field in model._meta.concrete_fields]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {plain.columns(model, names, 'u', connection)} "
                f"FROM {plain.table(model, connection)} u "
                f"WHERE u.{connection.ops.quote_name(model._meta.pk.column)} = %s",
                [model._meta.pk.get_db_prep_value(user_id, connection)],
            )
            found = cursor.fetchone()
        if found is None:
            return None
        user = plain.instance(model, names, found, connection)
        return user if self.user_can_authenticate(user) else None
