"""The French site: pages in French with French dates, a way to switch to them, and a
translation that is complete and compiled from its source."""

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


def test_french_pages_speak_french_with_french_dates(client, site):
    response = client.get("/fr/ai/programme/")
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in content
    assert "Programme" in content and "Filtrer" in content
    assert "10 février 2025" in content
    assert "14 h 30" in content
    english = client.get("/ai/programme/").content.decode()
    assert "10 February 2025" in english and "14:30" in english


def test_the_language_switcher_leads_to_the_french_page(client, site):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/ai/programme/"})
    assert (response.status_code, response["Location"]) == (302, "/fr/ai/programme/")


def test_french_puts_a_no_break_space_before_two_part_punctuation():
    """French typography: a no-break space (U+00A0 or the narrow U+202F) before : ; ? !
    where they end a phrase; never a plain space, never none."""
    po = polib.pofile(str(CATALOGUE / "django.po"))
    texts = [
        text
        for entry in po
        for text in ([entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values())
    ]
    wrong = [text for text in texts if re.search(r"(^|[^\u00a0\u202f])[:;?!](\s|$)", text)]
    assert wrong == []
