"""The texts as a CSV file for translators, and back: a bad file changes nothing."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from agenda.models import Session, Track

pytestmark = pytest.mark.django_db


def exported(tmp_path, *options):
    path = tmp_path / "texts.csv"
    call_command("export_texts", str(path), *options, stderr=io.StringIO())
    with open(path, encoding="utf-8", newline="") as file:
        return path, list(csv.reader(file))


def written(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    return path


def test_texts_go_out_and_come_back_in_french(tmp_path, site):
    panel = site["sessions"]["panel"]
    path, rows = exported(tmp_path, "--missing")
    assert rows[0] == ["model", "id", "field", "en", "fr"]
    assert ["agenda.Session", str(panel.pk), "title", panel.title, ""] in rows
    translated = [
        row[:4] + ["Table ronde sur la gouvernance"]
        if row[:3] == ["agenda.Session", str(panel.pk), "title"]
        else row
        for row in rows
    ]
    call_command("import_texts", str(written(path, translated)), stdout=io.StringIO())
    panel.refresh_from_db()
    assert (panel.title_en, panel.title_fr) == (
        "Panel on trustworthy AI governance",
        "Table ronde sur la gouvernance",
    )
    _path, missing = exported(tmp_path, "--missing")
    assert ["agenda.Session", str(panel.pk), "title"] not in [row[:3] for row in missing]


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (["agenda.Nothing", "1", "title", "", "x"], "Row 3, column model"),
        (["agenda.Session", "999999", "title", "", "x"], "Row 3, column id: no agenda.Session"),
        (["agenda.Session", "abc", "title", "", "x"], "Row 3, column id"),
        (["agenda.Session", "{panel}", "slug", "", "x"], "Row 3, column field"),
        (
            ["agenda.Session", "{panel}", "title", "", "x" * 301],
            "Row 3, column fr: longer than 300",
        ),
        (["agenda.Session", "{panel}", "title", ""], "Row 3: 4 columns where 5"),
        (["agenda.Track", "{track}", "name", "", "Gouvernance"], "Row 3: agenda.Track"),
    ],
)
def test_a_bad_file_changes_nothing_and_names_its_row_and_column(tmp_path, site, bad_row, message):
    panel = site["sessions"]["panel"]
    track = panel.track
    ids = {"panel": panel.pk, "track": track.pk}
    path = written(
        tmp_path / "texts.csv",
        [
            ["model", "id", "field", "en", "fr"],
            ["agenda.Track", str(track.pk), "name", track.name, "Gouvernance"],
            [cell.format(**ids) for cell in bad_row],
        ],
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_texts", str(path))
    assert message in str(refused.value) and str(refused.value).startswith("Nothing imported.")
    assert list(Track.objects.values_list("name_fr", flat=True)) == [None, None]
    assert set(Session.objects.values_list("title_fr", flat=True)) == {None}


def test_a_file_with_another_header_is_refused(tmp_path, site):
    path = written(tmp_path / "texts.csv", [["id", "fr"], ["1", "x"]])
    with pytest.raises(CommandError, match="Row 1: the header must be model,id,field,en,fr"):
        call_command("import_texts", str(path))
