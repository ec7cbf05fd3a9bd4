from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from outbox import tasks
from outbox.models import Email

# A queued email whose delivery is this late lost its task (the queue was down, a worker died).
LOST_AFTER = timedelta(minutes=5)


class Command(BaseCommand):
    help = "Queue again the emails whose delivery task was lost."

    def handle(self, *args, **options):
        late = timezone.now() - LOST_AFTER
        overdue = Email.objects.filter(
            Q(status=Email.Status.QUEUED)
            & (Q(next_attempt_at__isnull=True, created_at__lt=late) | Q(next_attempt_at__lt=late))
        )
        count = tasks.retry(overdue)
        self.stdout.write(f"{count} email(s) queued again.")
