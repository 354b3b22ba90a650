"""The real thing: a Celery worker process against Redis builds what the web asked for."""

import os
import subprocess
import sys
import time

import pytest
import redis
from django.conf import settings
from django.db import connection

from rutan.celery import app as celery_app
from rutan.reports import services
from rutan.reports.models import ReportRun, ReportStatus


def _redis_up() -> bool:
    try:
        return redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def worker(tmp_path, private_media):
    if not _redis_up():
        pytest.skip("Redis is not reachable at CELERY_BROKER_URL")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rutan.settings.test",
        "DATABASE_URL": "postgres://{}@{}:{}/{}".format(
            db["USER"], db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["NAME"]
        ),
        "DJANGO_MEDIA_ROOT": str(private_media),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "rutan",
            "worker",
            "--pool=solo",
            "-Q",
            "interactive,batch",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "WARNING",
        ],
        env=env,
        stdout=open(tmp_path / "worker.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield process
    celery_app.conf.task_always_eager = eager
    process.terminate()
    process.wait(timeout=20)


def test_a_real_worker_builds_the_report(
    committed_db, transactional_db, october, worker, settings, private_media
):
    settings.MEDIA_ROOT = str(private_media)
    run = services.report_run_request(target=october, period="2026-10")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.is_finished:
            break
        time.sleep(0.5)
    assert run.status == ReportStatus.DONE, run.error or "worker did not finish in time"
    assert run.worker and run.worker != "generate_reports"
    assert (private_media / run.file.name).exists()
    assert ReportRun.objects.count() == 1


def test_workers_take_one_task_at_a_time_and_are_recycled(settings):
    """A batch of 563 reports spreads over the workers, and no pool process lives forever."""
    conf = celery_app.conf
    assert conf.worker_prefetch_multiplier == 1 and conf.task_acks_late is True
    assert conf.worker_max_tasks_per_child == settings.CELERY_WORKER_MAX_TASKS_PER_CHILD > 0
    assert conf.worker_max_memory_per_child == settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD
    assert 0 < conf.worker_max_memory_per_child <= 300 * 1024
