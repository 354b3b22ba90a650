"""The transactional outbox: nothing asked for is lost when the broker is down."""

import datetime
import time

import pytest
import redis
from celery import current_app
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu import pools

from rutan.core import outbox
from rutan.core.models import OutboxMessage, OutboxStatus
from rutan.core.tasks import freshness_compact, outbox_drain
from tests.imports import files

DOWN = "redis://127.0.0.1:1/0"


def _reset_pool():
    pools.reset()  # kombu's registry of producer pools, keyed by connection
    current_app._pool = None
    current_app.amqp._producer_pool = None


@pytest.fixture
def point_broker():
    """Point the Celery app at a broker URL, not eager; restored after the test."""
    conf = current_app.conf
    saved = {key: conf.get(key) for key in ("task_always_eager", "broker_url")}

    def point(url):
        conf.update(task_always_eager=False, broker_url=url)
        _reset_pool()

    yield point
    conf.update(saved)
    _reset_pool()


@pytest.fixture
def broker_down(point_broker):
    point_broker(DOWN)


@pytest.fixture
def broker_up(point_broker):
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.flushdb()
    point_broker(settings.CELERY_BROKER_URL)
    yield client
    client.flushdb()


def _queued(client) -> int:
    """Messages waiting on the broker, on every queue the project routes to."""
    return sum(client.llen(queue) for queue in ("interactive", "batch"))


@pytest.mark.django_db(transaction=True)
def test_a_request_with_the_broker_down_succeeds_fast_and_leaves_a_pending_row(
    client, balikpapan, registrasi, broker_down
):
    client.force_login(registrasi)
    upload = files.csv_file([{"nama": "Budi Santoso"}])
    started = time.monotonic()
    response = client.post(f"/impor/register/upt/{balikpapan.pk}/", {"file": upload})
    assert time.monotonic() - started < 5
    assert response.status_code == 302, response.content[:500]
    message = OutboxMessage.objects.get()
    assert message.task == "imports.run"
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert message.last_error
    assert message.next_attempt_at > timezone.now()
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_drain_publishes_once_the_broker_is_back_and_a_worker_runs_it(point_broker):
    point_broker(DOWN)
    with transaction.atomic():
        message = outbox.enqueue(freshness_compact)
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    # Nothing is due yet (backoff); still down, the drain stops at the first failure.
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert outbox.drain()["failed"] == 1
    assert OutboxMessage.objects.get().attempts == 2

    # The broker is back (the machine's Redis, the test db).
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.flushdb()
    point_broker(settings.CELERY_BROKER_URL)
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert outbox_drain.apply().get()["published"] == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert _queued(client) == 1

    with start_worker(
        current_app,
        pool="solo",
        perform_ping_check=False,
        loglevel="WARNING",
        queues=["interactive", "batch"],
    ):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            message.refresh_from_db()
            if message.status == OutboxStatus.DONE:
                break
            time.sleep(0.2)
    assert message.status == OutboxStatus.DONE
    assert message.started_at and message.done_at
    assert _queued(client) == 0
    client.flushdb()


@pytest.mark.django_db(transaction=True)
def test_a_message_sent_but_never_started_is_published_again_after_the_delay(broker_up):
    with transaction.atomic():
        message = outbox.enqueue(freshness_compact)
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    broker_up.flushdb()  # Redis restarted: the message it had accepted is gone

    assert outbox.drain()["published"] == 0  # too early
    OutboxMessage.objects.update(
        sent_at=timezone.now() - datetime.timedelta(minutes=settings.OUTBOX_REDELIVER_AFTER + 1)
    )
    counts = outbox.drain()
    assert counts["published"] == counts["redelivered"] == 1
    assert _queued(broker_up) == 1
    body = broker_up.lindex("batch", 0).decode()
    assert str(message.pk) in body  # same task id: the worker marks the same row
    # Once started, a row is not sent again (until it is far older than a task can run).
    outbox._started(task_id=str(message.pk))
    OutboxMessage.objects.update(sent_at=timezone.now() - datetime.timedelta(days=1))
    assert outbox.drain()["published"] == 0


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_no_row_and_sends_nothing(broker_up):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue(freshness_compact)
        raise RuntimeError
    assert not OutboxMessage.objects.exists()
    assert _queued(broker_up) == 0


@pytest.mark.django_db(transaction=True)
def test_done_rows_are_pruned_after_a_few_days(broker_up):
    with transaction.atomic():
        message = outbox.enqueue(freshness_compact)
    outbox._done(sender=type("T", (), {"request": type("R", (), {"id": str(message.pk)})})())
    assert OutboxMessage.objects.get().status == OutboxStatus.DONE
    assert outbox.drain()["pruned"] == 0
    OutboxMessage.objects.update(
        updated_at=timezone.now() - datetime.timedelta(days=settings.OUTBOX_KEEP_DAYS + 1)
    )
    assert outbox.drain()["pruned"] == 1
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_in_eager_mode_the_task_runs_on_commit_and_the_row_is_done():
    assert current_app.conf.task_always_eager
    with transaction.atomic():
        message = outbox.enqueue(freshness_compact)
        assert OutboxMessage.objects.get().status == OutboxStatus.PENDING
    message.refresh_from_db()
    assert message.status == OutboxStatus.DONE


def test_every_task_shares_the_retry_and_late_acknowledgement_options():
    current_app.loader.import_default_modules()
    ours = [t for name, t in current_app.tasks.items() if not name.startswith("celery.")]
    assert len(ours) >= 12
    for task in ours:
        assert task.acks_late and task.reject_on_worker_lost, task.name
        assert task.max_retries and task.retry_backoff, task.name
        names = {cls.__name__ for cls in task.autoretry_for}
        assert {"OperationalError", "InterfaceError", "ConnectionError"} <= names, task.name
