from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from ops.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a backup of the database to FILE, safe while the site runs: SQLite's online "
        "backup, or pg_dump's custom format on PostgreSQL. Restore it with `restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup file to write (replaced).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to back up.")

    def handle(self, *args, file, database, verbosity, **options):
        try:
            backup(path=file, database=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if verbosity > 0:
            self.stdout.write(f"Backed up to {file} ({file.stat().st_size} bytes).")
