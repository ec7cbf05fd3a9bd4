"""A change of who takes part changes what a calendar shows of the item: touch its updated_at
so that feeds (ETag, LAST-MODIFIED) and incremental sync see it."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from agenda.models import Session, SessionRole


@receiver([post_save, post_delete], sender=SessionRole)
def touch_session(sender, instance, **kwargs):
    Session.objects.filter(pk=instance.session_id).update(updated_at=timezone.now())
