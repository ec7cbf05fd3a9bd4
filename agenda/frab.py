"""The frab/pentabarf schedule (schedule.json and schedule.xml) that conference apps, infobeamers
and the c3voc tools read, as frab and pretalx emit it (https://c3voc.de/wiki/schedule). No HTTP
here: it takes rows and returns the JSON structure; `to_xml` writes the same data as XML.

What the format asks of us, and what we chose:
- Callers pass the public sessions and the announced public meetings that go ahead. Cancelled
  items are LEFT OUT: the format has no status, so an app would show them as going ahead.
- Days are the summit's local days, times are in its zone, and an event sits under the day on
  which it starts. Durations are real elapsed time, so the night the clocks change does not
  stretch or shrink them.
- frab keys rooms by name: a name shared by rooms of two venues gets the venue added, a
  meeting placed at a venue without a room sits under the venue's name, and sessions without
  a room yet sit in a room called "To be announced".
- A public meeting is an event of type "meeting" linking to its place on the programme page
  (it has no public page of its own), with an id apart from the sessions' (MEETING_IDS).
- Every guid is a UUID5 of the item's calendar UID, so a session or meeting keeps one identity
  in the .ics feeds, the JSON and the XML, across requests.
- Both files satisfy the c3voc schedule XSD and JSON schema (tests/agenda/schemas), which are
  stricter than our slugs: the acronym is the summit's slug with underscores for hyphens (the
  JSON schema allows a hyphen only in a "-2025-name" tail), event slugs start with it (the XSD
  wants a first segment of four characters or more), and each person has the one shape of
  pretalx (`name`, no `public_name`), as the JSON schema wants exactly one of its two shapes.
- `version` is the name of the last release followed by a digest of what the file says (see
  `version`): it moves whenever an item is added, changed, cancelled or hidden, or a release
  is published, and only then.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple, NotRequired, TypedDict, cast
from xml.etree import ElementTree as ET

import orjson
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import translation

from agenda import ical
from agenda.models import Room, Session, Summit, Track
from meetings.models import Meeting
from people.models import Person

TIMESLOT = "00:05"
LANGUAGE = "en"
UNPLACED = "To be announced"
MEETING_TYPE = "meeting"
# Bump when an entry changes for the same rows, so that kept entries are made again.
ENTRY_FORMAT = 1
# Sessions and meetings share the format's one space of event ids: a session's id is its key
# (what apps have stored since the first export), a meeting's sits far above, within the
# 32-bit integers that EventFahrplan reads ids into.
MEETING_IDS = 1_000_000_000
EVENT_FIELDS = (
    "date",
    "start",
    "duration",
    "room",
    "slug",
    "url",
    "title",
    "subtitle",
    "track",
    "type",
    "language",
    "abstract",
    "description",
)
# XML 1.0 cannot carry most control characters, which text pasted from office tools may hold.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The zone names the c3voc JSON schema accepts (its pattern, searched as JSON Schema does).
C3VOC_ZONE = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")


# The structure of schedule.json, as build_schedule makes it and to_xml reads it.
class RoomEntry(TypedDict):
    name: str
    guid: str


class TrackEntry(TypedDict):
    name: str
    slug: str
    color: str


class PersonEntry(TypedDict):
    id: int
    guid: str
    name: str


class EventEntry(TypedDict):
    id: int
    guid: str
    date: str
    start: str
    duration: str
    room: str
    slug: str
    url: str
    title: str
    subtitle: str
    track: str | None
    type: str
    language: str
    abstract: str
    description: str
    persons: list[PersonEntry]
    links: list[dict[str, str]]
    attachments: list[dict[str, str]]


class DayEntry(TypedDict):
    index: int
    date: str
    day_start: str
    day_end: str
    rooms: dict[str, list[EventEntry]]


class Conference(TypedDict):
    acronym: str
    title: str
    start: str
    end: str
    daysCount: int
    timeslot_duration: str
    time_zone_name: NotRequired[str]
    url: str
    rooms: list[RoomEntry]
    tracks: list[TrackEntry]
    days: list[DayEntry]


class ScheduleBody(TypedDict):
    version: str
    base_url: str
    conference: Conference


class Schedule(TypedDict):
    schedule: ScheduleBody


class Place(NamedTuple):
    """Where an event sits in the file: a room, a venue (a meeting without a room), or nowhere."""

    key: tuple[str, int]
    name: str
    venue: str
    order: tuple[object, ...]
    guid: str


def guid(kind: str, key: int | str) -> str:
    """A UUID that stays the same for an item, derived from its calendar UID."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, ical.uid(kind, key)))


def hours_minutes(delta: timedelta) -> str:
    minutes = int(delta.total_seconds()) // 60
    return f"{minutes // 60:02}:{minutes % 60:02}"


def times(item: Session | Meeting) -> tuple[datetime, datetime]:
    assert item.start is not None and item.end is not None  # a meeting without a time is not shown
    return item.start, item.end


def elapsed(item: Session | Meeting) -> timedelta:
    start, end = times(item)
    # In UTC: subtracting two times of one zone would give wall-clock, not elapsed, time.
    return end.astimezone(UTC) - start.astimezone(UTC)


def slug_word(text: str) -> str:
    """`text` in the characters every slug pattern of the schemas allows, ends trimmed."""
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")


def acronym(summit: Summit) -> str:
    """The summit's slug as both schemas take an acronym: [a-z0-9_], four characters or more."""
    word = slug_word(summit.slug).replace("-", "_")
    return word if len(word) >= 4 else f"{word}_{summit.start_date.year}".lstrip("_")


def track_slug(slug: str) -> str:
    """A track's slug as the JSON schema and the XSD's track attribute both take it: lowercase
    letters, digits and hyphens, from a letter to a letter or digit."""
    word = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-")
    return word if re.fullmatch(r"[a-z][a-z0-9-]*[a-z0-9]", word) else f"track-{word}".strip("-")


def event_slug(code: str, session: Session) -> str:
    """Unique by the session's key; the slug after it keeps it readable, and one too short to
    keep the part after the acronym four characters long (a slug "x" or "_") reads "session"."""
    word = slug_word(session.slug)
    return f"{code}-{session.pk}-{word if len(word) > 1 else 'session'}"


class Event(NamedTuple):
    """An item of the file with what orders and places it: its entry's `room` is filled in
    when the file is put together, as a room's name there depends on the other rooms."""

    start: datetime
    end: datetime
    is_meeting: bool
    pk: int
    place: Place
    entry: EventEntry


def build_schedule(
    *,
    summit: Summit,
    sessions: Iterable[Session],
    base_url: str,
    link: Callable[[Session], str],
    meetings: Iterable[Meeting] = (),
    meeting_link: Callable[[Meeting], str] | None = None,
    release: str = "",
) -> Schedule:
    """The frab schedule of `sessions` and `meetings` as its JSON structure; `link(session)` is
    a session's page, `meeting_link(meeting)` where a meeting is shown (default `base_url`);
    `release` the name of the programme's last release, if any."""
    code = acronym(summit)
    session_list = list(sessions)
    events = [
        Event(*times(s), False, s.pk, place_of(summit, s), session_event(s, code, link))
        for s in session_list
    ]
    return assemble(
        summit,
        [*events, *meeting_events(summit, meetings, code, meeting_link or (lambda m: base_url))],
        track_list(session.track for session in session_list),
        base_url,
        release,
    )


def kept_schedule(
    *,
    summit: Summit,
    sessions: QuerySet[Session],
    base_url: str,
    link: ical.Links,
    meetings: Iterable[Meeting] = (),
    meeting_link: Callable[[Meeting], str] | None = None,
    release: str = "",
) -> Schedule:
    """`build_schedule` of the public sessions of the query `sessions`, each session's entry
    kept in the cache of fragments under what it is made of (the rows' `updated_at` stamps,
    as the feeds' events are): the sessions are read as plain rows, and only those whose
    entries are not kept are read whole, so that a change costs the entries it touched."""
    code = acronym(summit)
    language = translation.get_language()
    anyone = AnonymousUser()
    fields = ical.session_columns()[0]
    at = {name: fields.index(name) for name in ("start", "end", "room_id", "track_id")}
    rows = ical.session_rows(sessions, anyone)
    keys = [
        "frab-event:"
        + hashlib.sha256(
            repr((ENTRY_FORMAT, made_of, code, link.base, language)).encode()
        ).hexdigest()
        for _, _, made_of in rows
    ]
    kept = ical.fragments().get_many(keys)
    wanted = [pk for (pk, _, _), key in zip(rows, keys, strict=True) if key not in kept]
    made: dict[str, EventEntry] = {}
    if wanted:
        whole = Session.objects.filter(pk__in=wanted).with_people(anyone)
        entries = {session.pk: session_event(session, code, link) for session in whole}
        made = {
            key: entries[pk] for (pk, _, _), key in zip(rows, keys, strict=True) if pk in entries
        }
        ical.fragments().set_many(made, ical.FRAGMENT_LIFETIME)
    # Each session's own row: its times and where it is.
    placed = [cast(tuple[Any, ...], made_of[0]) for _, _, made_of in rows]
    rooms = Room.objects.select_related("venue").in_bulk(
        {row[at["room_id"]] for row in placed} - {None}
    )
    tracks = Track.objects.in_bulk({row[at["track_id"]] for row in placed} - {None})
    places = {pk: room_place(room) for pk, room in rooms.items()}
    places[None] = place_of(summit, None)
    events = [
        Event(
            row[at["start"]],
            row[at["end"]],
            False,
            pk,
            places[row[at["room_id"]]],
            kept.get(key) or made[key],
        )
        for (pk, _, _), row, key in zip(rows, placed, keys, strict=True)
    ]
    return assemble(
        summit,
        [*events, *meeting_events(summit, meetings, code, meeting_link or (lambda m: base_url))],
        track_list(tracks.values()),
        base_url,
        release,
    )


def meeting_events(
    summit: Summit, meetings: Iterable[Meeting], code: str, link: Callable[[Meeting], str]
) -> list[Event]:
    return [
        Event(*times(m), True, m.pk, place_of(summit, m), meeting_event(summit, m, code, link))
        for m in meetings
    ]


def assemble(
    summit: Summit, events: list[Event], tracks: list[TrackEntry], base_url: str, release: str
) -> Schedule:
    rooms = room_list(event.place for event in events)
    events.sort(key=lambda e: (e.start, e.end, e.entry["title"], e.is_meeting, e.pk))
    by_day: defaultdict[date, list[tuple[Place, EventEntry]]] = defaultdict(list)
    for event in events:
        entry: EventEntry = {**event.entry, "room": rooms[event.place.key]["name"]}
        by_day[event.start.astimezone(summit.tz).date()].append((event.place, entry))
    # An item outside the summit's dates still gets a day rather than vanishing.
    days = sorted({*summit.days, *by_day})
    conference: Conference = {
        "acronym": acronym(summit),
        "title": summit.name,
        "start": days[0].isoformat(),
        "end": days[-1].isoformat(),
        "daysCount": len(days),
        "timeslot_duration": TIMESLOT,
        "url": base_url,
        "rooms": list(rooms.values()),
        "tracks": tracks,
        "days": [
            day_entry(summit, index, day, by_day[day], rooms)
            for index, day in enumerate(days, start=1)
        ],
    }
    if C3VOC_ZONE.search(summit.time_zone):
        # Other names (Etc/GMT-3, US/Eastern) are left out; every time carries its offset.
        conference["time_zone_name"] = summit.time_zone
    return {
        "schedule": {
            "version": version(conference, base_url, release),
            "base_url": base_url,
            "conference": conference,
        }
    }


def version(conference: Conference, base_url: str, release: str = "") -> str:
    """The schedule's version: the name of the programme's last release (v1, v2, ...) when
    there is one, then a digest of everything the file says, so that it moves with any change
    an app could show (an item added, moved, renamed, cancelled or hidden, a person renamed)
    and never without one, and two files with the same content share it. Edits are public at
    once, so a file can say more than its release: "v2-1a2b3c4d5e6f" is v2 and what changed
    since, and the digest tells two such files apart."""
    # orjson: six times quicker than the standard library's sorted JSON, a tenth of a cold
    # schedule at 2,000 sessions.
    content = orjson.dumps([base_url, conference], option=orjson.OPT_SORT_KEYS)
    digest = hashlib.sha256(content).hexdigest()[:12]
    return f"{release}-{digest}" if release else digest


def room_place(room: Room) -> Place:
    return Place(
        key=("room", room.pk),
        name=room.name,
        venue=room.venue.name,
        order=(0, room.venue.name, room.position, room.name, room.pk),
        guid=guid("room", room.pk),
    )


def place_of(summit: Summit, item: Session | Meeting | None) -> Place:
    """Where `item` sits; None is nowhere yet."""
    if item is not None and item.room is not None:
        return room_place(item.room)
    venue = item.place if item is not None else None
    if venue is not None:
        # A meeting placed at a venue before it has a room: the venue stands for the room,
        # before the venue's rooms.
        return Place(
            key=("venue", venue.pk),
            name=venue.name,
            venue=venue.name,
            order=(0, venue.name, -1, venue.name, venue.pk),
            guid=guid("venue", venue.pk),
        )
    # After every venue.
    return Place(
        key=("unplaced", 0),
        name=UNPLACED,
        venue="",
        order=(1,),
        guid=guid("room", f"{summit.slug}-unplaced"),
    )


def room_list(used: Iterable[Place]) -> dict[tuple[str, int], RoomEntry]:
    """The rooms in use in timetable order, by place key, named uniquely (frab keys rooms by
    name: a name shared by rooms of two venues gets the venue added)."""
    places = sorted(set(used), key=lambda place: place.order)
    uses = Counter(place.name for place in places)
    return {
        place.key: {
            "name": place.name if uses[place.name] == 1 else f"{place.name} ({place.venue})",
            "guid": place.guid,
        }
        for place in places
    }


def track_list(used: Iterable[Track | None]) -> list[TrackEntry]:
    tracks = {track for track in used if track is not None}
    return [
        {"name": track.name, "slug": track_slug(track.slug), "color": track.colour}
        for track in sorted(tracks, key=lambda t: (t.name, t.pk))
    ]


def day_entry(
    summit: Summit,
    index: int,
    day: date,
    events: list[tuple[Place, EventEntry]],
    rooms: Mapping[tuple[str, int], RoomEntry],
) -> DayEntry:
    start, end = summit.day_bounds(day)
    order = {key: position for position, key in enumerate(rooms)}
    placed: dict[str, list[EventEntry]] = {}
    for place, entry in sorted(events, key=lambda pair: order[pair[0].key]):
        placed.setdefault(rooms[place.key]["name"], []).append(entry)
    return {
        "index": index,
        "date": day.isoformat(),
        "day_start": start.isoformat(),
        "day_end": end.isoformat(),
        "rooms": placed,
    }


def when(summit: Summit, item: Session | Meeting) -> dict[str, str]:
    start = times(item)[0].astimezone(summit.tz)
    return {
        "date": start.isoformat(timespec="seconds"),
        "start": start.strftime("%H:%M"),
        "duration": hours_minutes(elapsed(item)),
    }


def session_event(session: Session, code: str, link: Callable[[Session], str]) -> EventEntry:
    """A session's entry, its `room` left for `assemble` to name."""
    moment = when(session.summit, session)
    return {
        "id": session.pk,
        "guid": guid("session", session.pk),
        "date": moment["date"],
        "start": moment["start"],
        "duration": moment["duration"],
        "room": "",
        "slug": event_slug(code, session),
        "url": link(session),
        "title": session.title,
        "subtitle": "",
        "track": session.track.name if session.track is not None else None,
        "type": session.kind,
        "language": translation.get_language() or LANGUAGE,
        "abstract": session.abstract,
        "description": "",
        "persons": unique_people(role.person for role in session.roles.all()),
        "links": [],
        "attachments": [],
    }


def meeting_event(
    summit: Summit, meeting: Meeting, code: str, link: Callable[[Meeting], str]
) -> EventEntry:
    moment = when(summit, meeting)
    return {
        "id": MEETING_IDS + meeting.pk,
        "guid": guid("meeting", meeting.pk),
        "date": moment["date"],
        "start": moment["start"],
        "duration": moment["duration"],
        "room": "",
        "slug": f"{code}-{MEETING_TYPE}-{meeting.pk}",
        "url": link(meeting),
        "title": meeting.title,
        "subtitle": "",
        "track": None,
        "type": MEETING_TYPE,
        "language": LANGUAGE,
        "abstract": meeting.purpose,
        "description": "",
        "persons": unique_people(p.person for p in meeting.participants.all()),
        "links": [],
        "attachments": [],
    }


def unique_people(people: Iterable[Person]) -> list[PersonEntry]:
    """The people on an item once each, in order; callers pass only those one may see."""
    listed: dict[int, PersonEntry] = {}
    for person in people:
        listed.setdefault(
            person.pk, {"id": person.pk, "guid": guid("person", person.pk), "name": person.name}
        )
    return list(listed.values())


def to_xml(schedule: Schedule) -> bytes:
    """The schedule.xml of a structure made by `build_schedule`, as UTF-8 bytes. Each event's
    XML is kept in the cache of fragments under a digest of its entry, so that a file made
    again after a change writes only the events that changed."""
    data = schedule["schedule"]
    conference = data["conference"]
    root = ET.Element("schedule")
    add(root, "version", data["version"])
    head = ET.SubElement(root, "conference")
    for tag, value in [
        ("acronym", conference["acronym"]),
        ("title", conference["title"]),
        ("start", conference["start"]),
        ("end", conference["end"]),
        ("days", conference["daysCount"]),
        ("timeslot_duration", conference["timeslot_duration"]),
        ("base_url", data["base_url"]),
        ("time_zone_name", conference.get("time_zone_name")),
    ]:
        if value is not None:
            add(head, tag, value)
    for track in conference["tracks"]:
        ET.SubElement(
            head, "track", name=clean(track["name"]), slug=track["slug"], color=track["color"]
        )
    guids = {room["name"]: room["guid"] for room in conference["rooms"]}
    events: list[EventEntry] = []
    for day in conference["days"]:
        day_element = ET.SubElement(
            root,
            "day",
            index=str(day["index"]),
            date=day["date"],
            start=day["day_start"],
            end=day["day_end"],
        )
        for name, entries in day["rooms"].items():
            room = ET.SubElement(day_element, "room", name=clean(name), guid=guids[name])
            for item in entries:
                # A stand-in, replaced by the event's own XML once the rest is written.
                ET.SubElement(room, PLACEHOLDER, n=str(len(events)))
                events.append(item)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode", xml_declaration=True)
    written = event_xml(events)
    body = STAND_IN.sub(lambda found: written[int(found[1])], body)
    # ElementTree leaves a carriage return in text bare, and a parser reads a bare one as a line
    # feed; written as a reference it survives. In UTF-8 a 0x0D byte is only ever that character.
    return body.encode().replace(b"\r", b"&#13;") + b"\n"


PLACEHOLDER = "event-stand-in"
STAND_IN = re.compile(f'<{PLACEHOLDER} n="(\\d+)" />')
# Bump when an event's XML changes for the same entry.
EVENT_XML_FORMAT = 2


def event_xml(events: list[EventEntry]) -> list[str]:
    """The XML of each event, indented to sit in a room of a day, from the cache where kept:
    under a digest of its entry's pickle, two and a half times quicker to make than its JSON.
    Equal entries may pickle apart (a string shared or not): at worst a miss, never a wrong
    event, since different entries always pickle apart."""
    keys = [
        "frab-xml:" + hashlib.sha256(pickle.dumps((EVENT_XML_FORMAT, entry), 5)).hexdigest()
        for entry in events
    ]
    kept = ical.fragments().get_many(keys)
    made: dict[str, str] = {}
    for key, entry in zip(keys, events, strict=True):
        if key not in kept and key not in made:
            element = ET.Element("room")
            add_event(element, entry)
            ET.indent(element, level=2)
            element[0].tail = None
            made[key] = ET.tostring(element[0], encoding="unicode")
    if made:
        ical.fragments().set_many(made, ical.FRAGMENT_LIFETIME)
    return [kept.get(key) or made[key] for key in keys]


def add_event(parent: ET.Element, item: EventEntry) -> None:
    element = ET.SubElement(parent, "event", guid=item["guid"], id=str(item["id"]))
    fields: Mapping[str, object] = item
    for tag in EVENT_FIELDS:
        add(element, tag, fields[tag])
    people = ET.SubElement(element, "persons")
    for person in item["persons"]:
        add(people, "person", person["name"], id=str(person["id"]), guid=person["guid"])
    ET.SubElement(element, "links")
    ET.SubElement(element, "attachments")


def add(parent: ET.Element, tag: str, value: object, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if value is not None:
        element.text = clean(str(value))
    return element


def clean(text: str) -> str:
    return NOT_XML.sub("", text)
