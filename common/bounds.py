"""The limits every database accepts: ids within 64 bits, dates away from the calendar's ends."""

from rest_framework import serializers

MAX_ID = 2**63 - 1

OUT_OF_CALENDAR = "Give a date from the year 2 to the year 9998."


def within_calendar(value):
    """A date or moment far enough from the calendar's ends (years 1 and 9999) that moving it
    to another time zone or to the next day cannot run off them."""
    return 1 < value.year < 9999


def validate_within_calendar(value):
    if not within_calendar(value):
        raise serializers.ValidationError(OUT_OF_CALENDAR)


def beyond_ids(text):
    return text.isascii() and text.isdigit() and int(text) > MAX_ID
