from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from meetings.models import Meeting, MeetingParticipant


@receiver([post_save, post_delete], sender=MeetingParticipant)
def touch_meeting(sender, instance, **kwargs):
    Meeting.objects.filter(pk=instance.meeting_id).update(updated_at=timezone.now())
