"""Signs of life of the background processes (workers, beat), kept in the database.

Every process calls `record(kind, name)` on start and then periodically; a row not seen
for `HEARTBEAT_STALE_SECONDS` belongs to a process that stopped. The row is written in
its own statement outside any transaction of the caller's and never raises: a heartbeat
that cannot be written (the database is down) is simply missed.
"""

import datetime
import logging
import os

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from .models import Heartbeat

logger = logging.getLogger(__name__)


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "HEARTBEAT_STALE_SECONDS", 120))


def record(kind: str, name: str, *, detail: dict | None = None, started: bool = False) -> bool:
    """Note that process `name` of `kind` is alive now; True when the row was written."""
    now = timezone.now()
    defaults = {"seen_at": now, "pid": os.getpid()}
    if detail is not None:
        defaults["detail"] = detail
    if started:
        defaults["started_at"] = now
    try:
        Heartbeat.objects.update_or_create(
            kind=kind, name=name, defaults=defaults, create_defaults={**defaults, "started_at": now}
        )
    except DatabaseError:
        logger.warning("heartbeat not recorded", extra={"kind": kind, "name": name})
        return False
    return True


def alive(kind: str | None = None):
    """The heartbeats seen within the stale limit (optionally of one kind)."""
    rows = Heartbeat.objects.filter(seen_at__gte=timezone.now() - stale_after())
    return rows.filter(kind=kind) if kind else rows
