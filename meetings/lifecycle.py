"""A meeting's life: requested → proposed (a time and a place) → confirmed (everyone
accepted), or declined, cancelled, expired. Each participant answers for themselves; staff
may act for anyone. Every step is recorded, and confirming, moving or cancelling sends each
participant a calendar invitation.

    requested ──propose──▶ proposed ──all accept──▶ confirmed
        │                   │  ▲                       │
        │                   │  └────── propose ────────┘ (a move: back to proposed)
        ├── expire ◀────────┤ (unanswered past respond_by)
        └── cancel ◀────────┴── decline (a principal says no) ── cancel ◀─ confirmed
"""

from __future__ import annotations

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
        before = meeting.status
        # In real time: a start given in the summit's zone must not end by the wall clock.
        meeting.start = start
        meeting.end = utc(start) + timedelta(minutes=meeting.duration_minutes)
        meeting.room = room
        meeting.venue = venue or (room.venue if room else meeting.venue)
        meeting.status = Status.PROPOSED
        enforce(scheduling.check_meeting(meeting=meeting), accept_warnings=accept_conflicts)
        meeting.save()
        proposer = getattr(actor, "person", None)
        for participant in meeting.participants.all():
            participant.response = (
                Response.ACCEPTED if participant.person == proposer else Response.PENDING
            )
            participant.responded_at = timezone.now() if participant.person == proposer else None
            participant.save(update_fields=["response", "responded_at"])
        note = _("moved") if before == Status.CONFIRMED else ""
        record_transition(meeting, actor=actor, before=before, note=note)
        settle(meeting, actor=actor)
    if before == Status.CONFIRMED:
        send_invitations(meeting)
    return meeting


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
        before = meeting.status
        note = f"{person}: {participant.get_response_display()}"
        if response == Response.DECLINED and participant.is_principal:
            meeting.status = Status.DECLINED
            meeting.save()
            record_transition(meeting, actor=actor, before=before, note=note)
        else:
            record_transition(meeting, actor=actor, before=before, note=note)
            settle(meeting, actor=actor)
    if meeting.status == Status.DECLINED and before == Status.CONFIRMED:
        send_invitations(meeting, method="CANCEL")
    return meeting


def settle(meeting: Meeting, *, actor: User | None) -> None:
    """Confirm a proposed meeting once every participant has accepted."""
    if meeting.status != Status.PROPOSED:
        return
    answers = list(meeting.participants.values_list("response", flat=True))
    if answers and all(answer == Response.ACCEPTED for answer in answers):
        meeting.status = Status.CONFIRMED
        meeting.save()
        record_transition(meeting, actor=actor, before=Status.PROPOSED, note=_("everyone accepted"))
        transaction.on_commit(lambda: send_invitations(meeting))


def cancel(meeting: Meeting, *, actor: User | None, note: str = "") -> Meeting:
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        refuse_if_closed(meeting, _("This meeting is %(status)s: it cannot be cancelled."))
        before = meeting.status
        meeting.status = Status.CANCELLED
        meeting.save()
        record_transition(meeting, actor=actor, before=before, note=note)
    if before in Meeting.HOLDING_STATUSES:
        send_invitations(meeting, method="CANCEL")
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


def send_invitations(meeting: Meeting, method: str = "REQUEST") -> None:
    invitations.send(meeting, method=method)
