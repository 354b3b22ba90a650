"""Signs of life of the background processes (workers, beat), kept in the database.

Every process calls `record(kind, name)` on start and then periodically; a row not seen
for `HEARTBEAT_STALE_SECONDS` belongs to a process that stopped. The row is written in
its own statement outside any transaction of the caller's and never raises: a heartbeat
that cannot be written (the database is down) is simply missed.

Workers write theirs from Celery's signals: `worker_ready` (started), a small thread every
`HEARTBEAT_SECONDS` (independent of the pool and of the broker) and `worker_shutdown`. Beat
writes on `beat_init` and from its scheduler's tick (rutan.core.beat).
"""

import datetime
import logging
import os
import threading

import celery
from celery.signals import beat_init, worker_ready, worker_shutdown
from django.conf import settings
from django.db import DatabaseError, connections
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


def stopped(kind: str, name: str) -> bool:
    """Note that process `name` stopped cleanly (it shows as stopped at once, not only once
    its row has gone stale); True when the row was written."""
    try:
        row = Heartbeat.objects.filter(kind=kind, name=name).first()
        if row is None:
            return False
        row.detail = {**row.detail, "stopped_at": timezone.now().isoformat()}
        row.seen_at = timezone.now()
        row.save(update_fields=["detail", "seen_at"])
    except DatabaseError:
        logger.warning("heartbeat stop not recorded", extra={"kind": kind, "name": name})
        return False
    return True


def is_alive(row: Heartbeat, *, now: datetime.datetime | None = None) -> bool:
    """Seen within the stale limit and not stopped cleanly."""
    now = now or timezone.now()
    return row.seen_at >= now - stale_after() and not row.detail.get("stopped_at")


def summary() -> dict:
    """How many workers and beats are alive and when a beat was last seen (one query)."""
    now = timezone.now()
    rows = [
        row
        for row in Heartbeat.objects.filter(seen_at__gte=now - stale_after()).only(
            "kind", "seen_at", "detail"
        )
        if is_alive(row, now=now)
    ]
    beats = [row for row in rows if row.kind == Heartbeat.BEAT]
    leaders = [row for row in beats if row.detail.get("role") == "leader"]
    beat_seen_at = max((row.seen_at for row in leaders or beats), default=None)
    return {
        "workers": sum(row.kind == Heartbeat.WORKER for row in rows),
        "beats": len(beats),
        "beat_leader": bool(leaders),
        "beat_seen_at": beat_seen_at,
        "beat_seen_seconds": round((now - beat_seen_at).total_seconds()) if beat_seen_at else None,
    }


def _prune(kind: str) -> None:
    """Rows of processes gone for HEARTBEAT_KEEP_DAYS (each restart has a new pid)."""
    keep = datetime.timedelta(days=getattr(settings, "HEARTBEAT_KEEP_DAYS", 7))
    try:
        Heartbeat.objects.filter(kind=kind, seen_at__lt=timezone.now() - keep).delete()
    except DatabaseError:
        logger.warning("old heartbeats not pruned", extra={"kind": kind})


class _Pulse(threading.Thread):
    """Writes a worker's heartbeat every HEARTBEAT_SECONDS from its main process."""

    def __init__(self, name: str, detail: dict):
        super().__init__(name="rutan-heartbeat", daemon=True)
        self.row_name, self.detail, self.done = name, detail, threading.Event()

    def run(self):
        while not self.done.wait(settings.HEARTBEAT_SECONDS):
            record(Heartbeat.WORKER, self.row_name, detail=self.detail)
            # Pool processes forked later must not inherit an open database connection.
            connections.close_all()


_pulses: dict[str, _Pulse] = {}


def _worker_name(hostname: str) -> str:
    return f"{hostname}/{os.getpid()}"


def _worker_detail(consumer) -> dict:
    app = consumer.app
    controller = getattr(consumer, "controller", None)
    return {
        "queues": sorted(app.amqp.queues.consume_from or []),
        "concurrency": getattr(controller, "concurrency", None),
        "pool": type(getattr(consumer, "pool", None)).__module__.rsplit(".", 1)[-1],
        "celery": celery.__version__,
    }


@worker_ready.connect
def worker_started(sender=None, **kwargs):
    name, detail = _worker_name(sender.hostname), _worker_detail(sender)
    _prune(Heartbeat.WORKER)
    record(Heartbeat.WORKER, name, detail=detail, started=True)
    connections.close_all()
    pulse = _pulses[name] = _Pulse(name, detail)
    pulse.start()


@worker_shutdown.connect
def worker_stopping(sender=None, **kwargs):
    name = _worker_name(sender.hostname)
    pulse = _pulses.pop(name, None)
    if pulse is not None:
        pulse.done.set()
    stopped(Heartbeat.WORKER, name)
    connections.close_all()


@beat_init.connect
def beat_started(sender=None, **kwargs):
    from .beat import holder_name

    _prune(Heartbeat.BEAT)
    record(
        Heartbeat.BEAT,
        holder_name(),
        detail={"role": "standby", "celery": celery.__version__},
        started=True,
    )
