from argparse import ArgumentTypeError
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agenda.demo import DEFAULT_PATH, InvalidDemoData, load_demo

ADMIN_URL = "http://127.0.0.1:8000/admin/"


def day(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a date such as 2026-12-14.") from None


class Command(BaseCommand):
    help = "Load the demo summit (AI Action Summit, Paris 2025). Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            type=Path,
            default=DEFAULT_PATH,
            help=f"TOML data file to load instead of {DEFAULT_PATH.name}.",
        )
        parser.add_argument(
            "--start",
            type=day,
            metavar="DATE",
            help=(
                "Place the summit on other dates, e.g. 2026-12-14. Every date and time moves by "
                "whole weeks, to the day nearest DATE on the weekday the summit starts (a "
                "Monday), so that sessions keep their weekdays and their local times, summer "
                "time or not. Without it, the summit's real dates (February 2025)."
            ),
        )
        parser.add_argument(
            "--quiet", action="store_true", help="Print nothing but warnings and errors."
        )

    def handle(self, *args, path, start, quiet, verbosity, **options):
        try:
            summary = load_demo(path, start=start)
        except InvalidDemoData as error:
            raise CommandError(f"Nothing loaded. {error}") from error
        # Warnings mean the data breaks a rule staff would be warned of: always show them.
        for warning in summary.warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        if quiet or verbosity == 0:
            return
        created, updated, unchanged = (
            sum(counter.values())
            for counter in (summary.created, summary.updated, summary.unchanged)
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.summit.name}: created {created}, updated {updated}, "
                f"unchanged {unchanged}."
            )
        )
        if start is not None:
            summit = summary.summit
            self.stdout.write(f"Placed on {summit.start_date} to {summit.end_date}.")
        if verbosity > 1:
            for model in summary.models:
                self.stdout.write(
                    f"  {model}: created {summary.created[model]}, "
                    f"updated {summary.updated[model]}, unchanged {summary.unchanged[model]}"
                )
        self.stdout.write("Demo logins (illustrative data; for local use only):")
        names = max((len(login.username) for login in summary.logins), default=0)
        passwords = max((len(login.password) for login in summary.logins), default=0)
        for login in summary.logins:
            self.stdout.write(
                f"  {login.username:<{names}}  {login.password:<{passwords}}  {login.role}"
            )
        self.stdout.write(f"Admin: {ADMIN_URL}")
