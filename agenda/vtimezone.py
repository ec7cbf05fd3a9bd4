"""VTIMEZONE blocks in the RRULE form that every calendar client reads (Outlook included).

The rule comes from the POSIX TZ string at the end of the zone's TZif file (for Paris
`CET-1CEST,M3.5.0,M10.5.0/3`): the rule in force now and for the coming years.
"""

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

POSIX = re.compile(
    r"^(?P<std><[^>]+>|[A-Za-z]+)(?P<std_offset>[-+]?[\d:]+)"
    r"(?:(?P<dst><[^>]+>|[A-Za-z]+)(?P<dst_offset>[-+]?[\d:]+)?"
    r",(?P<start>M[\d.]+(?:/[-+]?[\d:]+)?),(?P<end>M[\d.]+(?:/[-+]?[\d:]+)?))?$"
)
WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]


def tzif_bytes(name: str) -> bytes:
    path = resources.files("tzdata").joinpath("zoneinfo", *name.split("/"))
    return path.read_bytes()


def posix_rule(name: str) -> str:
    """The POSIX TZ string of a zone, e.g. 'CET-1CEST,M3.5.0,M10.5.0/3'."""
    data = tzif_bytes(name)
    if not data.startswith(b"TZif") or data[4:5] < b"2":
        raise ValueError(f"{name}: no version 2+ TZif data")
    return data.rstrip(b"\n").rsplit(b"\n", 1)[-1].decode("ascii")


def seconds(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    parts = [int(part) for part in text.lstrip("+-").split(":")]
    parts += [0] * (3 - len(parts))
    return sign * (parts[0] * 3600 + parts[1] * 60 + parts[2])


def transition(rule: str, year: int) -> tuple[datetime, vRecur]:
    """The local wall-clock moment of an 'Mm.w.d/time' rule in a year, and its RRULE."""
    when, _, at = rule[1:].partition("/")
    month, week, weekday = (int(part) for part in when.split("."))
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - (first.isoweekday() % 7)) % 7)
    day += timedelta(weeks=week - 1)
    while day.month != month:  # week 5 means the last such weekday
        day -= timedelta(weeks=1)
    moment = datetime.combine(day, datetime.min.time()) + timedelta(seconds=seconds(at or "2"))
    byday = f"{-1 if week == 5 else week}{WEEKDAYS[weekday]}"
    return moment, vRecur({"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": byday})


def offset(posix_offset: str) -> timedelta:
    # POSIX offsets count west of Greenwich: CET-1 is UTC+01:00.
    return timedelta(seconds=-seconds(posix_offset))


@lru_cache(maxsize=32)
def build_vtimezone(name: str) -> Timezone:
    match = POSIX.match(posix_rule(name))
    if not match:
        raise ValueError(f"{name}: cannot read its time zone rule")
    standard_name = match["std"].strip("<>")
    standard = offset(match["std_offset"])
    zone = Timezone()
    zone.add("TZID", name)
    zone.add("X-LIC-LOCATION", name)
    if not match["dst"]:
        part = TimezoneStandard()
        part.add("DTSTART", datetime(1970, 1, 1))
        part.add("TZOFFSETFROM", standard)
        part.add("TZOFFSETTO", standard)
        part.add("TZNAME", standard_name)
        zone.add_component(part)
        return zone
    daylight = offset(match["dst_offset"]) if match["dst_offset"] else standard + timedelta(hours=1)
    for kind, rule, before, after, label in (
        (TimezoneDaylight, match["start"], standard, daylight, match["dst"].strip("<>")),
        (TimezoneStandard, match["end"], daylight, standard, standard_name),
    ):
        start, recur = transition(rule, 1970)
        observance = kind()
        observance.add("DTSTART", start)
        observance.add("RRULE", recur)
        observance.add("TZOFFSETFROM", before)
        observance.add("TZOFFSETTO", after)
        observance.add("TZNAME", label)
        zone.add_component(observance)
    return zone
