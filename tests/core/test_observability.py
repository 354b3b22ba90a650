"""Observability: one JSON line a request with no personal data, the request id echoed and
carried into tasks (also through the outbox), slow statements logged, /metrics by token."""

import base64
import datetime
import io
import json
import logging
import threading
import time
from unittest import mock

import prometheus_client
import prometheus_client.parser
import pytest
import redis
import structlog
from celery import current_app
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone
from kombu import pools

from rutan.core import outbox
from rutan.core.models import Heartbeat, JobRun, OutboxMessage, OutboxStatus
from rutan.core.tasks import freshness_compact
from rutan.reports import services as report_services
from rutan.reports.models import ReportRun, ReportScope, ReportStatus
from rutan.settings.logs import logging_config

TOKEN = "uji-token-metrik-0123456789"


# The loggers of the events under test. Not the root logger: an embedded worker calls
# django.setup() again, which applies LOGGING afresh and replaces the root's handlers.
EVENT_LOGGERS = ("django_structlog", "rutan")


@pytest.fixture
def json_log():
    """What the event loggers write, rendered as production renders it (one JSON a line)."""
    spec = logging_config(log_format="json", level="INFO")["formatters"]["structured"]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=spec["processors"], foreign_pre_chain=spec["foreign_pre_chain"]
        )
    )
    for name in EVENT_LOGGERS:
        logging.getLogger(name).addHandler(handler)

    def lines() -> list[tuple[str, dict]]:
        return [(raw, json.loads(raw)) for raw in stream.getvalue().splitlines() if raw.strip()]

    yield lines
    for name in EVENT_LOGGERS:
        logging.getLogger(name).removeHandler(handler)


def _requests(lines, path):
    return [
        (raw, e) for raw, e in lines() if e["event"] == "request_finished" and e["path"] == path
    ]


@pytest.mark.django_db
def test_a_request_is_one_json_line_with_ids_and_without_personal_data(
    client, registrasi, balikpapan, json_log
):
    registrasi.email = "petugas.registrasi@rutan.example"
    registrasi.save(update_fields=["email"])
    client.force_login(registrasi)
    path = reverse("inmates:list")
    response = client.get(
        path, {"q": "Budi Santoso 6471010101010001"}, REMOTE_ADDR="10.9.8.7", HTTP_USER_AGENT="UA/1"
    )
    assert response.status_code == 200
    found = _requests(json_log, path)
    assert len(found) == 1, json_log()
    raw, event = found[0]
    assert event["request_id"] == response["X-Request-ID"]
    assert event["user_id"] == registrasi.pk
    assert event["facility_id"] == balikpapan.pk
    assert (event["method"], event["status"]) == ("GET", 200)
    assert isinstance(event["duration_ms"], int)
    for secret in ("registrasi", registrasi.email, "Budi", "6471010101010001", "10.9.8.7", "UA/1"):
        assert secret not in raw
    assert "?" not in event["path"]
    assert "ip" not in event


@pytest.mark.django_db
def test_the_client_address_is_logged_only_when_a_setting_allows_it(client, settings, json_log):
    settings.LOG_CLIENT_IP = True
    client.get(reverse("login"), REMOTE_ADDR="10.9.8.7")
    [(_, event)] = _requests(json_log, reverse("login"))
    assert event["ip"] == "10.9.8.7"
    assert event["user_id"] is None


@pytest.mark.django_db
def test_a_well_formed_request_id_is_kept_and_echoed_and_a_bad_one_replaced(client, json_log):
    path = reverse("login")
    kept = client.get(path, HTTP_X_REQUEST_ID="edge-7f3a9c01")
    assert kept["X-Request-ID"] == "edge-7f3a9c01"
    uuid_form = client.get(path, HTTP_X_REQUEST_ID="0f8fad5b-d9cb-469f-a165-70867728950e")
    assert uuid_form["X-Request-ID"] == "0f8fad5bd9cb469fa16570867728950e"
    bad = client.get(path, HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert bad["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(bad["X-Request-ID"]) == 32
    ids = [event["request_id"] for _, event in _requests(json_log, path)]
    assert ids == [kept["X-Request-ID"], uuid_form["X-Request-ID"], bad["X-Request-ID"]]


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def slow_log():
    """What `rutan.sql.slow` emits (a handler of its own: no dependence on pytest's caplog)."""
    handler = _Records()
    logger = logging.getLogger("rutan.sql.slow")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.WARNING)
    yield handler.records
    logger.removeHandler(handler)
    logger.setLevel(level)


def _sleep_in_new_connection(seconds: float) -> None:
    """A statement on a connection opened for it (another thread: its own connection)."""

    def run():
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_sleep(%s)", [seconds])
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()


@pytest.mark.django_db
def test_a_statement_slower_than_the_setting_is_logged_without_its_parameters(settings, slow_log):
    settings.SLOW_QUERY_MS = 50
    _sleep_in_new_connection(0.2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [0.15])
    records = slow_log
    assert len(records) == 2
    for record in records:
        assert record.levelno == logging.WARNING
        event = record.msg
        assert event["event"] == "slow_query"
        assert event["sql"] == "SELECT pg_sleep(%s)"
        assert event["duration_ms"] >= 50
        assert "0.15" not in str(event) and "0.2" not in json.dumps(event["sql"])


@pytest.mark.django_db
def test_a_statement_under_the_setting_or_with_it_off_is_not_logged(settings, slow_log):
    settings.SLOW_QUERY_MS = 2000
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [0.05])
    settings.SLOW_QUERY_MS = 0
    _sleep_in_new_connection(0.05)
    assert slow_log == []


@pytest.fixture
def redis_broker():
    """The Celery app on the test Redis (not eager), emptied before and after."""
    conf = current_app.conf
    saved = {key: conf.get(key) for key in ("task_always_eager", "broker_url")}
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.flushdb()
    conf.update(task_always_eager=False, broker_url=settings.CELERY_BROKER_URL)
    _reset_pools()
    yield client
    client.flushdb()
    conf.update(saved)
    _reset_pools()


def _reset_pools():
    pools.reset()
    current_app._pool = None
    current_app.amqp._producer_pool = None


def _scrape(client, token=TOKEN):
    return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.django_db
def test_metrics_need_the_token_setting_and_the_right_bearer_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert _scrape(client).status_code == 404
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 401
    assert _scrape(client, token=TOKEN + "x").status_code == 403
    assert _scrape(client, token="salah").status_code == 403
    response = _scrape(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "sessionid" not in response.cookies


def _sample(text: str, metric: str, **labels) -> float | None:
    for family in prometheus_client.parser.text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == metric and sample.labels == labels:
                return sample.value
    return None


@pytest.mark.django_db
def test_metrics_count_queues_outbox_reports_jobs_and_heartbeats(
    client, settings, balikpapan, redis_broker
):
    settings.METRICS_TOKEN = TOKEN
    redis_broker.rpush("interactive", "a", "b", "c")
    redis_broker.rpush("batch", "d")
    redis_broker.rpush("batch\x06\x163", "e")  # a message of priority 3
    for status in (OutboxStatus.PENDING, OutboxStatus.PENDING, OutboxStatus.FAILED):
        OutboxMessage.objects.create(task="core.freshness_compact", status=status)
    for version, status in enumerate([ReportStatus.DONE, ReportStatus.DONE, ReportStatus.FAILED]):
        ReportRun.objects.create(
            scope=ReportScope.FACILITY,
            facility=balikpapan,
            period="2026-10",
            status=status,
            version=version + 1,
        )
    now = timezone.now()
    JobRun.objects.create(kind="partners.expire_agreements", started_at=now, success=False)
    JobRun.objects.create(
        kind="partners.expire_agreements",
        started_at=now - datetime.timedelta(days=2),
        success=False,
    )
    JobRun.objects.create(kind="interns.tasks.auto_approve_logs", started_at=now, success=True)
    Heartbeat.objects.create(
        kind=Heartbeat.WORKER,
        name="celery@w1",
        started_at=now,
        seen_at=now - datetime.timedelta(seconds=42),
    )

    text = _scrape(client).content.decode()

    assert _sample(text, "rutan_celery_broker_up") == 1
    assert _sample(text, "rutan_celery_queue_length", queue="interactive") == 3
    assert _sample(text, "rutan_celery_queue_length", queue="batch") == 2
    assert _sample(text, "rutan_outbox_messages", status="pending") == 2
    assert _sample(text, "rutan_outbox_messages", status="failed") == 1
    assert _sample(text, "rutan_outbox_messages", status="done") == 0
    assert _sample(text, "rutan_report_runs", status="done") == 2
    assert _sample(text, "rutan_report_runs", status="failed") == 1
    assert _sample(text, "rutan_report_runs", status="running") == 0
    assert _sample(text, "rutan_job_runs_failed_24h", kind="partners.expire_agreements") == 1
    assert (
        _sample(text, "rutan_job_runs_failed_24h", kind="interns.tasks.auto_approve_logs") is None
    )
    age = _sample(text, "rutan_heartbeat_age_seconds", kind="worker", name="celery@w1")
    assert 42 <= age < 100
    # django-prometheus's own request metrics are served alongside.
    assert "django_http_requests_total_by_method" in text


@pytest.mark.django_db
def test_metrics_answer_fast_when_the_broker_is_down(client, settings):
    settings.METRICS_TOKEN = TOKEN
    conf = current_app.conf
    saved = conf.broker_url
    conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        started = time.monotonic()
        response = _scrape(client)
        assert time.monotonic() - started < 3
    finally:
        conf.broker_url = saved
    text = response.content.decode()
    assert response.status_code == 200
    assert _sample(text, "rutan_celery_broker_up") == 0
    assert _sample(text, "rutan_celery_queue_length", queue="interactive") is None
    assert _sample(text, "rutan_outbox_messages", status="pending") == 0


@pytest.mark.django_db
def test_a_finished_report_build_is_observed_in_the_duration_histogram(
    client, settings, balikpapan
):
    settings.METRICS_TOKEN = TOKEN

    def count(status):
        return (
            prometheus_client.REGISTRY.get_sample_value(
                "rutan_report_build_duration_seconds_count", {"status": status}
            )
            or 0
        )

    before = {status: count(status) for status in ("done", "failed")}
    runs = [
        ReportRun.objects.create(
            scope=ReportScope.FACILITY, facility=balikpapan, period="2026-10", version=version
        )
        for version in (1, 2)
    ]
    with mock.patch("rutan.reports.pdf.render_report_pdf", return_value=b"%PDF-1.4 uji"):
        assert report_services.report_run_build(run_id=runs[0].pk).status == ReportStatus.DONE
    with mock.patch("rutan.reports.pdf.render_report_pdf", side_effect=ValueError("rusak")):
        assert report_services.report_run_build(run_id=runs[1].pk).status == ReportStatus.FAILED
    assert count("done") == before["done"] + 1
    assert count("failed") == before["failed"] + 1
    text = _scrape(client).content.decode()
    assert _sample(text, "rutan_report_build_duration_seconds_count", status="done") == count(
        "done"
    )


def _wait_done(message_ids, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        statuses = set(
            OutboxMessage.objects.filter(pk__in=message_ids).values_list("status", flat=True)
        )
        if statuses == {OutboxStatus.DONE}:
            return
        time.sleep(0.2)
    raise AssertionError(f"tasks not done in {timeout} s: {statuses}")


@pytest.mark.django_db(transaction=True)
def test_a_worker_logs_task_events_with_the_request_id_also_through_the_outbox_drain(
    redis_broker, json_log
):
    # Sent on commit from a request's context.
    with (
        structlog.contextvars.bound_contextvars(request_id="req-direct-0001", user_id=7),
        transaction.atomic(),
    ):
        direct = outbox.enqueue(freshness_compact)
    # Asked for while the broker was down, sent later by the drain (no request around).
    with (
        structlog.contextvars.bound_contextvars(request_id="req-drained-0002"),
        mock.patch.object(outbox, "publish"),
        transaction.atomic(),
    ):
        drained = outbox.enqueue(freshness_compact)
    assert OutboxMessage.objects.get(pk=drained.pk).request_id == "req-drained-0002"
    assert outbox.drain()["published"] == 1

    with start_worker(
        current_app,
        pool="solo",
        perform_ping_check=False,
        loglevel="WARNING",
        queues=["interactive", "batch"],
    ):
        _wait_done([direct.pk, drained.pk])

    events = [event for _, event in json_log()]
    for message, request_id in ((direct, "req-direct-0001"), (drained, "req-drained-0002")):
        mine = {e["event"]: e for e in events if e.get("task_id") == str(message.pk)}
        assert {"task_received", "task_started", "task_succeeded"} <= set(mine), mine
        for name in ("task_received", "task_started", "task_succeeded"):
            assert mine[name]["request_id"] == request_id
            assert mine[name]["task"] == "core.freshness_compact"
            assert mine[name]["queue"] == "batch"
        assert isinstance(mine["task_succeeded"]["duration_ms"], int)
    started = next(
        e for e in events if e["event"] == "task_started" and e["task_id"] == str(direct.pk)
    )
    assert started["user_id"] == 7


@pytest.mark.django_db
def test_a_task_run_inline_logs_its_events_and_leaves_the_request_context(json_log):
    with structlog.contextvars.bound_contextvars(request_id="req-inline-0003"):
        result = freshness_compact.apply()
        assert structlog.contextvars.get_contextvars()["request_id"] == "req-inline-0003"
        assert "task_id" not in structlog.contextvars.get_contextvars()
    assert result.successful()
    mine = {e["event"]: e for _, e in json_log() if e.get("task_id") == result.id}
    assert {"task_started", "task_succeeded"} <= set(mine)
    assert mine["task_succeeded"]["request_id"] == "req-inline-0003"
    assert mine["task_started"]["queue"] == "batch"


def test_production_logs_json_and_development_a_readable_line(monkeypatch):
    import importlib

    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", base64.urlsafe_b64encode(b"k" * 32).decode())
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "rutan.example")
    monkeypatch.setenv("DATABASE_URL", "postgres://rutan@127.0.0.1:5432/rutan")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    production = importlib.reload(importlib.import_module("rutan.settings.production"))
    assert production.LOG_FORMAT == "json"
    [*_, renderer] = production.LOGGING["formatters"]["structured"]["processors"]
    assert isinstance(renderer, structlog.processors.JSONRenderer)
    # WeasyPrint's quieting and the others are kept.
    assert production.LOGGING["loggers"]["weasyprint"] == {"level": "WARNING"}
    monkeypatch.setenv("LOG_FORMAT", "console")
    production = importlib.reload(production)
    [*_, renderer] = production.LOGGING["formatters"]["structured"]["processors"]
    assert isinstance(renderer, structlog.dev.ConsoleRenderer)
    with pytest.raises(ValueError):
        logging_config(log_format="xml", level="INFO")
