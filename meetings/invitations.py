"""Calendar invitations by email (iTIP, RFC 5546): METHOD:REQUEST when a meeting is confirmed
or moved, METHOD:CANCEL when it is called off, with the same UID and SEQUENCE as the feeds,
so calendars that never poll a feed still learn of the change."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, vCalAddress, vText

from agenda import ical
from agenda.vtimezone import build_vtimezone
from meetings.models import Meeting
from outbox import mail as outbox


def organizer_address() -> str:
    return settings.SUMMIT_ORGANIZER_EMAIL


def build_invitation(meeting: Meeting, *, method: str) -> Calendar:
    """The iTIP message for a meeting: one VEVENT with its ORGANIZER (the mailbox that receives
    the answers calendar programs send) and an ATTENDEE for each participant with an address."""
    zone = meeting.summit.time_zone
    calendar = Calendar()
    calendar.add("PRODID", ical.PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", method)
    calendar.add_component(build_vtimezone(zone))
    event = ical.meeting_event(meeting, zone)
    if method == "CANCEL":
        event["STATUS"] = vText("CANCELLED")
    # An iTIP message is stamped when it is sent (RFC 5546 2.1.5).
    event.pop("DTSTAMP")
    event.add("DTSTAMP", timezone.now())
    organizer = vCalAddress(f"mailto:{organizer_address()}")
    organizer.params["CN"] = vText(meeting.summit.name)
    event.add("ORGANIZER", organizer)
    for participant in meeting.participants.all():
        address = participant.person.email_address
        if not address:
            continue
        attendee = vCalAddress(f"mailto:{address}")
        attendee.params["CN"] = vText(participant.person.name)
        attendee.params["ROLE"] = vText(
            "REQ-PARTICIPANT" if participant.is_principal else "OPT-PARTICIPANT"
        )
        attendee.params["PARTSTAT"] = vText(
            {"accepted": "ACCEPTED", "declined": "DECLINED"}.get(
                participant.response, "NEEDS-ACTION"
            )
        )
        if method == "REQUEST":
            # An invitation asks for an answer; a cancellation expects none.
            attendee.params["RSVP"] = vText("TRUE")
        event.add("ATTENDEE", attendee)
    calendar.add_component(event)
    return calendar


def send(meeting: Meeting, *, method: str = "REQUEST") -> int:
    """Queue an email for each participant with an address, login or not; returns how many."""
    meeting = Meeting.objects.with_participants().get(pk=meeting.pk)
    if meeting.start is None:
        return 0
    # Each in their own language: the subject, the body and the event's texts.
    recipients: dict[str, list[str]] = {}
    for participant in meeting.participants.all():
        person = participant.person
        if person.email_address:
            language = person.language or settings.LANGUAGE_CODE
            recipients.setdefault(language, []).append(person.email_address)
    for language, addresses in recipients.items():
        with translation.override(language):
            data = ical.to_bytes(build_invitation(meeting, method=method))
            subject = (
                _("Cancelled: %(title)s") if method == "CANCEL" else _("Invitation: %(title)s")
            ) % {"title": meeting.title}
            when = timezone.localtime(meeting.start, meeting.summit.tz)
            body = _("%(title)s, %(when)s (%(zone)s). The invitation is attached.") % {
                "title": meeting.title,
                "when": when.strftime("%Y-%m-%d %H:%M"),
                "zone": meeting.summit.time_zone,
            }
        for address in addresses:
            outbox.send(
                to=[address],
                subject=subject,
                body=body,
                calendar=data.decode(),
                method=method,
                purpose="meeting-invitation",
            )
    return sum(len(addresses) for addresses in recipients.values())
