"""Releases of the programme: named, numbered snapshots with a public note, and when each
attendee last looked at what changed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agenda.models.attendance import now
from agenda.models.place import Summit

NOTE_LENGTH = 500


class ReleaseQuerySet(models.QuerySet["Release"]):
    def latest_of(self, summit: Summit) -> Release | None:
        return self.filter(summit=summit).order_by("-number").first()


class Release(models.Model):
    """The programme as published at one moment (v1, v2, ...). Edits are public at once; a
    release names a state of the programme and keeps what it needs (`snapshot`: each public
    session and announced public meeting, compactly) to tell what changed between two of
    them, or since the last one, without a history table."""

    summit = models.ForeignKey(
        Summit, verbose_name=_("summit"), on_delete=models.CASCADE, related_name="releases"
    )
    number = models.PositiveIntegerField(_("number"))
    note = models.CharField(_("note"), max_length=NOTE_LENGTH)
    published_at = models.DateTimeField(_("published"), default=now, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="releases_published",
    )
    snapshot = models.JSONField(_("snapshot"), default=dict, editable=False)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["summit", "-number"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        constraints = [
            # Two staff publishing at once: one of them gets the number, the other an error.
            models.UniqueConstraint(fields=["summit", "number"], name="release_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="release_number_positive"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("note"), NOTE_LENGTH), name="release_note_length"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.summit} {self.name}"

    def get_absolute_url(self) -> str:
        url = reverse("agenda:changes", kwargs={"summit": self.summit.slug})
        return f"{url}#{self.name}"

    @property
    def name(self) -> str:
        return f"v{self.number}"

    @property
    def items(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.snapshot.get("items", [])
        return items


class AgendaVisit(models.Model):
    """When an attendee last saw their agenda: what changed since is shown to them once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendee"),
        on_delete=models.CASCADE,
        related_name="agenda_visit",
    )
    seen_at = models.DateTimeField(_("last seen"), default=now)

    class Meta:
        verbose_name = _("agenda visit")
        verbose_name_plural = _("agenda visits")

    def __str__(self) -> str:
        return f"{self.user} {self.seen_at:%Y-%m-%d %H:%M}"
