"""Several machines: the RQ backend on a real Redis server carries the same deliveries."""

import shutil
import subprocess
import time

import pytest
from django.core import mail
from django.db import transaction

from outbox import mail as outbox
from outbox.models import Email
from tests.conftest import require
from tests.outbox.conftest import free_port

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_url():
    server = shutil.which("redis-server")
    require("redis", server, "needs Debian's redis-server for the RQ task backend")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


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
