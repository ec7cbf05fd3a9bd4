"""Deleted meetings, and bringing one back as it was when it was deleted: with its
participants, through the same scheduling rules as any other write."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agenda.history import bring_back
from agenda.models import Removal
from common.conflicts import enforce
from common.history import deleted, deleted_with, reattach
from meetings import scheduling
from meetings.models import Meeting, MeetingParticipant
from people.models import Person


def deleted_meetings() -> Any:
    """The deletion records of the meetings that are gone, latest first, with who deleted them."""
    return deleted(Meeting).select_related("history_user")


def deleted_participants(record: Any) -> list[MeetingParticipant]:
    """The participants deleted with the meeting of `record`, as they were."""
    return [row.history_object for row in deleted_with(record, MeetingParticipant, "meeting")]


def restore_meeting(*, history_id: int) -> Meeting:
    """Bring back the meeting deleted in this record, with its participants, or refuse
    (ValidationError) and write nothing: its room booked since, a participant elsewhere at
    that time, its room or venue gone."""
    record = deleted_meetings().filter(history_id=history_id).first()
    if record is None:
        raise ValidationError(_("This meeting is not deleted, or no longer."))
    with transaction.atomic():
        meeting: Meeting = record.history_object
        reattach(meeting)
        participants = deleted_participants(record)
        people = Person.objects.in_bulk([item.person_id for item in participants])
        participants = [item for item in participants if item.person_id in people]
        meeting.validate_constraints()
        enforce(
            scheduling.check_meeting(
                meeting=meeting,
                people=[
                    people[item.person_id]
                    for item in participants
                    if item.response != MeetingParticipant.Response.DECLINED
                ],
            ),
            accept_warnings=True,
        )
        bring_back(meeting, list(participants), kind=Removal.Kind.MEETING)
    return meeting
