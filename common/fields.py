"""Fields of the API's JSON bodies."""

from contextlib import suppress
from datetime import UTC, timedelta

from django.utils.dateparse import parse_datetime
from rest_framework import serializers

from common.bounds import OUT_OF_CALENDAR, within_calendar

NAIVE = "Give the time with its UTC offset, e.g. 2025-02-10T10:00:00+01:00."


class OffsetDateTimeField(serializers.DateTimeField):
    """A datetime that says which time it is: naive input would be guessed, so it is refused."""

    default_error_messages = {
        "naive": NAIVE,
        "calendar": OUT_OF_CALENDAR,
    }

    def to_internal_value(self, value):
        if isinstance(value, str) and value and not _has_offset(value):
            self.fail("naive")
        if isinstance(value, str):
            with suppress(ValueError):  # unreadable: the parsing below says so
                moment = parse_datetime(value)
                if moment is not None and not within_calendar(moment):
                    self.fail("calendar")
        return super().to_internal_value(value)

    def enforce_timezone(self, value):
        value = super().enforce_timezone(value)
        # Before standard time, zones ran on local mean time (Paris: +00:09:21), an offset
        # that RFC 3339 cannot write: such a moment is given in UTC.
        offset = value.utcoffset()
        if offset is not None and offset % timedelta(minutes=1):
            value = value.astimezone(UTC)
        return value


def _has_offset(text):
    tail = text[10:]
    return tail.endswith("Z") or "+" in tail or tail.count("-") >= 1
