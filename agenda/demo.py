"""Load the demo summit, the AI Action Summit (Paris, 2025), from a TOML data file.

Rows are matched by natural keys (slugs, titles, usernames) and saved only when a field
differs, so loading twice changes nothing: `updated_at` and `sequence`, and with them every
calendar feed, stay still. Sessions and meetings pass the same scheduling rules as the admin
before they are saved, and everything happens in one transaction: bad data loads nothing.

The summit can be placed on other dates than its real ones (`start`): every date and time
moves by the same whole number of weeks, so each session keeps its weekday and its local
time, summer time or not. Loading again with the same start changes nothing.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation

from agenda import identity
from agenda.models import KeyPerson, Room, Session, SessionRole, Summit, Track, TravelTime, Venue
from agenda.scheduling import check_session, enforce
from meetings.models import Meeting, MeetingParticipant
from meetings.scheduling import check_meeting
from people.models import Delegation, Organisation, Person

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "ai-action-summit-2025.toml"

# The French texts of a data file `x.toml` are in `x.fr.toml` beside it, keyed like the
# entries they translate (a room by "venue/slug", a meeting by its English title).
FRENCH = {
    "summit": {"name", "tagline", "description"},
    "venues": {"name", "description"},
    "rooms": {"name"},
    "tracks": {"name", "description"},
    "organisations": {"name"},
    "people": {"position", "bio"},
    "sessions": {"title", "abstract"},
    "meetings": {"title"},
}


def french_path(path: Path) -> Path:
    path = Path(path)
    return path.with_name(f"{path.name.removesuffix('.toml')}.fr.toml")


# Keys each entry of a section must have, and those it may have; anything else is a typo.
SECTIONS = {
    "about": ({"source", "illustrative"}, set()),
    "summit": (
        {"name", "slug", "start_date", "end_date", "time_zone"},
        {
            "city",
            "tagline",
            "description",
            "key_people",
            "logo",
            "hero_image",
            "primary_colour",
            "accent_colour",
        },
    ),
    "venues": ({"slug", "name"}, {"address", "latitude", "longitude", "description"}),
    "travel_times": ({"origin", "destination", "minutes"}, set()),
    "rooms": ({"venue", "slug", "name"}, {"capacity"}),
    "tracks": ({"slug", "name", "colour"}, {"description"}),
    "organisations": ({"slug", "name", "kind"}, {"country", "website"}),
    "users": (
        {"username", "password", "role"},
        {"email", "first_name", "last_name", "is_staff", "is_superuser"},
    ),
    "people": (
        {"slug", "name"},
        {"position", "organisation", "country", "bio", "is_public", "user"},
    ),
    "delegations": ({"slug", "name"}, {"organisation", "head", "members"}),
    "sessions": (
        {"slug", "title", "kind", "start", "end"},
        {
            "abstract",
            "venue",
            "room",
            "track",
            "status",
            "visibility",
            "capacity",
            "people",
        },
    ),
    "session_people": ({"person", "role"}, set()),
    "meetings": (
        {"title", "status", "window_start", "window_end", "duration_minutes"},
        {
            "purpose",
            "start",
            "end",
            "venue",
            "room",
            "confidentiality",
            "requested_by",
            "respond_by",
            "participants",
        },
    ),
    "participants": ({"person"}, {"side", "principal", "response"}),
}


class InvalidDemoData(ValueError):
    """The data file is malformed or breaks a scheduling rule; nothing was loaded."""


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    role: str


@dataclass
class Summary:
    summit: Summit | None = None
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    logins: list[Login] = field(default_factory=list)

    def record(self, model, created, changed):
        counter = self.created if created else self.updated if changed else self.unchanged
        counter[model.__name__] += 1

    @property
    def models(self):
        return sorted({*self.created, *self.updated, *self.unchanged})


def load_demo(path=DEFAULT_PATH, *, start: date | None = None) -> Summary:
    """Create or bring up to date the summit described in the data file at `path`, moved
    by whole weeks to begin on the day nearest `start` that shares its weekday."""
    data = read(path)
    french = read(french_path(path)) if french_path(path).exists() else {}
    # The data file is English: its texts go to the English columns whatever the language.
    with transaction.atomic(), translation.override("en"):
        return DemoLoader(data, start=start, french=french, folder=Path(path).parent).load()


def whole_weeks(*, planned: date, wanted: date) -> timedelta:
    """The whole number of weeks that brings `planned` nearest to `wanted`."""
    return timedelta(weeks=round((wanted - planned).days / 7))


def read(path):
    try:
        with open(path, "rb") as file:
            return tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise InvalidDemoData(f"{path}: {error}") from error


# --- matching rows -----------------------------------------------------------------------


def upsert(model, lookup: dict, values: dict, *, on_create=None, check=None):
    """Create the row if missing, else set only the fields that differ; save only then.

    Returns (obj, created, changed). `on_create` holds values set on creation only (a
    password hash is salted afresh each time). `check(obj)` sees the object as it would be
    saved, before it is, even when nothing differs.
    """
    obj = model.objects.filter(**lookup).first()
    created = obj is None
    if created:
        obj = model(**lookup, **values, **(on_create or {}))
        changed = True
    else:
        differing = {name: value for name, value in values.items() if differs(obj, name, value)}
        for name, value in differing.items():
            setattr(obj, name, value)
        changed = bool(differing)
    if check is not None:
        check(obj)
    if changed:
        try:
            obj.full_clean()
        except ValidationError as error:
            where = " / ".join(str(value) for value in lookup.values())
            raise InvalidDemoData(
                f"{model._meta.verbose_name} {where}: {'; '.join(error.messages)}"
            ) from error
        obj.save()
    return obj, created, changed and not created


def differs(obj, name, value):
    model_field = obj._meta.get_field(name)
    if model_field.many_to_one or model_field.one_to_one:
        # Compare ids, not related objects, so unchanged rows cost no extra query.
        return getattr(obj, model_field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


# --- reading entries ---------------------------------------------------------------------


def entries(data, section, key):
    """The entries of a section, each checked for its keys, with unique natural keys."""
    found = data.get(section, [])
    if not isinstance(found, list):
        raise InvalidDemoData(f"[[{section}]] must be a list of tables.")
    keys = (key,) if isinstance(key, str) else key
    seen = set()
    for index, entry in enumerate(found):
        label = (
            "/".join(str(entry.get(name, "?")) for name in keys) if isinstance(entry, dict) else ""
        )
        where = f"{section} #{index + 1} {label!r}"
        checked(entry, section, where)
        natural = tuple(entry[name] for name in keys)
        if natural in seen:
            raise InvalidDemoData(f"{where}: listed twice.")
        seen.add(natural)
    return found


def checked(entry, section, where):
    required, optional = SECTIONS[section]
    if not isinstance(entry, dict):
        raise InvalidDemoData(f"{where}: expected a table, found {entry!r}.")
    missing = sorted(required - entry.keys())
    unknown = sorted(entry.keys() - required - optional)
    if missing:
        raise InvalidDemoData(f"{where}: missing {', '.join(missing)}.")
    if unknown:
        raise InvalidDemoData(f"{where}: unknown key {', '.join(unknown)}.")
    return entry


def resolve(table, key, where, what):
    if key is None:
        return None
    try:
        return table[key]
    except KeyError:
        raise InvalidDemoData(f"{where}: no {what} {key!r} in the data file.") from None


def as_date(value, where):
    if isinstance(value, str):
        with suppress(ValueError):
            value = date.fromisoformat(value)
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidDemoData(f"{where}: {value!r} is not a date such as 2025-02-10.")
    return value


def local_time(value, zone, where):
    """A wall-clock time in the summit's zone, written like 2025-02-10T09:30."""
    if isinstance(value, str):
        with suppress(ValueError):
            value = datetime.fromisoformat(value)
    if not isinstance(value, datetime) or value.tzinfo is not None:
        raise InvalidDemoData(
            f"{where}: {value!r} is not a local date and time such as 2025-02-10T09:30."
        )
    return value.replace(tzinfo=zone)


def coordinate(value):
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.000001"))


# --- the loader --------------------------------------------------------------------------


class DemoLoader:
    def __init__(self, data, *, start=None, french=None, folder=DEFAULT_PATH.parent):
        self.data = data
        self.folder = folder
        self.french = french or {}
        self.start = start
        # Set from the summit's own dates once they are read.
        self.shift = timedelta(0)
        self.summary = Summary()
        self.venues, self.rooms, self.tracks = {}, {}, {}
        self.organisations, self.users, self.people = {}, {}, {}

    def load(self):
        if "about" in self.data:
            checked(self.data["about"], "about", "[about]")
        self.load_summit()
        self.load_venues()
        self.load_organisations()
        self.load_users()
        self.load_people()
        self.load_key_people()
        self.load_delegations()
        self.load_sessions()
        self.load_meetings()
        self.load_french()
        return self.summary

    def upsert(self, model, lookup, values, **options):
        obj, created, changed = upsert(model, lookup, values, **options)
        self.summary.record(model, created, changed)
        return obj

    def refuse_blocking(self, conflicts, where):
        """Refuse blocking conflicts; keep the warnings for the summary."""
        try:
            warnings = enforce(conflicts, accept_warnings=True)
        except ValidationError as error:
            raise InvalidDemoData(f"{where}: {' '.join(error.messages)}") from error
        self.summary.warnings += [f"{where}: {warning.message}" for warning in warnings]

    def local_time(self, value, where):
        """A wall-clock time of the data file, moved with the summit; aware datetimes add
        in wall-clock time, so 09:30 stays 09:30 in the summit's zone."""
        return local_time(value, self.summit.tz, where) + self.shift

    def load_summit(self):
        entry = checked(self.data.get("summit"), "summit", "[summit]")
        start_date = as_date(entry["start_date"], "summit start_date")
        if self.start is not None:
            self.shift = whole_weeks(planned=start_date, wanted=self.start)
        self.summit = self.upsert(
            Summit,
            {"slug": entry["slug"]},
            {
                "name": entry["name"],
                "city": entry.get("city", ""),
                "start_date": start_date + self.shift,
                "end_date": as_date(entry["end_date"], "summit end_date") + self.shift,
                "time_zone": entry["time_zone"],
                "tagline": entry.get("tagline", ""),
                "description": entry.get("description", ""),
                "primary_colour": entry.get("primary_colour", identity.DEFAULT_PRIMARY),
                "accent_colour": entry.get("accent_colour", identity.DEFAULT_ACCENT),
            },
        )
        self.summary.summit = self.summit
        self.load_images(entry)

    def load_images(self, entry):
        """The summit's logo and hero image, files beside the data file: stored once, and
        again only when the stored copy is gone."""
        for name_of_field in ("logo", "hero_image"):
            name = entry.get(name_of_field)
            stored = getattr(self.summit, name_of_field)
            if not name or (stored and stored.storage.exists(stored.name)):
                continue
            source = self.folder / name
            if not source.is_file():
                raise InvalidDemoData(f"[summit] {name_of_field}: no file {source}.")
            getattr(self.summit, name_of_field).save(name, ContentFile(source.read_bytes()))

    def load_venues(self):
        for entry in entries(self.data, "venues", "slug"):
            self.venues[entry["slug"]] = self.upsert(
                Venue,
                {"summit": self.summit, "slug": entry["slug"]},
                {
                    "name": entry["name"],
                    "address": entry.get("address", ""),
                    "latitude": coordinate(entry.get("latitude")),
                    "longitude": coordinate(entry.get("longitude")),
                    "description": entry.get("description", ""),
                },
            )
        for entry in entries(self.data, "travel_times", ("origin", "destination")):
            where = f"travel time {entry['origin']} → {entry['destination']}"
            self.upsert(
                TravelTime,
                {
                    "origin": resolve(self.venues, entry["origin"], where, "venue"),
                    "destination": resolve(self.venues, entry["destination"], where, "venue"),
                },
                {"minutes": entry["minutes"]},
            )
        positions = Counter()
        for entry in entries(self.data, "rooms", ("venue", "slug")):
            venue = resolve(self.venues, entry["venue"], f"room {entry['slug']!r}", "venue")
            self.rooms[entry["venue"], entry["slug"]] = self.upsert(
                Room,
                {"venue": venue, "slug": entry["slug"]},
                {
                    "name": entry["name"],
                    "capacity": entry.get("capacity"),
                    "position": positions[venue.slug],
                },
            )
            positions[venue.slug] += 1
        for entry in entries(self.data, "tracks", "slug"):
            self.tracks[entry["slug"]] = self.upsert(
                Track,
                {"summit": self.summit, "slug": entry["slug"]},
                {
                    "name": entry["name"],
                    "colour": entry["colour"],
                    "description": entry.get("description", ""),
                },
            )

    def room(self, entry, where):
        if entry.get("room") is None:
            return None
        if entry.get("venue") is None:
            raise InvalidDemoData(f"{where}: a room needs its venue.")
        return resolve(self.rooms, (entry["venue"], entry["room"]), where, "room")

    def load_organisations(self):
        for entry in entries(self.data, "organisations", "slug"):
            self.organisations[entry["slug"]] = self.upsert(
                Organisation,
                {"slug": entry["slug"]},
                {
                    "name": entry["name"],
                    "kind": entry["kind"],
                    "country": entry.get("country", ""),
                    "website": entry.get("website", ""),
                },
            )

    def load_users(self):
        for entry in entries(self.data, "users", "username"):
            self.users[entry["username"]] = self.upsert(
                get_user_model(),
                {"username": entry["username"]},
                {
                    "email": entry.get("email", ""),
                    "first_name": entry.get("first_name", ""),
                    "last_name": entry.get("last_name", ""),
                    "is_staff": entry.get("is_staff", False),
                    "is_superuser": entry.get("is_superuser", False),
                },
                on_create={"password": make_password(entry["password"])},
            )
            self.summary.logins.append(Login(entry["username"], entry["password"], entry["role"]))

    def load_people(self):
        for entry in entries(self.data, "people", "slug"):
            where = f"person {entry['slug']!r}"
            values = {
                "name": entry["name"],
                "position": entry.get("position", ""),
                "organisation": resolve(
                    self.organisations, entry.get("organisation"), where, "organisation"
                ),
                "country": entry.get("country", ""),
                "bio": entry.get("bio", ""),
                "is_public": entry.get("is_public", True),
            }
            # Only a login named here is linked; one linked by staff in the admin stays.
            if "user" in entry:
                values["user"] = resolve(self.users, entry["user"], where, "user")
            self.people[entry["slug"]] = self.upsert(Person, {"slug": entry["slug"]}, values)

    def load_key_people(self):
        """The people the home page puts forward, in the order given; others staff added in
        the admin stay, after them."""
        summit = self.summary.summit
        for position, slug in enumerate(self.data["summit"].get("key_people", [])):
            person = resolve(self.people, slug, "[summit] key_people", "person")
            self.upsert(KeyPerson, {"summit": summit, "person": person}, {"position": position})

    def load_delegations(self):
        for entry in entries(self.data, "delegations", "slug"):
            where = f"delegation {entry['slug']!r}"
            delegation, created, changed = upsert(
                Delegation,
                {"slug": entry["slug"]},
                {
                    "name": entry["name"],
                    "organisation": resolve(
                        self.organisations, entry.get("organisation"), where, "organisation"
                    ),
                    "head": resolve(self.people, entry.get("head"), where, "person"),
                },
            )
            wanted = {
                resolve(self.people, slug, where, "person").pk for slug in entry.get("members", [])
            }
            current = set(delegation.members.values_list("pk", flat=True))
            if wanted != current:
                delegation.members.add(*(wanted - current))
                delegation.members.remove(*(current - wanted))
                changed = not created
            self.summary.record(Delegation, created, changed)

    def load_sessions(self):
        for entry in entries(self.data, "sessions", "slug"):
            where = f"Session {entry['slug']!r}"
            roles = [
                checked(role, "session_people", f"{where}, person {index + 1}")
                for index, role in enumerate(entry.get("people", []))
            ]
            people = [resolve(self.people, role["person"], where, "person") for role in roles]
            session = self.upsert(
                Session,
                {"summit": self.summit, "slug": entry["slug"]},
                {
                    "title": entry["title"],
                    "kind": entry["kind"],
                    "abstract": entry.get("abstract", ""),
                    "start": self.local_time(entry["start"], f"{where} start"),
                    "end": self.local_time(entry["end"], f"{where} end"),
                    "room": self.room(entry, where),
                    "track": resolve(self.tracks, entry.get("track"), where, "track"),
                    "status": entry.get("status", Session.Status.SCHEDULED),
                    "visibility": entry.get("visibility", Session.Visibility.PUBLIC),
                    "capacity": entry.get("capacity"),
                },
                check=lambda session, people=people, where=where: self.refuse_blocking(
                    check_session(session=session, people=list(dict.fromkeys(people))), where
                ),
            )
            for position, (role, person) in enumerate(zip(roles, people, strict=True)):
                self.upsert(
                    SessionRole,
                    {"session": session, "person": person, "role": role["role"]},
                    {"position": position},
                )

    def load_meetings(self):
        for entry in entries(self.data, "meetings", "title"):
            where = f"Meeting {entry['title']!r}"
            participants = [
                checked(participant, "participants", f"{where}, participant {index + 1}")
                for index, participant in enumerate(entry.get("participants", []))
            ]
            people = [resolve(self.people, p["person"], where, "person") for p in participants]
            responses = [
                p.get("response", MeetingParticipant.Response.PENDING) for p in participants
            ]
            attending = [
                person
                for person, response in zip(people, responses, strict=True)
                if response != MeetingParticipant.Response.DECLINED
            ]
            window_start = self.local_time(entry["window_start"], f"{where} window_start")
            window_end = self.local_time(entry["window_end"], f"{where} window_end")
            start, end, respond_by = (
                self.local_time(entry[key], f"{where} {key}") if key in entry else None
                for key in ("start", "end", "respond_by")
            )
            if start and end and not (window_start <= start and end <= window_end):
                raise InvalidDemoData(f"{where}: the time falls outside the requested window.")
            meeting = self.upsert(
                Meeting,
                {"summit": self.summit, "title": entry["title"]},
                {
                    "purpose": entry.get("purpose", ""),
                    "status": entry["status"],
                    "confidentiality": entry.get(
                        "confidentiality", Meeting.Confidentiality.CONFIDENTIAL
                    ),
                    "window_start": window_start,
                    "window_end": window_end,
                    "duration_minutes": entry["duration_minutes"],
                    "start": start,
                    "end": end,
                    "venue": resolve(self.venues, entry.get("venue"), where, "venue"),
                    "room": self.room(entry, where),
                    "requested_by": resolve(
                        self.people, entry.get("requested_by"), where, "person"
                    ),
                    **({"respond_by": respond_by} if "respond_by" in entry else {}),
                },
                check=lambda meeting, people=attending, where=where: self.refuse_blocking(
                    check_meeting(meeting=meeting, people=people), where
                ),
            )
            for participant, person, response in zip(participants, people, responses, strict=True):
                self.upsert(
                    MeetingParticipant,
                    {"meeting": meeting, "person": person},
                    {
                        "side": participant.get("side", ""),
                        "is_principal": participant.get("principal", True),
                        "response": response,
                    },
                )

    def load_french(self):
        """The French texts, saved only where they differ from those stored."""
        unknown = sorted(self.french.keys() - FRENCH.keys())
        if unknown:
            raise InvalidDemoData(f"French texts: unknown section {', '.join(unknown)}.")
        meetings = {meeting.title_en: meeting for meeting in self.summit.meetings.all()}
        sessions = {session.slug: session for session in self.summit.sessions.all()}
        rooms = {f"{venue}/{slug}": room for (venue, slug), room in self.rooms.items()}
        tables = {
            "venues": self.venues,
            "rooms": rooms,
            "tracks": self.tracks,
            "organisations": self.organisations,
            "people": self.people,
            "sessions": sessions,
            "meetings": meetings,
        }
        if "summit" in self.french:
            self.translate(self.summit, self.french["summit"], "summit", "[summit]")
        for section, table in tables.items():
            found = self.french.get(section, {})
            if not isinstance(found, dict):
                raise InvalidDemoData(f"French texts: [{section}] must be a table of tables.")
            for key, texts in found.items():
                where = f"French texts: {section} {key!r}"
                self.translate(resolve(table, key, where, section), texts, section, where)

    def translate(self, obj, texts, section, where):
        if not isinstance(texts, dict):
            raise InvalidDemoData(f"{where}: expected a table, found {texts!r}.")
        unknown = sorted(texts.keys() - FRENCH[section])
        if unknown:
            raise InvalidDemoData(f"{where}: unknown key {', '.join(unknown)}.")
        changed = {
            f"{name}_fr": text for name, text in texts.items() if getattr(obj, f"{name}_fr") != text
        }
        for name, text in changed.items():
            setattr(obj, name, text)
        if changed:
            try:
                obj.full_clean()
            except ValidationError as error:
                raise InvalidDemoData(f"{where}: {'; '.join(error.messages)}") from error
            obj.save()
