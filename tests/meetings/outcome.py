"""What a step of a meeting's life left behind: its record, and the emails read back as a
calendar program reads them (the MIME message, then its iTIP part parsed by icalendar and,
strictly, by vobject)."""

import email

from django.core import mail

from meetings.models import MeetingTransition
from tests.agenda.ics import parse


def steps(meeting, since=0):
    """(from, to, note) of each recorded step of a meeting, from the `since`-th on."""
    rows = MeetingTransition.objects.filter(meeting=meeting).order_by("at", "id")
    return list(rows.values_list("from_status", "to_status", "note"))[since:]


def calendar_of(message):
    """The parsed MIME message and the icalendar Calendar of its text/calendar part."""
    parsed = email.message_from_bytes(message.message().as_bytes())
    [part] = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    return parsed, parse(part.get_payload(decode=True))


def sent():
    """(recipient, METHOD, SEQUENCE) of every email sent, sorted."""
    found = []
    for message in mail.outbox:
        _parsed, calendar = calendar_of(message)
        [event] = calendar.walk("VEVENT")
        [recipient] = message.to
        found.append((recipient, str(calendar["METHOD"]), event["SEQUENCE"]))
    return sorted(found)
