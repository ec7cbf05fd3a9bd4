"""Summits and where they happen: venues, the travel times between them, rooms, tracks."""

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, ExpressionWrapper, F, Q, When
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from agenda import identity
from common.text import LONG_TEXT_LENGTH, long_text_checks
from common.versions import VersionedQuerySet


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a time zone name such as Europe/Paris."), params={"value": value}
        )


# Top-level paths that a summit's slug would hide.
RESERVED_SLUGS = {"admin", "api", "feeds", "i18n", "me", "accounts", "static", "media", "fr", "en"}


def validate_summit_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(value)s” is reserved for the site's own pages."), params={"value": value}
        )


class SummitQuerySet(VersionedQuerySet["Summit"]):
    def current(self, today: date | None = None) -> "Summit | None":
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
    description = models.TextField(_("description"), max_length=LONG_TEXT_LENGTH, blank=True)
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
    logo = models.FileField(
        _("logo"),
        upload_to="summits/logos/",
        blank=True,
        validators=[identity.validate_logo],
        help_text=_(
            "SVG, PNG, JPEG or WebP, at most 512 KB, shown in the header on the primary colour "
            "(so a light logo reads best). Without one, the name is set as a wordmark. SVG files "
            "may only draw: scripts, links and embedded files are refused."
        ),
    )
    hero_image = models.FileField(
        _("hero image"),
        upload_to="summits/heroes/",
        blank=True,
        validators=[identity.validate_hero],
        help_text=_(
            "Optional. PNG, JPEG or WebP, at most 2 MB, about 1200 × 630 pixels: shown in link "
            "previews of the summit's pages."
        ),
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default=identity.DEFAULT_PRIMARY,
        validators=[identity.validate_primary_colour],
        help_text=_("Like #0b4f8a: the header, links and buttons. Dark enough for white text."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default=identity.DEFAULT_ACCENT,
        validators=[identity.validate_accent_colour],
        help_text=_("Like #c8102e: rules and highlights on white."),
    )

    updated_at = models.DateTimeField(_("last modified"), auto_now=True)

    objects = SummitQuerySet.as_manager()

    # Why a summit with sessions (which protect it) is not deleted.
    deletion_refused = _(
        "This summit has sessions, so it cannot be deleted. Delete its sessions first; those "
        "with registrations or a record of changes are kept, so cancel them instead and keep "
        "the summit."
    )

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("summit")
        verbose_name_plural = _("summits")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="summit_ends_after_it_starts"
            ),
            *long_text_checks("summit", "description"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def theme_css(self) -> str:
        """The stylesheet of the summit's colours."""
        return identity.theme_css(primary=self.primary_colour, accent=self.accent_colour)

    @property
    def preview_image(self):
        """The image of the summit's link previews: its hero image, else its logo."""
        return self.hero_image or self.logo or None

    @cached_property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def days(self) -> list[date]:
        return [
            self.start_date + timedelta(days=n)
            for n in range((self.end_date - self.start_date).days + 1)
        ]

    def day_bounds(self, day: date) -> tuple[datetime, datetime]:
        """The aware start and end of one local day of the summit."""
        start = datetime.combine(day, time.min, tzinfo=self.tz)
        end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=self.tz)
        return start, end

    @property
    def bounds(self) -> tuple[datetime, datetime]:
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
    description = models.TextField(_("description"), max_length=LONG_TEXT_LENGTH, blank=True)
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)

    objects = VersionedQuerySet.as_manager()

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
            *long_text_checks("venue", "description"),
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

    objects = VersionedQuerySet.as_manager()

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

    objects = VersionedQuerySet.as_manager()

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
    description = models.TextField(_("description"), max_length=LONG_TEXT_LENGTH, blank=True)
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["summit", "name"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        constraints = [
            models.UniqueConstraint(fields=["summit", "slug"], name="track_slug_unique_in_summit"),
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="track_colour_is_hex"
            ),
            *long_text_checks("track", "description"),
        ]

    def __str__(self):
        return self.name
