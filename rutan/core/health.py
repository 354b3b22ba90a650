"""/healthz and /readyz for load balancers, orchestrators and compose (django-health-check).

`/healthz`: the process answers; touches nothing. `/readyz`: the database answers, the broker
(Redis, or the SQLAlchemy broker of `make run`) answers, every migration is applied and the
private media storage takes a file; 200 when all do, 503 otherwise, each check named with
its status. Workers and beat are reported for information only: a web process is ready to
serve while the background is down (requests never wait for it, see docs/outbox.md).

Both are answered by `HealthProbeMiddleware` before sessions, CSRF, authentication, the
second-factor redirect and the access audit, and say nothing about people or the setup.
"""

import asyncio
import dataclasses
import datetime
import functools
import logging
import typing

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from health_check.base import HealthCheck
from health_check.checks import Database, Storage
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient

from . import heartbeat

logger = logging.getLogger(__name__)

# Under the probes' own timeouts (compose: 5 s).
CHECK_TIMEOUT = datetime.timedelta(seconds=3)


@dataclasses.dataclass
class DatabaseCheck(Database):
    label: typing.ClassVar[str] = "database"
    timeout = CHECK_TIMEOUT


@dataclasses.dataclass
class SqlAlchemyBroker(HealthCheck):
    """The SQLAlchemy broker (kombu's sqla+ transport, SQLite under `make run`) answers."""

    label: typing.ClassVar[str] = "broker"
    timeout = CHECK_TIMEOUT
    url: str = dataclasses.field(default="", repr=False)

    def run(self):
        from sqlalchemy import text
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with _sqlalchemy_engine(self.url).connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            raise ServiceUnavailable("Broker unreachable") from exc


@functools.cache
def _sqlalchemy_engine(url: str):
    from sqlalchemy import create_engine

    return create_engine(url.removeprefix("sqla+"), pool_pre_ping=True)


@dataclasses.dataclass
class RedisBroker(Redis):
    label: typing.ClassVar[str] = "broker"
    timeout = CHECK_TIMEOUT

    def __repr__(self):  # the library's names the host
        return "RedisBroker()"


def broker_check(url: str) -> HealthCheck:
    """The library's Redis check for a Redis broker, else the SQLAlchemy one."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        seconds = CHECK_TIMEOUT.total_seconds()
        return RedisBroker(
            client_factory=lambda: RedisClient.from_url(
                url, socket_connect_timeout=seconds, socket_timeout=seconds
            )
        )
    return SqlAlchemyBroker(url=url)


@functools.cache
def migration_targets() -> frozenset[tuple[str, str]]:
    """Every migration of the code (read from disk once per process, squashes resolved)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


@dataclasses.dataclass
class MigrationsCheck(HealthCheck):
    """Every migration of the code is recorded as applied in the database (one query)."""

    label: typing.ClassVar[str] = "migrations"
    timeout = CHECK_TIMEOUT
    alias: str = "default"

    def run(self):
        connection = connections[self.alias]
        try:
            applied = set(MigrationRecorder(connection).migration_qs.values_list("app", "name"))
        except DatabaseError as exc:
            raise ServiceUnavailable("Migrations not readable") from exc
        finally:
            connection.close()  # this runs in a thread of its own, which ends
        pending = len(migration_targets() - applied)
        if pending:
            raise ServiceUnavailable(f"{pending} migrations not applied")


@dataclasses.dataclass
class StorageCheck(Storage):
    """The private media storage (PRIVATE_STORAGE: local disk or S3) takes, returns and
    deletes a small file."""

    label: typing.ClassVar[str] = "storage"
    timeout = CHECK_TIMEOUT

    def get_file_name(self):
        return f"health-check/{super().get_file_name().rsplit('/', 1)[-1]}"


def background() -> dict:
    """Workers and beat by their heartbeats (information, never a reason to refuse)."""
    try:
        seen = heartbeat.summary()
    except DatabaseError:
        return {"workers": None, "beat": "unknown"}
    return {
        "workers": seen["workers"],
        "beat": "ok" if seen["beat_leader"] else "stopped",
        "beat_seen_seconds_ago": seen["beat_seen_seconds"],
    }


class ReadinessView(HealthCheckView):
    """JSON always (a probe sends no Accept header worth negotiating): the overall status,
    each check's, and the background's; 503 when a check fails."""

    def get_checks(self):
        yield DatabaseCheck()
        yield broker_check(settings.CELERY_BROKER_URL)
        yield MigrationsCheck()
        yield StorageCheck()

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            self.results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        ready = not any(result.error for result in self.results)
        body = {
            "status": "ok" if ready else "unavailable",
            "checks": {
                result.check.label: "ok" if result.error is None else "unavailable"
                for result in self.results
            },
            "background": await sync_to_async(background)(),
        }
        return JsonResponse(body, status=200 if ready else 503)


def healthz(request):
    """The process is up: nothing else is touched."""
    response = JsonResponse({"status": "ok"})
    add_never_cache_headers(response)
    return response


readyz = ReadinessView.as_view()
