import io
import zoneinfo
from datetime import datetime, timedelta

import pytest
import vobject

from agenda.vtimezone import build_vtimezone, posix_rule


@pytest.mark.parametrize(
    "zone", ["Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Sydney"]
)
def test_the_vtimezone_agrees_with_the_zone_database(zone):
    block = build_vtimezone(zone).to_ical().decode()
    wrapped = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{block}END:VCALENDAR\r\n"
    generated = vobject.readOne(io.StringIO(wrapped), validate=True).vtimezone.gettzinfo()
    reference = zoneinfo.ZoneInfo(zone)
    for day in range(0, 730, 5):
        for hour in (1, 4, 12):
            moment = datetime(2025, 1, 1, hour) + timedelta(days=day)
            assert generated.utcoffset(moment) == reference.utcoffset(moment), (zone, moment)


def test_the_zone_rule_is_read_from_the_zone_database():
    assert posix_rule("Europe/Paris") == "CET-1CEST,M3.5.0,M10.5.0/3"
