"""Renderings of the public programme kept in Django's cache (local memory on one machine,
Redis by CACHE_URL) under the programme's version (common.versions): any change moves the
version, so the next request to any worker renders afresh under a new key, and old entries
age out. Nothing personal goes in: pages keep their per-user parts outside the cached part
(see `personalise`), and only what everyone allowed to see the public programme sees is
shared. Renderings, feeds and exports are kept per language (the active one, or `?lang=`);
rows kept as they are (a summit, a person) hold the texts of every language, read in the
reader's when shown."""

from __future__ import annotations

import base64
import functools
import hashlib
import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from agenda import conditional, ical, identity, seats
from agenda.models import Registration, Session, SessionRole, Summit
from common import compression, recent, versions
from people.models import Person

# Long enough to serve a whole summit from one rendering, short enough that entries of old
# versions do not linger where the cache does not evict them first.
LIFETIME = 24 * 3600
MISSING = "-"


def version(request, name: str = versions.PROGRAMME) -> int:
    """The programme's version (or the seats'), both read once per request in one query."""
    if not hasattr(request, "_versions"):
        request._versions = versions.read(versions.PROGRAMME, versions.SEATS)
    return request._versions[name]


def key(request, *parts: object) -> str:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
    return f"programme:{version(request)}:{digest}"


def kept(name: str, build) -> Any:
    return recent.kept(name, build, LIFETIME)


def find_summit(request, slug: str) -> Summit | None:
    """The summit of a URL, from the cache; looked up once per request."""
    memo = request.__dict__.setdefault("_summits", {})
    if slug not in memo:
        found = kept(
            key(request, "summit", slug),
            lambda: Summit.objects.filter(slug=slug).first() or MISSING,
        )
        memo[slug] = None if found == MISSING else found
    return memo[slug]


def summit(request, slug: str) -> Summit:
    """The summit of a URL, or 404."""
    found = find_summit(request, slug)
    if found is None:
        raise Http404("No such summit.")
    return found


def current_summit(request) -> Summit | None:
    """The summit under way, else the next one, else the latest one, from the cache."""
    today = timezone.now().date()
    found = kept(
        key(request, "current-summit", today), lambda: Summit.objects.current(today) or MISSING
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

        def find() -> str:
            # Roles and people move the programme's version: kept under it.
            private = (
                SessionRole.objects.filter(person__user=user)
                .filter(
                    ~Q(session__visibility=Session.Visibility.PUBLIC) | Q(person__is_public=False)
                )
                .exists()
            )
            return "private" if private else "public"

        found = kept(key(request, "audience", user.pk), find)
        request._programme_audience = None if found == "private" else found
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
        else kept(key(request, shared, "person", slug), find)
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
    return kept(key(request, shared, translation.get_language(), *parts), build)


STAR = re.compile(r"<!--star:(\d+):(.*?)-->")
STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)
# Where a shared rendering takes the parts of one request: its CSRF token, its path (where a
# star button returns to) and the page around the shared part.
TOKEN = "csrf-token-of-the-request"
NEXT = "path-of-the-request"
BODY = "<!--body-of-the-page-->"
HEAD = "<!--stylesheets-of-the-page-->"


def star_marker(session: Session) -> str:
    """Where a shared rendering shows a session's star button; `Rendering.of` fills it in."""
    return f"<!--star:{session.pk}:{escape(session.title)}-->"


class StarForms:
    """The star button of each session: the per-request parts (CSRF token, return path;
    placeholders in a shared rendering) and the words worked out once, each form a few
    string joins."""

    def __init__(self, *, token: str = TOKEN, next_path: str = NEXT):
        self.token = token
        self.next = next_path
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


def style_hash(css: str) -> str:
    """The Content-Security-Policy source that allows a `<style>` element with this text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


Form = tuple[bytes, bytes, bytes]  # a star button cut around its CSRF token and return path


@dataclass(frozen=True)
class Rendering:
    """A shared rendering, ready to serve: its stylesheets (allowed by their hashes, the same
    for every reader, rather than by a nonce of each request) and its text as bytes, cut
    around the star buttons, each made beforehand in both states and cut where the reader's
    token and path go."""

    styles: str
    hashes: tuple[str, ...]
    pieces: tuple[bytes, ...]
    buttons: tuple[tuple[int, Form, Form], ...] = ()
    size: int = field(default=0, compare=False)
    # Each piece cut around its seats' markers (texts, sessions), None when it has none.
    cuts: tuple[tuple[tuple[bytes, ...], tuple[int, ...]] | None, ...] = ()

    @functools.cached_property
    def seated(self) -> frozenset[int]:
        """The sessions whose seats the rendering shows."""
        return frozenset(pk for cut in self.cuts if cut is not None for pk in cut[1])

    @functools.cached_property
    def seats_name(self) -> str:
        """A name for that set of sessions."""
        return hashlib.md5(repr(sorted(self.seated)).encode()).hexdigest()

    @staticmethod
    def cut(piece: bytes) -> tuple[tuple[bytes, ...], tuple[int, ...]] | None:
        if SEATS_MARK not in piece:
            return None
        parts = SEATS.split(piece)  # text, pk, text, pk, ..., text
        return tuple(parts[0::2]), tuple(int(pk) for pk in parts[1::2])

    @classmethod
    def of(cls, styles: str, body: str, *, reader: bool) -> Rendering:
        styles = styles.replace(f' nonce="{NONCE}"', "")
        hashes = tuple(style_hash(css) for css in STYLE.findall(styles))
        if not reader:
            text = STAR.sub("", body).encode()
            return cls(styles, hashes, (text,), (), 2 * len(text) + len(styles), (cls.cut(text),))
        cut = STAR.split(body)  # text, pk, title, text, pk, title, ..., text
        forms = StarForms()

        def form(pk: str, title: str, starred: bool) -> Form:
            made = forms.form(int(pk), title, starred)
            before, rest = made.split(TOKEN)
            between, after = rest.split(NEXT)
            return before.encode(), between.encode(), after.encode()

        pieces = tuple(text.encode() for text in cut[0::3])
        buttons = tuple(
            (int(pk), form(pk, title, False), form(pk, title, True))
            for pk, title in zip(cut[1::3], cut[2::3], strict=True)
        )
        size = 2 * sum(map(len, pieces)) + sum(
            len(b"".join(unstarred + starred)) for _pk, unstarred, starred in buttons
        )
        cuts = tuple(cls.cut(piece) for piece in pieces)
        return cls(styles, hashes, pieces, buttons, size + len(styles), cuts)

    @functools.cached_property
    def piece_of(self) -> dict[int, int]:
        """The piece each seated session's marker is in."""
        return {
            pk: index for index, cut in enumerate(self.cuts) if cut is not None for pk in cut[1]
        }

    def text(self, index: int, lines: dict[int, bytes]) -> bytes:
        """Piece `index` with the seats' `lines` in place of its markers."""
        cut = self.cuts[index] if self.cuts else None
        if cut is None:
            return self.pieces[index]
        texts, sessions = cut
        made = [texts[0]]
        for pk, text in zip(sessions, texts[1:], strict=True):
            made += (lines.get(pk, b""), text)
        return b"".join(made)

    def with_lines(self, lines: SeatLines, own: dict[int, bytes]) -> list[bytes]:
        """The pieces with the seats' lines in: those everyone sees put in once for each
        state of the seats (kept with the rendering in this process), the reader's `own`
        in the few pieces they fall in."""
        memo = self.__dict__.get("_with_lines")
        if memo is None or memo[0] != lines.stamp:
            memo = (lines.stamp, [self.text(i, lines.lines) for i in range(len(self.pieces))])
            self.__dict__["_with_lines"] = memo
        pieces = memo[1]
        if own:
            pieces, mixed = list(pieces), {**lines.lines, **own}
            for index in {self.piece_of[pk] for pk in own if pk in self.piece_of}:
                pieces[index] = self.text(index, mixed)
        return pieces

    def body(
        self,
        starred: set[int],
        *,
        token: bytes = b"",
        next_path: bytes = b"",
        pieces: tuple[bytes, ...] | list[bytes] | None = None,
    ) -> bytes:
        """The text with each star button in the reader's state, for their token and path,
        from `pieces` (the rendering's own, or `with_lines`): a join, no pass over the text."""
        pieces = self.pieces if pieces is None else pieces
        made = [pieces[0]]
        for (pk, unstarred, starred_form), piece in zip(self.buttons, pieces[1:], strict=True):
            before, between, after = starred_form if pk in starred else unstarred
            made += (before, token, between, next_path, after, piece)
        return b"".join(made)


def personalise(request, body: bytes) -> bytes:
    """The request's own parts in place of a shared rendering's placeholders."""
    if TOKEN.encode() in body:
        body = body.replace(TOKEN.encode(), get_token(request).encode())
    if NEXT.encode() in body:
        body = body.replace(NEXT.encode(), escape(request.get_full_path()).encode())
    return body


SEATS = re.compile(rb"<!--seats:(\d+)-->")
SEATS_MARK = b"<!--seats:"


def seats_marker(session: Session) -> str:
    """Where a shared rendering shows a session's seats; `seat_lines` fill it in."""
    return f"<!--seats:{session.pk}-->"


def seats_line(state: seats.SeatState | None) -> str:
    """A card's line about seats: the reader's own place first, else the seats left."""
    if state is None or state.over:
        return ""
    if state.status == Registration.Status.CONFIRMED:
        words, kind = gettext("You have a seat"), "seats seats-mine"
    elif state.status == Registration.Status.WAITLISTED:
        words = gettext("Number %(position)d on the waiting list") % {"position": state.position}
        kind = "seats seats-mine"
    elif state.left:
        words = ngettext("%(count)d seat left", "%(count)d seats left", state.left) % {
            "count": state.left
        }
        kind = "seats"
    else:
        words, kind = gettext("Full: waiting list open"), "seats seats-full"
    return f'<p class="{kind}">{escape(words)}</p>'


@dataclass(frozen=True)
class SeatLines:
    """The line about seats of each session of a page, as everyone sees them: `stamp` names
    them, `until` is when the next of them is over (and its line goes)."""

    lines: dict[int, bytes]
    stamp: str
    until: Any
    states: dict[int, seats.SeatState]

    @classmethod
    def of(cls, states: dict[int, seats.SeatState], until) -> SeatLines:
        language = translation.get_language()
        lines = {pk: line_of(state, language) for pk, state in states.items()}
        stamp = hashlib.md5(repr(sorted(lines.items())).encode()).hexdigest()
        return cls(lines, stamp, until, states)


def seat_lines(request, name: str, session_ids) -> tuple[SeatLines, dict[int, bytes]]:
    """The line about seats of each of these sessions (`name` names the set) as everyone sees
    them, and the reader's own (their seat or place in line) where they differ. Seats move
    with every registration, which leaves the programme's version alone: the lines everyone
    sees are kept under the seats' version (one query each time a seat moves, none
    otherwise); a reader's own are read for each request, in one small query."""
    where = key(request, "seats", version(request, versions.SEATS), translation.get_language())
    # Kept until the next of them is over.
    found = recent.kept_until(
        f"{where}:{name}",
        lambda: SeatLines.of(*seats.seat_states(session_ids=session_ids)),
        LIFETIME,
    )
    if not request.user.is_authenticated:
        return found, {}
    language = translation.get_language()
    own = seats.own_seat_states(choices(request), found.states)
    return found, {pk: line_of(state, language) for pk, state in own.items()}


@functools.lru_cache(maxsize=4096)
def line_of(state: seats.SeatState, language: str | None) -> bytes:
    """`seats_line` in `language` (the active one), worked out once per state: a page shows
    hundreds of sessions with seats, most in a few states."""
    return seats_line(state).encode()


@dataclass(frozen=True)
class Whole:
    """A whole page as every visitor gets it: its bytes (with a placeholder for a CSRF token
    when the page has a form) and an ETag worked out once."""

    content: bytes
    etag: str
    personal: bool
    pieces: tuple[bytes, ...] = ()  # the content cut around its seats' markers
    seated: tuple[int, ...] = ()  # the session of each marker, in order
    until: Any = None  # when it changes with time alone (see `recent.kept_until`)
    hashes: tuple[str, ...] = ()  # the policy's sources for its stylesheets

    @property
    def size(self) -> int:
        return len(self.content) + sum(map(len, self.pieces))

    @classmethod
    def of(cls, html: str, *, until=None, hashes: tuple[str, ...] = ()) -> Whole:
        content = html.encode()
        cut = SEATS.split(content) if SEATS_MARK in content else []  # text, pk, ..., text
        return cls(
            content,
            f'"{hashlib.md5(content).hexdigest()}"',
            TOKEN.encode() in content,
            tuple(cut[0::2]),
            tuple(int(pk) for pk in cut[1::2]),
            until,
            hashes,
        )


def choices(request) -> seats.Choices:
    """The reader's stars and registrations, read once per request (one query, none for
    visitors)."""
    if not hasattr(request, "_choices"):
        request._choices = seats.choices_of(request.user)
    return request._choices


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


def whole_response(request, done: Whole) -> HttpResponse:
    """A page kept whole for visitors, with the seats as they stand and the request's token
    put in; its compressed bytes kept while it stays the same."""
    content, etag = done.content, done.etag
    if done.seated:
        # Seats as they stand: visitors see the same seats, so the page joined around them,
        # and its ETag, are kept until a registration moves them.
        lines, _none = seat_lines(request, done.etag, done.seated)

        def join() -> tuple[bytes, str]:
            joined = b"".join(
                piece
                for pk, piece in zip((0, *done.seated), done.pieces, strict=True)
                for piece in (lines.lines.get(pk, b""), piece)
            )
            made = repr((done.etag, lines.stamp)).encode()
            return joined, f'"{hashlib.md5(made).hexdigest()}"'

        content, etag = recent.kept_here(f"seated:{done.etag}:{lines.stamp}", join)
    if done.personal:
        content = personalise(request, content)
        response = HttpResponse(content)
        # The page carries this request's token: an ETag of its own.
        response["ETag"] = f'"{hashlib.md5(content).hexdigest()}"'
    else:
        response = HttpResponse(content)
        response["ETag"] = etag
        compression.precompressed(response, etag, content)
    return response


def visitors_page(request, summit: Summit, build) -> HttpResponse:
    """A page every visitor gets alike, kept whole under the programme's and the seats'
    versions: `build()` gives its text and the moment it changes with time alone (or None).
    Asked with a query, or with messages to show, it is made for the request alone."""
    if request.GET or len(messages.get_messages(request)):
        return HttpResponse(build()[0])
    where = key(
        request,
        "visitors",
        version(request, versions.SEATS),
        translation.get_language(),
        request.get_host(),
        request.is_secure(),
        request.path,
    )

    def make() -> Whole:
        html, until = build()
        # Its stylesheets are allowed by their hashes, the same for every visitor, rather
        # than by the nonce of the request that made it.
        html = html.replace(f' nonce="{request.csp_nonce}"', "")
        hashes = tuple(style_hash(css) for css in STYLE.findall(html))
        return Whole.of(html, until=until, hashes=hashes)

    done = recent.kept_until(where, make, LIFETIME)
    return finish(request, whole_response(request, done), summit, done.hashes)


def finish(request, response: HttpResponse, summit: Summit, hashes) -> HttpResponse:
    """A page's answer, or a 304 answered here rather than by ConditionalGetMiddleware so
    that it carries the same policy (a browser keeps the headers of a 304 with the page it
    had): the summit's colours, which a page served whole did not render this time, and its
    stylesheets' hashes."""
    etag = response["ETag"]
    response = get_conditional_response(request, etag=etag, response=response) or response
    identity.allow_style(request, summit.theme_css)
    if hashes:
        # Read by summit.middleware, which writes the policy.
        response._csp_update = {"style-src": list(hashes)}  # type: ignore[attr-defined]
    return response


def page(request, summit, template, *, parts, build, context=None, shareable=True, params=()):
    """The page around a rendering shared by readers who see the same programme: `build()`
    gives (head, body). Visitors get the whole page from the cache when the query holds
    only the page's own `params`; readers get the page around the shared part with their
    star buttons and token put in. Pages of unbounded variety (a free-text search) are not
    `shareable`: each would fill the cache once."""

    reader = request.user.is_authenticated
    where = (template, summit.pk, request.get_host(), request.is_secure(), reader, *parts)
    shared = rendered(
        request, where, lambda: Rendering.of(*build(), reader=reader), shareable=shareable
    )
    context = {"summit": summit, **(context or {}), "head": mark_safe(shared.styles)}
    whole = (
        not reader
        and shareable
        and set(request.GET) <= set(params)
        and not len(messages.get_messages(request))
    )
    if whole:
        done = kept(
            key(request, "page", translation.get_language(), request.get_full_path(), *where),
            lambda: Whole.of(
                render_to_string(
                    template,
                    {
                        **context,
                        "body": mark_safe(shared.body(set()).decode()),
                        "csrf_token": TOKEN,
                    },
                    request=request,
                )
            ),
        )
        response = whole_response(request, done)
    else:
        # The page around, with a placeholder for the token of its forms (a logout button):
        # the same for the same reader, page and programme, so that its ETag is too.
        # The shared part's stylesheets (a grid's can weigh a megabyte) go in last: the rest
        # is what the ETag is worked out from.
        def make_around() -> str:
            return render_to_string(
                template,
                {**context, "head": mark_safe(HEAD), "body": mark_safe(BODY), "csrf_token": TOKEN},
                request=request,
            )

        # The same for every reader of the page but staff (a link more) under the same
        # programme: kept in this process, unless it shows messages of the request's own.
        around = (
            make_around()
            if len(messages.get_messages(request))
            else recent.kept_here(
                key(
                    request,
                    "around",
                    translation.get_language(),
                    request.get_full_path(),
                    request.user.is_staff,
                    sorted((k, repr(v)) for k, v in context.items() if k not in ("summit", "head")),
                    *where,
                ),
                make_around,
            )
        )
        starred = choices(request).starred
        # Worked out from what makes the page rather than from its megabytes.
        made = repr((version(request), where, sorted(starred), around)).encode()
        lines, own = (
            seat_lines(request, shared.seats_name, shared.seated) if shared.seated else (None, {})
        )
        seated = (lines.stamp, sorted(own.items())) if lines else None
        etag = f'"{hashlib.md5(repr((made, seated)).encode()).hexdigest()}"'
        # A reader's page comes back as they move between pages: its compressed bytes are
        # kept for their address and CSRF secret, with the token of the first answer (any
        # token of the secret is valid). Another address is another copy with a token of its
        # own, so text the address puts in a page never shares a compressed stream with one
        # token twice (BREACH).
        masked = reader or TOKEN in around
        if masked and "CSRF_COOKIE" not in request.META:
            get_token(request)  # a first visit: the CSRF secret and its cookie made
        secret = request.META.get("CSRF_COOKIE")
        mine = repr((etag, request.get_full_path(), secret)).encode()
        name = hashlib.sha256(mine).hexdigest() if reader and secret else None
        # Neither a 304 nor an answer whose compressed bytes are kept makes the page.
        probe = HttpResponse()
        probe["ETag"] = etag
        response = get_conditional_response(request, etag=etag, response=probe)
        if response is probe:
            response = (name and compression.kept_answer(request, name, etag)) or None
        if response is None:
            # A token is masked only for a page made: masking one cost a tenth of a page
            # whose bytes were kept.
            token = escape(get_token(request)) if masked else ""
            before, after = around.replace(TOKEN, token).split(BODY)
            before = before.replace(HEAD, shared.styles, 1)
            pieces = shared.with_lines(lines, own) if lines else shared.pieces
            body = (
                shared.body(
                    starred,
                    token=token.encode(),
                    next_path=escape(request.get_full_path()).encode(),
                    pieces=pieces,
                )
                if reader
                else shared.body(starred, pieces=pieces)
            )
            content = b"".join((before.encode(), body, after.encode()))
            response = HttpResponse(content)
            response["ETag"] = etag
            if name:
                compression.precompressed(response, name, content)
    return finish(request, response, summit, shared.hashes)


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


class Stamp(NamedTuple):
    """A feed's ETag and Last-Modified, and when the rows it shows change with time alone."""

    etag: str
    last_modified: Any
    until: Any


def feed(request, parts: tuple, *, stamp, build, until=None, **answer):
    """A public feed or export: `stamp()` gives its (ETag, Last-Modified) from the rows it
    shows, `build()` its body (bytes or a Calendar). Both are kept in the cache: under the
    programme's version the stamp (so a 304 costs one query), under the stamp the body (so a
    change elsewhere in the programme does not rebuild a feed it leaves alone). `until()` is
    the moment the rows shown change with time alone (a cancelled session leaving once over);
    the stamp is worked out again from then on."""
    where = (request.get_host(), request.is_secure(), *parts)

    def stamped() -> Stamp:
        etag, last_modified = stamp()
        return Stamp(etag, last_modified, until() if until else None)

    etag, last_modified, _until = recent.kept_until(
        key(request, "feed-stamp", *where), stamped, LIFETIME
    )
    body_key = "feed-body:" + hashlib.sha256(repr((where, etag)).encode()).hexdigest()

    def body() -> bytes:
        built = build()
        return built if isinstance(built, bytes) else ical.to_bytes(built)

    response = conditional.respond(
        request, version=(etag, last_modified), build=lambda: kept(body_key, body), **answer
    )
    if response.status_code == 200 and request.method == "GET":
        compression.precompressed(response, body_key, response.content)
    return response


# Bump when what a card or grid cell shows changes other than through its template.
CARD_FORMAT = 2


@dataclass(eq=False)
class SessionRow:
    """A session as a list or a grid places it, from its plain row (`ical.session_rows`),
    with its card and grid cell kept in the cache under that row: after a change only the
    sessions it touched are read whole and rendered again."""

    pk: int
    start: Any
    end: Any
    room_id: int | None
    track_id: int | None
    card: str = ""
    cell: str = ""
    is_meeting = False


def template_source(name: str) -> str:
    """A template's own text, for keys: a deployment that changes it makes new fragments."""
    found = _sources.get(name)
    if found is None:
        found = _sources[name] = get_template(name).template.source  # type: ignore[attr-defined]
    return found


_sources: dict[str, str] = {}


def tracks_of(summit: Summit, shown) -> list:
    """The tracks of the sessions shown, each once: the colours their page needs."""
    wanted = {item.track_id for item in shown if not item.is_meeting}
    return [track for track in summit.tracks.order_by("pk") if track.pk in wanted]


def placed(request, sessions, *, viewer, templates: dict[str, str]) -> list[SessionRow]:
    """The sessions of `sessions` (a query), each with its fragments (`templates`: the
    attribute to fill, then the template rendering one session), as `viewer` sees them."""
    found = ical.session_rows(sessions, viewer)
    columns, _roles = ical.session_columns()
    at = {name: columns.index(name) for name in ("end", "room_id", "track_id")}
    where = (
        CARD_FORMAT,
        translation.get_language(),
        str(timezone.get_current_timezone()),
        request.get_host(),
        {
            name: hashlib.sha256(template_source(t).encode()).hexdigest()
            for name, t in templates.items()
        },
    )
    keys = {
        pk: "card:" + hashlib.sha256(repr((where, made_of)).encode()).hexdigest()
        for pk, _start, made_of in found
    }
    kept = ical.fragments().get_many(list(keys.values()))
    missing = [pk for pk, name in keys.items() if name not in kept]
    if missing:
        whole = Session.objects.filter(pk__in=missing).with_people(viewer)
        made = {
            keys[session.pk]: {
                attribute: render_to_string(template, {"session": session}, request=request)
                for attribute, template in templates.items()
            }
            for session in whole
        }
        ical.fragments().set_many(made, ical.FRAGMENT_LIFETIME)
        kept.update(made)
    result = []
    for pk, start, made_of in found:
        row: tuple[Any, ...] = made_of[0]  # type: ignore[assignment]
        fragments = kept[keys[pk]]
        result.append(
            SessionRow(
                pk,
                start,
                row[at["end"]],
                row[at["room_id"]],
                row[at["track_id"]],
                **{name: mark_safe(html) for name, html in fragments.items()},
            )
        )
    return result
