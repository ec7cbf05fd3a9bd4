"""The API's JSON parser: it refuses what Python's json module accepts but nothing after it
can handle, so such a body is a 400 and never reaches a serializer or the database."""

import codecs
import json
import re
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.utils.json import strict_constant

# Far beyond any body the API documents; a deeper one would exhaust the parser's recursion.
MAX_DEPTH = 64
# A JSON string (escapes included), to be skipped when counting brackets.
STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
BRACKET = re.compile(r"[\[\]{}]")


def nesting_depth(text: str) -> int:
    """How deeply the arrays and objects of a JSON text nest."""
    depth = deepest = 0
    for bracket in BRACKET.findall(STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def unstorable(text: str) -> str | None:
    """Why a string cannot be stored as text (a NUL, a lone surrogate), or None."""
    if "\x00" in text:
        return "contains a NUL character, which is not allowed."
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "contains a lone surrogate (an unpaired \\ud800-\\udfff escape), which is not text."
    return None


def first_unstorable(value: Any) -> str | None:
    if isinstance(value, str):
        return unstorable(value)
    if isinstance(value, dict):
        for key, item in value.items():
            reason = unstorable(key) or first_unstorable(item)
            if reason:
                return reason
    if isinstance(value, list):
        for item in value:
            reason = first_unstorable(item)
            if reason:
                return reason
    return None


class StrictJSONParser(JSONParser):
    """JSON whose nesting stays within MAX_DEPTH and whose strings are storable text:
    anything else is refused with a 400 naming the field where there is one."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(stream.read() if stream else b"", encoding)
        except (LookupError, UnicodeError) as exc:
            raise ParseError(f"JSON parse error - the body is not valid {encoding} text.") from exc
        if nesting_depth(text) > MAX_DEPTH:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.")
        try:
            data = json.loads(text, parse_constant=strict_constant if self.strict else None)
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        if isinstance(data, dict):
            for field, value in data.items():
                if unstorable(field):
                    raise ParseError(f"JSON parse error - a field name {unstorable(field)}")
                reason = first_unstorable(value)
                if reason:
                    raise ValidationError({field: [f"This value {reason}"]})
        else:
            reason = first_unstorable(data)
            if reason:
                raise ParseError(f"JSON parse error - a value {reason}")
        return data
