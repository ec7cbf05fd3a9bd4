"""Renderings of the public programme kept in Django's cache (local memory on one machine,
Redis by CACHE_URL) under the programme's version (common.versions): any change moves the
version, so the next request to any worker renders afresh under a new key, and old entries
age out. Nothing personal goes in: pages keep their per-user parts outside the cached part
(see `personalise`), and only what everyone allowed to see the public programme sees is
shared. Renderings, feeds and exports are kept per language (the active one, or `?lang=`);
rows kept as they are (a summit, a person) hold the texts of every language, read in the
reader's when shown."""

from __future__ import annotations

import hashlib
import re
import zoneinfo
from datetime import tzinfo
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from agenda import conditional, ical
from agenda.models import Session, SessionRole, Star, Summit
from common import versions
from people.models import Person

# Long enough to serve a whole summit from one rendering, short enough that entries of old
# versions do not linger where the cache does not evict them first.
LIFETIME = 24 * 3600
MISSING = "-"


def version(request) -> int:
    """The programme's version, read once per request."""
    if not hasattr(request, "_programme_version"):
        request._programme_version = versions.current()
    return request._programme_version


def key(request, *parts: object) -> str:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
    return f"programme:{version(request)}:{digest}"


def find_summit(request, slug: str) -> Summit | None:
    """The summit of a URL, from the cache."""
    found = cache.get_or_set(
        key(request, "summit", slug),
        lambda: Summit.objects.filter(slug=slug).first() or MISSING,
        LIFETIME,
    )
    return None if found == MISSING else found


def summit(request, slug: str) -> Summit:
    """The summit of a URL, or 404."""
    found = find_summit(request, slug)
    if found is None:
        raise Http404("No such summit.")
    return found


def current_summit(request) -> Summit | None:
    """The summit under way, else the next one, else the latest one, from the cache."""
    today = timezone.now().date()
    found = cache.get_or_set(
        key(request, "current-summit", today),
        lambda: Summit.objects.current(today) or MISSING,
        LIFETIME,
    )
    return None if found == MISSING else found


def audience(request) -> str | None:
    """Who a shared rendering may be served to: "public" when the user sees exactly the public
    programme (anonymous visitors; attendees who are on no invitation-only session, and not
    on the programme as a person hidden from the public), "staff" for staff, and None
    (render for this user alone) otherwise."""
    user = request.user
    if not user.is_authenticated:
        return "public"
    if user.is_staff:
        return "staff"
    if not hasattr(request, "_programme_audience"):
        person = getattr(user, "person", None)
        private = person is not None and (
            SessionRole.objects.filter(person=person)
            .filter(~Q(session__visibility=Session.Visibility.PUBLIC) | Q(person__is_public=False))
            .exists()
        )
        request._programme_audience = None if private else "public"
    return request._programme_audience


def person(request, slug: str) -> Person:
    """A person the reader may see, or 404; shared like renderings (see `audience`)."""

    def find():
        people = Person.objects.visible_to(request.user).select_related("organisation")
        return people.filter(slug=slug).first() or MISSING

    shared = audience(request)
    own = getattr(request.user, "person", None) if request.user.is_authenticated else None
    found = (
        find()
        if shared is None or (own is not None and own.slug == slug)
        else cache.get_or_set(key(request, shared, "person", slug), find, LIFETIME)
    )
    if not isinstance(found, Person):
        raise Http404("No such person.")
    return found


def rendered(request, parts: tuple, build, *, shareable: bool = True) -> Any:
    """`build()` (strings), shared by everyone of the request's audience under the same
    version, language and `parts`; built for this request alone when no audience fits."""
    shared = audience(request) if shareable else None
    if shared is None:
        return build()
    return cache.get_or_set(
        key(request, shared, translation.get_language(), *parts), build, LIFETIME
    )


STAR = re.compile(r"<!--star:(\d+):(.*?)-->")


def star_marker(session: Session) -> str:
    """Where a shared rendering shows a session's star button; `personalise` fills it in."""
    return f"<!--star:{session.pk}:{escape(session.title)}-->"


class StarForms:
    """The star button of each session for one reader: the per-request parts (CSRF token,
    return path, words) worked out once, each form a few string joins."""

    def __init__(self, request):
        self.token = escape(get_token(request))
        self.next = escape(request.get_full_path())
        placeholder = 987654321
        self.action = reverse("me-star", kwargs={"session_id": placeholder}).split(str(placeholder))
        self.labels = {
            True: self.split(
                gettext('<span class="visually-hidden">Unstar “%(title)s”: </span>Starred')
            ),
            False: self.split(
                gettext('<span class="visually-hidden">Star “%(title)s”: </span>Star')
            ),
        }

    @staticmethod
    def split(label: str) -> list[str]:
        return (label % {"title": "\x00"}).split("\x00")

    def form(self, pk: int, escaped_title: str, starred: bool) -> str:
        before, after = self.labels[starred]
        return "".join(
            [
                f'<form class="star-form" method="post" action="{self.action[0]}{pk}'
                f'{self.action[1]}"><input type="hidden" name="csrfmiddlewaretoken" '
                f'value="{self.token}">\n  <input type="hidden" name="next" value="{self.next}">'
                '\n  <input type="hidden" name="action" value="',
                "unstar" if starred else "star",
                '">\n  <button type="submit" class="star-button" aria-pressed="',
                "true" if starred else "false",
                '">\n    <span aria-hidden="true">',
                "★" if starred else "☆",
                "</span>\n    ",
                before,
                escaped_title,
                after,
                "\n  </button>\n</form>",
            ]
        )


def personalise(request, body: str, starred: set[int]) -> str:
    """The reader's star buttons in place of the markers of a shared rendering, in one pass."""
    if not request.user.is_authenticated:
        return STAR.sub("", body)
    forms = StarForms(request)
    return STAR.sub(
        lambda match: forms.form(int(match[1]), match[2], int(match[1]) in starred), body
    )


def starred_in(request, summit) -> set[int]:
    """The sessions of the summit the reader has starred: one query, none for visitors."""
    if not request.user.is_authenticated:
        return set()
    return set(
        Star.objects.filter(user=request.user, session__summit=summit).values_list(
            "session_id", flat=True
        )
    )


def filter_key(request, filterset_class):
    """The query parameters that change what a filtered page shows, and only those."""
    return tuple(
        (name, tuple(request.GET.getlist(name)))
        for name in sorted(filterset_class.base_filters)
        if name in request.GET
    )


# Where a shared rendering's stylesheets take the request's Content-Security-Policy nonce.
NONCE = "csp-nonce-of-the-request"


def head(tracks, extra_template=None, **context) -> str:
    """The page's own stylesheets (track colours, a grid's layout) for a shared rendering."""
    parts = [render_to_string("_track_styles.html", {"tracks": tracks, "nonce": NONCE})]
    if extra_template:
        parts.append(render_to_string(extra_template, {**context, "nonce": NONCE}))
    return "".join(parts)


def page(request, summit, template, *, parts, build, context=None, shareable=True):
    """The page around a rendering shared by readers who see the same programme: `build()`
    gives (head, body); the reader's nonce and star buttons are put in. Pages of unbounded
    variety (a free-text search) are not `shareable`: each would fill the cache once."""

    reader = request.user.is_authenticated

    def made():
        styles, body = build()
        # Visitors' copy without star markers: no pass over the text on their requests.
        return styles, body if reader else STAR.sub("", body)

    where = (template, summit.pk, request.get_host(), reader, *parts)
    styles, body = rendered(request, where, made, shareable=shareable)
    return render(
        request,
        template,
        {
            "summit": summit,
            **(context or {}),
            # The nonce is made (and so sent in the header) only for a page that uses it.
            "head": mark_safe(
                styles.replace(NONCE, str(request.csp_nonce)) if NONCE in styles else styles
            ),
            "body": mark_safe(
                personalise(request, body, starred_in(request, summit)) if reader else body
            ),
        },
    )


class DeferredZone(tzinfo):
    """The current summit's zone, looked up the first time a time is shown: a request that
    shows none (a static file, the API's root, a bare view) does no query for it."""

    def __init__(self, request):
        self._request = request
        self._zone: zoneinfo.ZoneInfo | None = None

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        if self._zone is None:
            found = current_summit(self._request)
            self._zone = zoneinfo.ZoneInfo(found.time_zone if found else settings.TIME_ZONE)
        return self._zone

    @property
    def key(self) -> str:
        return self.zone.key

    def __str__(self) -> str:
        return self.zone.key

    def utcoffset(self, dt):
        return self.zone.utcoffset(dt)

    def dst(self, dt):
        return self.zone.dst(dt)

    def tzname(self, dt):
        return self.zone.tzname(dt)

    def fromutc(self, dt):
        # The zone's own answer (fold included), carried by the zone itself rather than this
        # stand-in, so the times it makes can be pickled and compared like any other.
        return self.zone.fromutc(dt.replace(tzinfo=self.zone))


def feed(request, parts: tuple, *, stamp, build, until=None, **answer):
    """A public feed or export: `stamp()` gives its (ETag, Last-Modified) from the rows it
    shows, `build()` its body (bytes or a Calendar). Both are kept in the cache: under the
    programme's version the stamp (so a 304 costs one query), under the stamp the body (so a
    change elsewhere in the programme does not rebuild a feed it leaves alone). `until()` is
    the moment the rows shown change with time alone (a cancelled session leaving once over);
    the stamp is worked out again from then on."""
    where = (request.get_host(), request.is_secure(), *parts)
    stamp_key = key(request, "feed", *where)
    stamped = cache.get(stamp_key)
    if stamped is None or (stamped[2] is not None and timezone.now() >= stamped[2]):
        stamped = (*stamp(), until() if until else None)
        cache.set(stamp_key, stamped, LIFETIME)
    etag, last_modified, _ = stamped
    body_key = "feed-body:" + hashlib.sha256(repr((where, etag)).encode()).hexdigest()

    def body() -> bytes:
        built = build()
        return built if isinstance(built, bytes) else ical.to_bytes(built)

    return conditional.respond(
        request,
        version=(etag, last_modified),
        build=lambda: cache.get_or_set(body_key, body, LIFETIME),
        **answer,
    )
