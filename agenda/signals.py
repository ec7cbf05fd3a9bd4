"""What follows a write however it is made (admin, API, bulk action, demo loader, shell):
a change of who takes part touches the session's updated_at so that feeds (ETag,
LAST-MODIFIED) and incremental sync see it; a seat freed by a save or a deletion goes down
the waiting list."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda import seats
from agenda.models import Registration, Removal, Session, SessionRole
from people.models import Person


@receiver([post_save, post_delete], sender=SessionRole)
def touch_session(sender, instance, **kwargs):
    Session.objects.filter(pk=instance.session_id).update(updated_at=timezone.now())


@receiver(pre_save, sender=Session)
def note_hiding(sender, instance, **kwargs):
    """A public session made invitation-only or unscheduled leaves the public programme: say
    so to syncers."""
    if instance.pk is None or instance.is_public:
        return
    was_public = (
        Session.objects.filter(pk=instance.pk, visibility=Session.Visibility.PUBLIC)
        .exclude(status=Session.Status.UNSCHEDULED)
        .exists()
    )
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


@receiver(post_save, sender=Session)
def offer_free_seats(sender, instance, created, raw=False, **kwargs):
    """More seats, a new time (someone in line may now be free) or a session reinstated:
    free seats go down the line. Someone with a seat who now clashes keeps it; their
    agenda shows the clash."""
    if not created and not raw:
        seats.fill_free_seats(session=instance)


@receiver(pre_delete, sender=Registration)
def free_the_seat(sender, instance, **kwargs):
    seats.release_seat(instance)


@receiver(post_delete, sender=Registration)
def offer_the_seat(sender, instance, **kwargs):
    """A registration deleted in the admin, or with its person: the seat goes down the line
    (once every row going with it is gone, so no one leaving is offered it)."""
    session = Session.objects.filter(pk=instance.session_id).first()
    if session is not None:
        seats.fill_free_seats(session=session)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def withdraw_a_deleted_login(sender, instance, **kwargs):
    """The person stays without the login, but nobody can hold their seats any more: they
    go down the line."""
    person = Person.objects.filter(user=instance).first()
    if person is not None:
        seats.withdraw(person=person, detail=_("The login was deleted."))
