"""A meeting's life: requested → proposed (a time and a place) → confirmed (everyone
accepted), or declined, cancelled, expired. Each participant answers for themselves; staff
may act for anyone. Every step is recorded, and confirming, moving or cancelling sends each
participant a calendar invitation.

    requested ──propose──▶ proposed ──all accept──▶ confirmed
        │                   │  ▲                       │
        │                   │  └────── propose ────────┘ (a move: back to proposed)
        ├── expire ◀────────┤ (unanswered past respond_by)
        └── cancel ◀────────┴── decline (a principal says no) ── cancel ◀─ confirmed

Staff may also edit a meeting's status, time or place directly, in the admin form or with
the API (POST, PUT, PATCH). Such an edit takes the same path: `check_change` refuses what
the lifecycle never does (reopening a closed meeting, going back to requested, expiring by
hand) and `apply_change`, once the edit is saved, records it as one step, asks the
participants again after a move, and emails them (`notify`). Staff setting "confirmed" is
recorded as such ("confirmed by staff") and the invitations go out: staff confirm for
everyone, without waiting for the answers, which stay as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.models import Room, Venue
from agenda.scheduling import enforce, utc
from meetings import invitations, scheduling
from meetings.models import Meeting, MeetingParticipant, MeetingQuerySet, MeetingTransition
from people.models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Status = Meeting.Status
Response = MeetingParticipant.Response


@dataclass(frozen=True)
class State:
    """What a meeting's participants and their calendars know of it: status, time and place."""

    status: str
    start: datetime | None = None
    end: datetime | None = None
    room_id: int | None = None
    venue_id: int | None = None

    @classmethod
    def of(cls, meeting: Meeting) -> State:
        return cls(
            status=meeting.status,
            start=meeting.start,
            end=meeting.end,
            room_id=meeting.room_id,
            venue_id=meeting.venue_id,
        )

    def moved_from(self, other: State) -> bool:
        """Whether the time or the place differs from `other`'s."""
        return (self.start, self.end, self.room_id, self.venue_id) != (
            other.start,
            other.end,
            other.room_id,
            other.venue_id,
        )


# A meeting before it is first saved: a request with no time or place yet.
NEW = State(status=Status.REQUESTED)


def record_transition(meeting: Meeting, *, actor: User | None, before: str, note: str = "") -> None:
    MeetingTransition.objects.create(
        meeting=meeting, actor=actor, from_status=before, to_status=meeting.status, note=note[:500]
    )


def refuse_if_closed(meeting: Meeting, message: str) -> None:
    if meeting.status in Meeting.CLOSED_STATUSES:
        raise ValidationError({"status": message % {"status": meeting.get_status_display()}})


def propose(
    meeting: Meeting,
    *,
    start: datetime,
    actor: User | None,
    room: Room | None = None,
    venue: Venue | None = None,
    accept_conflicts: bool = False,
) -> Meeting:
    """Offer a time and a place. Moving a confirmed meeting sends it back to proposed; every
    participant answers again (the one who proposes is taken to accept)."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        refuse_if_closed(meeting, _("This meeting is %(status)s: it cannot be proposed again."))
        before = State.of(meeting)
        # In real time: a start given in the summit's zone must not end by the wall clock.
        meeting.start = start
        meeting.end = utc(start) + timedelta(minutes=meeting.duration_minutes)
        meeting.room = room
        meeting.venue = venue or (room.venue if room else meeting.venue)
        meeting.status = Status.PROPOSED
        enforce(scheduling.check_meeting(meeting=meeting), accept_warnings=accept_conflicts)
        meeting.save()
        ask_again(meeting, actor=actor)
        note = _("moved") if before.status == Status.CONFIRMED else ""
        record_transition(meeting, actor=actor, before=before.status, note=note)
        settle(meeting, actor=actor)
    notify(meeting, before=before)
    return meeting


def ask_again(meeting: Meeting, *, actor: User | None) -> None:
    """A new time or place is a new question: every answer goes back to pending, except that
    of the one who offers it, if they take part, who is taken to accept."""
    proposer = getattr(actor, "person", None)
    for participant in meeting.participants.all():
        offers = proposer is not None and participant.person_id == proposer.pk
        participant.response = Response.ACCEPTED if offers else Response.PENDING
        participant.responded_at = timezone.now() if offers else None
        participant.save(update_fields=["response", "responded_at"])


def reply(meeting: Meeting, *, person: Person, response: str, actor: User | None) -> Meeting:
    """A participant's answer. Everyone accepting confirms the meeting; a principal declining
    declines it."""
    if response not in {Response.ACCEPTED, Response.DECLINED}:
        raise ValidationError({"response": _("Answer accepted or declined.")})
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status not in {Status.PROPOSED, Status.CONFIRMED}:
            raise ValidationError(
                {"status": _("Only a proposed or confirmed meeting can be answered.")}
            )
        participant = meeting.participants.filter(person=person).first()
        if participant is None:
            raise ValidationError(
                {"person": _("%(person)s does not take part in this meeting.") % {"person": person}}
            )
        participant.response = response
        participant.responded_at = timezone.now()
        participant.save(update_fields=["response", "responded_at"])
        before = State.of(meeting)
        note = f"{person}: {participant.get_response_display()}"
        if response == Response.DECLINED and participant.is_principal:
            meeting.status = Status.DECLINED
            meeting.save()
            record_transition(meeting, actor=actor, before=before.status, note=note)
        else:
            record_transition(meeting, actor=actor, before=before.status, note=note)
            settle(meeting, actor=actor)
    notify(meeting, before=before)
    return meeting


def settle(meeting: Meeting, *, actor: User | None) -> None:
    """Confirm a proposed meeting once every participant has accepted (the caller notifies)."""
    if meeting.status != Status.PROPOSED:
        return
    answers = list(meeting.participants.values_list("response", flat=True))
    if answers and all(answer == Response.ACCEPTED for answer in answers):
        meeting.status = Status.CONFIRMED
        meeting.save()
        record_transition(meeting, actor=actor, before=Status.PROPOSED, note=_("everyone accepted"))


def cancel(meeting: Meeting, *, actor: User | None, note: str = "") -> Meeting:
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        refuse_if_closed(meeting, _("This meeting is %(status)s: it cannot be cancelled."))
        before = State.of(meeting)
        meeting.status = Status.CANCELLED
        meeting.save()
        record_transition(meeting, actor=actor, before=before.status, note=note)
    notify(meeting, before=before)
    return meeting


def check_change(*, before: State, status: str) -> None:
    """Refuse a status an edit cannot give a meeting that was `before`: the lifecycle never
    reopens a closed meeting nor takes one back to requested, and expiry comes by itself."""
    if status == before.status:
        return
    if before.status in Meeting.CLOSED_STATUSES:
        message = _("This meeting is %(status)s: its status can no longer change.") % {
            "status": Status(before.status).label
        }
    elif status == Status.REQUESTED:
        message = _(
            "A proposed or confirmed meeting does not go back to requested: "
            "propose another time, or cancel it."
        )
    elif status == Status.EXPIRED:
        message = _("A meeting expires by itself when it is left unanswered past its deadline.")
    else:
        return
    raise ValidationError({"status": message})


def apply_change(meeting: Meeting, *, before: State, actor: User | None) -> Meeting:
    """Take a saved edit of a meeting's status, time or place (admin form, API) through the
    lifecycle as one step: recorded, the answers asked again after a move, the participants
    told. `before` is the meeting as it was; the entry points call `check_change` first, to
    show a refusal on their form."""
    after = State.of(meeting)
    check_change(before=before, status=after.status)
    holds_time = after.status in Meeting.HOLDING_STATUSES
    moved = holds_time and after.moved_from(before)
    if after.status == before.status and not moved:
        return meeting
    with transaction.atomic():
        if moved or after.status == Status.PROPOSED:
            ask_again(meeting, actor=actor)
        if after.status == before.status:
            note = _("moved by staff")
        else:
            note = {
                Status.PROPOSED: _("proposed by staff"),
                Status.CONFIRMED: _("confirmed by staff"),
                Status.DECLINED: _("declined by staff"),
                Status.CANCELLED: _("cancelled by staff"),
            }[Status(after.status)]
        record_transition(meeting, actor=actor, before=before.status, note=note)
        settle(meeting, actor=actor)
    notify(meeting, before=before)
    return meeting


def expire_overdue(
    *, now: datetime | None = None, meetings: MeetingQuerySet | None = None
) -> list[Meeting]:
    """Requests and proposals left unanswered past their deadline expire (of `meetings`, or
    of all). Each is re-read under a lock, so an answer given meanwhile wins."""
    now = now or timezone.now()
    expired = []
    candidates = (meetings if meetings is not None else Meeting.objects).overdue(now)
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().overdue(now).filter(pk=pk).first()
            if meeting is None:
                continue
            assert meeting.respond_by is not None  # overdue() reads only meetings with one
            before = meeting.status
            meeting.status = Status.EXPIRED
            meeting.save()
            record_transition(
                meeting,
                actor=None,
                before=before,
                note=_("unanswered by %(deadline)s") % {"deadline": meeting.respond_by.isoformat()},
            )
        expired.append(meeting)
    return expired


def notify(meeting: Meeting, *, before: State) -> None:
    """Email the participants the iTIP message for what changed since `before`: a REQUEST
    when the meeting is confirmed, or moves or changes status while it holds their time; a
    CANCEL when one that held their time is called off. A first proposal is answered on the
    site, and reaches calendars through the personal feeds."""
    after = State.of(meeting)
    if after == before:
        return
    held = before.status in Meeting.HOLDING_STATUSES
    if after.status in Meeting.HOLDING_STATUSES and (held or after.status == Status.CONFIRMED):
        send_invitations(meeting)
    elif after.status in (Status.CANCELLED, Status.DECLINED) and held:
        send_invitations(meeting, method="CANCEL")


def send_invitations(meeting: Meeting, method: str = "REQUEST") -> None:
    invitations.send(meeting, method=method)
