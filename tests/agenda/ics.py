"""Independent checks of iCalendar bytes: the byte rules of RFC 5545, icalendar and vobject."""

import io
import re

import vobject
from icalendar import Calendar


def physical_lines(data):
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    assert not any(b"\n" in line or b"\r" in line for line in lines), "bare LF or CR"
    return lines


def check_bytes(data):
    """CRLF, lines of at most 75 octets, no fold inside a UTF-8 character, unique UIDs,
    a VTIMEZONE for every TZID, no calendar-level UID. Returns the unfolded lines."""
    lines = physical_lines(data)
    for line in lines:
        assert len(line) <= 75, line
        line.decode("utf-8")  # raises if a fold split a multi-byte character
    unfolded = data.replace(b"\r\n ", b"").replace(b"\r\n\t", b"").decode("utf-8").split("\r\n")
    depth, uids, calendar_uid = [], [], False
    for line in unfolded:
        if line.startswith("BEGIN:"):
            depth.append(line[6:])
        elif line.startswith("END:"):
            assert depth.pop() == line[4:]
        elif line.startswith("UID"):
            if depth == ["VCALENDAR"]:
                calendar_uid = True
            uids.append(line.split(":", 1)[1])
    assert not calendar_uid, "calendar-level UID"
    assert len(uids) == len(set(uids)), "duplicate UID"
    used = set(re.findall(r";TZID=([^:;]+)", "\n".join(unfolded)))
    defined = {line[5:] for line in unfolded if line.startswith("TZID:")}
    assert used <= defined, f"TZID without VTIMEZONE: {used - defined}"
    return unfolded


def parse(data):
    """Parse with both independent libraries (vobject strictly); return the icalendar one."""
    check_bytes(data)
    vobject.readOne(io.StringIO(data.decode("utf-8")), validate=True, ignoreUnreadable=False)
    return Calendar.from_ical(data)


def events(data):
    """{uid: event} from a feed."""
    return {str(event["UID"]): event for event in parse(data).walk("VEVENT")}
