#!/usr/bin/env python3
"""Mirror a summit's programme through the JSON API alone, and keep the copy in sync.

    python scripts/mirror_programme.py https://summit.example.org --out programme.json
    python scripts/mirror_programme.py http://127.0.0.1:8000 --out programme.json --every 60

The first run reads every session; later runs ask only for what changed since the last one
(`updated_since`, cancellations included) and for what was removed (`/api/v1/removals/`).
Uses the standard library only. With --token, the copy holds what that token's user may see.
"""

import argparse
import json
import sys
import time
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

# Re-read a little before the last change seen: applying a change twice is harmless.
OVERLAP = timedelta(seconds=2)


class ProgrammeMirror:
    """A copy of the sessions one caller may see. `fetch(url) -> dict` does the HTTP."""

    def __init__(self, fetch, base_url, state=None):
        self.fetch = fetch
        self.base_url = base_url.rstrip("/")
        state = state or {}
        self.sessions = {int(k): v for k, v in state.get("sessions", {}).items()}
        self.changed_cursor = state.get("changed_cursor")
        self.removed_cursor = state.get("removed_cursor")
        self.transferred = 0

    def state(self):
        return {
            "sessions": {str(k): v for k, v in sorted(self.sessions.items())},
            "changed_cursor": self.changed_cursor,
            "removed_cursor": self.removed_cursor,
        }

    def pages(self, path, params):
        url = f"{self.base_url}{path}?{urllib.parse.urlencode(params)}"
        while url:
            page = self.fetch(url)
            yield from page["results"]
            url = page["next"]

    def sync(self):
        """Bring the copy up to date; returns how many sessions were transferred."""
        self.transferred = 0
        params = {"ordering": "updated_at", "page_size": 200}
        if self.changed_cursor:
            params["updated_since"] = shift(self.changed_cursor)
        for session in self.pages("/api/v1/sessions/", params):
            self.transferred += 1
            held = self.sessions.get(session["id"])
            if held is None or parse(held["updated_at"]) <= parse(session["updated_at"]):
                self.sessions[session["id"]] = session
            self.changed_cursor = later(self.changed_cursor, session["updated_at"])
        params = {"kind": "session", "page_size": 200}
        if self.removed_cursor:
            params["since"] = shift(self.removed_cursor)
        for removal in self.pages("/api/v1/removals/", params):
            held = self.sessions.get(removal["object_id"])
            # A session hidden and later shown again carries a newer updated_at: keep it.
            if held is not None and parse(held["updated_at"]) <= parse(removal["removed_at"]):
                del self.sessions[removal["object_id"]]
            self.removed_cursor = later(self.removed_cursor, removal["removed_at"])
        return self.transferred


def parse(moment):
    return datetime.fromisoformat(moment)


def later(current, candidate):
    return candidate if current is None or parse(candidate) > parse(current) else current


def shift(moment):
    return (parse(moment) - OVERLAP).isoformat()


def http_fetch(token=None):
    def fetch(url):
        request = urllib.request.Request(url, headers={"Accept": "application/json"})
        if token:
            request.add_header("Authorization", f"Token {token}")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    return fetch


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", help="the site, e.g. https://summit.example.org")
    parser.add_argument("--out", type=Path, default=Path("programme.json"))
    parser.add_argument("--token", help="an API token, to mirror what its user may see")
    parser.add_argument("--every", type=int, help="keep syncing, every N seconds")
    args = parser.parse_args(argv)
    state = json.loads(args.out.read_text()) if args.out.exists() else None
    mirror = ProgrammeMirror(http_fetch(args.token), args.base_url, state)
    while True:
        transferred = mirror.sync()
        args.out.write_text(json.dumps(mirror.state(), indent=1, ensure_ascii=False))
        print(f"{len(mirror.sessions)} sessions held, {transferred} transferred", file=sys.stderr)
        if not args.every:
            return 0
        time.sleep(args.every)


if __name__ == "__main__":
    sys.exit(main())
