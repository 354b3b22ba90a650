"""A transactional outbox for Celery tasks: nothing asked for is lost when the broker is down.

`enqueue(task, *args, **kwargs)` writes an `OutboxMessage` row in the caller's transaction.
Once that transaction commits, the message is published at once (with short broker
timeouts, so a request never hangs on a broker that is down); a failed publish leaves the
row pending and the caller carries on. `core.outbox_drain`, run every minute by beat,
publishes pending rows again (oldest first, with a growing delay between attempts), and
publishes again rows that were sent but never started by a worker (the broker lost them)
or started but never finished (the worker died and the broker forgot the message). The
worker marks each row started, done or failed (Celery signals, keyed by the task id, which
is the row's id). Delivery is at least once: every task is idempotent.

In eager mode (tests, CELERY_TASK_ALWAYS_EAGER) the task runs on commit, as before.
"""

from __future__ import annotations

import datetime
import logging

import structlog
from celery import current_app
from celery.signals import task_failure, task_prerun, task_success
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)


def _task_name(task) -> str:
    return task if isinstance(task, str) else task.name


def enqueue(task, *args, **kwargs) -> OutboxMessage:
    """Ask for `task(*args, **kwargs)`: stored now, published once the caller commits."""
    message = OutboxMessage.objects.create(
        task=_task_name(task),
        args=list(args),
        kwargs=kwargs,
        next_attempt_at=timezone.now(),
        request_id=str(structlog.contextvars.get_contextvars().get("request_id") or "")[:32],
    )
    transaction.on_commit(lambda: publish(message.pk))
    return message


def _publish_policy() -> dict:
    return dict(settings.OUTBOX_PUBLISH_RETRY_POLICY)


def _send(message: OutboxMessage) -> None:
    task = current_app.tasks.get(message.task)
    options = {
        "task_id": str(message.pk),
        "retry": True,
        "retry_policy": _publish_policy(),
    }
    # django-structlog copies the bound context into the message's headers: the task's logs
    # name the request that asked for it, also when the drain sends it later.
    context = {"request_id": message.request_id} if message.request_id else {}
    with structlog.contextvars.bound_contextvars(**context):
        if task is None:
            current_app.send_task(message.task, message.args, message.kwargs, **options)
        else:
            task.apply_async(message.args, message.kwargs, **options)


def _backoff(attempts: int) -> datetime.timedelta:
    minutes = min(2 ** max(attempts - 1, 0), settings.OUTBOX_BACKOFF_MAX_MINUTES)
    return datetime.timedelta(minutes=minutes)


def _try_send(message: OutboxMessage) -> bool:
    """Publish one message; on a broker error, record it and leave the row pending."""
    now = timezone.now()
    try:
        _send(message)
    except Exception as exc:  # a broker down must never fail the caller
        attempts = message.attempts + 1
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxStatus.PENDING,
            attempts=attempts,
            next_attempt_at=now + _backoff(attempts),
            last_error=f"{type(exc).__name__}: {exc}"[:1000],
        )
        logger.warning("outbox: %s %s not published: %s", message.task, message.pk, exc)
        return False
    # The worker may have started (or finished) the task already: only move it forward.
    OutboxMessage.objects.filter(
        pk=message.pk, status__in=[OutboxStatus.PENDING, OutboxStatus.SENT]
    ).update(status=OutboxStatus.SENT, sent_at=now, attempts=message.attempts + 1, last_error="")
    return True


def publish(message_id) -> bool:
    """Publish one stored message now (called on commit); False when the broker refused."""
    message = OutboxMessage.objects.filter(pk=message_id).first()
    if message is None or message.status != OutboxStatus.PENDING:
        return False
    return _try_send(message)


def drain(*, limit: int | None = None) -> dict:
    """Publish what is due: pending rows, and rows the broker or a worker lost.

    Rows are locked with SKIP LOCKED, so two drains (two beats, or a drain and a request)
    never publish the same row at the same time. Stops at the first broker failure (the
    broker is down: the rest would fail too). Finished rows older than OUTBOX_KEEP_DAYS
    are deleted.
    """
    limit = limit or settings.OUTBOX_DRAIN_BATCH
    now = timezone.now()
    redeliver = datetime.timedelta(minutes=settings.OUTBOX_REDELIVER_AFTER)
    unfinished = datetime.timedelta(
        seconds=settings.CELERY_TASK_TIME_LIMIT * 2 + settings.OUTBOX_REDELIVER_AFTER * 60
    )
    counts = {"published": 0, "failed": 0, "redelivered": 0, "pruned": 0}
    with transaction.atomic():
        due = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(
                # pending and due
                Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
                # published but no worker ever saw it
                | Q(status=OutboxStatus.SENT, sent_at__lte=now - redeliver)
                # a worker started it and vanished (and the broker forgot the message)
                | Q(status=OutboxStatus.STARTED, started_at__lte=now - unfinished)
            )
            .order_by("created_at")[:limit]
        )
        for message in due:
            lost = message.status != OutboxStatus.PENDING
            if lost:
                message.status = OutboxStatus.PENDING
                OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.PENDING)
            if _try_send(message):
                counts["published"] += 1
                counts["redelivered"] += int(lost)
            else:
                counts["failed"] += 1
                break
    keep = datetime.timedelta(days=settings.OUTBOX_KEEP_DAYS)
    counts["pruned"], _ = OutboxMessage.objects.filter(
        status__in=[OutboxStatus.DONE, OutboxStatus.FAILED], updated_at__lte=now - keep
    ).delete()
    return counts


def _mark(task_id, **fields) -> None:
    if not task_id:
        return
    try:
        OutboxMessage.objects.filter(pk=task_id).update(updated_at=timezone.now(), **fields)
    except Exception:  # a task id that is no UUID, or the database gone: not ours to fail
        logger.debug("outbox: could not mark %s", task_id, exc_info=True)


@task_prerun.connect(dispatch_uid="rutan.core.outbox.started")
def _started(task_id=None, **kwargs):
    _mark(task_id, status=OutboxStatus.STARTED, started_at=timezone.now())


@task_success.connect(dispatch_uid="rutan.core.outbox.done")
def _done(sender=None, **kwargs):
    request = getattr(sender, "request", None)
    _mark(getattr(request, "id", None), status=OutboxStatus.DONE, done_at=timezone.now())


@task_failure.connect(dispatch_uid="rutan.core.outbox.failed")
def _failed(task_id=None, exception=None, **kwargs):
    _mark(task_id, status=OutboxStatus.FAILED, last_error=repr(exception)[:1000])
