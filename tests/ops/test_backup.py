import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from ops.backup import find_program
from tests.conftest import require
from tests.live import BASE, environment, manage, on_postgres, own_database, raw_connection

# The first bytes of a backup, which tell its kind.
MAGIC = {"sqlite": b"SQLite format 3\x00", "postgresql": b"PGDMP\x01\x0e\x00"}
# The columns a writer changes in rows that exist before the backup; every other column of
# every table must come back exactly as it was.
# Columns the writers move: the backup holds them at a moment of its own (checked below).
MOVING = {
    # Writing `title` writes the English text too (`title_en`).
    "agenda_session": {"title", "title_en", "updated_at", "seats_taken"},
    "common_version": {"value"},
}


def tables():
    """Every table of the schema: its primary key column and its columns."""
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    found = {}
    for model in [*models, MigrationRecorder.Migration]:
        options = model._meta
        found[options.db_table] = (
            options.pk.column,
            [field.column for field in options.local_concrete_fields],
        )
    return found


def read_rows(url):
    """Each table's rows by primary key, all read in one snapshot."""
    rows = {}
    with raw_connection(url) as reader:
        for table, (pk, columns) in tables().items():
            listed = ", ".join(f'"{column}"' for column in columns)
            cursor = reader.execute(f'SELECT {listed} FROM "{table}"')
            position = columns.index(pk)
            rows[table] = {
                row[position]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()
            }
    return rows


def edit_number(title):
    """Writers retitle their panel "Panel 3 edit 41"; the bare "Panel 3" is before any edit."""
    _panel, edited, number = title.rpartition(" edit ")
    return int(number) if edited else -1


def differences(before, backup, final):
    """What the backup lost or changed of the rows committed before it began, table by table."""
    problems = {}
    confirmed = {}
    for registration in backup["agenda_registration"].values():
        if registration["status"] == "confirmed":
            session = registration["session_id"]
            confirmed[session] = confirmed.get(session, 0) + 1
    for table, rows in before.items():
        moving = MOVING.get(table, set())
        missing = sorted(pk for pk in rows if pk not in backup[table])
        changed = sorted(
            pk
            for pk, row in rows.items()
            if pk in backup[table]
            and {k: v for k, v in row.items() if k not in moving}
            != {k: v for k, v in backup[table][pk].items() if k not in moving}
        )
        # Rows the backup holds beyond those are real rows of the live database, not inventions.
        invented = sorted(
            pk
            for pk, row in backup[table].items()
            if pk not in rows and not moving and final[table].get(pk) != row
        )
        if missing or changed or invented:
            problems[table] = {"missing": missing, "changed": changed, "invented": invented}
    for pk, session in before["agenda_session"].items():
        kept = backup["agenda_session"].get(pk)
        if kept is not None and not (
            edit_number(kept["title"]) >= edit_number(session["title"])
            and kept["updated_at"] >= session["updated_at"]
            and kept["seats_taken"] >= session["seats_taken"]
            # One moment of the database: the counter agrees with the seats it holds.
            and kept["seats_taken"] == confirmed.get(pk, 0)
        ):
            problems.setdefault("agenda_session", {})[pk] = (session, kept)
    return problems


def test_a_backup_taken_while_twenty_writers_write_holds_every_row_committed_before_it(
    tmp_path,
):
    if on_postgres():
        require(
            "postgres",
            find_program("pg_dump") and find_program("pg_restore"),
            "pg_dump and pg_restore not found on PATH or under /usr/lib/postgresql/*/bin",
        )
    backup_file = tmp_path / "summit.backup"
    with own_database(tmp_path, "live") as live, own_database(tmp_path, "restored") as restored:
        env = environment(live)
        manage(env, "migrate", "--noinput")
        subprocess.run(
            [sys.executable, "-m", "tests.ops.backup_load", "seed"],
            cwd=BASE,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        writers = subprocess.Popen(
            [sys.executable, "-m", "tests.ops.backup_load", "write"],
            cwd=BASE,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert writers.stdout.readline().strip() == "writing", writers.stderr.read()
            time.sleep(1)
            before = read_rows(live)
            manage(env, "backup", str(backup_file))
            time.sleep(0.5)
        finally:
            out, err = writers.communicate(input="", timeout=120)
        done = json.loads(out.strip().splitlines()[-1])
        assert done["errors"] == [], err
        final = read_rows(live)

        manage(environment(restored), "restore", str(backup_file))
        backup = read_rows(restored)

    assert differences(before, backup, final) == {}
    # The programme's version only goes forward: cached renderings of the restored database
    # are never older than its rows.
    versions = [rows["common_version"]["programme"]["value"] for rows in (before, backup, final)]
    assert versions == sorted(versions)
    # The writers went on during the backup, so the test raced what it means to.
    assert len(final["agenda_agendachange"]) > len(before["agenda_agendachange"])
    assert done["waitlisted"] > 0
    assert len(backup["agenda_registration"]) >= len(before["agenda_registration"]) > 0


@pytest.mark.django_db
def test_restoring_into_a_database_that_holds_tables_is_refused(tmp_path):
    backup_file = tmp_path / "summit.backup"
    # Refused before the backup is read beyond the first bytes that say its kind.
    backup_file.write_bytes(MAGIC[connection.vendor] + bytes(84))

    with pytest.raises(CommandError, match="already holds .* tables.* pass --force"):
        call_command("restore", str(backup_file))


@pytest.mark.django_db
def test_a_backup_of_the_other_kind_of_database_is_refused(tmp_path):
    other = tmp_path / "other.backup"
    if connection.vendor == "sqlite":
        other.write_bytes(MAGIC["postgresql"] + bytes(84))
        message = "is a PostgreSQL backup, but the database is SQLite"
    else:
        other.write_bytes(MAGIC["sqlite"] + bytes(84))
        message = "is a SQLite backup, but the database is PostgreSQL"

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(other), "--force")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.backup", None, "no such file"),
        ("notes.txt", b"not a backup", "is not a backup made by `manage.py backup`"),
    ],
)
def test_a_missing_or_foreign_file_is_refused_before_touching_the_database(
    tmp_path, name, content, message
):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(path))


@pytest.mark.django_db
def test_a_backup_into_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Cannot write in .*missing"):
        call_command("backup", str(tmp_path / "missing" / "summit.backup"))


def test_without_pg_dump_the_backup_says_what_to_install(postgres, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr("ops.backup.POSTGRES_BIN_DIRS", str(tmp_path / "*" / "bin"))

    with pytest.raises(CommandError, match="pg_dump was not found .* postgresql-client"):
        call_command("backup", str(tmp_path / "summit.backup"))
    assert list(Path(tmp_path).iterdir()) == []


def test_a_sqlite_database_that_is_not_there_is_not_made_and_backed_up_empty(tmp_path):
    missing = tmp_path / "typo.sqlite3"

    result = subprocess.run(
        [sys.executable, "manage.py", "backup", str(tmp_path / "summit.backup")],
        cwd=BASE,
        env=environment(f"sqlite:///{missing}"),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert (result.returncode, result.stderr.strip(), list(tmp_path.iterdir())) == (
        1,
        f"CommandError: There is no SQLite database at {missing}.",
        [],
    )
