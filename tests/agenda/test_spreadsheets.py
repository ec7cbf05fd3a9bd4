"""The programme as a spreadsheet in the admin: CSV, XLSX and JSON round trips, the dry run's
errors and warnings, a file with any error writing nothing, formulas neutralised."""

import io
import json
from datetime import datetime

import openpyxl
import pytest
import tablib
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats.base_formats import CSV, JSON, XLSX

from agenda.models import Session, SessionRole
from agenda.spreadsheets import SessionResource
from tests.factories import (
    PersonFactory,
    RoomFactory,
    SummitFactory,
    TrackFactory,
    UserFactory,
    VenueFactory,
    paris,
)
from tests.hostile import stored_rows

pytestmark = pytest.mark.django_db

FORMATS = {"csv": CSV, "xlsx": XLSX, "json": JSON}
HEADERS = [
    *("id", "summit", "slug", "title_en", "title_fr", "abstract_en", "abstract_fr", "kind"),
    *("visibility", "status", "start", "end", "venue", "room", "track", "capacity", "people"),
]


def programme(summit):
    """Everything a round trip must keep, as a set of plain values."""
    return {
        (
            *(session.slug, session.title_en, session.title_fr, session.abstract_en),
            *(session.abstract_fr, session.kind, session.visibility, session.status),
            *(session.start, session.end, session.room_id, session.track_id, session.capacity),
            # People in their order, whatever numbers keep it.
            tuple((role.person.slug, role.role) for role in session.roles.all()),
        )
        for session in Session.objects.filter(summit=summit)
    }


def exported(kind, queryset=None):
    dataset = SessionResource().export(queryset)
    return FORMATS[kind]().export_data(dataset)


def read(kind, content):
    sheet_format = FORMATS[kind](encoding="utf-8-sig")
    if isinstance(content, str):
        content = content.encode()
    return sheet_format.create_dataset(content)


def imported(kind, content, dry_run=False):
    return SessionResource().import_data(
        read(kind, content),
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,
    )


def csv_of(rows):
    dataset = tablib.Dataset(headers=list(rows[0]))
    for row in rows:
        dataset.append(list(row.values()))
    return dataset.export("csv")


def row_of(**values):
    row = dict.fromkeys(HEADERS, "")
    row.update(summit="ai", kind="panel", visibility="public", status="scheduled")
    row.update(values)
    return row


def errors_by_row(result):
    assert result.row_errors() == []  # every problem is a row's, by column
    return {
        invalid.number: {field: list(messages) for field, messages in invalid.error_dict.items()}
        for invalid in result.invalid_rows
    }


@pytest.fixture
def staffed(site):
    site["summit"].sessions.get(slug="health").roles.create(
        person=site["minister"], role="moderator", position=1
    )
    return site


@pytest.mark.parametrize("kind", FORMATS)
def test_an_export_imported_after_deleting_the_programme_reproduces_it(staffed, kind):
    summit = staffed["summit"]
    before = programme(summit)
    content = exported(kind)
    SessionRole.objects.all().delete()
    Session.objects.all().delete()

    result = imported(kind, content)

    assert (result.has_errors(), result.has_validation_errors()) == (False, False)
    assert programme(summit) == before


@pytest.mark.parametrize("kind", FORMATS)
def test_an_export_imported_over_itself_changes_nothing(staffed, kind):
    before = stored_rows()
    sequences = dict(Session.objects.values_list("slug", "sequence"))

    result = imported(kind, exported(kind))

    # Rows that change nothing are not saved: no new version in the history, no stamp moved.
    assert [row.import_type for row in result.rows] == ["skip"] * 5
    assert dict(Session.objects.values_list("slug", "sequence")) == sequences
    assert stored_rows() == before


def test_the_export_names_rooms_tracks_and_people_by_slug_in_the_summits_time(staffed):
    dataset = SessionResource().export(Session.objects.filter(slug__in=["panel", "health"]))

    assert dataset.headers == HEADERS
    rows = {row["slug"]: row for row in dataset.dict}
    assert {slug: (row["start"], row["end"]) for slug, row in rows.items()} == {
        "panel": ("2025-02-10T10:00:00+01:00", "2025-02-10T11:00:00+01:00"),
        "health": ("2025-02-10T14:30:00+01:00", "2025-02-10T16:00:00+01:00"),
    }
    assert {slug: (row["venue"], row["room"], row["track"]) for slug, row in rows.items()} == {
        "panel": ("grand-palais", "nef", "governance"),
        "health": ("grand-palais", "salon", "science"),
    }
    assert {slug: row["people"] for slug, row in rows.items()} == {
        "panel": "virkkunen (speaker); adviser (participant)",
        "health": "rossi (moderator)",
    }


def test_rooms_people_and_roles_are_read_by_name_too(site):
    row = row_of(
        slug="ai-factories",
        title_en="AI Factories",
        start="2025-02-10 17:00",
        end="2025-02-10T18:00:00+01:00",
        venue="Grand Palais",
        room="SALON",
        track="Science",
        people="Henna Virkkunen (Intervenant); rossi (chair); adviser",
    )

    result = imported("csv", csv_of([row]))

    assert errors_by_row(result) == {}
    session = Session.objects.get(slug="ai-factories")
    assert (session.start, session.end, session.room.slug, session.track.slug) == (
        paris(10, 17),
        paris(10, 18),
        "salon",
        "science",
    )
    assert list(session.roles.values_list("person__slug", "role", "position")) == [
        ("virkkunen", "speaker", 0),
        ("rossi", "chair", 1),
        ("adviser", "speaker", 2),
    ]


def test_a_bad_csv_writes_nothing(site):
    good = row_of(slug="fine", title_en="Fine", start="2025-02-10T17:00", end="2025-02-10T18:00")
    bad = row_of(slug="late", title_en="Late", start="2025-02-10T19:00", end="2025-02-10T18:00")
    before = stored_rows()

    result = imported("csv", csv_of([good, bad]))

    assert result.has_validation_errors()
    assert stored_rows() == before


def test_the_dry_run_lists_each_rows_errors_by_column(site):
    rows = [
        row_of(slug="ok", title_en="Ok", start="2025-02-10T17:00", end="2025-02-10T18:00"),
        row_of(
            slug="bad",
            title_en="x" * 301,
            start="10/02/2025 9h",
            end="2025-02-10T18:00",
            venue="Grand Palais",
            room="Attic",
            track="no-such-track",
            capacity="many",
            people="Nobody (speaker)",
        ),
        row_of(
            slug="early",
            title_en="Early",
            start="2025-02-10T18:00",
            end="2025-02-10T17:00",
            kind="party",
        ),
        row_of(
            slug="outside", title_en="Outside", start="2025-03-01T10:00", end="2025-03-01T11:00"
        ),
    ]
    before = stored_rows()

    result = imported("csv", csv_of(rows), dry_run=True)

    errors = errors_by_row(result)
    assert set(errors) == {2, 3, 4}
    assert set(errors[2]) == {"title_en", "start", "room", "track", "capacity", "people"}
    assert errors[2]["room"] == ["No “Attic” here."]
    assert errors[2]["people"] == ["Nobody (speaker): No “Nobody” here."]
    assert set(errors[3]) == {"kind", "end", "__all__"}
    assert "The end must come after the start." in errors[3]["end"]
    assert set(errors[4]) == {"start"}
    assert stored_rows() == before


def test_two_rows_of_one_file_in_one_room_at_once_are_refused(site):
    rows = [
        row_of(
            slug=slug, title_en=slug, start="2025-02-10T17:00", end="2025-02-10T18:00", room=room
        )
        for slug, room in [("first", "shed"), ("second", "shed")]
    ]

    result = imported("csv", csv_of(rows), dry_run=True)

    assert errors_by_row(result) == {
        2: {
            "room": [
                "Shed (Station F) is already taken by session “first” at Mon 10 Feb 17:00–18:00."
            ]
        }
    }


def test_the_dry_run_warns_of_someone_in_two_places(site):
    rows = [
        row_of(
            slug=slug,
            title_en=slug,
            start="2025-02-10T17:00",
            end="2025-02-10T18:00",
            room=room,
            people="virkkunen",
        )
        for slug, room in [("first", "nef"), ("second", "salon")]
    ]

    result = imported("csv", csv_of(rows), dry_run=True)

    assert errors_by_row(result) == {}
    assert result.warnings == [
        (2, "Henna Virkkunen is already in session “first” at Mon 10 Feb 17:00–18:00.")
    ]
    assert Session.objects.filter(slug__in=["first", "second"]).count() == 0


def test_an_id_of_another_summits_session_is_refused(site):
    SummitFactory(slug="next")
    panel = Session.objects.get(slug="panel")
    row = row_of(
        id=str(panel.pk),
        summit="next",
        slug="panel",
        title_en="Panel",
        start="2025-02-10T10:00",
        end="2025-02-10T11:00",
    )

    result = imported("csv", csv_of([row]), dry_run=True)

    assert errors_by_row(result) == {
        1: {"id": ["This id is a session of another summit: leave it empty."]}
    }


def test_formulas_are_neutralised_on_export_and_read_back_as_text(site):
    session = Session.objects.get(slug="panel")
    session.title_en = "=cmd|' /C calc'!A0"
    session.abstract_en = "@SUM(1+1)"
    session.save()

    csv = exported("csv", Session.objects.filter(pk=session.pk))
    book = openpyxl.load_workbook(
        io.BytesIO(exported("xlsx", Session.objects.filter(pk=session.pk)))
    )
    cells = [cell.value for cell in book.active[2]]

    assert "'=cmd|' /C calc'!A0" in csv
    assert "'@SUM(1+1)" in csv
    assert (cells[3], cells[5]) == ("'=cmd|' /C calc'!A0", "'@SUM(1+1)")
    assert {cell.data_type for cell in book.active[2]} <= {"s", "inlineStr", "n"}
    Session.objects.filter(pk=session.pk).update(title_en="Changed", abstract_en="")
    assert errors_by_row(imported("csv", csv)) == {}
    session.refresh_from_db()
    assert (session.title_en, session.abstract_en) == ("=cmd|' /C calc'!A0", "@SUM(1+1)")


def test_an_unquoted_formula_in_a_file_is_refused_naming_its_column(site):
    row = row_of(
        slug="formula",
        title_en="=cmd|' /C calc'!A0",
        start="2025-02-10T17:00",
        end="2025-02-10T18:00",
    )

    result = imported("csv", csv_of([row]), dry_run=True)

    assert errors_by_row(result) == {
        1: {
            "title_en": [
                "“=cmd|' /C ca…” looks like a spreadsheet formula. Start the cell with an "
                "apostrophe (') to keep it as text."
            ]
        }
    }


def import_url():
    return reverse("admin:agenda_session_import")


def upload(content, name="programme.csv", format_index="0"):
    return {
        "resource": "0",
        "format": format_index,
        "import_file": SimpleUploadedFile(name, content),
    }


def test_staff_import_through_the_dry_run_and_the_confirmation(site, staff_client):
    row = row_of(slug="fresh", title_en="Fresh", start="2025-02-10T17:00", end="2025-02-10T18:00")

    preview = staff_client.post(import_url(), upload(csv_of([row]).encode()))

    assert preview.status_code == 200
    assert not Session.objects.filter(slug="fresh").exists()
    confirm = preview.context["confirm_form"]
    done = staff_client.post(
        reverse("admin:agenda_session_process_import"),
        {name: confirm.initial[name] for name in confirm.fields},
    )
    assert done.status_code == 302
    assert Session.objects.get(slug="fresh").title_en == "Fresh"


def test_the_dry_run_page_shows_errors_and_no_confirmation(site, staff_client):
    rows = [
        row_of(
            slug="clash",
            title_en="Clash",
            start="2025-02-10T10:30",
            end="2025-02-10T11:30",
            room="nef",
        )
    ]

    page = staff_client.post(import_url(), upload(csv_of(rows).encode()))

    assert page.status_code == 200
    assert "confirm_form" not in page.context
    assert (
        "Nef (Grand Palais) is already taken by session “Panel on trustworthy AI governance”"
        in page.text
    )


def test_the_dry_run_page_shows_warnings_before_the_confirmation(site, staff_client):
    rows = [
        row_of(
            slug="busy",
            title_en="Busy",
            start="2025-02-10T10:30",
            end="2025-02-10T11:30",
            room="shed",
            people="virkkunen (speaker)",
        )
    ]

    page = staff_client.post(import_url(), upload(csv_of(rows).encode()))

    assert "confirm_form" in page.context
    assert page.context["result"].warnings == [
        (
            1,
            "Henna Virkkunen is already in session “Panel on trustworthy AI governance” at "
            "Mon 10 Feb 10:00–11:00.",
        )
    ]
    assert "Scheduling warnings" in page.text


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "empty.csv"),
        (bytes(range(256)) * 40, "binary.csv"),
        ("title_en;début\néé;\n".encode("latin-1"), "latin1.csv"),
        (b"colour,smell\nred,sweet\n", "columns.csv"),
        (b"id\nnot-a-number\n", "ids.csv"),
        (json.dumps({"not": "rows"}).encode(), "object.csv"),
        (b"x" * 6_000_000, "huge.csv"),
    ],
)
def test_junk_files_are_refused_and_write_nothing(site, staff_client, content, name):
    before = stored_rows()

    page = staff_client.post(import_url(), upload(content, name))

    assert page.status_code == 200
    assert "confirm_form" not in page.context
    assert stored_rows() == before


@pytest.mark.parametrize("format_index", ["1", "2"])
def test_junk_files_in_other_formats_are_refused(site, staff_client, format_index):
    page = staff_client.post(import_url(), upload(b"\x00\x01junk", "junk.bin", format_index))

    assert page.status_code == 200
    assert "confirm_form" not in page.context


def test_a_confirmation_of_no_upload_is_refused(site, staff_client):
    before = stored_rows()
    for name in ["0123456789abcdef0123456789abcdef", "../../etc/passwd", ""]:
        response = staff_client.post(
            reverse("admin:agenda_session_process_import"),
            {"import_file_name": name, "original_file_name": "x.csv", "format": "0"},
        )
        assert response.status_code == 302
    assert stored_rows() == before


def test_importing_takes_the_rights_to_add_and_change_and_exporting_to_view(site, client):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_session"))
    client.force_login(viewer)

    assert client.get(import_url()).status_code == 403
    assert client.get(reverse("admin:agenda_session_export")).status_code == 200
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_session", "change_session"])
    )
    assert client.get(import_url()).status_code == 200
    client.force_login(UserFactory())
    assert client.get(import_url()).status_code == 302


def test_staff_export_invitation_only_sessions_and_hidden_people(site, staff_client):
    response = staff_client.post(
        reverse("admin:agenda_session_export"),
        {"format": "0", "resource": "0", **{f"sessionresource_{name}": "on" for name in HEADERS}},
    )

    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(tablib.Dataset().load(text, format="csv").dict)
    assert {row["slug"] for row in rows} == {"panel", "health", "visit", "closed", "energy"}
    assert "adviser (participant)" in {row["people"].split("; ")[-1] for row in rows}


def test_people_named_on_a_new_session_must_exist(site):
    PersonFactory(name="Henna Virkkunen", slug="another-henna")
    row = row_of(
        slug="twin",
        title_en="Twin",
        start="2025-02-10T17:00",
        end="2025-02-10T18:00",
        people="Henna Virkkunen",
    )

    result = imported("csv", csv_of([row]), dry_run=True)

    assert errors_by_row(result) == {
        1: {"people": ["Henna Virkkunen: “Henna Virkkunen” names more than one."]}
    }


@pytest.mark.parametrize("count", [1, 5])
def test_the_export_takes_the_same_queries_for_one_session_or_five(
    site, django_assert_num_queries, count
):
    sessions = Session.objects.filter(
        pk__in=list(Session.objects.values_list("pk", flat=True)[:count])
    )

    # A count (the library pages through a prefetching query); the sessions with their
    # summit, room, venue and track; their roles; their people.
    with django_assert_num_queries(4):
        dataset = SessionResource().export(sessions)

    assert len(dataset) == count


def test_a_session_without_a_title_is_refused(site):
    row = row_of(slug="untitled", title_en="", start="2025-02-10T17:00", end="2025-02-10T18:00")

    result = imported("csv", csv_of([row]), dry_run=True)

    assert errors_by_row(result) == {1: {"title": ["This field cannot be blank."]}}


@pytest.mark.parametrize("kind", FORMATS)
def test_an_export_imported_into_an_empty_summit_reproduces_the_programme(staffed, kind):
    original = staffed["summit"]
    copy = SummitFactory(slug="ai-copy", start_date=original.start_date, end_date=original.end_date)
    for venue in original.venues.all():
        twin = VenueFactory(summit=copy, name=venue.name, slug=venue.slug)
        for room in venue.rooms.all():
            RoomFactory(venue=twin, name=room.name, slug=room.slug, capacity=room.capacity)
    for track in original.tracks.all():
        TrackFactory(summit=copy, name=track.name, slug=track.slug)
    dataset = SessionResource().export()
    moved = tablib.Dataset(headers=dataset.headers)
    for row in dataset.dict:
        moved.append(list({**row, "id": "", "summit": "ai-copy"}.values()))
    content = FORMATS[kind]().export_data(moved)

    result = imported(kind, content)

    assert errors_by_row(result) == {}
    assert in_words(copy) == in_words(original)


def in_words(summit):
    """A summit's programme with its places by slug, to compare two summits."""
    return {
        (
            *(session.slug, session.title_en, session.title_fr, session.abstract_en),
            *(session.kind, session.visibility, session.status, session.start, session.end),
            session.room.venue.slug if session.room else None,
            session.room.slug if session.room else None,
            session.track.slug if session.track else None,
            session.capacity,
            tuple((role.person.slug, role.role) for role in session.roles.all()),
        )
        for session in Session.objects.filter(summit=summit)
    }


def test_dates_typed_in_a_spreadsheet_are_the_summits_local_time(site):
    book = openpyxl.Workbook()
    book.active.append(["summit", "slug", "title_en", "start", "end", "room"])
    book.active.append(
        ["ai", "typed", "Typed", datetime(2025, 2, 10, 17, 0), datetime(2025, 2, 10, 18, 0), "nef"]
    )
    content = io.BytesIO()
    book.save(content)

    result = imported("xlsx", content.getvalue())

    assert errors_by_row(result) == {}
    session = Session.objects.get(slug="typed")
    assert (session.start, session.end) == (paris(10, 17), paris(10, 18))
