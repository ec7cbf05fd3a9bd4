"""A change of who takes part changes what a calendar shows of the item: touch its updated_at
so that feeds (ETag, LAST-MODIFIED) and incremental sync see it."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from agenda.models import Removal, Session, SessionRole


@receiver([post_save, post_delete], sender=SessionRole)
def touch_session(sender, instance, **kwargs):
    Session.objects.filter(pk=instance.session_id).update(updated_at=timezone.now())


@receiver(pre_save, sender=Session)
def note_hiding(sender, instance, **kwargs):
    """A public session made invitation-only leaves the public programme: say so to syncers."""
    if instance.pk is None or instance.visibility == Session.Visibility.PUBLIC:
        return
    was_public = Session.objects.filter(
        pk=instance.pk, visibility=Session.Visibility.PUBLIC
    ).exists()
    if was_public:
        Removal.objects.create(
            kind=Removal.Kind.SESSION,
            reason=Removal.Reason.HIDDEN,
            object_id=instance.pk,
            summit_id=instance.summit_id,
            public=True,
        )


@receiver(post_delete, sender=Session)
def note_deletion(sender, instance, **kwargs):
    Removal.objects.create(
        kind=Removal.Kind.SESSION,
        object_id=instance.pk,
        summit_id=instance.summit_id,
        public=instance.visibility == Session.Visibility.PUBLIC,
    )
