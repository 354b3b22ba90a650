from celery import shared_task

from . import freshness


@shared_task(name="core.freshness_compact", acks_late=True)
def freshness_compact() -> int:
    """Nightly: fold the change rows of the cached figures into one per facility."""
    return freshness.compact()
