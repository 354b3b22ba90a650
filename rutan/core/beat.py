"""One beat only, enforced: a lease row in the database that a beat must hold to dispatch.

Every `celery -A rutan beat` runs `LeaseScheduler` (CELERY_BEAT_SCHEDULER). On each tick it
renews the lease (or, as a standby, tries to take it) with one conditional UPDATE on the
database's clock; only the holder sends due jobs. A holder that dies stops renewing and a
standby takes over once the lease has expired (BEAT_LEASE_SECONDS); one that stops cleanly
releases it at once. Plain rows and UPDATEs, so it works on PostgreSQL, behind pgbouncer and
on the SQLite of `make run` alike. See docs/deploy-celery.md.
"""

import datetime
import logging
import os
import socket
import time

import celery
from django.conf import settings
from django.db import DatabaseError, IntegrityError, close_old_connections, transaction
from django.db.models import Case, F, Q, When
from django.db.models.functions import Now
from django_celery_beat.schedulers import DatabaseScheduler

from . import heartbeat
from .models import BeatLease, Heartbeat

logger = logging.getLogger(__name__)

LEASE_NAME = "beat"


def holder_name() -> str:
    """This process, as it appears in the lease and in its heartbeat row."""
    return f"{socket.gethostname()}/{os.getpid()}"


def _take(name: str, holder: str, seconds: int) -> bool:
    expires = Now() + datetime.timedelta(seconds=seconds)
    return bool(
        BeatLease.objects.filter(name=name)
        .filter(Q(holder=holder) | Q(expires_at__isnull=True) | Q(expires_at__lt=Now()))
        .update(
            expires_at=expires,
            acquired_at=Case(When(holder=holder, then=F("acquired_at")), default=Now()),
            holder=holder,
        )
    )


def lease_hold(*, holder: str, seconds: int, name: str = LEASE_NAME) -> bool:
    """Renew the lease for `holder`, or take it when it is free or expired; True while
    `holder` holds it. One conditional UPDATE decides, so two beats never both win."""
    if _take(name, holder, seconds):
        return True
    try:
        with transaction.atomic():
            _, created = BeatLease.objects.get_or_create(name=name)
    except IntegrityError:  # another beat created it just now
        created = True
    return created and _take(name, holder, seconds)


def lease_release(*, holder: str, name: str = LEASE_NAME) -> bool:
    """Give the lease up (a clean stop), so a standby takes over on its next tick."""
    return bool(
        BeatLease.objects.filter(name=name, holder=holder).update(
            expires_at=Now() - datetime.timedelta(seconds=1)
        )
    )


class LeaseScheduler(DatabaseScheduler):
    """django_celery_beat's DatabaseScheduler that dispatches only while holding the lease.

    A standby keeps checking every few seconds. On taking over, it reloads every job's last
    run from the database (the leader saves it right after each send, `sync_every_tasks=1`),
    so a job the old leader just sent is not sent again.
    """

    def __init__(self, *args, **kwargs):
        self.holder = holder_name()
        self.leading = False
        self._beat_at = 0.0
        kwargs.setdefault("sync_every_tasks", 1)
        super().__init__(*args, **kwargs)

    @property
    def lease_seconds(self) -> int:
        return settings.BEAT_LEASE_SECONDS

    def tick(self, *args, **kwargs):
        leading = self._hold()
        self._heartbeat()
        # Renew well before the lease runs out, however far away the next job is.
        renew = max(1.0, self.lease_seconds / 3)
        if not leading:
            return min(self.max_interval, renew)
        return min(super().tick(*args, **kwargs), renew)

    def _hold(self) -> bool:
        try:
            close_old_connections()
            held = lease_hold(holder=self.holder, seconds=self.lease_seconds)
        except DatabaseError:
            logger.warning("beat lease not renewed (database unreachable): not dispatching")
            held = False
        if held and not self.leading:
            logger.info("beat %s holds the lease: dispatching scheduled jobs", self.holder)
            self._schedule = self.all_as_schedule()
            self._heap = None
        elif self.leading and not held:
            logger.warning("beat %s lost the lease: standing by", self.holder)
        self.leading = held
        return held

    def _heartbeat(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._beat_at >= settings.HEARTBEAT_SECONDS:
            self._beat_at = now
            heartbeat.record(Heartbeat.BEAT, self.holder, detail=self.detail())

    def detail(self) -> dict:
        return {
            "role": "leader" if self.leading else "standby",
            "lease_seconds": self.lease_seconds,
            "celery": celery.__version__,
        }

    def close(self):
        try:
            super().close()
        finally:
            if self.leading:
                try:
                    lease_release(holder=self.holder)
                    self.leading = False
                except DatabaseError:
                    logger.warning("beat lease not released; it expires by itself")
            heartbeat.stopped(Heartbeat.BEAT, self.holder)
