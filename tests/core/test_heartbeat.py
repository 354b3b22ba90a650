"""Workers and beat leave heartbeats that administrators see, with a clear "berhenti"."""

import datetime
import os
import signal
import subprocess
import sys

import pytest
import redis
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from rutan.core import heartbeat
from rutan.core.models import Heartbeat, JobRun
from tests.processes import database_url, wait_until


def _row(kind, name, *, ago=0, **detail):
    seen = timezone.now() - datetime.timedelta(seconds=ago)
    return Heartbeat.objects.create(
        kind=kind, name=name, started_at=seen, seen_at=seen, detail=detail
    )


def test_record_creates_then_refreshes_one_row(db):
    assert heartbeat.record("worker", "celery@a/1", detail={"queues": ["batch"]}, started=True)
    first = Heartbeat.objects.get()
    assert heartbeat.record("worker", "celery@a/1", detail={"queues": ["batch"]})
    again = Heartbeat.objects.get()
    assert again.started_at == first.started_at and again.seen_at >= first.seen_at
    assert heartbeat.stopped("worker", "celery@a/1")
    assert not heartbeat.is_alive(Heartbeat.objects.get())


def test_summary_counts_only_the_living(db):
    _row("worker", "celery@a/1")
    _row("worker", "celery@b/2", ago=settings.HEARTBEAT_STALE_SECONDS + 5)
    _row("worker", "celery@c/3", stopped_at="2026-01-01T00:00:00")
    _row("beat", "host/4", role="standby")
    assert heartbeat.summary()["workers"] == 1
    assert heartbeat.summary()["beat_leader"] is False
    _row("beat", "host/5", role="leader")
    assert heartbeat.summary()["beat_leader"] is True


def test_admin_lists_workers_and_beats_with_their_state(client, national_admin):
    _row("worker", "celery@alive/1", queues=["batch", "interactive"], concurrency=2)
    _row("worker", "celery@gone/2", ago=3600, queues=["batch"], concurrency=4)
    _row("beat", "host/3", role="leader", celery="5.7.0")
    client.force_login(national_admin)
    body = client.get(reverse("admin:core_heartbeat_changelist")).content.decode()
    assert "celery@alive/1" in body and "celery@gone/2" in body and "host/3" in body
    assert body.count("berhenti") >= 1 and "aktif" in body
    assert "batch, interactive" in body and "pengirim jadwal" in body


def test_admin_is_national_only(client, kepala):
    _row("worker", "celery@a/1")
    client.force_login(kepala)
    assert client.get(reverse("admin:core_heartbeat_changelist")).status_code in {403, 404}


def test_job_list_shows_the_background_with_a_fixed_query_count(
    client, kepala, django_assert_num_queries
):
    client.force_login(kepala)
    JobRun.objects.create(
        kind="partners.expire_agreements", started_at=timezone.now(), success=True
    )
    client.get(reverse("reports:jobs"))  # warm the caches (session and user)
    with django_assert_num_queries(4) as few:
        body = client.get(reverse("reports:jobs")).content.decode()
    assert "Worker: 0 aktif" in body and "Beat: berhenti" in body
    for n in range(3):
        _row("worker", f"celery@w{n}/{n}")
        JobRun.objects.create(
            kind="partners.expire_agreements", started_at=timezone.now(), success=True
        )
    _row("worker", "celery@stale/9", ago=3600)
    _row("beat", "host/1", ago=12, role="leader")
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(reverse("reports:jobs")).content.decode().replace("\xa0", " ")
    assert "Worker: 3 aktif" in body
    assert "Beat: aktif, terakhir 12 detik lalu" in body


def _redis_up() -> bool:
    try:
        return redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=1).ping()
    except redis.RedisError:
        return False


def test_a_real_worker_writes_started_periodic_and_stopped_heartbeats(transactional_db, tmp_path):
    if not _redis_up():
        pytest.skip("Redis is not reachable at CELERY_BROKER_URL")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rutan.settings.test",
        "DATABASE_URL": database_url(),
        "HEARTBEAT_SECONDS": "1",
    }
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "rutan",
            "worker",
            "-c",
            "1",
            "-Q",
            "interactive,batch",
            "-n",
            "heartbeat-test@%h",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "WARNING",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        row = wait_until(
            lambda: Heartbeat.objects.filter(kind="worker", pid=process.pid).first(),
            90,
            "the worker's heartbeat",
        )
        assert row.name.startswith("heartbeat-test@") and row.name.endswith(f"/{process.pid}")
        assert row.detail["queues"] == ["batch", "interactive"]
        assert row.detail["concurrency"] == 1
        assert row.detail["celery"]
        first_seen = row.seen_at
        wait_until(
            lambda: Heartbeat.objects.get(pk=row.pk).seen_at > first_seen,
            15,
            "a periodic heartbeat",
        )
        assert heartbeat.is_alive(Heartbeat.objects.get(pk=row.pk))
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        stopped = Heartbeat.objects.get(pk=row.pk)
        assert stopped.detail.get("stopped_at")
        assert not heartbeat.is_alive(stopped)
        assert stopped.started_at == row.started_at
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()
