"""`make bench`: Rutan at national scale, every page measured right after its own hello run.

    make bench                       # everything, about 25 minutes on 2 cores
    uv run python bench/national.py --duration 5 --repeats 3 --skip-batch

1. Two databases on the machine's PostgreSQL: `rutan_bench` (530 facilities, 275,000
   inmates) and `rutan_bench_tenth` (53 and 27,500). Each is migrated and filled with
   `seed_national` when it holds no inmate (and says so); the seed's duration is kept as the
   database's comment, so a later run can still print `seed_national_minutes`.
2. In each database a probe (Django in this machine's process, bench settings) signs the
   bench users in, picks the pages' URLs, counts each page's queries with nothing cached
   (`<page>_queries`) and from the cache (`<page>_cached_queries`), and times its service
   from the cache (the fastest of sequential requests, `<page>_service_ms`) and with nothing
   cached (`<page>_cold_ms`); `<page>_growth` = service at full data ÷ service at 1/10.
3. gunicorn -w 2 (sync, production settings over http) on loopback against the full
   database; for each page, a wrk run (-t2 -c16) of the hello view and right after one of the
   page, three times: `<page>_ratio` is the median of the paired req/s ratios, `<page>_p95_ms`
   the median p95 at 16 connections.
4. The monthly report of the largest facility and the national batch (bench/reports.py).

Prints a table and the targets of the national-scale issue (PASS/FAIL), then
`BENCH name=value` lines. Exits 1 when a target fails.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETTINGS = "rutan.settings.bench"
BENCH_PASSWORD = "rutan-bench-2026"
FULL = {"facilities": 530, "inmates": 275_000}
TENTH = {"facilities": 53, "inmates": 27_500}
LISTS = (
    "register_facility",
    "register_national",
    "register_search_national",
    "api_inmates_facility",
    "api_inmates_national",
    "admin_inmates",
)
DASHBOARDS = ("dashboard_facility", "dashboard_regional", "dashboard_national")
PAGES = (
    *DASHBOARDS,
    "register_facility",
    "register_national",
    "register_search_national",
    "inmate_detail",
    "programme_roster",
    "api_inmates_facility",
    "api_inmates_national",
    "admin_inmates_stock",
    "admin_inmates",
    "attendance_save",
)


def log(message: str) -> None:
    print(message, flush=True)


def database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def env_for(url: str, **extra) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": url,
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-not-a-secret"),
        "FIELD_ENCRYPTION_KEY": os.environ.get(
            "FIELD_ENCRYPTION_KEY", "2yb6lX0Bqf1sH3H8rQ6jV1W2kN8gY5dC7pT4uE9aZ0M="
        ),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "rediscache://127.0.0.1:6379/14"),
        "PYTHONPATH": str(ROOT),
    }
    env.update(extra)
    return env


def manage(url: str, *args: str, **extra) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env_for(url, **extra),
        check=True,
        text=True,
        capture_output=False,
    )


def _admin_connection(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    )


def ensure_seeded(url: str, size: dict, seed: int) -> float | None:
    """Create, migrate and seed the database when it holds no inmate; the seed's minutes
    (measured now or kept from the run that seeded it)."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with _admin_connection(url) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url, autocommit=True) as conn:
        has_table = conn.execute("SELECT to_regclass('inmates_inmate')").fetchone()[0]
        inmates = 0
        if has_table:
            inmates = conn.execute("SELECT count(*) FROM inmates_inmate").fetchone()[0]
        comment = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()[0]
    if inmates:
        log(f"{name}: {inmates:,} inmates already there (seeded earlier).")
        if comment and comment.startswith("seed_national seconds="):
            return float(comment.split("=", 1)[1]) / 60
        return None
    log(
        f"{name} is empty: migrating and running seed_national "
        f"--facilities {size['facilities']} --inmates {size['inmates']} (this takes minutes)."
    )
    manage(url, "migrate", "--noinput", "-v0")
    started = time.perf_counter()
    manage(
        url,
        "seed_national",
        "--facilities",
        str(size["facilities"]),
        "--inmates",
        str(size["inmates"]),
        "--seed",
        str(seed),
    )
    seconds = time.perf_counter() - started
    with _admin_connection(url) as conn:
        conn.execute(f"COMMENT ON DATABASE \"{name}\" IS 'seed_national seconds={seconds:.1f}'")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return seconds / 60


def probe(url: str, samples: int) -> dict:
    """Run the in-process probe against one database (see `bench/probe.py`)."""
    result = subprocess.run(
        [sys.executable, "bench/probe.py", "--samples", str(samples)],
        cwd=ROOT,
        env=env_for(url),
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn -w 2 sync workers on loopback, production settings over http."""

    def __init__(self, url: str, workers: int = 2):
        self.port = free_port()
        self.url = url
        self.workers = workers

    def __enter__(self):
        env = env_for(self.url)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "rutan.wsgi",
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not start within 60 s")

    def __exit__(self, *exc):
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)


def wrk(port: int, page: dict, *, duration: int, connections: int) -> dict:
    """One wrk run: req/s and p95 (ms), with socket and HTTP errors counted."""
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "wrk.lua"),
    ]
    for name, value in page.get("headers", {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{page['path']}")
    env = {**os.environ, "WRK_METHOD": page.get("method", "GET"), "WRK_BODY": page.get("body", "")}
    result = subprocess.run(command, env=env, check=True, text=True, capture_output=True)
    data = json.loads(result.stdout.strip().splitlines()[-1])
    seconds = data["duration_us"] / 1e6
    return {
        "rps": data["requests"] / seconds,
        "p50_ms": data["p50_us"] / 1000,
        "p95_ms": data["p95_us"] / 1000,
        "errors": data["socket_errors"] + data["status_errors"],
    }


def paired(port: int, pages: dict, names, *, duration: int, repeats: int, connections: int) -> dict:
    hello = {"path": "/bench/hello/"}
    results = {}
    for name in names:
        page = pages[name]
        runs = []
        for _ in range(repeats):
            base = wrk(port, hello, duration=duration, connections=connections)
            if not base["rps"]:
                # Not one hello answered within its run: the workers were still busy with
                # the page before (a request longer than the run). Once more, after a pause.
                log(f"  hello answered nothing before {name}; measuring the pair again")
                time.sleep(duration)
                base = wrk(port, hello, duration=duration, connections=connections)
                if not base["rps"]:
                    raise SystemExit("the hello view answered nothing: the server is stuck")
            run = wrk(port, page, duration=duration, connections=connections)
            runs.append((base, run))
        ratios = [run["rps"] / base["rps"] for base, run in runs]
        results[name] = {
            "hello_rps": statistics.median(b["rps"] for b, _ in runs),
            "rps": statistics.median(r["rps"] for _, r in runs),
            "ratio": statistics.median(ratios),
            "p50_ms": statistics.median(r["p50_ms"] for _, r in runs),
            "p95_ms": statistics.median(r["p95_ms"] for _, r in runs),
            "errors": sum(r["errors"] for _, r in runs),
        }
        log(
            f"  {name:<26} {results[name]['rps']:8.1f} req/s  "
            f"÷ hello {results[name]['ratio']:.4f}  p95 {results[name]['p95_ms']:.0f} ms"
            + (f"  ERRORS {results[name]['errors']}" if results[name]["errors"] else "")
        )
    return results


def collect_static(url: str) -> Path:
    root = Path(tempfile.mkdtemp(prefix="rutan-bench-static-"))
    manage(url, "collectstatic", "--noinput", "-v0", DJANGO_STATIC_ROOT=str(root))
    return root


def measure_pages(full: str, tenth: str, names, args, figures: dict) -> tuple[dict, str]:
    """Queries and service time in both databases, then the paired wrk runs on the full one;
    fills `figures` and answers the wrk results per page and the bench facility's code."""
    log("Probing the 1/10 database (queries, service time)…")
    small = probe(tenth, args.samples)
    log("Probing the full database (queries, service time)…")
    big = probe(full, args.samples)
    figures["standings_refresh_s"] = big["standings_s"]
    figures["standings_refresh_s_tenth"] = small["standings_s"]
    for name in names:
        service = big["pages"][name]["service_ms"]
        service_small = small["pages"][name]["service_ms"]
        figures[f"{name}_queries"] = big["pages"][name]["queries"]
        figures[f"{name}_cached_queries"] = big["pages"][name]["cached_queries"]
        figures[f"{name}_cold_ms"] = round(big["pages"][name]["cold_ms"], 1)
        figures[f"{name}_service_ms"] = round(service, 1)
        figures[f"{name}_service_ms_tenth"] = round(service_small, 1)
        figures[f"{name}_growth"] = round(service / service_small, 2)
    log(
        f"Throughput: gunicorn -w 2 on loopback, wrk -t2 -c{args.connections} "
        f"-d{args.duration}s, each page right after a hello run, {args.repeats} repeats…"
    )
    with Gunicorn(full) as server:
        # Warm both workers (connections, templates) before the first pair.
        wrk(server.port, {"path": "/bench/hello/"}, duration=2, connections=4)
        for name in names:
            wrk(server.port, big["pages"][name], duration=1, connections=2)
        results = paired(
            server.port,
            big["pages"],
            names,
            duration=args.duration,
            repeats=args.repeats,
            connections=args.connections,
        )
    for name, result in results.items():
        figures[f"{name}_ratio"] = round(result["ratio"], 4)
        figures[f"{name}_p95_ms"] = round(result["p95_ms"], 1)
        figures[f"{name}_errors"] = result["errors"]
    figures["hello_rps"] = round(statistics.median(r["hello_rps"] for r in results.values()), 1)
    return results, big["facility_code"]


def report_figures(url: str, facility: str, *, skip_batch: bool, workers: int) -> dict:
    """bench/reports.py on a throwaway copy of the full database (the batch writes runs)."""
    name = urlsplit(url).path.lstrip("/")
    copy = f"{name}_batch"
    with _admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    args = [sys.executable, "bench/reports.py", "--workers", str(workers), "--facility", facility]
    if skip_batch:
        args.append("--skip-batch")
    figures = {}
    try:
        result = subprocess.run(
            args,
            cwd=ROOT,
            env=env_for(database_url(url, copy), CELERY_TASK_ALWAYS_EAGER="false"),
            check=True,
            text=True,
            stdout=subprocess.PIPE,
        )
    finally:
        with _admin_connection(url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    for line in result.stdout.splitlines():
        print(line, flush=True)
        if line.startswith("BENCH "):
            key, value = line[6:].split("=", 1)
            figures[key] = float(value)
    return figures


def targets(figures: dict) -> list[tuple[str, bool, str]]:
    """The national-scale issue's targets, each with whether it held in this run."""
    checks = []

    def need(label, value, ok):
        checks.append((label, value is not None and ok(value), f"{value}"))

    for name in LISTS:
        need(f"{name}_ratio ≥ 0.06", figures.get(f"{name}_ratio"), lambda v: v >= 0.06)
        stock = figures.get("admin_inmates_stock_ratio")
        mine = figures.get(f"{name}_ratio")
        if stock and mine is not None:
            need(f"{name} ≥ 20× stock admin", round(mine / stock, 1), lambda v: v >= 20)
    for name in DASHBOARDS:
        need(f"{name}_ratio ≥ 0.08", figures.get(f"{name}_ratio"), lambda v: v >= 0.08)
    for name in (*LISTS, *DASHBOARDS, "attendance_save"):
        need(f"{name}_p95_ms ≤ 100", figures.get(f"{name}_p95_ms"), lambda v: v <= 100)
    for name in PAGES:
        if name in ("admin_inmates_stock",):
            continue
        need(f"{name}_growth ≤ 1.5", figures.get(f"{name}_growth"), lambda v: v <= 1.5)
    stock, mine = figures.get("admin_inmates_stock_ratio"), figures.get("admin_inmates_ratio")
    if stock and mine is not None:
        need("admin_inmates ≥ 10× stock", round(mine / stock, 1), lambda v: v >= 10)
    need("report_overhead ≤ 1.3", figures.get("report_overhead"), lambda v: v <= 1.3)
    need("batch_minutes ≤ 5", figures.get("batch_minutes"), lambda v: v <= 5)
    need("worker_rss_mb ≤ 300", figures.get("worker_rss_mb"), lambda v: v <= 300)
    need("seed_national_minutes ≤ 10", figures.get("seed_national_minutes"), lambda v: v <= 10)
    return checks


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rutan_bench"
        ),
        help="the full-size database (the 1/10 one is its name + _tenth)",
    )
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--samples", type=int, default=15, help="sequential requests per page")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=2, help="Celery workers of the batch")
    parser.add_argument("--skip-batch", action="store_true", help="no national batch")
    parser.add_argument("--skip-reports", action="store_true", help="no report figures at all")
    parser.add_argument("--only", nargs="*", help="measure only these pages")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    started = time.perf_counter()
    full = args.database_url
    tenth = database_url(full, urlsplit(full).path.lstrip("/") + "_tenth")
    figures: dict[str, float] = {}
    seed_minutes = ensure_seeded(full, FULL, args.seed)
    ensure_seeded(tenth, TENTH, args.seed)
    # A database seeded by an earlier release gets this release's tables.
    for url in (full, tenth):
        manage(url, "migrate", "--noinput", "-v0")
    if seed_minutes is not None:
        figures["seed_national_minutes"] = round(seed_minutes, 2)

    names = tuple(p for p in PAGES if not args.only or p in args.only)
    static_root = collect_static(full)
    os.environ["DJANGO_STATIC_ROOT"] = str(static_root)
    try:
        results, facility = measure_pages(full, tenth, names, args, figures)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)

    if not args.skip_reports:
        log("Monthly report and national batch…")
        figures.update(
            report_figures(full, facility, skip_batch=args.skip_batch, workers=args.workers)
        )

    log("")
    log(
        f"{'page':<26} {'req/s':>8} {'÷ hello':>8} {'p95 ms':>7} {'queries':>7} "
        f"{'service ms':>10} {'1/10 ms':>8} {'growth':>6}"
    )
    for name in names:
        result = results[name]
        log(
            f"{name:<26} {result['rps']:8.1f} {result['ratio']:8.4f} {result['p95_ms']:7.0f} "
            f"{figures[f'{name}_queries']:7d} {figures[f'{name}_service_ms']:10.1f} "
            f"{figures[f'{name}_service_ms_tenth']:8.1f} {figures[f'{name}_growth']:6.2f}"
        )
    log(f"hello view: {figures['hello_rps']:.0f} req/s (median of the paired runs)")
    log("")
    failed = 0
    for label, ok, value in targets(figures):
        failed += not ok
        log(f"{'PASS' if ok else 'FAIL'}  {label}  ({value})")
    errors = sum(r["errors"] for r in results.values())
    if errors:
        failed += 1
        log(f"FAIL  {errors} socket or HTTP errors during the wrk runs")
    figures["bench_minutes"] = round((time.perf_counter() - started) / 60, 1)
    log("")
    for key in sorted(figures):
        value = figures[key]
        log(f"BENCH {key}={int(value) if float(value).is_integer() else value}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
