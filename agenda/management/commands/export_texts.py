import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from agenda.management.texts import write_csv


class Command(BaseCommand):
    help = (
        "Write the translated texts (titles, abstracts, names, positions, bios) as a CSV file "
        "for translators: model,id,field,en,fr. Fill in the fr column and read it back with "
        "import_texts."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, help="Where to write (default: stdout).")
        parser.add_argument(
            "--missing", action="store_true", help="Only the texts not yet written in French."
        )

    def handle(self, *args, file, missing, **options):
        if file is None:
            count = write_csv(sys.stdout, missing_only=missing)
        else:
            with open(file, "w", encoding="utf-8", newline="") as out:
                count = write_csv(out, missing_only=missing)
            self.stderr.write(f"{count} texts written to {file}.")
