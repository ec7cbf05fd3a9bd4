import hashlib
import secrets
import zoneinfo
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, ExpressionWrapper, F, OuterRef, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from people.models import Person


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a time zone name such as Europe/Paris."), params={"value": value}
        )


# Top-level paths that a summit's slug would hide.
RESERVED_SLUGS = {"admin", "api", "feeds", "i18n", "me", "accounts", "static", "media", "fr", "en"}


def validate_summit_slug(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(value)s” is reserved for the site's own pages."), params={"value": value}
        )


class SummitQuerySet(models.QuerySet):
    def current(self, today=None):
        """The summit under way, else the next one, else the latest one."""
        today = today or timezone.now().date()
        ahead = Q(end_date__gte=today)
        return (
            self.annotate(ahead=ExpressionWrapper(ahead, output_field=models.BooleanField()))
            .order_by(
                F("ahead").desc(),
                Case(When(ahead, then=F("start_date"))).asc(nulls_last=True),
                F("end_date").desc(),
            )
            .first()
        )


class Summit(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, validators=[validate_summit_slug]
    )
    tagline = models.CharField(_("tagline"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Paris",
        validators=[validate_time_zone],
        help_text=_("IANA name; every time of the summit is shown in this zone."),
    )

    updated_at = models.DateTimeField(_("last modified"), auto_now=True)

    objects = SummitQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("summit")
        verbose_name_plural = _("summits")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="summit_ends_after_it_starts"
            ),
        ]

    def __str__(self):
        return self.name

    @cached_property
    def tz(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def days(self):
        return [
            self.start_date + timedelta(days=n)
            for n in range((self.end_date - self.start_date).days + 1)
        ]

    def day_bounds(self, day):
        """The aware start and end of one local day of the summit."""
        start = datetime.combine(day, time.min, tzinfo=self.tz)
        end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=self.tz)
        return start, end

    @property
    def bounds(self):
        return self.day_bounds(self.start_date)[0], self.day_bounds(self.end_date)[1]


class Venue(models.Model):
    summit = models.ForeignKey(
        Summit, verbose_name=_("summit"), on_delete=models.CASCADE, related_name="venues"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)

    class Meta:
        ordering = ["summit", "name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.UniqueConstraint(fields=["summit", "slug"], name="venue_slug_unique_in_summit"),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90) | Q(latitude__isnull=True),
                name="venue_latitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180) | Q(longitude__isnull=True),
                name="venue_longitude_in_range",
            ),
        ]

    def __str__(self):
        return self.name


class TravelTime(models.Model):
    """How long it takes to get from one venue to another (by car, in summit traffic)."""

    origin = models.ForeignKey(
        Venue, verbose_name=_("from"), on_delete=models.CASCADE, related_name="travel_from"
    )
    destination = models.ForeignKey(
        Venue, verbose_name=_("to"), on_delete=models.CASCADE, related_name="travel_to"
    )
    minutes = models.PositiveSmallIntegerField(_("minutes"))

    class Meta:
        ordering = ["origin", "destination"]
        verbose_name = _("travel time")
        verbose_name_plural = _("travel times")
        constraints = [
            models.UniqueConstraint(fields=["origin", "destination"], name="travel_time_unique"),
            models.CheckConstraint(
                condition=~Q(origin=F("destination")), name="travel_time_between_two_venues"
            ),
        ]

    def __str__(self):
        return f"{self.origin} → {self.destination}: {self.minutes} min"

    def clean(self):
        if self.origin_id and self.destination_id:
            if self.origin_id == self.destination_id:
                raise ValidationError({"destination": _("Choose a venue other than the origin.")})
            if self.origin.summit_id != self.destination.summit_id:
                raise ValidationError(
                    {"destination": _("Both venues must belong to the same summit.")}
                )


class Room(models.Model):
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Seats; empty when unlimited.")
    )
    position = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Order of the room in its venue's timetable.")
    )
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)

    class Meta:
        ordering = ["venue", "position", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["venue", "slug"], name="room_slug_unique_in_venue"),
        ]

    def __str__(self):
        return f"{self.name} ({self.venue.name})"


class Track(models.Model):
    summit = models.ForeignKey(
        Summit, verbose_name=_("summit"), on_delete=models.CASCADE, related_name="tracks"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#1f4e79",
        help_text=_("Hex colour such as #1f4e79; always shown beside the track's name."),
    )
    description = models.TextField(_("description"), blank=True)
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)

    class Meta:
        ordering = ["summit", "name"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        constraints = [
            models.UniqueConstraint(fields=["summit", "slug"], name="track_slug_unique_in_summit"),
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="track_colour_is_hex"
            ),
        ]

    def __str__(self):
        return self.name


class SequencedModel(models.Model):
    """A calendar item: any change of time, place or status bumps its `sequence`.

    Calendar clients only take an update whose SEQUENCE went up (RFC 5545 3.8.7.4).
    """

    SEQUENCE_FIELDS = ("start", "end", "room_id", "status")

    sequence = models.PositiveIntegerField(_("sequence"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.sequence_fields_changed():
            self.sequence += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "sequence", "updated_at"}
        super().save(*args, **kwargs)
        self._stored = {name: getattr(self, name) for name in self.SEQUENCE_FIELDS}

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored = {
            name: getattr(instance, name)
            for name in cls.SEQUENCE_FIELDS
            if name in instance.__dict__
        }
        return instance

    @property
    def blocks_room(self):
        """Holding its room: it takes time (`blocks_time`, per model) and has a room."""
        return self.blocks_time and self.room_id is not None

    def sequence_fields_changed(self):
        stored = getattr(self, "_stored", None)
        if self.pk is None or stored is None:
            return False
        return any(getattr(self, name) != value for name, value in stored.items())


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one rule for who sees a session: public ones, one's own, all for staff."""
        if user.is_staff:
            return self
        if not user.is_authenticated:
            return self.filter(visibility=Session.Visibility.PUBLIC)
        takes_part = SessionRole.objects.filter(session=OuterRef("pk"), person__user=user)
        return self.filter(Q(visibility=Session.Visibility.PUBLIC) | Exists(takes_part))

    def scheduled(self):
        return self.filter(status=Session.Status.SCHEDULED)

    def overlapping(self, start, end):
        return self.filter(start__lt=end, end__gt=start)

    def on_day(self, summit, day):
        start, end = summit.day_bounds(day)
        return self.overlapping(start, end)

    def with_people(self, user):
        """Rooms, venues, tracks and the people the user may see, in a fixed number of queries."""
        roles = SessionRole.objects.filter(person__in=Person.objects.visible_to(user))
        return self.select_related("summit", "room__venue", "track").prefetch_related(
            models.Prefetch("roles", queryset=roles.select_related("person__organisation"))
        )

    def in_agenda_of(self, user):
        """Sessions in a user's agenda: taking part, a seat or a place in line, or a star."""
        person = getattr(user, "person", None)
        starred = Star.objects.filter(session=OuterRef("pk"), user=user)
        if person is None:
            return self.filter(Exists(starred))
        role = SessionRole.objects.filter(session=OuterRef("pk"), person=person)
        seat = Registration.objects.active().filter(session=OuterRef("pk"), person=person)
        return self.filter(Exists(role) | Exists(seat) | Exists(starred))

    def with_person(self, person):
        return self.filter(
            Exists(SessionRole.objects.filter(session=OuterRef("pk"), person=person))
        )

    def search(self, text, user):
        """Title, abstract, or the name of someone on the session whom the user may see."""
        named = SessionRole.objects.filter(
            session=OuterRef("pk"),
            person__in=Person.objects.visible_to(user).filter(name__icontains=text),
        )
        return self.filter(Q(title__icontains=text) | Q(abstract__icontains=text) | Exists(named))

    def cancel(self):
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

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        INVITATION = "invitation", _("Invitation only")

    summit = models.ForeignKey(
        Summit, verbose_name=_("summit"), on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PANEL)
    abstract = models.TextField(_("abstract"), blank=True)
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
    people = models.ManyToManyField(
        Person, through="SessionRole", related_name="sessions", verbose_name=_("people")
    )

    is_meeting = False

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
        ]
        indexes = [models.Index(fields=["summit", "start"]), models.Index(fields=["updated_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agenda:session", kwargs={"summit": self.summit.slug, "slug": self.slug})

    @property
    def venue(self):
        return self.room.venue if self.room_id else None

    @property
    def seats(self):
        """Seats on offer. The scheduling checks keep it within the room's capacity."""
        return self.capacity

    @property
    def seats_left(self):
        return None if self.capacity is None else max(self.capacity - self.seats_taken, 0)

    @property
    def takes_registrations(self):
        return self.capacity is not None and self.status == self.Status.SCHEDULED

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def blocks_time(self):
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

    class Meta:
        ordering = ["session", "position", "id"]
        verbose_name = _("session role")
        verbose_name_plural = _("session roles")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person", "role"], name="session_role_unique"
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()}) — {self.session}"


def hash_feed_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class FeedTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def holder_of(self, token):
        """The active token matching a secret from a feed URL, or None. Only hashes are stored."""
        if not token or len(token) > 100:
            return None
        return (
            self.active().select_related("user").filter(token_hash=hash_feed_token(token)).first()
        )


class FeedToken(models.Model):
    """A secret in a personal feed URL: one per device, each revocable on its own."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.CASCADE,
        related_name="feed_tokens",
    )
    label = models.CharField(_("device"), max_length=100, default="", blank=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = FeedTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("personal feed link")
        verbose_name_plural = _("personal feed links")

    def __str__(self):
        return f"{self.user} — {self.label or self.pk}"

    @classmethod
    def issue(cls, *, user, label=""):
        """Create a token; the secret is returned once and never stored."""
        secret = secrets.token_urlsafe(32)  # 256 random bits
        token = cls.objects.create(user=user, label=label, token_hash=hash_feed_token(secret))
        return token, secret

    @property
    def is_active(self):
        return self.revoked_at is None

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


def now():
    # Looked up at call time, unlike `default=timezone.now`, so a test clock applies too.
    return timezone.now()


class RemovalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Deletions of what the user could see, and sessions hidden from them since."""
        removals = self if user.is_staff else self.filter(public=True)
        still_seen = Session.objects.visible_to(user).values("pk")
        return removals.exclude(
            reason=Removal.Reason.HIDDEN, kind=Removal.Kind.SESSION, object_id__in=still_seen
        )


class Removal(models.Model):
    """A session or meeting that left the programme, deleted or hidden from the public, kept
    so that clients syncing with `updated_since` learn to drop their copy."""

    class Kind(models.TextChoices):
        SESSION = "session", _("session")
        MEETING = "meeting", _("meeting")

    class Reason(models.TextChoices):
        DELETED = "deleted", _("deleted")
        HIDDEN = "hidden", _("hidden from the public")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.CharField(
        _("reason"), max_length=10, choices=Reason.choices, default=Reason.DELETED
    )
    object_id = models.PositiveBigIntegerField(_("id"))
    summit = models.ForeignKey(
        Summit, verbose_name=_("summit"), on_delete=models.CASCADE, related_name="removals"
    )
    removed_at = models.DateTimeField(_("removed"), default=now, db_index=True)
    public = models.BooleanField(
        _("public"), help_text=_("Whether everyone may learn of it, or staff only.")
    )

    objects = RemovalQuerySet.as_manager()

    class Meta:
        ordering = ["removed_at", "id"]
        verbose_name = _("removal")
        verbose_name_plural = _("removals")

    def __str__(self):
        return f"{self.kind} {self.object_id} removed {self.removed_at:%Y-%m-%d %H:%M}"


class Star(models.Model):
    """A session an attendee marked for their agenda."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendee"),
        on_delete=models.CASCADE,
        related_name="stars",
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="stars"
    )
    created_at = models.DateTimeField(_("starred"), default=now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("star")
        verbose_name_plural = _("stars")
        constraints = [models.UniqueConstraint(fields=["user", "session"], name="star_unique")]

    def __str__(self):
        return f"{self.user} ★ {self.session}"


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=Registration.Status.WAITLISTED)

    def in_line(self):
        """The waiting list in the order seats are offered: priority first, then first come."""
        return self.waitlisted().order_by("-priority", "queued_at", "id")


class Registration(models.Model):
    """A person's place at a session with limited seats: a seat, or a place in line."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="registrations"
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

    @property
    def position(self):
        """Place on the waiting list, from 1; None with a seat or cancelled."""
        return waitlist_positions([self]).get(self.pk)


def waitlist_positions(registrations):
    """{registration id: place in line, from 1} for the waitlisted ones, in one query."""
    waiting = [r for r in registrations if r.status == Registration.Status.WAITLISTED]
    if not waiting:
        return {}
    lines = defaultdict(list)
    for queued in Registration.objects.in_line().filter(
        session__in={r.session_id for r in waiting}
    ):
        lines[queued.session_id].append(queued.pk)
    return {
        r.pk: lines[r.session_id].index(r.pk) + 1 for r in waiting if r.pk in lines[r.session_id]
    }


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
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="agenda_changes"
    )
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("agenda change")
        verbose_name_plural = _("agenda changes")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}: {self.session}"
