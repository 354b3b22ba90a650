"""Prometheus metrics at GET /metrics (docs/observability.md).

Two kinds. django-prometheus's request, response and latency metrics, and the report build
histogram, live in the process that served or built (one gunicorn or Celery worker process:
see PROMETHEUS_MULTIPROC_DIR in the docs). The figures read at scrape time from the database
and the broker (queue lengths, outbox rows, report runs, failed jobs, heartbeats) are the
same whichever process answers: small grouped counts on indexed columns, and Redis calls
with a short timeout, so a scrape never hangs on a broker that is down.
"""

import datetime
import hmac
import logging
import os

import prometheus_client
import redis
from celery import current_app
from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from .models import Heartbeat, JobRun, OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

# Collectors read at scrape time, in every process alike; apps add theirs (rutan.reports).
SCRAPE_REGISTRY = prometheus_client.CollectorRegistry(auto_describe=False)
# kombu's Redis transport keeps a message of priority p > 0 under "<queue>\x06\x16<p>".
_PRIORITY_SEP = "\x06\x16"
_PRIORITY_STEPS = (3, 6, 9)
HEARTBEATS_MAX = 100


def register_collector(collector) -> None:
    """Add a scrape-time collector (an object with `collect()`) to /metrics."""
    SCRAPE_REGISTRY.register(collector)


def count_by(queryset, field: str, values) -> dict:
    """Rows of `queryset` per value of `field`, every one of `values` present (0 if none)."""
    counts = dict.fromkeys(values, 0)
    for row in queryset.order_by().values(field).annotate(n=Count("pk")):
        counts[row[field]] = row["n"]
    return counts


def queue_names() -> list[str]:
    names = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    names.add(settings.CELERY_TASK_DEFAULT_QUEUE)
    return sorted(names)


def queue_lengths() -> dict[str, int] | None:
    """Messages waiting per queue on a Redis broker; None for another broker or when Redis
    does not answer within METRICS_REDIS_TIMEOUT."""
    url = current_app.conf.broker_url or ""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    timeout = settings.METRICS_REDIS_TIMEOUT
    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        pipe = client.pipeline(transaction=False)
        names = queue_names()
        for name in names:
            for key in [name, *(f"{name}{_PRIORITY_SEP}{p}" for p in _PRIORITY_STEPS)]:
                pipe.llen(key)
        lengths = pipe.execute()
    except redis.RedisError as exc:
        logger.warning("metrics: broker did not answer: %s", type(exc).__name__)
        return None
    finally:
        client.close()
    per_queue = len(_PRIORITY_STEPS) + 1
    return {name: sum(lengths[i * per_queue : (i + 1) * per_queue]) for i, name in enumerate(names)}


class CoreCollector:
    """The broker's queues, the outbox, failed jobs and heartbeats."""

    def collect(self):
        lengths = queue_lengths()
        up = GaugeMetricFamily(
            "rutan_celery_broker_up",
            "1 when the Redis broker answered this scrape, 0 when not (or not Redis).",
        )
        up.add_metric([], 1 if lengths is not None else 0)
        yield up
        queues = GaugeMetricFamily(
            "rutan_celery_queue_length", "Messages waiting on the broker.", labels=["queue"]
        )
        for name, length in (lengths or {}).items():
            queues.add_metric([name], length)
        yield queues
        try:
            yield from self._database()
        except DatabaseError as exc:
            logger.warning("metrics: database did not answer: %s", type(exc).__name__)

    @staticmethod
    def _database():
        outbox = GaugeMetricFamily(
            "rutan_outbox_messages", "Outbox rows by status.", labels=["status"]
        )
        for status, n in count_by(OutboxMessage.objects, "status", OutboxStatus.values).items():
            outbox.add_metric([status], n)
        yield outbox
        since = timezone.now() - datetime.timedelta(hours=24)
        failed = GaugeMetricFamily(
            "rutan_job_runs_failed_24h",
            "Job runs that started in the last 24 hours and failed, by job kind.",
            labels=["kind"],
        )
        recent = JobRun.objects.filter(started_at__gte=since, success=False)
        for row in recent.order_by().values("kind").annotate(n=Count("pk")):
            failed.add_metric([row["kind"]], row["n"])
        yield failed
        ages = GaugeMetricFamily(
            "rutan_heartbeat_age_seconds",
            "Seconds since each worker and beat was last seen.",
            labels=["kind", "name"],
        )
        now = timezone.now()
        for beat in Heartbeat.objects.order_by("-seen_at")[:HEARTBEATS_MAX]:
            ages.add_metric([beat.kind, beat.name], (now - beat.seen_at).total_seconds())
        yield ages


register_collector(CoreCollector())


def process_registry():
    """This process's metrics, or every process's when PROMETHEUS_MULTIPROC_DIR is set."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = prometheus_client.CollectorRegistry()
        MultiProcessCollector(registry)
        return registry
    return prometheus_client.REGISTRY


def _bearer(request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


@require_safe
def metrics_view(request):
    """The metrics for a scraper holding METRICS_TOKEN; no session, no second factor.

    404 while METRICS_TOKEN is unset (the endpoint does not exist), 401 without a bearer
    token, 403 with another one (compared in constant time).
    """
    expected = settings.METRICS_TOKEN
    if not expected:
        return HttpResponse(status=404)
    given = _bearer(request)
    if given is None:
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return HttpResponse(status=403)
    body = prometheus_client.generate_latest(process_registry())
    body += prometheus_client.generate_latest(SCRAPE_REGISTRY)
    return HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)
