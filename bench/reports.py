"""Benchmark the monthly reports: one facility's PDF, and the national batch on real workers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rutan_rep_full \
    REDIS_URL=redis://127.0.0.1:6379/12 \
        uv run python bench/reports.py --facility rutan-balikpapan --workers 2

`report_build` only reads: it builds one facility's PDF in-process as the task does (the
figures, the HTML, WeasyPrint) and WeasyPrint alone on the same HTML, so it may run against
a shared database. `national_batch` writes report runs: run it on a copy
(`createdb -T rutan_seed_full rutan_rep_full`), never on the shared seed. It starts real
Celery workers with the project's settings on the current DATABASE_URL and REDIS_URL, sends
the batch the way beat does and waits for every facility and regional report.
Prints `BENCH name=value` lines; asserts nothing: the machine is shared, read the figures.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rutan.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rutan_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/12")
# The batch is sent to real workers, not run in this process.
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Max, Min  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import override  # noqa: E402

from rutan.celery import app  # noqa: E402
from rutan.facilities.models import Facility  # noqa: E402
from rutan.reports import services  # noqa: E402
from rutan.reports.models import (  # noqa: E402
    ReportKind,
    ReportLanguage,
    ReportRun,
    ReportScope,
    ReportStatus,
)
from rutan.reports.pdf import render_html, render_report_pdf, report_html_to_pdf  # noqa: E402
from rutan.reports.periods import data_until, last_month  # noqa: E402

# The shared national seed is read, never written.
READ_ONLY_DATABASES = {"rutan_seed_full"}


def _facility(facility) -> Facility:
    if isinstance(facility, Facility):
        return facility
    return Facility.objects.select_related("regional_office").get(code=facility)


def _median_seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def report_build(facility, period: str | None = None, *, repeat: int = 3) -> dict:
    """Seconds to build one facility's monthly PDF as the task does, and WeasyPrint alone.

    The run is not saved (nothing is written): its `data_until` is set as the task sets it,
    then `render_report_pdf` builds it in the run's language. One build first warms the
    process (imports, templates, fonts), as a worker is warm after its first report.
    Returns `report_build_s` and `weasy_s` (medians of `repeat`) and their ratio
    `report_overhead` (1.0: building costs nothing beside WeasyPrint).
    """
    facility = _facility(facility)
    period = period or last_month(facility.tzinfo)
    run = ReportRun(
        scope=ReportScope.FACILITY,
        facility=facility,
        kind=ReportKind.MONTHLY,
        period=period,
        language=ReportLanguage.INDONESIAN,
    )
    run.data_until, run.provisional = data_until(period, facility)
    with override(run.language):
        render_report_pdf(run)
        build = _median_seconds(lambda: render_report_pdf(run), repeat)
        html = render_html(run)
        weasy = _median_seconds(lambda: report_html_to_pdf(html), repeat)
    return {
        "facility": facility.code,
        "period": period,
        "report_build_s": build,
        "weasy_s": weasy,
        "report_overhead": build / weasy,
    }


def _children(parents: set[int]) -> list[int]:
    """The pool processes of the workers: every process whose parent is one of `parents`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) in parents:
            found.append(int(stat.parent.name))
    return found


def _cpu_s(pid: int) -> float | None:
    """User + system CPU seconds a process has used so far (None once it has exited)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class _Sampler(threading.Thread):
    """Samples the workers' pool processes twice a second: their resident size (and the
    workers'), the CPU time each has used, and how many there were (a recycled process is
    replaced by a new pid)."""

    def __init__(self, workers: list[subprocess.Popen]):
        super().__init__(daemon=True)
        self.parents = {w.pid for w in workers}
        self.peak_child = 0.0
        self.peak_parent = 0.0
        self.cpu: dict[int, float] = {}
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(0.5):
            children = _children(self.parents)
            for pid in children:
                used = _cpu_s(pid)
                if used is not None:
                    self.cpu[pid] = used
            self.peak_child = max([self.peak_child, *map(_rss_mb, children)])
            self.peak_parent = max([self.peak_parent, *map(_rss_mb, self.parents)])


def _start_workers(n: int, media_root: str, log_dir: Path) -> list[subprocess.Popen]:
    env = {
        **os.environ,
        "DJANGO_MEDIA_ROOT": media_root,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    # Named after this process: only these workers' answers to the ping count.
    prefix = f"bench-reports-{os.getpid()}-"
    workers = []
    for i in range(n):
        workers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "rutan",
                    "worker",
                    "-c",
                    "1",
                    "-n",
                    f"{prefix}{i}@%h",
                    "-Q",
                    "interactive,batch",
                    "--without-gossip",
                    "--without-mingle",
                    "-l",
                    "WARNING",
                ],
                env=env,
                stdout=open(log_dir / f"worker{i}.log", "w"),  # noqa: SIM115
                stderr=subprocess.STDOUT,
                cwd=Path(__file__).resolve().parent.parent,
            )
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0) or []
        if len([r for r in replies if any(name.startswith(prefix) for name in r)]) >= n:
            return workers
        if any(w.poll() is not None for w in workers):
            break
    _stop_workers(workers)
    raise RuntimeError(f"the workers did not start; see {log_dir}")


def _stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()


def _beat_entries() -> list[dict]:
    """What beat sends: the kwargs of each enabled monthly-batch entry."""
    from django_celery_beat.models import PeriodicTask

    entries = PeriodicTask.objects.filter(task=services.BATCH_TASK, enabled=True)
    if not entries.exists():
        services.report_schedule_sync()
    return [json.loads(entry.kwargs or "{}") for entry in entries]


def national_batch(
    workers: int = 2, period: str | None = None, *, timeout: float = 45 * 60
) -> dict:
    """Run the monthly batch of every facility and region on `workers` real worker processes.

    Sends `reports.monthly_batch` once per beat entry (per timezone), as beat does on the 1st,
    and waits (at most `timeout` seconds) until every facility report and every regional
    roll-up of the month is finished. That month's runs are deleted first, so the whole batch
    is built every time. Returns `batch_minutes` (first send to last report finished),
    `worker_rss_mb` (peak resident size of a pool process) and per-report timings.
    """
    name = connection.settings_dict["NAME"]
    if name in READ_ONLY_DATABASES:
        raise SystemExit(f"{name} is read only: run the batch on a copy (createdb -T {name} …)")
    facilities = list(Facility.objects.order_by("id"))
    periods = {f.pk: period or last_month(f.tzinfo) for f in facilities}
    regions = {(f.regional_office_id, periods[f.pk]) for f in facilities}
    expected = len(facilities) + len(regions)
    ReportRun.objects.filter(period__in=set(periods.values())).delete()
    app.control.purge()
    media_root = tempfile.mkdtemp(prefix="rutan-bench-reports-")
    log_dir = Path(tempfile.mkdtemp(prefix="rutan-bench-workers-"))
    procs = _start_workers(workers, media_root, log_dir)
    sampler = _Sampler(procs)
    sampler.start()
    try:
        sent_at = timezone.now()
        for kwargs in _beat_entries():
            if period:
                kwargs["period"] = period
            app.send_task(services.BATCH_TASK, kwargs=kwargs)
        runs = ReportRun.objects.filter(period__in=set(periods.values()))
        deadline = time.monotonic() + timeout
        finished = 0
        while time.monotonic() < deadline:
            finished = runs.filter(status__in=[ReportStatus.DONE, ReportStatus.FAILED]).count()
            if finished >= expected:
                break
            time.sleep(1)
        sampler.stopped.set()
        sampler.join()
    finally:
        _stop_workers(procs)
        shutil.rmtree(media_root, ignore_errors=True)
    span = runs.aggregate(first=Min("started_at"), last=Max("finished_at"))
    per_scope = {}
    for scope in ReportScope.values:
        durations = [
            (r.finished_at - r.started_at).total_seconds()
            for r in runs.filter(scope=scope, status=ReportStatus.DONE)
        ]
        per_scope[scope] = {
            "done": len(durations),
            "median_s": statistics.median(durations) if durations else None,
            "total_s": sum(durations),
        }
    last = span["last"] or timezone.now()
    return {
        "workers": workers,
        "expected": expected,
        "finished": finished,
        "failed": runs.filter(status=ReportStatus.FAILED).count(),
        "batch_minutes": (last - sent_at).total_seconds() / 60,
        "worker_rss_mb": sampler.peak_child,
        "worker_main_rss_mb": sampler.peak_parent,
        "pool_processes": len(sampler.cpu),
        "worker_cpu_s": sum(sampler.cpu.values()),
        "batch_minutes_cpu": sum(sampler.cpu.values()) / workers / 60,
        "load_average": os.getloadavg(),
        "per_scope": per_scope,
        "timed_out": finished < expected,
        "log_dir": str(log_dir),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--facility", default="rutan-balikpapan", help="facility code")
    parser.add_argument("--period", help="YYYY-MM (default: last month there)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=45 * 60, help="seconds")
    parser.add_argument("--skip-batch", action="store_true", help="only the one-facility build")
    args = parser.parse_args()
    db = connection.settings_dict["NAME"]
    print(
        f"database {db}: {Facility.objects.count()} facilities, "
        f"{Facility.objects.values('regional_office').distinct().count()} regions"
    )
    build = report_build(args.facility, args.period)
    print(
        f"{build['facility']} {build['period']}: build {build['report_build_s']:.3f} s, "
        f"WeasyPrint alone {build['weasy_s']:.3f} s"
    )
    print(f"BENCH report_build_s={build['report_build_s']:.3f}")
    print(f"BENCH weasy_s={build['weasy_s']:.3f}")
    print(f"BENCH report_overhead={build['report_overhead']:.2f}")
    if args.skip_batch:
        return
    batch = national_batch(args.workers, args.period, timeout=args.timeout)
    for scope, figures in batch["per_scope"].items():
        median = figures["median_s"]
        print(
            f"{scope}: {figures['done']} done, median {median or 0:.2f} s, "
            f"worker time {figures['total_s']:.0f} s"
        )
    print(
        f"{batch['finished']}/{batch['expected']} runs finished ({batch['failed']} failed) "
        f"on {batch['workers']} workers; {batch['pool_processes']} pool processes seen; "
        f"worker main process peak {batch['worker_main_rss_mb']:.0f} MB; logs {batch['log_dir']}"
    )
    print(
        f"pool processes used {batch['worker_cpu_s']:.0f} CPU s "
        f"({batch['worker_cpu_s'] / max(batch['finished'], 1):.2f} s a report): "
        f"{batch['batch_minutes_cpu']:.2f} min had each worker a core "
        f"(load average at the end {batch['load_average'][1]:.1f})"
    )
    if batch["timed_out"]:
        print("timed out before every run finished")
    print(f"BENCH batch_minutes={batch['batch_minutes']:.2f}")
    print(f"BENCH worker_rss_mb={batch['worker_rss_mb']:.0f}")
    print(f"BENCH batch_minutes_cpu={batch['batch_minutes_cpu']:.2f}")


if __name__ == "__main__":
    main()
