"""What attendees make of sessions: stars, registrations with waiting lists, a log of both."""

from datetime import datetime
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import Person

# Session is named in the foreign keys below, not imported: programme.py imports this module
# for SessionQuerySet.in_agenda_of().


def now() -> datetime:
    # Looked up at call time, unlike `default=timezone.now`, so a test clock applies too.
    return timezone.now()


class Star(models.Model):
    """A session an attendee marked for their agenda."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendee"),
        on_delete=models.CASCADE,
        related_name="stars",
    )
    session = models.ForeignKey(
        "Session", verbose_name=_("session"), on_delete=models.CASCADE, related_name="stars"
    )
    created_at = models.DateTimeField(_("starred"), default=now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("star")
        verbose_name_plural = _("stars")
        constraints = [models.UniqueConstraint(fields=["user", "session"], name="star_unique")]

    def __str__(self):
        return f"{self.user} ★ {self.session}"


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def active(self) -> Self:
        return self.exclude(status=Registration.Status.CANCELLED)

    def confirmed(self) -> Self:
        return self.filter(status=Registration.Status.CONFIRMED)

    def waitlisted(self) -> Self:
        return self.filter(status=Registration.Status.WAITLISTED)

    def in_line(self) -> Self:
        """The waiting list in the order seats are offered: priority first, then first come."""
        return self.waitlisted().order_by("-priority", "queued_at", "id")

    def with_positions(self) -> Self:
        """Each registration with `waitlist_position`: its place in line from 1, in the order
        of `in_line()`; None with a seat or cancelled. One subquery, whatever the number."""
        mine = {name: OuterRef(name) for name in ("priority", "queued_at", "id")}
        ahead = (
            Registration.objects.waitlisted()
            .filter(session=OuterRef("session"))
            .filter(
                Q(priority__gt=mine["priority"])
                | Q(priority=mine["priority"], queued_at__lt=mine["queued_at"])
                | Q(priority=mine["priority"], queued_at=mine["queued_at"], id__lt=mine["id"])
            )
            .order_by()
            .values("session")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(
            waitlist_position=Case(
                When(
                    status=Registration.Status.WAITLISTED,
                    then=Coalesce(Subquery(ahead), 0) + 1,
                ),
                default=None,
                output_field=models.IntegerField(),
            )
        )


class Registration(models.Model):
    """A person's place at a session with limited seats: a seat, or a place in line."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    # A session with registrations is cancelled, never deleted: see Session.deletion_refused.
    session = models.ForeignKey(
        "Session", verbose_name=_("session"), on_delete=models.PROTECT, related_name="registrations"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    priority = models.BooleanField(
        _("priority"), default=False, help_text=_("Offered a seat before everyone else in line.")
    )
    queued_at = models.DateTimeField(_("in line since"), default=now)
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["session", "status", "-priority", "queued_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="registration_unique"),
        ]

    def __str__(self):
        return f"{self.person} — {self.session} ({self.get_status_display()})"


class AgendaChange(models.Model):
    """Who changed whose time, when and how: the answer to "why am I not on the list?"."""

    class Action(models.TextChoices):
        STARRED = "starred", _("starred")
        UNSTARRED = "unstarred", _("unstarred")
        REGISTERED = "registered", _("took a seat")
        WAITLISTED = "waitlisted", _("joined the waiting list")
        PROMOTED = "promoted", _("promoted from the waiting list")
        SKIPPED = "skipped", _("passed over on the waiting list")
        CANCELLED = "cancelled", _("cancelled a registration")
        REFUSED = "refused", _("registration refused")

    at = models.DateTimeField(_("when"), default=now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_changes_made",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("for"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agenda_changes",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendee"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agenda_changes",
    )
    # The record keeps its session: a session with history is cancelled, never deleted.
    session = models.ForeignKey(
        "Session",
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="agenda_changes",
    )
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    seen_at = models.DateTimeField(
        _("shown to the attendee"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When a seat given from the waiting list was first shown on their agenda."),
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("agenda change")
        verbose_name_plural = _("agenda changes")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}: {self.session}"
