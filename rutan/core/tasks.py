from celery import shared_task

from . import freshness, outbox
from .task_options import TASK_OPTIONS


@shared_task(name="core.freshness_compact", **TASK_OPTIONS)
def freshness_compact() -> int:
    """Nightly: fold the change rows of the cached figures into one per facility."""
    return freshness.compact()


@shared_task(name="core.outbox_drain", **TASK_OPTIONS)
def outbox_drain() -> dict:
    """Every minute: publish the outbox's pending messages and those the broker lost."""
    return outbox.drain()
