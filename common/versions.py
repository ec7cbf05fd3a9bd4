"""The programme's version: one number in the database that every change able to alter a
public page, feed or export moves, however it is made (a form, the API, a bulk update or
delete, a many-to-many add). Renderings cached under its value are never served stale, by
any worker on any machine, and need no work to invalidate: a new value is a new key.

Saves and deletes are seen through signals (`watch`); `QuerySet.update`, `bulk_create` and
`bulk_update`, which send none, through `VersionedQuerySet`. Only raw SQL goes unseen."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from typing import Any, TypeVar

from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from common.models import Version

PROGRAMME = "programme"
# Moved by every seat taken or freed: what cards say of seats is kept under it.
SEATS = "seats"
CURRENT = f"SELECT value FROM {Version._meta.db_table} WHERE name = %s"
SEVERAL = f"SELECT name, value FROM {Version._meta.db_table} WHERE name IN (%s, %s)"

_M = TypeVar("_M", bound=models.Model)


def current(name: str = PROGRAMME) -> int:
    """One query. Inside a transaction that moved it, the moved value."""
    # Read on every request: plain SQL, without the ORM's building of the query.
    with connection.cursor() as cursor:
        cursor.execute(CURRENT, [name])
        row = cursor.fetchone()
    return row[0] if row else 0


def read(first: str, second: str) -> dict[str, int]:
    """Two versions in one query (0 for one never moved)."""
    with connection.cursor() as cursor:
        cursor.execute(SEVERAL, [first, second])
        found = dict(cursor.fetchall())
    return {first: found.get(first, 0), second: found.get(second, 0)}


def bump(name: str = PROGRAMME) -> None:
    """Move the version. Inside the writer's transaction, so readers see the new value and
    the new rows together when it commits."""
    if Version.objects.filter(name=name).update(value=F("value") + 1):
        return
    try:
        with transaction.atomic():
            # From a random point: a new database never meets renderings cached for another.
            Version.objects.create(name=name, value=secrets.randbits(48))
    except IntegrityError:  # Created meanwhile by another writer.
        Version.objects.filter(name=name).update(value=F("value") + 1)


def bump_after_commit(name: str) -> None:
    """Move a version once the writer's transaction has committed, in a transaction of its
    own: a version moved by many writers at once (a seat taken) must not hold its row locked
    through theirs, where it would queue every one of them behind the others, and deadlock
    those that lock their rows in another order. Readers between the commit and the move
    see the new rows under the old version, which is fresher, never staler."""
    transaction.on_commit(lambda: bump(name), robust=True)


class VersionedQuerySet(models.QuerySet[_M]):
    """Bulk writes move the programme's version too. `quiet_fields` are columns whose updates
    alone change nothing a cached rendering shows (a session's seat count); they move
    `quiet_version` instead, after the commit."""

    quiet_fields: Collection[str] = ()
    quiet_version: str | None = None

    def update(self, **kwargs: Any) -> int:
        quiet = set(kwargs) <= set(self.quiet_fields)
        if not quiet:
            kwargs = {**stamped(self.model), **kwargs}
        changed = super().update(**kwargs)
        if changed and not quiet:
            bump()
        elif changed and self.quiet_version:
            bump_after_commit(self.quiet_version)
        return changed

    def bulk_create(self, objs, *args: Any, **kwargs: Any):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            bump()
        return created


def stamped(model: type[models.Model]) -> dict[str, Any]:
    """A bulk update is a modification too: `auto_now` fields move as they do on a save, so
    the Last-Modified and ETags worked out from them (agenda.conditional) see it."""
    return {
        field.name: timezone.now()
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False)
    }


def _moved(sender, **kwargs: Any) -> None:
    if kwargs.get("action", "post_").startswith("post_"):
        bump()


def watch(*senders: type[models.Model]) -> None:
    """Move the programme's version on every save and delete of these models (and every
    change of their many-to-many fields)."""
    for sender in senders:
        post_save.connect(_moved, sender=sender, dispatch_uid=f"version-{sender._meta.label}")
        post_delete.connect(_moved, sender=sender, dispatch_uid=f"version-d-{sender._meta.label}")
        for field in sender._meta.local_many_to_many:
            m2m_changed.connect(
                _moved,
                sender=field.remote_field.through,
                dispatch_uid=f"version-m-{sender._meta.label}-{field.name}",
            )
