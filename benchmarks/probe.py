"""The measured URLs of a generated summit, each timed alone: `python -m benchmarks.probe`.

Run by benchmarks.load against the database the bench servers read (DATABASE_URL) and with
their settings, it picks what to measure (a track, the busiest public person, a session with
three people, an attendee with 30 agenda items and a fresh feed link, a login for them), then
for each URL:

- first: one request right after a change, the first since the server started (each worker's
  own caches empty, unless shared in Redis): the worst case;
- cold: the median of three requests, each right after a change of its own (a session of the
  programme saved), once the URL has been served before: what a running site sees after each
  edit (one request alone moved by a third between runs on a shared machine);
- warm: the median of five requests after it (warm = after one request; with two workers
  each may need its own first request, hence the median);
- queries: the database queries of one warm request, counted here, in-process, by running the
  same view through the same middleware. Nothing is added to the served answers, so no
  query-counting header can be left on in production.

Prints one JSON line for the load runner.
"""

import http.client
import json
import os
import statistics
import threading
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

import django

WARM_REQUESTS = 5
COLD_REQUESTS = 3
# Rounds of requests made at once, one for each worker: a sync worker busy with one cannot
# take the other, so each worker answers (and keeps its own copies, with a cache in local
# memory) before the cold request, whichever worker takes it. Sequential requests could all
# go to one worker, and a cold request to the other would be a first one.
WARM_UP = 3
WORKERS = 2


@dataclass
class Target:
    name: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    server: str = "main"  # or "bare": the gunicorn serving the bare view with no middleware
    after_change: bool = True  # timed cold after a change; never for 304s and the bare view
    status: int = 0
    bytes: int = 0
    queries: int | None = None
    first_ms: float | None = None
    cold_ms: float | None = None
    warm_ms: float = 0.0


def fetch(base: str, target: Target) -> tuple[int, bytes, float, dict[str, str]]:
    """One GET on a fresh connection (gunicorn's sync workers close each one anyway)."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=600)
    began = time.perf_counter()
    connection.request("GET", target.path, headers=target.headers)
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - began) * 1000
    connection.close()
    return response.status, body, elapsed, dict(response.getheaders())


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from agenda.models import FeedToken, Session, Summit
    from people.models import Person

    servers = {"main": os.environ["BENCH_SERVER"], "bare": os.environ["BENCH_BARE_SERVER"]}
    summit = Summit.objects.get(slug=os.environ["BENCH_SUMMIT"])
    slug = summit.slug
    public = Session.objects.filter(summit=summit, visibility=Session.Visibility.PUBLIC)
    session = (
        public.scheduled()
        .annotate(taking_part=Count("roles"))
        .filter(taking_part=3)
        .order_by("start")
        .first()
    )
    track = summit.tracks.order_by("slug").first()
    person = (
        Person.objects.filter(is_public=True, sessions__in=public)
        .annotate(appearances=Count("sessions"))
        .order_by("-appearances", "slug")
        .first()
    )
    attendee = get_user_model().objects.get(username=f"{slug}-attendee-0001")
    _token, secret = FeedToken.issue(user=attendee, label="bench")
    visitor, member = Client(SERVER_NAME="127.0.0.1"), Client(SERVER_NAME="127.0.0.1")
    member.force_login(attendee)
    day = summit.start_date.isoformat()
    programme = reverse("agenda:programme", args=[slug])
    # A browser sends back the CSRF cookie its first page set (a reader's compressed pages are
    # kept for it): a reader who never got one pays for a page made and compressed each time.
    member.get(programme)
    cookie = {
        "Cookie": "; ".join(
            f"{name}={member.cookies[name].value}"
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
        )
    }
    grid = f"{reverse('agenda:grid', args=[slug])}?day={day}"
    programme_feed = reverse("programme-feed", args=[slug])
    targets = [
        Target("programme page", programme),
        Target("timetable grid, one day", grid),
        Target("programme.ics", programme_feed),
        Target("track feed", reverse("track-feed", args=[slug, track.slug])),
        Target("person feed", reverse("person-feed", args=[slug, person.slug])),
        Target("schedule.json (frab)", reverse("schedule-json", args=[slug])),
        Target("schedule.xml (frab)", reverse("schedule-xml", args=[slug])),
        Target("session page", reverse("agenda:session", args=[slug, session.slug])),
        Target("session .ics", reverse("session-feed", args=[slug, session.slug])),
        Target("personal feed, 30 items", reverse("personal-feed", args=[secret])),
        Target("API sessions, first page", reverse("session-list")),
        Target("programme page, logged in", programme, cookie),
        Target("timetable grid, logged in", grid, cookie),
        # After every change: the ETag read here must still be current when it is loaded.
        Target("programme.ics, 304", programme_feed, after_change=False),
        Target("bare view, Summit's middleware", "/_bench/bare/", after_change=False),
        Target("bare view, no middleware", "/_bench/bare/", server="bare", after_change=False),
    ]
    # What the clients ask for: nothing (every answer whole), or what browsers and calendar
    # apps send ("gzip, deflate, br"), to measure the compressed copies they get.
    encoding = os.environ.get("BENCH_ACCEPT_ENCODING")
    if encoding:
        for target in targets:
            target.headers["Accept-Encoding"] = encoding
    for target in targets:
        if target.name == "programme.ics, 304":
            asked = Target("", programme_feed, dict(target.headers))
            _status, _body, _ms, headers = fetch(servers["main"], asked)
            target.headers["If-None-Match"] = headers["ETag"]
        base = servers[target.server]
        if target.after_change:
            # First: the URL's first rendering since the last change, by a worker that may
            # never have rendered it (empty caches of its own: every card and event made).
            change(session)
            target.status, _body, target.first_ms, _headers = fetch(base, target)
            # Cold: right after a change on a site that has served the URL before (what a
            # running site sees): both workers warmed first.
            for _ in range(WARM_UP):
                together = [
                    threading.Thread(target=fetch, args=(base, target)) for _ in range(WORKERS)
                ]
                for thread in together:
                    thread.start()
                for thread in together:
                    thread.join()
            colds = []
            for _ in range(COLD_REQUESTS):
                change(session)
                target.status, _body, elapsed, _headers = fetch(base, target)
                colds.append(elapsed)
            target.cold_ms = statistics.median(colds)
        timings = []
        for _ in range(WARM_REQUESTS):
            target.status, body, elapsed, _headers = fetch(base, target)
            timings.append(elapsed)
        target.warm_ms = statistics.median(timings)
        target.bytes = len(body)
        if target.server == "main":
            client = member if "Cookie" in target.headers else visitor
            extra = {
                f"HTTP_{name.upper().replace('-', '_')}": value
                for name, value in target.headers.items()
                if name != "Cookie"
            }
            client.get(target.path, **extra)
            with CaptureQueriesContext(connection) as queries:
                answer = client.get(target.path, **extra)
            assert answer.status_code == target.status, (target.path, answer.status_code)
            target.queries = len(queries)
    print(json.dumps([asdict(target) for target in targets]))


def change(session) -> None:
    """What a programme editor does: save a session, so that its updated_at moves on."""
    session.abstract = f"{session.abstract.split(' [')[0]} [revised {time.time_ns()}]"
    session.save()


if __name__ == "__main__":
    main()
