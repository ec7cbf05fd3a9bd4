"""The French translation is complete and the compiled catalogue matches its source."""

import re
from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES"


def test_every_french_message_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    missing = [entry.msgid for entry in po if not entry.translated() or "fuzzy" in entry.flags]
    assert missing == []


def test_placeholders_survive_translation():
    placeholder = re.compile(r"%\(\w+\)[sd]")
    po = polib.pofile(str(CATALOGUE / "django.po"))
    wrong = []
    for entry in po:
        if entry.msgid_plural:
            pairs = [
                (entry.msgid, entry.msgstr_plural[0]),
                (entry.msgid_plural, entry.msgstr_plural[1]),
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, translation in pairs:
            differs = sorted(placeholder.findall(source)) != sorted(
                placeholder.findall(translation)
            )
            singular = entry.msgid_plural and source == entry.msgid  # "1 session" may drop %d
            if differs and not singular:
                wrong.append(source)
    assert wrong == []


def test_the_compiled_catalogue_is_up_to_date():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    mo = polib.mofile(str(CATALOGUE / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in mo if e.msgid}
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, {int(k): v for k, v in e.msgstr_plural.items()})
        for e in po
        if e.msgid and not e.obsolete
    }
    assert compiled == source
