from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.models import Removal
from meetings import lifecycle
from meetings.models import Meeting, MeetingParticipant
from people.models import Person


@receiver([post_save, post_delete], sender=MeetingParticipant)
def touch_meeting(sender, instance, **kwargs):
    Meeting.objects.filter(pk=instance.meeting_id).update(updated_at=timezone.now())


@receiver(post_delete, sender=MeetingParticipant)
def cancel_without_principal(sender, instance, origin=None, **kwargs):
    """A meeting cannot happen without one of its principals: when the person is deleted (not
    merely taken off the meeting), it is cancelled and the others are told. The deleted
    person's place is gone by then, so the CANCEL goes to the remaining participants only."""
    person_deleted = getattr(origin, "model", type(origin)) is Person
    if not (person_deleted and instance.is_principal):
        return
    meeting = (
        Meeting.objects.filter(pk=instance.meeting_id)
        .exclude(status__in=Meeting.CLOSED_STATUSES)
        .first()
    )
    if meeting is not None:
        note = _("%(person)s, a principal, was deleted") % {"person": instance.person}
        lifecycle.cancel(meeting, actor=None, note=note)


@receiver(pre_delete, sender=Meeting)
def note_deletion(sender, instance, **kwargs):
    # Published only if the public saw the meeting: a confidential one, or a public one
    # never announced, leaves a removal for staff only. Read before its history goes.
    announced = Meeting.objects.filter(pk=instance.pk).announced().exists()
    Removal.objects.create(
        kind=Removal.Kind.MEETING,
        object_id=instance.pk,
        summit_id=instance.summit_id,
        public=announced,
    )
