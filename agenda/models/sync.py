"""What keeps clients in step with the programme: personal feed tokens and removals."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda.models.attendance import now
from agenda.models.place import Summit
from agenda.models.programme import Session

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


HOLDER_FIELDS = (
    "last_used_at",
    "user__username",
    "user__is_active",
    "user__is_staff",
    "user__is_superuser",
    "user__person__name",
)


class FeedTokenQuerySet(models.QuerySet["FeedToken"]):
    def active(self) -> Self:
        return self.filter(revoked_at__isnull=True)

    def holder_of(self, token: str) -> FeedToken | None:
        """The active token matching a secret from a feed URL, or None. Only hashes are stored.
        With its holder and their person, read for every poll of a calendar app: only what a
        feed asks of them on every request (any other field is read when asked for)."""
        if not token or len(token) > 100:
            return None
        found = (
            self.active()
            .select_related("user__person")
            .only(*HOLDER_FIELDS)
            .filter(token_hash=hash_feed_token(token))[:1]
        )
        return found[0] if found else None


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


class RemovalQuerySet(models.QuerySet["Removal"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
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
