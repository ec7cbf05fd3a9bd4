"""Deleted sessions, and bringing one back as it was when it was deleted: with its people
and its registrations, through the same scheduling rules as any other write."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agenda import scheduling
from agenda.models import Registration, Removal, Session, SessionRole
from common.history import deleted, deleted_with, mark_restored, reattach
from people.models import Person


def deleted_sessions() -> Any:
    """The deletion records of the sessions that are gone, latest first, with who deleted them."""
    return deleted(Session).select_related("history_user")


def deleted_relations(record: Any) -> tuple[list[SessionRole], list[Registration]]:
    """The roles and registrations deleted with the session of `record`, as they were."""
    return (
        [row.history_object for row in deleted_with(record, SessionRole, "session")],
        [row.history_object for row in deleted_with(record, Registration, "session")],
    )


def restore_session(*, history_id: int) -> Session:
    """Bring back the session deleted in this record, with the roles and registrations that
    went with it, or refuse (ValidationError) and write nothing: its room booked since, a
    person of it elsewhere at that time, its slug taken, its room gone."""
    record = deleted_sessions().filter(history_id=history_id).first()
    if record is None:
        raise ValidationError(_("This session is not deleted, or no longer."))
    with transaction.atomic():
        session: Session = record.history_object
        reattach(session)
        roles, registrations = deleted_relations(record)
        # Someone deleted since is left out.
        people = Person.objects.in_bulk(
            [role.person_id for role in roles] + [item.person_id for item in registrations]
        )
        roles = [role for role in roles if role.person_id in people]
        registrations = [item for item in registrations if item.person_id in people]
        session.seats_taken = sum(
            item.status == Registration.Status.CONFIRMED for item in registrations
        )
        session.validate_constraints()
        scheduling.enforce(
            scheduling.check_session(
                session=session, people=[people[role.person_id] for role in roles]
            ),
            accept_warnings=True,
        )
        bring_back(session, [*roles, *registrations], kind=Removal.Kind.SESSION)
    return session


def bring_back(item: Any, rows: list[Any], *, kind: str) -> None:
    """Write a deleted session or meeting again with the rows that went with it: calendars
    that dropped it take it back as a newer version, and syncing clients are no longer told
    to drop it (they get it as changed)."""
    item.sequence += 1
    mark_restored(item)
    item.save(force_insert=True)
    for row in rows:
        mark_restored(row)
        row.save(force_insert=True)
    Removal.objects.filter(kind=kind, reason=Removal.Reason.DELETED, object_id=item.pk).delete()
