"""Sessions, who takes part in them, and the calendar-item base they share with meetings."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda.models.attendance import Registration, Star
from agenda.models.place import Room, Summit, Track
from common import versions
from common.search import matching
from common.text import LONG_TEXT_LENGTH, long_text_checks
from common.translated import columns
from common.versions import VersionedQuerySet
from people.models import Person, visible_condition

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from agenda.models.place import Venue


class SequencedModel(models.Model):
    """A calendar item: any change of time, place or status bumps its `sequence`.

    Calendar clients only take an update whose SEQUENCE went up (RFC 5545 3.8.7.4).
    """

    SEQUENCE_FIELDS: tuple[str, ...] = ("start", "end", "room_id", "status")
    # Statuses in which the item no longer takes place: calendars show it as cancelled
    # until it is over, then it leaves the feeds.
    CLOSED_STATUSES: tuple[str, ...] = ()

    # Fields each kind of item declares for itself.
    room_id: int | None
    status: str

    sequence = models.PositiveIntegerField(_("sequence"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.sequence_fields_changed():
            self.sequence += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "sequence", "updated_at"}
        super().save(*args, **kwargs)
        self._stored = {name: getattr(self, name) for name in self.SEQUENCE_FIELDS}

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any]) -> Self:
        instance = super().from_db(db, field_names, values)
        instance._stored = {
            name: getattr(instance, name)
            for name in cls.SEQUENCE_FIELDS
            if name in instance.__dict__
        }
        return instance

    @property
    def blocks_time(self) -> bool:
        """Taking up its people's time: each kind of item says when."""
        raise NotImplementedError

    @property
    def blocks_room(self) -> bool:
        """Holding its room: it takes time (`blocks_time`, per model) and has a room."""
        return self.blocks_time and self.room_id is not None

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    def sequence_fields_changed(self) -> bool:
        stored = getattr(self, "_stored", None)
        if self.pk is None or stored is None:
            return False
        return any(getattr(self, name) != value for name, value in stored.items())


_Item = TypeVar("_Item", bound=SequencedModel)


class SequencedQuerySet(VersionedQuerySet[_Item]):
    """Reads shared by every calendar item."""

    def overlapping(self, start: datetime, end: datetime) -> Self:
        return self.filter(start__lt=end, end__gt=start)

    def still_listed(self, now: datetime | None = None) -> Self:
        """What feeds carry: closed items stay until they are over, so calendars learn of them."""
        closed = Q(status__in=self.model.CLOSED_STATUSES, end__lt=now or timezone.now())
        return self.exclude(closed)

    def next_unlisting(self, now: datetime | None = None) -> datetime | None:
        """When the next closed item still listed leaves the feeds (`still_listed`)."""
        closed = self.filter(status__in=self.model.CLOSED_STATUSES, end__gte=now or timezone.now())
        return closed.aggregate(models.Min("end"))["end__min"]


class SessionQuerySet(SequencedQuerySet["Session"]):
    # A seat taken or freed changes no programme page, feed or export: only the seats shown
    # on cards, kept under their own version.
    quiet_fields = ("seats_taken",)
    quiet_version = versions.SEATS

    def visible_to(self, user: User | AnonymousUser) -> Self:
        """The one rule for who sees a session: public ones, one's own, all for staff."""
        if user.is_staff:
            return self
        # A session still unscheduled is a draft of the programme staff: nobody else's yet.
        drafts = Q(status=Session.Status.UNSCHEDULED)
        if not user.is_authenticated:
            return self.filter(visibility=Session.Visibility.PUBLIC).exclude(drafts)
        takes_part = SessionRole.objects.filter(session=OuterRef("pk"), person__user=user)
        return self.filter(Q(visibility=Session.Visibility.PUBLIC) | Exists(takes_part)).exclude(
            drafts
        )

    def scheduled(self) -> Self:
        return self.filter(status=Session.Status.SCHEDULED)

    def on_day(self, summit: Summit, day: date) -> Self:
        start, end = summit.day_bounds(day)
        return self.overlapping(start, end)

    def with_people(self, user: User | AnonymousUser) -> Self:
        """Rooms, venues, tracks and the people the user may see, in a fixed number of queries."""
        # By a join: a list of visible people is probed once per session and person.
        roles = SessionRole.objects.filter(visible_condition(user, "person__"))
        return self.select_related("summit", "room__venue", "track").prefetch_related(
            models.Prefetch("roles", queryset=roles.select_related("person__organisation"))
        )

    def in_agenda_of(self, user: User) -> Self:
        """Sessions in a user's agenda: taking part, a seat or a place in line, or a star.
        Each a list of ids worked out once, not a subquery run for every session."""
        person = getattr(user, "person", None)
        chosen = Q(pk__in=Star.objects.filter(user=user).values("session_id"))
        if person is not None:
            chosen |= Q(pk__in=SessionRole.objects.filter(person=person).values("session_id"))
            chosen |= Q(
                pk__in=Registration.objects.active().filter(person=person).values("session_id")
            )
        return self.filter(chosen)

    def with_person(self, person: Person) -> Self:
        return self.filter(
            Exists(SessionRole.objects.filter(session=OuterRef("pk"), person=person))
        )

    def search(self, text: str, user: User | AnonymousUser) -> Self:
        """Title or abstract in any language, or the name of someone on the session whom the
        user may see; case and accents aside."""
        named = SessionRole.objects.filter(
            matching(["person__name"], text),
            visible_condition(user, "person__"),
            session=OuterRef("pk"),
        )
        texts = [*columns("title"), *columns("abstract")]
        return self.filter(matching(texts, text) | Exists(named))

    def cancel(self) -> int:
        """Cancel in bulk, keeping the rows; calendars learn of it through the sequence."""
        return self.exclude(status=Session.Status.CANCELLED).update(
            status=Session.Status.CANCELLED,
            sequence=F("sequence") + 1,
            updated_at=timezone.now(),
        )


class Session(SequencedModel):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        KEYNOTE = "keynote", _("Keynote")
        PANEL = "panel", _("Panel")
        WORKSHOP = "workshop", _("Workshop")
        BRIEFING = "briefing", _("Briefing")
        VISIT = "visit", _("Visit")
        PRESS = "press", _("Press")
        CEREMONY = "ceremony", _("Ceremony")
        RECEPTION = "reception", _("Reception")
        BREAK = "break", _("Break")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        # Kept aside by staff with no place on the timetable yet: it holds no room, takes
        # nobody's time and is shown to nobody else; its times keep its length.
        UNSCHEDULED = "unscheduled", _("Unscheduled")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        INVITATION = "invitation", _("Invitation only")

    # Deleting a summit never takes its sessions along (nor their registrations and record).
    summit = models.ForeignKey(
        Summit, verbose_name=_("summit"), on_delete=models.PROTECT, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PANEL)
    abstract = models.TextField(_("abstract"), max_length=LONG_TEXT_LENGTH, blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    track = models.ForeignKey(
        Track,
        verbose_name=_("track"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    capacity = models.PositiveIntegerField(
        _("seats"),
        null=True,
        blank=True,
        help_text=_("Seats open to registration; empty when the session takes no registrations."),
    )
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)
    people: models.ManyToManyField[Person, SessionRole] = models.ManyToManyField(
        Person, through="SessionRole", related_name="sessions", verbose_name=_("people")
    )

    is_meeting = False
    noun = _("session")
    CLOSED_STATUSES = (Status.CANCELLED,)
    # Why a session with registrations or history (both protected) is not deleted.
    deletion_refused = _(
        "This session has registrations or a record of changes to attendees' agendas, which "
        "deleting it would lose. Cancel it instead (status “cancelled”): calendars and "
        "attendees then see that it will not take place."
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["start", "end", "title"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["summit", "slug"], name="session_slug_unique_in_summit"
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="session_capacity_positive",
            ),
            # The seat count can never pass the seats on offer, whatever the race.
            models.CheckConstraint(
                condition=Q(capacity__isnull=True, seats_taken=0)
                | Q(seats_taken__lte=F("capacity")),
                name="session_seats_within_capacity",
            ),
            *long_text_checks("session", "abstract"),
        ]
        indexes = [models.Index(fields=["summit", "start"]), models.Index(fields=["updated_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The seat count is written only by the seat functions' conditional UPDATEs. A save of
        # an instance read before someone registered or cancelled would otherwise write back
        # the count it read, and sell seats twice.
        adding = self._state.adding or kwargs.get("force_insert")
        if not adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "seats_taken"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("agenda:session", kwargs={"summit": self.summit.slug, "slug": self.slug})

    @property
    def place(self) -> Venue | None:
        """The venue where it happens: its room's."""
        room = self.room if self.room_id else None
        return room.venue if room else None

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.seats_taken, 0)

    @property
    def takes_registrations(self) -> bool:
        return self.capacity is not None and self.status == self.Status.SCHEDULED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_public(self) -> bool:
        """In the public programme: open to all and placed on the timetable."""
        return self.visibility == self.Visibility.PUBLIC and self.status != self.Status.UNSCHEDULED

    @property
    def is_over(self) -> bool:
        return self.end <= timezone.now()

    @property
    def blocks_time(self) -> bool:
        return self.status == self.Status.SCHEDULED


class SessionRole(models.Model):
    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Speaker")
        PANELLIST = "panellist", _("Panellist")
        MODERATOR = "moderator", _("Moderator")
        CHAIR = "chair", _("Chair")
        HOST = "host", _("Host")
        PARTICIPANT = "participant", _("Participant")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="roles"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="session_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SPEAKER)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["session", "position", "id"]
        verbose_name = _("session role")
        verbose_name_plural = _("session roles")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person", "role"], name="session_role_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}) — {self.session}"


class KeyPerson(models.Model):
    """A person the summit's home page puts forward, in the order staff chose: the
    Commission President first, whoever appears most often on the programme."""

    summit = models.ForeignKey(
        Summit, verbose_name=_("summit"), on_delete=models.CASCADE, related_name="key_people"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="key_for"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["summit", "position", "id"]
        verbose_name = _("key person")
        verbose_name_plural = _("key people")
        constraints = [
            models.UniqueConstraint(fields=["summit", "person"], name="key_person_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.summit}"
