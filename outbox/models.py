from email import encoders
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CalendarMessage(EmailMultiAlternatives):
    """Writes its text/calendar alternative in base64, so the CRLF line ends of the iCalendar
    data reach the calendar program untouched (mail software rewrites line ends in text)."""

    def _create_mime_attachment(self, content, mimetype):
        if not mimetype.startswith("text/calendar"):
            return super()._create_mime_attachment(content, mimetype)
        method = mimetype.partition("method=")[2]
        part = MIMEBase("text", "calendar", method=method, charset="UTF-8")
        part.set_payload(content.encode() if isinstance(content, str) else content)
        encoders.encode_base64(part)
        return part


class Email(models.Model):
    """One message to one or more recipients, and what became of it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Method(models.TextChoices):
        NONE = "", _("No calendar part")
        REQUEST = "REQUEST", "REQUEST"
        CANCEL = "CANCEL", "CANCEL"

    to = models.JSONField(_("to"), default=list)
    from_email = models.CharField(_("from"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    calendar = models.TextField(
        _("calendar part"), blank=True, help_text=_("An iTIP message (RFC 6047), if any.")
    )
    method = models.CharField(
        _("calendar method"), max_length=10, choices=Method.choices, blank=True, default=""
    )
    # An iTIP message has one method: a message that both moves and cancels items carries
    # its REQUEST as the calendar part and its CANCEL as an attached file.
    cancellation = models.TextField(
        _("cancellation"),
        blank=True,
        help_text=_("An iTIP CANCEL attached beside the calendar part, if any."),
    )
    purpose = models.CharField(_("purpose"), max_length=50, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("email")
        verbose_name_plural = _("outbox")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="outbox_sent_has_time",
            ),
            models.CheckConstraint(
                condition=Q(method="") | ~Q(calendar=""), name="outbox_method_has_calendar"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"

    def as_message(self) -> CalendarMessage:
        """The MIME message: the text, and an iTIP part as calendar programs expect it
        (RFC 6047: multipart/alternative with text/calendar; method=...; charset=utf-8)."""
        message = CalendarMessage(
            subject=self.subject,
            body=self.body,
            from_email=self.from_email or settings.DEFAULT_FROM_EMAIL,
            to=list(self.to),
        )
        if self.calendar:
            message.attach_alternative(self.calendar, f"text/calendar; method={self.method}")
        if self.cancellation:
            message.attach("cancel.ics", self.cancellation, "text/calendar; method=CANCEL")
        return message
