"""One beat only: the lease row, and two real `celery beat` processes of which one sends."""

import collections
import datetime
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
import redis
from django.conf import settings
from django.db import connections
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from rutan.core.beat import lease_hold, lease_release
from rutan.core.models import BeatLease, Heartbeat
from tests.processes import database_url, wait_until

PROBE_QUEUE = "rutan-beat-lease-probe"
PROBE_TASK = "rutan.tests.beat_probe"
LEASE_SECONDS = 6


def test_the_first_beat_takes_the_lease_and_renews_it(db):
    assert lease_hold(holder="a/1", seconds=30)
    lease = BeatLease.objects.get()
    assert lease.holder == "a/1" and lease.expires_at > timezone.now()
    assert not lease_hold(holder="b/2", seconds=30)
    assert lease_hold(holder="a/1", seconds=30)
    renewed = BeatLease.objects.get()
    assert renewed.acquired_at == lease.acquired_at and renewed.expires_at >= lease.expires_at


def test_a_standby_takes_over_an_expired_lease_and_the_old_holder_stops(db):
    assert lease_hold(holder="a/1", seconds=30)
    BeatLease.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert lease_hold(holder="b/2", seconds=30)
    assert BeatLease.objects.get().holder == "b/2"
    assert not lease_hold(holder="a/1", seconds=30)


def test_a_clean_stop_releases_the_lease_at_once(db):
    assert lease_hold(holder="a/1", seconds=30)
    assert not lease_release(holder="b/2")
    assert lease_release(holder="a/1")
    assert lease_hold(holder="b/2", seconds=30)


def test_racing_beats_never_both_win(transactional_db):
    BeatLease.objects.create(name="beat", expires_at=timezone.now() - datetime.timedelta(1))
    start, won = threading.Barrier(6), []

    def contend(n):
        try:
            start.wait(timeout=10)
            if lease_hold(holder=f"host/{n}", seconds=30):
                won.append(n)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=contend, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(won) == 1
    assert BeatLease.objects.get().holder == f"host/{won[0]}"


# --- two real beats -----------------------------------------------------------------------


def _broker():
    try:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2)
        client.ping()
    except redis.RedisError:
        pytest.skip("Redis is not reachable at CELERY_BROKER_URL")
    return client


def _senders(client) -> list[int]:
    """The pid of the beat that sent each probe message, oldest first (the message's
    `origin` header is `gen<pid>@<host>`)."""
    pids = []
    for raw in reversed(client.lrange(PROBE_QUEUE, 0, -1)):
        origin = json.loads(raw)["headers"]["origin"]
        pids.append(int(origin.split("@")[0].removeprefix("gen")))
    return pids


@pytest.fixture
def beats(tmp_path):
    procs, logs = [], []
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rutan.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "BEAT_LEASE_SECONDS": str(LEASE_SECONDS),
        "HEARTBEAT_SECONDS": "1",
    }

    def start(name):
        log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed in teardown
        logs.append(log)
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "rutan", "beat", "-l", "INFO"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    for log in logs:
        log.close()


def test_two_real_beats_send_each_job_once_and_the_standby_takes_over(transactional_db, beats):
    client = _broker()
    client.delete(PROBE_QUEUE)
    PeriodicTask.objects.update(enabled=False)
    every, _ = IntervalSchedule.objects.get_or_create(every=2, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="beat lease probe", task=PROBE_TASK, interval=every, queue=PROBE_QUEUE
    )
    try:
        leader = beats("beat-a")
        wait_until(lambda: _senders(client), 60, "the first beat's first dispatch")
        assert BeatLease.objects.get().holder.endswith(f"/{leader.pid}")
        standby = beats("beat-b")
        wait_until(
            lambda: Heartbeat.objects.filter(kind="beat", pid=standby.pid).exists(),
            60,
            "the second beat's start",
        )
        client.delete(PROBE_QUEUE)
        time.sleep(12)
        senders = _senders(client)
        # Every 2 s for 12 s: about 6 messages, all from the leader, none doubled.
        assert set(senders) == {leader.pid}, senders
        assert 4 <= len(senders) <= 8, senders
        roles = dict(Heartbeat.objects.filter(kind="beat").values_list("pid", "detail__role"))
        assert roles == {leader.pid: "leader", standby.pid: "standby"}

        # The leader dies without a word: the standby takes over once the lease expired.
        os.killpg(leader.pid, signal.SIGKILL)
        leader.wait(timeout=10)
        killed_at = time.monotonic()
        client.delete(PROBE_QUEUE)
        wait_until(
            lambda: BeatLease.objects.get().holder.endswith(f"/{standby.pid}"),
            LEASE_SECONDS + 15,
            "the standby's takeover",
        )
        assert time.monotonic() - killed_at <= LEASE_SECONDS + 10
        wait_until(lambda: len(_senders(client)) >= 3, 30, "the new leader's dispatches")
        counts = collections.Counter(_senders(client))
        assert set(counts) == {standby.pid}, counts
    finally:
        client.delete(PROBE_QUEUE)


def test_a_beat_stopped_cleanly_hands_over_at_once(transactional_db, beats):
    client = _broker()
    client.delete(PROBE_QUEUE)
    PeriodicTask.objects.update(enabled=False)
    leader = beats("beat-a")
    wait_until(
        lambda: BeatLease.objects.filter(holder__endswith=f"/{leader.pid}").exists(),
        60,
        "the first beat's lease",
    )
    standby = beats("beat-b")
    wait_until(
        lambda: Heartbeat.objects.filter(kind="beat", pid=standby.pid).exists(),
        60,
        "the second beat's start",
    )
    leader.send_signal(signal.SIGTERM)
    leader.wait(timeout=30)
    stopped_at = time.monotonic()
    wait_until(
        lambda: BeatLease.objects.get().holder.endswith(f"/{standby.pid}"),
        LEASE_SECONDS,
        "the handover",
    )
    # Sooner than the lease would have expired by itself.
    assert time.monotonic() - stopped_at < LEASE_SECONDS
    assert Heartbeat.objects.get(kind="beat", pid=leader.pid).detail.get("stopped_at")
