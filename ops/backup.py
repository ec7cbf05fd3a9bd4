"""Back up the database to one file and restore it, on SQLite and on PostgreSQL.

SQLite is copied with its online backup API: one step, so the copy is a consistent snapshot
even while the site writes (copying the file itself would miss what still sits in the WAL).
PostgreSQL is dumped with `pg_dump --format=custom` and read back with `pg_restore`; their
connection settings travel in PG* environment variables, never on a command line that `ps`
would show.

A restore goes into an empty database (no tables). Into one that holds tables it is refused
unless `force` is given: SQLite is then replaced whole, and on PostgreSQL `pg_restore --clean`
drops and recreates every object the backup holds (tables the backup does not know stay).
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
# Debian and Ubuntu keep the server's own programs here, off PATH.
POSTGRES_BIN_DIRS = "/usr/lib/postgresql/*/bin"
# libpq's environment variables for the connection OPTIONS that Django passes on.
PG_OPTION_VARIABLES = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why and what to do."""


def backup(*, path: Path, database: str = "default") -> None:
    """Write a backup of the database to `path`, replacing the file only once it is whole."""
    if path.is_dir():
        raise BackupError(f"{path} is a folder; name the backup file.")
    if not path.parent.is_dir():
        raise BackupError(f"Cannot write in {path.parent}: no such folder.")
    connection = connections[database]
    if connection.vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
    if connection.vendor == "sqlite":
        database_file = str(connection.settings_dict["NAME"])
        if database_file == ":memory:" or "mode=memory" in database_file:
            raise BackupError("The database lives in memory only; there is nothing to back up.")
        # Connecting would make an empty database there, and back that up without a word.
        if not Path(database_file).is_file():
            raise BackupError(f"There is no SQLite database at {database_file}.")
    try:
        # A fresh file only its owner may read: the backup holds password hashes and tokens.
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise BackupError(f"Cannot write in {path.parent}: {error.strerror}.") from None
    os.close(handle)
    partial = Path(name)
    try:
        if connection.vendor == "sqlite":
            sqlite_backup(connection, partial)
        else:
            pg_dump(connection.settings_dict, partial)
        # Only a whole backup takes the name: a failed run leaves the last good one.
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def restore(*, path: Path, database: str = "default", force: bool = False) -> None:
    """Load a backup made by backup() into the database, which must be empty unless `force`."""
    connection = connections[database]
    kind = backup_kind(path)
    if kind != connection.vendor:
        raise BackupError(
            f"{path} is a {label(kind)} backup, but the database is {label(connection.vendor)}."
        )
    try:
        tables = connection.introspection.table_names()
    except DatabaseError as error:
        raise BackupError(f"Cannot reach the database: {error}".strip()) from None
    if tables and not force:
        raise BackupError(
            f"The database already holds {len(tables)} tables. Restore into an empty database, "
            "or pass --force to replace what it holds with the backup."
        )
    if kind == "sqlite":
        sqlite_restore(connection, path)
    else:
        pg_restore(connection.settings_dict, path, clean=bool(tables))


def backup_kind(path: Path) -> str:
    """'sqlite' or 'postgresql', told by the file's first bytes."""
    try:
        with path.open("rb") as file:
            start = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"{path}: no such file.") from None
    except OSError as error:
        raise BackupError(f"{path}: {error.strerror}.") from None
    if start == SQLITE_MAGIC:
        return "sqlite"
    if start.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not a backup made by `manage.py backup`.")


def label(vendor: str) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(vendor, vendor)


# --- SQLite ------------------------------------------------------------------------------


def raw_sqlite(connection: Any) -> sqlite3.Connection:
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        raise BackupError(f"Cannot open the database: {error}.") from None
    raw: sqlite3.Connection = connection.connection
    return raw


def sqlite_backup(connection: Any, target: Path) -> None:
    copy = sqlite3.connect(target)
    try:
        # pages=-1: the whole database in one step, under one read lock, so the copy is one
        # moment of it; writers go on meanwhile (WAL).
        raw_sqlite(connection).backup(copy, pages=-1)
        # One self-contained file, whatever the journal mode of the live database.
        copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        raise BackupError(f"The SQLite backup failed: {error}.") from error
    finally:
        copy.close()


def sqlite_restore(connection: Any, path: Path) -> None:
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        # Replaces every page of the live database in one write transaction: other
        # connections wait for it (or time out) and never see half a restore.
        source.backup(raw_sqlite(connection), pages=-1)
    except sqlite3.Error as error:
        raise BackupError(f"The SQLite restore failed: {error}.") from error
    finally:
        source.close()


# --- PostgreSQL --------------------------------------------------------------------------


def find_program(name: str) -> str | None:
    """A PostgreSQL client program on PATH, else the newest server's under /usr/lib."""
    found = shutil.which(name)
    if found:
        return found
    folders = sorted(glob.glob(POSTGRES_BIN_DIRS), key=version_of, reverse=True)
    for folder in folders:
        candidate = Path(folder) / name
        if os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def version_of(folder: str) -> tuple[int, ...]:
    number = Path(folder).parent.name
    return tuple(int(part) for part in number.split(".") if part.isdigit())


def pg_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The connection settings as libpq environment variables; unset ones are inherited."""
    env = dict(os.environ)
    for key, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ]:
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    for option, variable in PG_OPTION_VARIABLES.items():
        value = settings_dict.get("OPTIONS", {}).get(option)
        if value:
            env[variable] = str(value)
    return env


def run_pg(program: str, arguments: list[str], settings_dict: dict[str, Any]) -> None:
    executable = find_program(program)
    if executable is None:
        raise BackupError(
            f"{program} was not found on PATH or under {POSTGRES_BIN_DIRS}; install the "
            "PostgreSQL client programs (Debian: postgresql-client)."
        )
    try:
        subprocess.run(
            [executable, *arguments],
            env=pg_environment(settings_dict),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=True,
        )
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{program} failed: {error.stderr.strip() or error.returncode}") from None


def pg_dump(settings_dict: dict[str, Any], target: Path) -> None:
    # --no-password: a cron job fails at once rather than waiting for a prompt.
    run_pg("pg_dump", ["--format=custom", "--no-password", f"--file={target}"], settings_dict)


def pg_restore(settings_dict: dict[str, Any], path: Path, *, clean: bool) -> None:
    arguments = [
        # An empty --dbname makes pg_restore connect (rather than print SQL), with every
        # connection setting, the database name included, taken from the environment.
        "--dbname=",
        "--no-password",
        # Objects belong to the restoring role, whoever owned them where the backup was made.
        "--no-owner",
        "--no-privileges",
        # All or nothing: a failed restore leaves the database as it was.
        "--single-transaction",
        "--exit-on-error",
    ]
    if clean:
        arguments += ["--clean", "--if-exists"]
    run_pg("pg_restore", [*arguments, str(path)], settings_dict)
