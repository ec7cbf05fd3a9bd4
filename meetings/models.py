from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agenda.models import Room, SequencedModel, SequencedQuerySet, Summit, Venue
from common.text import LONG_TEXT_LENGTH, long_text_check
from common.versions import VersionedQuerySet
from people.models import Person, visible_condition

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.db.models.expressions import Combinable


class MeetingQuerySet(SequencedQuerySet["Meeting"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """The one rule for who sees a meeting: participants and staff; public ones, everyone.

        A confidential meeting does not exist for anyone else, not even as a count.
        """
        if user.is_staff:
            return self
        # A public meeting is public once announced; before that only its participants see it.
        public = announced_to_all()
        if not user.is_authenticated:
            return self.filter(public)
        takes_part = MeetingParticipant.objects.filter(meeting=OuterRef("pk"), person__user=user)
        return self.filter(public | Exists(takes_part))

    def of_person(self, person: Person) -> Self:
        return self.filter(
            Exists(MeetingParticipant.objects.filter(meeting=OuterRef("pk"), person=person))
        )

    def overdue(self, now: datetime) -> Self:
        return self.filter(status__in=Meeting.OPEN_STATUSES, respond_by__lt=now)

    def announced(self) -> Self:
        """Public meetings that appear like sessions: confirmed, or called off after being so."""
        return self.filter(announced_to_all(), start__isnull=False)

    def holding_time(self) -> Self:
        """Meetings that occupy their time and room: a time was offered or agreed."""
        return self.filter(status__in=Meeting.HOLDING_STATUSES, start__isnull=False)

    def with_participants(self, user: User | AnonymousUser | None = None) -> Self:
        """With the participants the user may see: all of them for staff and for the meeting's
        own participants, else those whose person is public (None: all, for the system)."""
        participants = MeetingParticipant.objects.select_related("person__user")
        if user is not None and not user.is_staff:
            seen: Q | Combinable = visible_condition(user, "person__")
            if user.is_authenticated:
                seen |= Exists(
                    MeetingParticipant.objects.filter(
                        meeting=OuterRef("meeting"), person__user=user
                    )
                )
            participants = participants.filter(seen)
        return self.select_related("summit", "room__venue", "venue").prefetch_related(
            models.Prefetch("participants", queryset=participants)
        )


def announced_to_all() -> Q | Combinable:
    """The public meetings the public has seen: confirmed ones, and those cancelled or
    declined after being confirmed, so that calendars learn of it. One called off before it
    was ever confirmed was never shown. Having been confirmed is read from the recorded steps,
    to or from confirmed (a meeting may have been stored confirmed, with no step into it)."""
    confirmed_once = Exists(
        MeetingTransition.objects.filter(meeting=OuterRef("pk")).filter(
            Q(to_status=Meeting.Status.CONFIRMED) | Q(from_status=Meeting.Status.CONFIRMED)
        )
    )
    called_off = Q(status__in=[Meeting.Status.CANCELLED, Meeting.Status.DECLINED]) & confirmed_once
    return Q(confidentiality=Meeting.Confidentiality.PUBLIC) & (
        Q(status=Meeting.Status.CONFIRMED) | called_off
    )


class Meeting(SequencedModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    class Confidentiality(models.TextChoices):
        CONFIDENTIAL = "confidential", _("Confidential: participants and staff only")
        PUBLIC = "public", _("Public: announced like a session")

    is_meeting = True  # templates that list sessions and meetings together tell them apart
    noun = _("meeting")
    # A meeting may be placed at a venue before it has a room: moving it there is a change.
    SEQUENCE_FIELDS = (*SequencedModel.SEQUENCE_FIELDS, "venue_id")
    HOLDING_STATUSES = (Status.PROPOSED, Status.CONFIRMED)
    OPEN_STATUSES = (Status.REQUESTED, Status.PROPOSED)
    CLOSED_STATUSES = (Status.DECLINED, Status.CANCELLED, Status.EXPIRED)

    summit = models.ForeignKey(
        Summit, verbose_name=_("summit"), on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=300)
    purpose = models.TextField(_("purpose"), max_length=LONG_TEXT_LENGTH, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=30)
    window_start = models.DateTimeField(_("earliest start"))
    window_end = models.DateTimeField(_("latest end"))
    start = models.DateTimeField(_("start"), null=True, blank=True)
    end = models.DateTimeField(_("end"), null=True, blank=True)
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("venue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.CONFIDENTIAL,
    )
    respond_by = models.DateTimeField(
        _("answer by"),
        null=True,
        blank=True,
        help_text=_("A request or proposal left unanswered by then expires."),
    )
    requested_by = models.ForeignKey(
        Person,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requested_meetings",
    )
    people: models.ManyToManyField[Person, MeetingParticipant] = models.ManyToManyField(
        Person, through="MeetingParticipant", related_name="meetings", verbose_name=_("people")
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["window_start", "start", "title"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(window_end__gt=F("window_start")),
                name="meeting_window_ends_after_start",
            ),
            long_text_check("purpose", name="meeting_purpose_length"),
            models.CheckConstraint(
                condition=(
                    Q(start__isnull=True, end__isnull=True)
                    | Q(start__isnull=False, end__isnull=False, end__gt=F("start"))
                ),
                name="meeting_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["proposed", "confirmed"]) | Q(start__isnull=False),
                name="meeting_with_time_when_proposed",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "requested",
                        "proposed",
                        "confirmed",
                        "declined",
                        "cancelled",
                        "expired",
                    ]
                ),
                name="meeting_status_known",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="meeting_duration_positive"
            ),
        ]
        indexes = [models.Index(fields=["summit", "start"]), models.Index(fields=["updated_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The meeting's page, for its participants and staff."""
        return reverse("me-meeting", kwargs={"pk": self.pk})

    @property
    def principals(self) -> list[Person]:
        """Who the meeting is between, advisers and note-takers aside (from the prefetched
        participants, when they were)."""
        return [p.person for p in self.participants.all() if p.is_principal]

    @property
    def place(self) -> Venue | None:
        """The venue where it happens: its room's, else the venue chosen without a room."""
        room = self.room if self.room_id else None
        return room.venue if room else self.venue

    @property
    def is_confidential(self) -> bool:
        return self.confidentiality == self.Confidentiality.CONFIDENTIAL

    @property
    def blocks_time(self) -> bool:
        return self.status in self.HOLDING_STATUSES and self.start is not None


class MeetingParticipant(models.Model):
    class Response(models.TextChoices):
        PENDING = "pending", _("No reply yet")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="participants"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="meeting_participations",
    )
    side = models.CharField(
        _("side"),
        max_length=100,
        blank=True,
        help_text=_("Whom the person represents, e.g. European Commission or France."),
    )
    is_principal = models.BooleanField(
        _("principal"), default=True, help_text=_("Unticked for advisers and note-takers.")
    )
    response = models.CharField(
        _("response"), max_length=20, choices=Response.choices, default=Response.PENDING
    )
    responded_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "-is_principal", "id"]
        verbose_name = _("meeting participant")
        verbose_name_plural = _("meeting participants")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="meeting_participant_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.meeting}"


class MeetingTransition(models.Model):
    """One step of a meeting's life: who moved it, when, from what to what."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="transitions"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_transitions",
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Meeting.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Meeting.Status.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("meeting transition")
        verbose_name_plural = _("meeting transitions")

    def __str__(self) -> str:
        return f"{self.meeting}: {self.from_status} → {self.to_status}"
