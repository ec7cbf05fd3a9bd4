"""The translated texts of the site as a CSV file for translators, and back.

One row per text: `model,id,field,en,fr`. Export writes every text (or those still missing
in French); import reads the French column back. A file is checked whole before anything is
written, and written in one transaction: a bad file changes nothing, and the error names the
row and the column at fault."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from django.db import models, transaction

from agenda.models import Room, Session, Summit, Track, Venue
from common.text import LONG_TEXT_LENGTH
from common.translated import languages, translated_fields
from meetings.models import Meeting
from people.models import Organisation, Person

MODELS: dict[str, type[models.Model]] = {
    model._meta.label: model
    for model in (Summit, Venue, Room, Track, Session, Organisation, Person, Meeting)
}
HEADER = ["model", "id", "field", *languages()]
# What a translator writes back: every language but the source one, English.
WRITTEN = languages()[1:]


class InvalidTexts(Exception):
    pass


@dataclass(frozen=True)
class Text:
    obj: models.Model
    field: str
    values: dict[str, str]


def export_rows(*, missing_only: bool = False) -> Iterator[list[str]]:
    yield HEADER
    for label, model in MODELS.items():
        fields = translated_fields(model)
        for obj in model._default_manager.order_by("pk"):
            for field in fields:
                values = [getattr(obj, f"{field}_{code}") or "" for code in languages()]
                if not values[0] and not any(values[1:]):
                    continue
                if missing_only and all(values[1:]):
                    continue
                yield [label, str(obj.pk), field, *values]


def write_csv(out: IO[str], *, missing_only: bool = False) -> int:
    writer = csv.writer(out)
    count = -1
    for count, row in enumerate(export_rows(missing_only=missing_only)):  # noqa: B007
        writer.writerow(row)
    return count


def read_csv(source: Iterable[str]) -> list[Text]:
    """The texts of a file, every row checked; InvalidTexts names the first fault."""
    reader = csv.reader(source)
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidTexts("The file is empty: it needs the header row first.") from None
    except csv.Error as error:
        raise InvalidTexts(f"Row 1: {error}.") from None
    if header != HEADER:
        raise InvalidTexts(f"Row 1: the header must be {','.join(HEADER)}.")
    texts: list[Text] = []
    seen: set[tuple[type[models.Model], int, str]] = set()
    rows = iter(reader)
    number = 1
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as error:
            raise InvalidTexts(f"Row {number + 1}: {error}.") from None
        number += 1
        if not row:
            continue
        texts.append(checked_row(row, number, seen))
    return texts


def checked_row(
    row: list[str], number: int, seen: set[tuple[type[models.Model], int, str]]
) -> Text:
    where = f"Row {number}"
    if len(row) != len(HEADER):
        raise InvalidTexts(f"{where}: {len(row)} columns where {len(HEADER)} are expected.")
    values = dict(zip(HEADER, row, strict=True))
    model = MODELS.get(values["model"])
    if model is None:
        raise InvalidTexts(
            f"{where}, column model: {values['model']!r} is not one of {', '.join(MODELS)}."
        )
    if not values["id"].isdigit() or len(values["id"]) > 18:
        raise InvalidTexts(f"{where}, column id: {values['id']!r} is not an id.")
    obj = model._default_manager.filter(pk=int(values["id"])).first()
    if obj is None:
        raise InvalidTexts(f"{where}, column id: no {values['model']} has the id {values['id']}.")
    field = values["field"]
    if field not in translated_fields(model):
        raise InvalidTexts(
            f"{where}, column field: {values['model']} has no translated text {field!r}."
        )
    if (model, obj.pk, field) in seen:
        raise InvalidTexts(f"{where}: {values['model']} {obj.pk} {field} is listed twice.")
    seen.add((model, obj.pk, field))
    limit = getattr(model._meta.get_field(field), "max_length", None) or LONG_TEXT_LENGTH
    for code in WRITTEN:
        text = values[code]
        if "\x00" in text:
            raise InvalidTexts(f"{where}, column {code}: the text holds a NUL character.")
        if len(text) > limit:
            raise InvalidTexts(f"{where}, column {code}: longer than {limit} characters.")
    return Text(obj, field, {code: values[code].strip() for code in WRITTEN})


def import_texts(texts: list[Text]) -> int:
    """Write the French (and any other written) texts; the number of items changed."""
    changed: dict[tuple[type, int], models.Model] = {}
    for text in texts:
        obj = changed.get((type(text.obj), text.obj.pk), text.obj)
        for code, value in text.values.items():
            column = f"{text.field}_{code}"
            if (getattr(obj, column) or "") != value:
                setattr(obj, column, value)
                changed[type(obj), obj.pk] = obj
    with transaction.atomic():
        for obj in changed.values():
            obj.save()
    return len(changed)
