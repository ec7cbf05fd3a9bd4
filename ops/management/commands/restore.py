from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Load a backup made by `backup` into an empty database. A database that holds tables "
        "is refused unless --force: SQLite is then replaced whole; on PostgreSQL every object "
        "the backup holds is dropped and recreated (pg_restore --clean)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A file written by `manage.py backup`.")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database to restore into."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace what the database holds instead of refusing.",
        )

    def handle(self, *args, file, database, force, verbosity, **options):
        try:
            restore(path=file, database=database, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if verbosity > 0:
            self.stdout.write(
                f"Restored {file}. If the backup is older than the code, run `migrate` next."
            )
