"""Answers that cost nothing when nothing changed: a version (ETag and Last-Modified) from
one aggregate query over the rows a feed or export shows, and a 304 before anything is built."""

import hashlib

from django.db.models import Count, Max, Sum
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from agenda import ical

# Bump when the builders' output changes for the same rows, so cached copies are refreshed.
FEED_FORMAT = 2


def session_version(sessions):
    return sessions.aggregate(
        v_count=Count("pk", distinct=True),
        v_ids=Sum("pk", distinct=True),
        v_changed=Max("updated_at"),
        v_sequence=Sum("sequence"),
        v_room=Max("room__updated_at"),
        v_venue=Max("room__venue__updated_at"),
        v_track=Max("track__updated_at"),
        v_person=Max("roles__person__updated_at"),
        v_summit=Max("summit__updated_at"),
    )


def meeting_version(meetings):
    return meetings.aggregate(
        v_count=Count("pk", distinct=True),
        v_ids=Sum("pk", distinct=True),
        v_changed=Max("updated_at"),
        v_sequence=Sum("sequence"),
        v_room=Max("room__updated_at"),
        v_venue=Max("venue__updated_at"),
        v_person=Max("participants__person__updated_at"),
        v_replies=Max("participants__responded_at"),
    )


def version_of(*parts, extra=""):
    """(ETag, Last-Modified) from aggregate rows: any change of a shown row moves them."""
    stamps = [
        value
        for part in parts
        for key, value in part.items()
        if value is not None and key not in {"v_count", "v_ids", "v_sequence"}
    ]
    digest = hashlib.sha256(repr((FEED_FORMAT, parts, extra)).encode()).hexdigest()[:32]
    last_modified = max(stamps) if stamps else None
    return f'"{digest}"', last_modified


CALENDAR = "text/calendar; charset=utf-8"


def respond(
    request,
    *,
    version,
    build,
    filename=None,
    private=False,
    content_type=CALENDAR,
    language=None,
):
    """`build()` (a Calendar, or bytes) with ETag and Last-Modified, or a 304 when the client
    is up to date; HEAD gets the same headers without the body. `language` is the one of its
    texts (`?lang=`), which may differ from the reader's."""
    etag, last_modified = version
    stamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=stamp)
    if response is None:
        body = build()
        if not isinstance(body, bytes):
            body = ical.to_bytes(body)
        response = HttpResponse(body, content_type=content_type)
        if request.method == "HEAD":
            response["Content-Length"] = str(len(body))
            response.content = b""
        if filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    if language:
        response["Content-Language"] = language
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp)
    if private:
        response["Cache-Control"] = "private, no-cache"
        response["X-Robots-Tag"] = "noindex"
    else:
        response["Cache-Control"] = "public, no-cache"
    return response


def absolute(request) -> ical.Links:
    """Links from feeds and exports to the items' own pages."""
    return ical.Links(request.build_absolute_uri("/"))
