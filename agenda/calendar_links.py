"""Links that put a feed or one event in a calendar app: download, webcal://, Google
Calendar, Outlook; and a QR code of a link, drawn here."""

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

import segno
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class FeedLinks:
    name: str
    https: str
    webcal: str
    google: str
    outlook: str


def for_path(request, path, name):
    https = request.build_absolute_uri(path)
    webcal = "webcal://" + https.split("://", 1)[1]
    return FeedLinks(
        name=name,
        https=https,
        webcal=webcal,
        google="https://calendar.google.com/calendar/render?" + urlencode({"cid": webcal}),
        outlook="https://outlook.live.com/calendar/0/addfromweb?"
        + urlencode({"url": https, "name": name}, quote_via=quote),
    )


@dataclass(frozen=True)
class EventLinks:
    """One event added to a calendar as it stands (no subscription): Google Calendar's event
    template, the compose pages of Outlook.com and of Microsoft 365 (work accounts)."""

    google: str
    outlook: str
    office: str


# Google's template takes times in UTC as 20250210T133000Z; Outlook's deeplink takes ISO 8601.
GOOGLE_TIME = "%Y%m%dT%H%M%SZ"
OUTLOOK_TIME = "%Y-%m-%dT%H:%M:%SZ"


def for_event(
    *, title: str, start: datetime, end: datetime, details: str, location: str, zone: str
) -> EventLinks:
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    google = {
        "action": "TEMPLATE",
        "text": title,
        "dates": f"{start:{GOOGLE_TIME}}/{end:{GOOGLE_TIME}}",
        "details": details,
        "location": location,
        "ctz": zone,
    }
    compose = urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": title,
            "startdt": f"{start:{OUTLOOK_TIME}}",
            "enddt": f"{end:{OUTLOOK_TIME}}",
            "body": details,
            "location": location,
        },
        quote_via=quote,
    )
    return EventLinks(
        google="https://calendar.google.com/calendar/render?" + urlencode(google, quote_via=quote),
        outlook="https://outlook.live.com/calendar/0/deeplink/compose?" + compose,
        office="https://outlook.office.com/calendar/0/deeplink/compose?" + compose,
    )


def for_session(request, session) -> EventLinks:
    """A session as an event: its title, times, place with address, and its page's link."""
    place = []
    if session.room is not None:
        venue = session.room.venue
        place = [str(session.room.name), str(venue.name), venue.address]
    page = request.build_absolute_uri(session.get_absolute_url())
    return for_event(
        title=session.title,
        start=session.start,
        end=session.end,
        details="\n\n".join(part for part in (session.abstract, page) if part),
        location=", ".join(part for part in place if part),
        zone=session.summit.time_zone,
    )


def qr_code(text: str, *, title: str) -> SafeString:
    """`text` as a QR code in inline SVG (no image from another host); segno escapes the
    title."""
    svg = segno.make(text, error="m").svg_inline(
        scale=4, omitsize=True, title=title, svgclass="qr-code", dark="#000", light="#fff"
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))
