from django.core.management.base import BaseCommand

from meetings import lifecycle


class Command(BaseCommand):
    help = (
        "Expire meeting requests and proposals left unanswered past their deadline (run from cron)."
    )

    def handle(self, *args, **options):
        expired = lifecycle.expire_overdue()
        self.stdout.write(f"{len(expired)} meeting(s) expired.")
