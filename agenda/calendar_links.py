"""Links that put a feed in a calendar app: download, webcal://, Google Calendar, Outlook."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode


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
