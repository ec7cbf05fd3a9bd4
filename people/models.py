from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.search import matching
from common.text import LONG_TEXT_LENGTH, long_text_checks
from common.translated import columns
from common.versions import VersionedQuerySet
from people import photos

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class Organisation(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        EU_INSTITUTION = "eu_institution", _("EU institution")
        INTERNATIONAL = "international", _("International organisation")
        COMPANY = "company", _("Company")
        RESEARCH = "research", _("Research and academia")
        NGO = "ngo", _("NGO and civil society")
        MEDIA = "media", _("Media")
        CULTURE = "culture", _("Arts and culture")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class PersonQuerySet(VersionedQuerySet["Person"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """People whose profile the user may see: public ones, themselves, and all for staff."""
        return self.filter(visible_condition(user))

    def search(self, text: str) -> Self:
        """Name, job title or organisation in any language; case and accents aside."""
        return self.filter(
            matching(["name", *columns("position"), *columns("organisation__name")], text)
        )


def visible_condition(user: User | AnonymousUser, path: str = "") -> Q:
    """The rule of `PersonQuerySet.visible_to` as a condition on a relation (`path`, such as
    "person__"), so that a query can apply it by a join rather than a list of people."""
    if user.is_staff:
        return Q()
    if user.is_authenticated:
        return Q(**{f"{path}is_public": True}) | Q(**{f"{path}user": user})
    return Q(**{f"{path}is_public": True})


class Person(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    position = models.CharField(_("job title"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    country = CountryField(_("country"), blank=True)
    bio = models.TextField(_("biography"), max_length=LONG_TEXT_LENGTH, blank=True)
    photo = models.ImageField(
        _("photo"),
        upload_to="people/photos/",
        blank=True,
        validators=[
            FileExtensionValidator(photos.EXTENSIONS),
            photos.validate_photo,
        ],
        help_text=_("JPEG, PNG or WebP, at most 5 MB; shown as a small square of its centre."),
    )
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to="people/thumbnails/", blank=True, editable=False
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Shown in the public directory and on session pages."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    email = models.EmailField(
        _("email"),
        blank=True,
        help_text=_(
            "Where meeting invitations go; the login's address when empty. Seen by staff only."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language of the emails and invitations sent to them."),
    )
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = long_text_checks("person", "bio")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.photo:
            self.thumbnail = ""
        elif not self.photo._committed or not self.thumbnail:  # A new upload.
            self.thumbnail.save(f"{self.slug}.jpg", photos.thumbnail(self.photo), save=False)
        super().save(*args, **kwargs)

    @property
    def initials(self) -> str:
        return photos.initials(self.name)

    @property
    def colour(self) -> int:
        return photos.colour(self.name)

    @property
    def email_address(self) -> str:
        """Where to write to them: their own address, else their login's, else none."""
        if self.email:
            return self.email
        return self.user.email if self.user is not None else ""


class Delegation(models.Model):
    """People who travel and act together, e.g. the European Commission delegation."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegations",
    )
    head = models.ForeignKey(
        Person,
        verbose_name=_("head of delegation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_delegations",
    )
    members = models.ManyToManyField(
        Person, verbose_name=_("members"), blank=True, related_name="delegations"
    )

    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self):
        return self.name
