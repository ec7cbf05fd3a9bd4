"""Several machines: the RQ backend on a real Redis server carries the same deliveries."""

import pytest
from django.core import mail
from django.db import transaction

from outbox import mail as outbox
from outbox.models import Email

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rq_tasks(settings, redis_url):
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_rq"]
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def test_emails_go_through_redis_and_an_rq_worker_once(rq_tasks):
    import django_rq

    with transaction.atomic():
        for name in ("evp", "minister"):
            outbox.send(to=[f"{name}@example.org"], subject=f"For {name}", body="-")
        assert django_rq.get_queue("default").count == 0  # enqueued only on commit
    queue = django_rq.get_queue("default")
    assert queue.count == 2
    assert mail.outbox == []
    worker = django_rq.get_worker(
        "default", worker_class="rq.worker.SimpleWorker", job_class="django_tasks_rq.Job"
    )
    worker.work(burst=True)
    assert sorted(m.to[0] for m in mail.outbox) == ["evp@example.org", "minister@example.org"]
    assert sorted(Email.objects.values_list("status", flat=True)) == ["sent", "sent"]
    # The same email enqueued again (a retried job) is not sent twice.
    from outbox.tasks import deliver

    deliver.enqueue(Email.objects.first().pk)
    worker.work(burst=True)
    assert len(mail.outbox) == 2
