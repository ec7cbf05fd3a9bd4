from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agenda.management.texts import InvalidTexts, import_texts, read_csv


class Command(BaseCommand):
    help = (
        "Read back a CSV file of export_texts with its fr column filled in. The whole file is "
        "checked first: a bad file changes nothing and the error names its row and column."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8-sig", newline="") as source:
                texts = read_csv(source)
        except OSError as error:
            raise CommandError(f"Nothing imported. {error}") from error
        except UnicodeDecodeError:
            raise CommandError("Nothing imported. The file is not UTF-8 text.") from None
        except InvalidTexts as error:
            raise CommandError(f"Nothing imported. {error}") from error
        changed = import_texts(texts)
        self.stdout.write(self.style.SUCCESS(f"{len(texts)} texts read, {changed} items changed."))
