"""A private Rutan stack for fault tests: its own PostgreSQL 15 and Redis on spare loopback
ports in a temp directory, gunicorn -w 2, one Celery worker (-c 2) and beat.

Used by tests/faults/ (pytest) and bench/chaos.py (`make chaos`). Never touches the
machine's own PostgreSQL or Redis. Every wait is bounded; `Stack.close()` kills every
process it started (by process group) and removes the temp directory, also on failure.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
SETTINGS = "tests.faults.settings"
LOGIN_PATH = "/akun/masuk/"
# Beat jobs the fault tests wait on, run every SCHEDULE_SECONDS in the stack.
FAST_TASKS = ("core.outbox_drain", "reports.sweep_stuck", "interns.tasks.auto_approve_logs")
SCHEDULE_SECONDS = 10
TEST_FERNET_KEY = "2yb6lX0Bqf1sH3H8rQ6jV1W2kN8gY5dC7pT4uE9aZ0M="  # throwaway, bench only


# Migrating and seeding the demo takes minutes: the seeded data directory is kept here and
# copied by the next stack with the same code, migrations and date (RUTAN_CHAOS_CACHE=off: none).
CACHE_ROOT = Path(
    os.environ.get("RUTAN_CHAOS_CACHE") or Path(tempfile.gettempdir()) / "rutan-chaos"
)
SEEDED_BY = ("rutan", "programmes", "assessments", "partners", "interns")


def seed_key() -> str:
    """What the seeded database depends on: the apps' code (models, migrations, seeders), the
    stack's settings and today's date (the demo data is dated relative to today)."""
    digest = hashlib.sha256(datetime.date.today().isoformat().encode())
    files = [p for app in SEEDED_BY for p in (ROOT / app).rglob("*.py")]
    for path in sorted([*files, Path(__file__).with_name("settings.py")]):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def missing_binaries() -> list[str]:
    """Binaries the stack needs and this machine lacks (a reason to skip)."""
    missing = [str(PG_BIN / b) for b in ("initdb", "pg_ctl") if not (PG_BIN / b).exists()]
    if not shutil.which("redis-server"):
        missing.append("redis-server")
    return missing


def _as_postgres() -> list[str]:
    """PostgreSQL refuses to run as root: under root, run its binaries as the postgres user."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception:  # noqa: BLE001 - any failure means "not yet"
            value = None
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"{what} not ready within {timeout:.0f} s")


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def http(port: int, path: str, *, headers: dict | None = None, timeout: float = 10):
    """(status, headers, body) of one GET; errors are responses too, a dead socket is 0."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except OSError:
        return 0, {}, b""


class Stack:
    def __init__(self, *, beat: bool = True, worker: bool = True, extra_env: dict | None = None):
        self.tmp = Path(tempfile.mkdtemp(prefix="rutan-chaos-"))
        self.pg_port = free_port()
        self.redis_port = free_port()
        self.web_port = free_port()
        self.with_worker = worker
        self.with_beat = beat
        self.extra_env = extra_env or {}
        self.procs: dict[str, subprocess.Popen] = {}
        self.pgdata = self.tmp / "pgdata"
        self.seeded_from_cache = False

    # --- environment -------------------------------------------------------------------
    @property
    def database_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.pg_port}/rutan"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def env(self, **extra) -> dict:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DATABASE_URL": self.database_url,
            "CONN_MAX_AGE": "60",
            "DJANGO_SECRET_KEY": "chaos-only-not-a-secret",
            "FIELD_ENCRYPTION_KEY": TEST_FERNET_KEY,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "REDIS_URL": self.redis_url,
            # The cache stays in process: a Redis outage is then a broker outage only.
            "CACHE_URL": "locmemcache://",
            # Load from one loopback address must not lock the demo users out.
            "AXES_FAILURE_LIMIT": "1000",
            "PYTHONPATH": str(ROOT),
            "DJANGO_STATIC_ROOT": str(self.tmp / "static"),
            "DJANGO_MEDIA_ROOT": str(self.tmp / "media"),
            # Report claims expire by heartbeat within seconds here (minutes in production),
            # so a killed build is taken over inside a bounded test.
            "REPORT_HEARTBEAT_SECONDS": "2",
            "REPORT_CLAIM_STALE_SECONDS": "15",
            "REPORT_CLAIM_RETRY_SECONDS": "3",
            "REPORT_CLAIM_MAX_RETRIES": "30",
            "REPORT_QUEUED_STALE_SECONDS": "120",
            # A pending outbox row is tried again after at most a minute.
            "OUTBOX_BACKOFF_MAX_MINUTES": "1",
            # Seconds each report build pauses (rutan.reports.services._test_pause), so that
            # a worker can be killed mid-report; 0 = no pause.
            "REPORT_TEST_BUILD_PAUSE": "0",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_BIND": f"127.0.0.1:{self.web_port}",
        }
        env.update(self.extra_env)
        env.update(extra)
        return env

    def _spawn(self, name: str, args: list[str], **env) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env(**env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs[name] = proc
        return proc

    def manage(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    # --- PostgreSQL ----------------------------------------------------------------------
    def start_postgres(self) -> None:
        if not self.pgdata.exists():
            if os.geteuid() == 0:  # PostgreSQL refuses to run as root
                shutil.chown(self.tmp, user="postgres")
            subprocess.run(
                [
                    *_as_postgres(),
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(self.pgdata),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
        self._pg_ctl(
            "start",
            "-w",
            "-t",
            "60",
            "-l",
            str(self.tmp / "postgres.log"),
            "-o",
            self._pg_options(),
        )

    def _pg_options(self) -> str:
        return (
            f"-p {self.pg_port} -k {self.tmp} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=60"
        )

    def _pg_ctl(self, *args: str, timeout: float = 90) -> None:
        subprocess.run(
            [*_as_postgres(), str(PG_BIN / "pg_ctl"), "-D", str(self.pgdata), *args],
            check=True,
            capture_output=True,
            timeout=timeout,
        )

    def stop_postgres(self) -> None:
        self._pg_ctl("stop", "-m", "fast", "-w", "-t", "60")

    def restart_postgres(self, down_for: float = 0) -> None:
        """pg_ctl restart -m fast, optionally staying down for `down_for` seconds."""
        if down_for:
            self.stop_postgres()
            time.sleep(down_for)
            self._pg_ctl(
                "start",
                "-w",
                "-t",
                "60",
                "-l",
                str(self.tmp / "postgres.log"),
                "-o",
                self._pg_options(),
            )
        else:
            self._pg_ctl("restart", "-m", "fast", "-w", "-t", "60", "-o", self._pg_options())

    def psql(self, sql: str, params=None) -> list[tuple]:
        """Rows of one statement on the stack's database (none for a statement without)."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1",
            port=self.pg_port,
            user="postgres",
            dbname="rutan",
            autocommit=True,
            connect_timeout=5,
        ) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    # --- Redis ---------------------------------------------------------------------------
    def start_redis(self) -> None:
        self._spawn(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp),
            ],
        )
        wait_for(lambda: port_open(self.redis_port), 20, "redis")

    def stop_redis(self) -> None:
        self._kill("redis", signal.SIGKILL)

    def alive(self, name: str) -> bool:
        proc = self.procs.get(name)
        return proc is not None and proc.poll() is None

    # --- application ---------------------------------------------------------------------
    def setup_database(self) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.pg_port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute('CREATE DATABASE "rutan"')
        self.manage("migrate", "--noinput", "-v0")
        self.manage("seed_demo")

    def shorten_schedules(self, seconds: int = SCHEDULE_SECONDS) -> None:
        """The outbox drain and the report sweep run every `seconds` instead of every
        minute, so a fault test waits seconds, not minutes (same tasks, same code)."""
        self.psql(
            "INSERT INTO django_celery_beat_intervalschedule (every, period) "
            f"SELECT {int(seconds)}, 'seconds' WHERE NOT EXISTS (SELECT 1 FROM "
            f"django_celery_beat_intervalschedule WHERE every = {int(seconds)} "
            "AND period = 'seconds')"
        )
        self.psql(
            "UPDATE django_celery_beat_periodictask SET interval_id = (SELECT id FROM "
            f"django_celery_beat_intervalschedule WHERE every = {int(seconds)} AND "
            "period = 'seconds' LIMIT 1), crontab_id = NULL "
            f"WHERE task IN ({', '.join(repr(t) for t in FAST_TASKS)})"
        )

    def start_web(self) -> None:
        """gunicorn with the production config (rutan/gunicorn_conf.py: threaded workers),
        two workers on this stack's loopback port."""
        self._spawn(
            "web",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "python:rutan.gunicorn_conf",
                # Several stacks (and helpers) on one machine: no shared control socket.
                "--no-control-socket",
                "rutan.wsgi",
            ],
        )
        wait_for(lambda: port_open(self.web_port), 60, "gunicorn")
        wait_for(lambda: http(self.web_port, LOGIN_PATH)[0] == 200, 60, "login page")

    def start_worker(
        self, name: str = "worker", concurrency: int = 2, wait: bool = True, **env
    ) -> None:
        """A Celery worker on every queue; with `wait`, returns once it is ready."""
        ready_before = self.log(name).count(" ready.")
        queues = self.env().get("CHAOS_QUEUES", "celery,interactive,batch")
        self._spawn(
            name,
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "rutan",
                "worker",
                "-c",
                str(concurrency),
                "-Q",
                queues,
                "-n",
                f"{name}@%h",
                "-l",
                "info",
            ],
            **env,
        )
        if wait:
            wait_for(lambda: self.log(name).count(" ready.") > ready_before, 120, name, 0.5)

    def start_beat(self, name: str = "beat") -> None:
        self._spawn(
            name,
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "rutan",
                "beat",
                "-l",
                "info",
                "-s",
                str(self.tmp / f"{name}-schedule"),
            ],
        )

    def worker_children(self, name: str = "worker") -> list[int]:
        import psutil

        return [c.pid for c in psutil.Process(self.procs[name].pid).children(recursive=True)]

    def kill_worker_child(self, name: str = "worker") -> int:
        pid = wait_for(lambda: self.worker_children(name), 60, "worker children")[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def _kill(self, name: str, sig=signal.SIGTERM, timeout: float = 20, group: bool = True) -> None:
        """Signal a process (its whole group when `group`), wait, then SIGKILL the group."""
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        try:
            if group:
                os.killpg(proc.pid, sig)
            else:
                proc.send_signal(sig)
            proc.wait(timeout=timeout)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)  # leftovers of the group, if any
            proc.wait(timeout=10)

    def kill(self, name: str) -> None:
        """SIGKILL a whole process (group): a worker, beat, gunicorn."""
        self._kill(name, signal.SIGKILL)

    def stop(self, name: str) -> None:
        """SIGTERM to the main process only: a worker finishes its tasks (warm shutdown),
        gunicorn and beat stop cleanly."""
        self._kill(name, signal.SIGTERM, timeout=60, group=False)

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # --- lifecycle -----------------------------------------------------------------------
    def __enter__(self) -> Stack:
        try:
            if not self._copy_seeded():
                self.start_postgres()
                self.setup_database()
                self._keep_seeded()
            self.start_postgres()
            self.start_redis()
            # The production settings serve hashed static files (a manifest): collect them.
            self.manage("collectstatic", "--noinput", "-v0")
            self.shorten_schedules()
            self.start_web()
            if self.with_worker:
                self.start_worker()
            if self.with_beat:
                self.start_beat()
        except BaseException:
            self.close()
            raise
        return self

    def _cached(self) -> Path | None:
        if str(CACHE_ROOT).lower() == "off":
            return None
        return CACHE_ROOT / seed_key() / "pgdata"

    def _copy_seeded(self) -> bool:
        cached = self._cached()
        if cached is None or not cached.exists():
            return False
        if os.geteuid() == 0:
            shutil.chown(self.tmp, user="postgres")
        subprocess.run(["cp", "-a", str(cached), str(self.pgdata)], check=True, timeout=120)
        self.seeded_from_cache = True
        return True

    def _keep_seeded(self) -> None:
        """Stop PostgreSQL and keep a copy of its freshly seeded data directory."""
        self.stop_postgres()
        cached = self._cached()
        if cached is None:
            return
        if CACHE_ROOT.exists():  # copies made from older code or another day
            for old in CACHE_ROOT.iterdir():
                if old.name != cached.parent.name and (old / "pgdata").exists():
                    shutil.rmtree(old, ignore_errors=True)
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f"pgdata.{os.getpid()}.partial")
        subprocess.run(["cp", "-a", str(self.pgdata), str(partial)], check=True, timeout=120)
        try:
            partial.rename(cached)
        except OSError:  # another stack kept the same copy first
            shutil.rmtree(partial, ignore_errors=True)

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for name in list(self.procs):
            self._kill(name, signal.SIGKILL, timeout=10)
        if self.pgdata.exists():
            with contextlib.suppress(Exception):  # already down
                self._pg_ctl("stop", "-m", "immediate", "-w", "-t", "30", timeout=40)
        shutil.rmtree(self.tmp, ignore_errors=True)
