from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from agenda.models import Removal
from meetings.models import Meeting, MeetingParticipant


@receiver([post_save, post_delete], sender=MeetingParticipant)
def touch_meeting(sender, instance, **kwargs):
    Meeting.objects.filter(pk=instance.meeting_id).update(updated_at=timezone.now())


@receiver(post_delete, sender=Meeting)
def note_deletion(sender, instance, **kwargs):
    # A confidential meeting's removal is for staff only, like the meeting itself.
    Removal.objects.create(
        kind=Removal.Kind.MEETING,
        object_id=instance.pk,
        summit_id=instance.summit_id,
        public=not instance.is_confidential,
    )
