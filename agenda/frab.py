"""The frab/pentabarf schedule (schedule.json and schedule.xml) that conference apps, infobeamers
and the c3voc tools read, as frab and pretalx emit it (https://c3voc.de/wiki/schedule). No HTTP
here: it takes rows and returns the JSON structure; `to_xml` writes the same data as XML.

What the format asks of us, and what we chose:
- Callers pass the public, scheduled sessions only. Cancelled sessions are LEFT OUT: the format
  has no status, so an app would show a cancelled session as going ahead.
- Days are the summit's local days, times are in its zone, and an event sits under the day on
  which it starts. Durations are real elapsed time, so the night the clocks change does not
  stretch or shrink them.
- frab keys rooms by name: a name shared by rooms of two venues gets the venue added, and
  sessions without a room yet sit in a room called "To be announced".
- Every guid is a UUID5 of the item's calendar UID, so a session keeps one identity in the
  .ics feeds, the JSON and the XML, across requests.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, timedelta
from typing import TypedDict
from xml.etree import ElementTree as ET

from django.utils import translation

from agenda import ical
from agenda.models import Session, Summit

TIMESLOT = "00:05"
LANGUAGE = "en"
UNPLACED = "To be announced"
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


# The structure of schedule.json, as build_schedule makes it and to_xml reads it.
class RoomEntry(TypedDict):
    name: str
    guid: str


class TrackEntry(TypedDict):
    name: str
    color: str


class PersonEntry(TypedDict):
    id: int
    guid: str
    public_name: str
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
    time_zone_name: str
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


def guid(kind: str, key: int | str) -> str:
    """A UUID that stays the same for an item, derived from its calendar UID."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, ical.uid(kind, key)))


def hours_minutes(delta: timedelta) -> str:
    minutes = int(delta.total_seconds()) // 60
    return f"{minutes // 60:02}:{minutes % 60:02}"


def elapsed(session: Session) -> timedelta:
    # In UTC: subtracting two times of one zone would give wall-clock, not elapsed, time.
    return session.end.astimezone(UTC) - session.start.astimezone(UTC)


def build_schedule(
    *,
    summit: Summit,
    sessions: Iterable[Session],
    base_url: str,
    link: Callable[[Session], str],
) -> Schedule:
    """The frab schedule of `sessions` as its JSON structure, in the active language;
    `link(session)` is its page."""
    ordered = sorted(sessions, key=lambda s: (s.start, s.end, s.title, s.pk))
    rooms = room_list(summit, ordered)
    by_day: defaultdict[date, list[Session]] = defaultdict(list)
    for session in ordered:
        by_day[session.start.astimezone(summit.tz).date()].append(session)
    # A public session outside the summit's dates still gets a day rather than vanishing.
    days = sorted({*summit.days, *by_day})
    conference: Conference = {
        "acronym": summit.slug,
        "title": summit.name,
        "start": days[0].isoformat(),
        "end": days[-1].isoformat(),
        "daysCount": len(days),
        "timeslot_duration": TIMESLOT,
        "time_zone_name": summit.time_zone,
        "url": base_url,
        "rooms": list(rooms.values()),
        "tracks": track_list(ordered),
        "days": [
            day_entry(summit, index, day, by_day[day], rooms, link)
            for index, day in enumerate(days, start=1)
        ],
    }
    return {
        "schedule": {
            "version": latest_change(summit, ordered),
            "base_url": base_url,
            "conference": conference,
        }
    }


def room_list(summit: Summit, sessions: Sequence[Session]) -> dict[int | None, RoomEntry]:
    """The rooms in use in timetable order, by room pk (None: no room yet), named uniquely."""
    rooms = sorted(
        {session.room for session in sessions if session.room is not None},
        key=lambda room: (room.venue.name, room.position, room.name, room.pk),
    )
    uses = Counter(room.name for room in rooms)
    listed: dict[int | None, RoomEntry] = {
        room.pk: {
            "name": room.name if uses[room.name] == 1 else f"{room.name} ({room.venue.name})",
            "guid": guid("room", room.pk),
        }
        for room in rooms
    }
    if any(session.room_id is None for session in sessions):
        listed[None] = {"name": UNPLACED, "guid": guid("room", f"{summit.slug}-unplaced")}
    return listed


def track_list(sessions: Iterable[Session]) -> list[TrackEntry]:
    tracks = {session.track for session in sessions if session.track is not None}
    return [
        {"name": track.name, "color": track.colour}
        for track in sorted(tracks, key=lambda t: t.name)
    ]


def latest_change(summit: Summit, sessions: Iterable[Session]) -> str:
    """The moment of the latest change to what is shown, as a version string."""
    stamps = [summit.updated_at]
    for session in sessions:
        stamps.append(session.updated_at)
        if session.room is not None:
            stamps += [session.room.updated_at, session.room.venue.updated_at]
        if session.track is not None:
            stamps.append(session.track.updated_at)
        stamps += [role.person.updated_at for role in session.roles.all()]
    return max(stamps).astimezone(UTC).isoformat(timespec="seconds")


def day_entry(
    summit: Summit,
    index: int,
    day: date,
    sessions: list[Session],
    rooms: Mapping[int | None, RoomEntry],
    link: Callable[[Session], str],
) -> DayEntry:
    start, end = summit.day_bounds(day)
    order = {pk: position for position, pk in enumerate(rooms)}
    placed: dict[str, list[EventEntry]] = {}
    for session in sorted(sessions, key=lambda s: order[s.room_id]):
        name = rooms[session.room_id]["name"]
        placed.setdefault(name, []).append(event(summit, session, name, link))
    return {
        "index": index,
        "date": day.isoformat(),
        "day_start": start.isoformat(),
        "day_end": end.isoformat(),
        "rooms": placed,
    }


def event(
    summit: Summit, session: Session, room: str, link: Callable[[Session], str]
) -> EventEntry:
    start = session.start.astimezone(summit.tz)
    return {
        "id": session.pk,
        "guid": guid("session", session.pk),
        "date": start.isoformat(timespec="seconds"),
        "start": start.strftime("%H:%M"),
        "duration": hours_minutes(elapsed(session)),
        "room": room,
        "slug": f"{summit.slug}-{session.pk}-{session.slug}",
        "url": link(session),
        "title": session.title,
        "subtitle": "",
        "track": session.track.name if session.track is not None else None,
        "type": session.kind,
        "language": translation.get_language() or LANGUAGE,
        "abstract": session.abstract,
        "description": "",
        "persons": persons(session),
        "links": [],
        "attachments": [],
    }


def persons(session: Session) -> list[PersonEntry]:
    """The people on a session once each, in order; `roles` holds only those one may see."""
    listed: dict[int, PersonEntry] = {}
    for role in session.roles.all():
        person = role.person
        listed.setdefault(
            person.pk,
            {
                "id": person.pk,
                "guid": guid("person", person.pk),
                "public_name": person.name,
                "name": person.name,
            },
        )
    return list(listed.values())


def to_xml(schedule: Schedule) -> bytes:
    """The schedule.xml of a structure made by `build_schedule`, as UTF-8 bytes."""
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
        ("time_zone_name", conference["time_zone_name"]),
    ]:
        add(head, tag, value)
    guids = {room["name"]: room["guid"] for room in conference["rooms"]}
    for day in conference["days"]:
        day_element = ET.SubElement(
            root,
            "day",
            index=str(day["index"]),
            date=day["date"],
            start=day["day_start"],
            end=day["day_end"],
        )
        for name, events in day["rooms"].items():
            room = ET.SubElement(day_element, "room", name=clean(name), guid=guids[name])
            for item in events:
                add_event(room, item)
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    # ElementTree leaves a carriage return in text bare, and a parser reads a bare one as a line
    # feed; written as a reference it survives. In UTF-8 a 0x0D byte is only ever that character.
    return body.replace(b"\r", b"&#13;") + b"\n"


def add_event(parent: ET.Element, item: EventEntry) -> None:
    element = ET.SubElement(parent, "event", guid=item["guid"], id=str(item["id"]))
    fields: Mapping[str, object] = item
    for tag in EVENT_FIELDS:
        add(element, tag, fields[tag])
    people = ET.SubElement(element, "persons")
    for person in item["persons"]:
        add(people, "person", person["public_name"], id=str(person["id"]))
    ET.SubElement(element, "links")
    ET.SubElement(element, "attachments")


def add(parent: ET.Element, tag: str, value: object, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if value is not None:
        element.text = clean(str(value))
    return element


def clean(text: str) -> str:
    return NOT_XML.sub("", text)
