"""Seats and stars: registering takes a free seat or a place in line; a seat freed in any way
(a cancellation, more seats, a registration or a person deleted, the session moved) goes to
the first in line who is free at that time. Every step is recorded.

A seat is taken with one conditional UPDATE (`seats_taken < capacity`), so however many
people click at once, on SQLite or PostgreSQL, the count never passes the seats on offer;
a database constraint backs it up.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agenda import ical, scheduling
from agenda.models import AgendaChange, Registration, Session, Star
from common import plain
from outbox import mail as outbox
from people.invitations import unique_slug
from people.models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


@dataclass(frozen=True)
class Outcome:
    registration: Registration
    position: int | None

    @property
    def status(self) -> str:
        return self.registration.status

    def describe(self) -> str:
        if self.status == Registration.Status.CONFIRMED:
            return _("You have a seat.")
        if self.status == Registration.Status.WAITLISTED:
            return _("The session is full: you are number %(position)d on the waiting list.") % {
                "position": self.position
            }
        return _("Your registration is cancelled.")


def outcome_of(registration: Registration) -> Outcome:
    position = (
        # django-stubs cannot see the field that with_positions() annotates.
        Registration.objects.with_positions()  # type: ignore[misc]
        .filter(pk=registration.pk)
        .values_list("waitlist_position", flat=True)
        .first()
    )
    return Outcome(registration, position)


def person_for(user: User) -> Person:
    """The attendee's Person, made (private) on first need for a login without one."""
    person = getattr(user, "person", None)
    if person is None:
        name = user.get_full_name() or user.get_username()
        person, _created = Person.objects.get_or_create(
            user=user,
            defaults={
                "name": name[:200],
                "slug": unique_slug(Person, f"attendee-{user.pk}"),
                "is_public": False,
            },
        )
    return person


def line_up(session_id: int) -> None:
    """Registrations for one session take turns (a row lock on PostgreSQL; SQLite's write
    lock does the same), so each place in line is told exactly. The seat count itself is
    guarded by take_seat's conditional UPDATE whatever happens."""
    list(Session.objects.select_for_update().filter(pk=session_id).values_list("pk"))


def take_seat(session_id: int) -> bool:
    """One conditional UPDATE: True if a seat was free and is now taken."""
    return bool(
        Session.objects.filter(pk=session_id, seats_taken__lt=F("capacity")).update(
            seats_taken=F("seats_taken") + 1
        )
    )


def free_seat(session_id: int) -> None:
    Session.objects.filter(pk=session_id, seats_taken__gt=0).update(
        seats_taken=F("seats_taken") - 1
    )


def clashes(*, session: Session, person: Person) -> list[scheduling.Bookable]:
    """What the person already has at the session's time (roles, seats, meetings)."""
    bookings = scheduling.person_bookings(
        person_ids=[person.pk], start=session.start, end=session.end, exclude=session
    )
    return [b.item for b in bookings.get(person.pk, []) if scheduling.overlaps(b, session)]


def record_change(
    action: str,
    *,
    session: Session,
    person: Person | None = None,
    user: User | None = None,
    actor: User | None = None,
    detail: str = "",
) -> None:
    AgendaChange.objects.create(
        action=action, session=session, person=person, user=user, actor=actor, detail=detail[:500]
    )


def check_open(session: Session) -> None:
    """Refuse, naming the session, a registration it does not take now: it has no seats, is
    cancelled, or is over."""
    if not session.takes_registrations:
        raise ValidationError({"session": _("This session takes no registrations.")})
    if session.is_over:
        raise ValidationError(
            {
                "session": _("“%(title)s” is over: it takes no more registrations.")
                % {"title": session.title}
            }
        )


def register(
    *,
    session: Session,
    person: Person,
    actor: User | None,
    priority: bool = False,
    allow_clash: bool = False,
) -> Outcome:
    """Take a seat if one is free, else a place in line. Registering again changes nothing."""
    check_open(session)
    with transaction.atomic():
        line_up(session.pk)
        registration = (
            Registration.objects.select_for_update().filter(session=session, person=person).first()
        )
        if registration is not None and registration.status != Registration.Status.CANCELLED:
            return outcome_of(registration)
        busy = [] if allow_clash else clashes(session=session, person=person)
        if not busy:
            return take_place(session, person, registration, actor=actor, priority=priority)
    # Recorded outside the transaction, so that the refusal itself is kept.
    message = _("You are already in %(other)s at that time.") % {"other": scheduling.label(busy[0])}
    record_change(
        AgendaChange.Action.REFUSED, session=session, person=person, actor=actor, detail=message
    )
    raise ValidationError({"session": message})


def take_place(
    session: Session,
    person: Person,
    registration: Registration | None,
    *,
    actor: User | None,
    priority: bool,
) -> Outcome:
    """A seat if one is free, else the end of the line (the front, with priority)."""
    taken = take_seat(session.pk)
    status = Registration.Status.CONFIRMED if taken else Registration.Status.WAITLISTED
    if registration is None:
        registration = Registration(session=session, person=person)
    registration.status = status
    registration.priority = priority
    registration.queued_at = timezone.now()
    registration.save()
    action = AgendaChange.Action.REGISTERED if taken else AgendaChange.Action.WAITLISTED
    record_change(
        action, session=session, person=person, actor=actor, detail="priority" if priority else ""
    )
    return outcome_of(registration)


def cancel(
    *, session: Session, person: Person, actor: User | None, detail: str = ""
) -> Registration | None:
    """Give up a seat or a place in line; the seat goes to the next one who can take it.
    Cancelling what is already cancelled (or never was) changes nothing."""
    with transaction.atomic():
        line_up(session.pk)
        registration = (
            Registration.objects.select_for_update().filter(session=session, person=person).first()
        )
        if registration is None or registration.status == Registration.Status.CANCELLED:
            return None
        had_seat = registration.status == Registration.Status.CONFIRMED
        registration.status = Registration.Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        record_change(
            AgendaChange.Action.CANCELLED,
            session=session,
            person=person,
            actor=actor,
            detail=detail,
        )
        if had_seat:
            free_seat(session.pk)
            promote(session=session, actor=actor)
        return registration


def promote(*, session: Session, actor: User | None = None) -> list[Registration]:
    """Offer free seats down the line, passing over anyone who would be in two places.
    Nobody is given a seat at a session that is cancelled or over."""
    promoted: list[Registration] = []
    if not session.takes_registrations or session.is_over:
        return promoted
    for registration in (
        Registration.objects.in_line().filter(session=session).select_related("person__user")
    ):
        busy = clashes(session=session, person=registration.person)
        if busy:
            pass_over(session=session, person=registration.person, other=busy[0], actor=actor)
            continue
        if not take_seat(session.pk):
            break
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        record_change(
            AgendaChange.Action.PROMOTED, session=session, person=registration.person, actor=actor
        )
        tell_promoted(session=session, person=registration.person)
        promoted.append(registration)
    return promoted


def tell_promoted(*, session: Session, person: Person) -> None:
    """Email someone given a seat from the waiting list, with the session as a calendar
    invitation; queued in the outbox and sent after commit. Without an address, their
    agenda tells them."""
    user = person.user
    if user is None or not user.email:
        return
    # In their own language: the subject, the body and the event's texts.
    with translation.override(person.language or settings.LANGUAGE_CODE):
        request = ical.session_request(session, attendee=person, email=user.email)
        when = timezone.localtime(session.start, session.summit.tz)
        subject = _("You have a seat: %(title)s") % {"title": session.title}
        body = _(
            "A seat came free at %(title)s, %(when)s (%(zone)s), and it is yours: you were "
            "next on the waiting list. The invitation is attached. If you can no longer come, "
            "cancel your registration so that the seat goes to the next person."
        ) % {
            "title": session.title,
            "when": when.strftime("%Y-%m-%d %H:%M"),
            "zone": session.summit.time_zone,
        }
    outbox.send(
        to=[user.email],
        subject=subject,
        body=body,
        calendar=ical.to_bytes(request).decode(),
        method="REQUEST",
        purpose="waitlist-promotion",
    )


def pass_over(
    *, session: Session, person: Person, other: scheduling.Bookable, actor: User | None
) -> None:
    """Record that someone in line was passed over, once for as long as the reason holds
    (each edit of the session looks down the line again)."""
    detail = _("Already in %(other)s at that time.") % {"other": scheduling.label(other)}
    last = (
        AgendaChange.objects.filter(session=session, person=person)
        .values_list("action", "detail")
        .first()
    )
    if last != (AgendaChange.Action.SKIPPED, detail[:500]):
        record_change(
            AgendaChange.Action.SKIPPED, session=session, person=person, actor=actor, detail=detail
        )


def fill_free_seats(*, session: Session, actor: User | None = None) -> list[Registration]:
    """Offer free seats down the line when there are some and someone waits: after more
    seats are offered, a registration is deleted, or the session moves so that someone in
    line can now come. One query when there is nothing to do."""
    if not session.takes_registrations or session.is_over:
        return []
    waiting = Registration.objects.in_line().filter(session=OuterRef("pk"))
    free = Session.objects.filter(pk=session.pk, seats_taken__lt=F("capacity"))
    if not free.filter(Exists(waiting)).exists():
        return []
    with transaction.atomic():
        line_up(session.pk)
        return promote(session=session, actor=actor)


def release_seat(registration: Registration) -> None:
    """Free the seat of a registration about to be deleted (in the admin, or with its
    person), as its row says under the line's lock: the copy in hand may be older."""
    line_up(registration.session_id)
    seated = Registration.objects.confirmed().filter(pk=registration.pk).exists()
    if seated:
        free_seat(registration.session_id)


def withdraw(*, person: Person, detail: str) -> int:
    """Cancel every seat and place in line a person holds, each seat offered down the line;
    returns how many were cancelled."""
    held = Registration.objects.active().filter(person=person).select_related("session")
    cancelled = 0
    for registration in held:
        if cancel(session=registration.session, person=person, actor=None, detail=detail):
            cancelled += 1
    return cancelled


def star(*, session: Session, user: User) -> bool:
    _star, created = Star.objects.get_or_create(session=session, user=user)
    if created:
        record_change(AgendaChange.Action.STARRED, session=session, user=user, actor=user)
    return True


def unstar(*, session: Session, user: User) -> bool:
    deleted, _rows = Star.objects.filter(session=session, user=user).delete()
    if deleted:
        record_change(AgendaChange.Action.UNSTARRED, session=session, user=user, actor=user)
    return False


@dataclass(frozen=True)
class SeatState:
    """What a card shows of a session's seats: how many are left, and the reader's place."""

    left: int
    over: bool
    status: str | None = None
    position: int | None = None


def seat_states(*, session_ids: Iterable[int]) -> tuple[dict[int, SeatState], datetime | None]:
    """The seats of these sessions as they stand (the same for every reader), and the moment
    the next of them is over, when its line goes: one query, however many sessions."""
    now = timezone.now()
    rows = Session.objects.filter(pk__in=list(session_ids), capacity__isnull=False).values_list(
        "pk", "capacity", "seats_taken", "end"
    )
    states, until = {}, None
    for pk, capacity, taken, end in rows:
        # Sessions without a capacity are filtered out.
        states[pk] = SeatState(max(capacity - taken, 0), end <= now)  # type: ignore[operator]
        if end > now and (until is None or end < until):
            until = end
    return states, until


@dataclass(frozen=True)
class Choices:
    """A reader's own choices, which move no version: the sessions they starred, and their
    active registrations (each session's registration and its status)."""

    starred: frozenset[int]
    held: dict[int, tuple[int, str]]


def choices_of(user: User | AnonymousUser) -> Choices:
    """The reader's stars and active registrations, in every summit: one query of plain ids.
    Read on every request of a reader and every poll of a personal feed: plain SQL, without
    the ORM's building of a union."""
    if not user.is_authenticated:
        return Choices(frozenset(), {})
    with connection.cursor() as cursor:
        cursor.execute(choices_sql(), [user.pk, user.pk, Registration.Status.CANCELLED])
        rows = cursor.fetchall()
    found, registrations = set(), {}
    for session, registration, kind in rows:
        if kind == STARRED:
            found.add(session)
        else:
            registrations[session] = (registration, kind)
    return Choices(frozenset(found), registrations)


STARRED = "starred"


@functools.cache
def choices_sql() -> str:
    """Stars, then active registrations (`RegistrationQuerySet.active`: not cancelled)."""
    return (
        f"SELECT session_id, 0, '{STARRED}' FROM {plain.table(Star, connection)} "
        f"WHERE user_id = %s UNION ALL SELECT r.session_id, r.id, r.status "
        f"FROM {plain.table(Registration, connection)} r "
        f"INNER JOIN {plain.table(Person, connection)} p ON r.person_id = p.id "
        "WHERE p.user_id = %s AND r.status <> %s"
    )


def own_seat_states(choices: Choices, states: dict[int, SeatState]) -> dict[int, SeatState]:
    """The reader's own seat or place in line in each of the sessions of `states` (their
    seats as everyone sees them) where they hold one; their places in line in one query,
    only when they wait in some line."""
    mine = {session: held for session, held in choices.held.items() if session in states}
    waiting = [pk for pk, status in mine.values() if status == Registration.Status.WAITLISTED]
    places = (
        dict(
            Registration.objects.filter(pk__in=waiting)
            .with_positions()
            # django-stubs cannot see the field annotated by `with_positions`.
            .values_list("pk", "waitlist_position")  # type: ignore[misc]
        )
        if waiting
        else {}
    )
    return {
        session: dataclasses.replace(states[session], status=status, position=places.get(pk))
        for session, (pk, status) in mine.items()
    }
