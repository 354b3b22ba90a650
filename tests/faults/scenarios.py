"""The fault scenarios of issue 16, each run against a live `Stack` (tests/faults/harness.py).

Each scenario does something an operator fears, waits a bounded time, and returns an
`Outcome`: what was done, what was found (counts read from the stack's database), and the
problems (empty when the fault was survived). tests/faults/test_*.py assert the counts;
bench/chaos.py (`make chaos`) prints them.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field

from .harness import ROOT, SCHEDULE_SECONDS, Stack, wait_for
from .web import DemoUser, api_token

FACILITY = "rutan-balikpapan"
# Report periods, one per scenario, so that no scenario sees another's runs.
PERIOD_MONTHS_BACK = {"child": 1, "worker": 2, "redis": 3}
DELIVERY_TIMEOUT = 180
REPORT_PAUSE = 6


@dataclass
class Outcome:
    name: str
    done: list[str] = field(default_factory=list)
    found: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def did(self, text: str) -> None:
        self.done.append(text)

    def check(self, condition: bool, problem: str) -> bool:
        if not condition:
            self.problems.append(problem)
        return condition

    def text(self) -> str:
        verdict = "survived" if self.ok else "FAILED"
        lines = [f"== {self.name}: {verdict}"]
        lines += [f"   did:   {line}" for line in self.done]
        lines += [f"   found: {key} = {value}" for key, value in self.found.items()]
        lines += [f"   PROBLEM: {problem}" for problem in self.problems]
        return "\n".join(lines)


# --- reading the stack's database ----------------------------------------------------------
def facility_id(stack: Stack, code: str = FACILITY) -> int:
    return stack.psql("SELECT id FROM facilities_facility WHERE code = %s", [code])[0][0]


def past_sessions(stack: Stack, code: str = FACILITY) -> list[int]:
    """Sessions whose register can be taken (held already, not cancelled), with a roster."""
    rows = stack.psql(
        """
        SELECT s.id FROM programmes_session s
        JOIN programmes_programme p ON p.id = s.programme_id
        JOIN facilities_facility f ON f.id = p.facility_id
        WHERE f.code = %s AND s.status <> 'cancelled' AND s.date < current_date
          AND EXISTS (SELECT 1 FROM programmes_attendance a WHERE a.session_id = s.id)
        ORDER BY s.date DESC, s.id
        """,
        [code],
    )
    return [row[0] for row in rows]


def period(months_back: int) -> str:
    today = datetime.date.today().replace(day=1)
    month = today.month - months_back
    year = today.year + (month - 1) // 12
    return f"{year:04d}-{(month - 1) % 12 + 1:02d}"


def report_run(stack: Stack, run_id: int) -> dict:
    rows = stack.psql(
        "SELECT status, attempts, file, job_run_id, progress FROM reports_reportrun WHERE id = %s",
        [run_id],
    )
    status, attempts, file, job_run_id, progress = rows[0]
    return {
        "status": status,
        "attempts": attempts,
        "file": file,
        "job_run_id": job_run_id,
        "progress": progress,
    }


def report_files(stack: Stack, run_period: str) -> list[str]:
    folder = stack.tmp / "media" / "reports" / run_period
    return sorted(p.name for p in folder.glob("*")) if folder.exists() else []


def job_row(stack: Stack, job_id: int) -> dict:
    success, finished, error = stack.psql(
        "SELECT success, finished_at, error FROM core_jobrun WHERE id = %s", [job_id]
    )[0]
    return {"success": success, "finished": finished is not None, "error": error}


def attendance_markers_found(stack: Stack, markers: list[str]) -> set[str]:
    if not markers:
        return set()
    rows = stack.psql(
        "SELECT DISTINCT note FROM programmes_historicalattendance WHERE note = ANY(%s)",
        [markers],
    )
    return {row[0] for row in rows}


def intern_logs_found(stack: Stack, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    rows = stack.psql(
        "SELECT client_key::text FROM interns_activitylog WHERE client_key::text = ANY(%s)",
        [keys],
    )
    return {row[0] for row in rows}


def celery(stack: Stack, *args: str, timeout: float = 30) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "rutan", *args],
        cwd=ROOT,
        env=stack.env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return result.stdout


# --- a. a worker killed mid-report ---------------------------------------------------------
def _paused_worker(stack: Stack) -> None:
    """One worker, one pool process, builds pausing REPORT_PAUSE s after their claim."""
    stack.stop("worker")
    stack.start_worker(concurrency=1, REPORT_TEST_BUILD_PAUSE=str(REPORT_PAUSE))


def _wait_running(stack: Stack, run_id: int) -> dict:
    return wait_for(
        lambda: (run := report_run(stack, run_id))["status"] == "running" and run,
        90,
        f"report run {run_id} running",
    )


def _finish_report_case(
    stack: Stack, outcome: Outcome, run_id: int, killed_job: int, p: str, killed_at: float
):
    with contextlib.suppress(TimeoutError):
        wait_for(
            lambda: report_run(stack, run_id)["status"] in {"done", "failed"},
            DELIVERY_TIMEOUT,
            f"report run {run_id} finished",
            interval=1,
        )
    finished_at = time.monotonic()
    run = report_run(stack, run_id)
    with contextlib.suppress(TimeoutError):
        wait_for(lambda: job_row(stack, killed_job)["finished"], 60, "killed job closed", 1)
    job = job_row(stack, killed_job)
    done_runs = stack.psql(
        "SELECT count(*) FROM reports_reportrun r JOIN facilities_facility f "
        "ON f.id = r.facility_id WHERE f.code = %s AND r.period = %s AND r.status = 'done'",
        [FACILITY, p],
    )[0][0]
    files = report_files(stack, p)
    outcome.found.update(
        {
            "run status": run["status"],
            "seconds to finish after the kill": round(finished_at - killed_at),
            "attempts (claims)": run["attempts"],
            "done runs of the period": done_runs,
            "report files of the period": len(files),
            "killed attempt's job row": "closed" if job["finished"] else "still open",
            "killed attempt's job success": job["success"],
        }
    )
    outcome.check(run["status"] == "done", f"run {run_id} ended {run['status']}, not done")
    outcome.check(done_runs == 1, f"{done_runs} done runs for {p}, expected exactly 1")
    outcome.check(len(files) == 1, f"{len(files)} files for {p}, expected exactly 1: {files}")
    outcome.check(run["attempts"] >= 2, "the run was not claimed again after the kill")
    outcome.check(
        job["finished"] and job["success"] is False,
        f"killed attempt's job row {killed_job}: {job}",
    )


def _report_building(stack: Stack, outcome: Outcome, months_back: int):
    """kepala asks for a report over HTTP on a paused worker: (run id, period, its running
    row), or None (the failure noted in `outcome`) when the request is refused."""
    _paused_worker(stack)
    p = period(months_back)
    kepala = DemoUser(stack.web_port, "kepala").login()
    ack = kepala.request_report(facility_id(stack, FACILITY), p)
    if not outcome.check(ack.ok, f"report request answered {ack.status}"):
        return None
    run_id = int(ack.key)
    outcome.did(f"kepala asked for the {p} report of {FACILITY} (run {run_id}) over HTTP")
    return run_id, p, _wait_running(stack, run_id)


def worker_child_killed(stack: Stack) -> Outcome:
    outcome = Outcome("a1. worker pool process killed mid-report")
    building = _report_building(stack, outcome, PERIOD_MONTHS_BACK["child"])
    if building is None:
        return outcome
    run_id, p, running = building
    children = stack.worker_children()
    killed_at = time.monotonic()
    for pid in children:
        stack_kill(pid)
    outcome.did(
        f"SIGKILLed the worker's pool process {children} while the run was building "
        f"(claim {running['attempts']}, job row {running['job_run_id']})"
    )
    _finish_report_case(stack, outcome, run_id, running["job_run_id"], p, killed_at)
    return outcome


def whole_worker_killed(stack: Stack) -> Outcome:
    outcome = Outcome("a2. whole worker killed mid-report, a new one started")
    building = _report_building(stack, outcome, PERIOD_MONTHS_BACK["worker"])
    if building is None:
        return outcome
    run_id, p, running = building
    killed_at = time.monotonic()
    stack.kill("worker")
    outcome.did("SIGKILLed the whole worker (main process and pool) while the run was building")
    stack.start_worker()
    outcome.did("started a new worker (its message stays unacknowledged in Redis)")
    _finish_report_case(stack, outcome, run_id, running["job_run_id"], p, killed_at)
    return outcome


def stack_kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def restore_worker(stack: Stack) -> None:
    """The ordinary worker (two pool processes, no pause) for the scenarios that follow."""
    stack.stop("worker")
    stack.start_worker()


# --- b. Redis down while users write -------------------------------------------------------
def redis_down_writes(stack: Stack, rounds: int = 4, outage_after: float = 5) -> Outcome:
    outcome = Outcome("b. Redis stopped while users save attendance, import files, ask for reports")
    facility = facility_id(stack, FACILITY)
    sessions = past_sessions(stack)
    p = period(PERIOD_MONTHS_BACK["redis"])
    pembina = DemoUser(stack.web_port, "pembina").login()
    registrasi = DemoUser(stack.web_port, "registrasi").login()
    kepala = DemoUser(stack.web_port, "kepala").login()
    magang = DemoUser(stack.web_port, "magang").login()
    (since,) = stack.psql("SELECT now()")[0]
    stack.stop_redis()
    outcome.did("SIGKILLed Redis (the broker)")
    acks, statuses, slowest = [], [], 0.0
    today = datetime.date.today().isoformat()
    for i in range(rounds):
        session = sessions[i % len(sessions)]
        for write, args in (
            (pembina.save_attendance, (session, f"chaos-b-{uuid.uuid4()}")),
            (registrasi.upload_import, (facility,)),
            (kepala.request_report, (facility, p)),
            (magang.log_activity, (today, f"chaos-b-{i}")),
        ):
            started = time.monotonic()
            ack = write(*args)
            slowest = max(slowest, time.monotonic() - started)
            acks.append(ack)
            statuses.append(ack.status)
        statuses.append(kepala.get("/").status_code)
    outcome.did(
        f"{len(acks)} writes over HTTP during the outage ({rounds} each: attendance by "
        "pembina, register import by registrasi, report by kepala, intern log by magang), "
        "plus the dashboard"
    )
    pending = stack.psql(
        "SELECT task, count(*) FROM core_outboxmessage WHERE created_at >= %s "
        "AND status = 'pending' GROUP BY task ORDER BY task",
        [since],
    )
    outcome.found["answers during the outage"] = dict(sorted(_count(statuses).items()))
    outcome.found["slowest write (s)"] = round(slowest, 1)
    outcome.found["outbox pending while Redis is down"] = dict(pending)
    outcome.check(all(s < 500 for s in statuses), f"5xx during the outage: {statuses}")
    outcome.check(
        all(a.ok for a in acks), f"writes not acknowledged: {[a for a in acks if not a.ok]}"
    )
    time.sleep(outage_after)
    stack.start_redis()
    outcome.did("started Redis again (empty: it keeps nothing on disk)")
    imports = [int(a.key) for a in acks if a.kind == "import" and a.ok]
    reports = [int(a.key) for a in acks if a.kind == "report" and a.ok]

    def delivered() -> bool:
        left = stack.psql(
            "SELECT count(*) FROM core_outboxmessage WHERE created_at >= %s "
            "AND status IN ('pending', 'sent', 'started')",
            [since],
        )[0][0]
        queued = stack.psql(
            "SELECT count(*) FROM imports_dataimport WHERE id = ANY(%s) AND status = 'queued'",
            [imports],
        )[0][0]
        unbuilt = stack.psql(
            "SELECT count(*) FROM reports_reportrun WHERE id = ANY(%s) AND status <> 'done'",
            [reports],
        )[0][0]
        return left == 0 and queued == 0 and unbuilt == 0

    started = time.monotonic()
    with contextlib.suppress(TimeoutError):
        wait_for(delivered, DELIVERY_TIMEOUT, "outbox drained", interval=2)
    outbox = stack.psql(
        "SELECT task, status, count(*) FROM core_outboxmessage WHERE created_at >= %s "
        "GROUP BY task, status ORDER BY task, status",
        [since],
    )
    import_status = stack.psql(
        "SELECT status, count(*) FROM imports_dataimport WHERE id = ANY(%s) GROUP BY status",
        [imports],
    )
    report_status = stack.psql(
        "SELECT status, count(*) FROM reports_reportrun WHERE id = ANY(%s) GROUP BY status",
        [reports],
    )
    attendance = [a.key for a in acks if a.kind == "attendance" and a.ok]
    logs = [a.key for a in acks if a.kind == "intern_log" and a.ok]
    outcome.found["seconds until everything was delivered"] = round(time.monotonic() - started)
    outcome.found["outbox after"] = {f"{t} {s}": n for t, s, n in outbox}
    outcome.found["imports (acknowledged → status)"] = f"{len(imports)} → {dict(import_status)}"
    outcome.found["reports (acknowledged → status)"] = f"{len(reports)} → {dict(report_status)}"
    found_att = attendance_markers_found(stack, attendance)
    found_logs = intern_logs_found(stack, logs)
    outcome.found["attendance saves acknowledged/found"] = f"{len(attendance)}/{len(found_att)}"
    outcome.found["intern logs acknowledged/found"] = f"{len(logs)}/{len(found_logs)}"
    undelivered = [f"{t} {s} ×{n}" for t, s, n in outbox if s not in {"done"}]
    outcome.check(not undelivered, f"outbox messages not delivered: {undelivered}")
    outcome.check(
        dict(import_status).get("queued", 0) == 0
        and sum(dict(import_status).values()) == len(imports),
        f"imports never previewed: {dict(import_status)}",
    )
    outcome.check(
        dict(report_status).get("done", 0) == len(reports),
        f"reports not built: {dict(report_status)} of {len(reports)}",
    )
    outcome.check(len(found_att) == len(attendance), "an acknowledged attendance save is missing")
    outcome.check(len(found_logs) == len(logs), "an acknowledged intern log is missing")
    return outcome


def _count(values) -> dict:
    counts: dict = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


# --- c. PostgreSQL restarted during a burst ------------------------------------------------
def postgres_restart_burst(stack: Stack, down_for: float = 10, threads: int = 6) -> Outcome:
    outcome = Outcome("c. PostgreSQL restarted during a request burst")
    kepala = DemoUser(stack.web_port, "kepala").login()
    token = api_token(stack.web_port, "kepala")
    import requests

    base = f"http://127.0.0.1:{stack.web_port}"
    cookies = kepala.http.cookies.get_dict()
    targets = [
        ("html", "/", {"cookies": cookies}),
        ("api", "/api/v1/inmates/", {"headers": {"Authorization": f"Token {token}"}}),
    ]
    results: list[tuple[str, float, int, dict]] = []
    lock = threading.Lock()
    stop = threading.Event()
    phase = {"name": "before"}

    def hammer(n: int) -> None:
        kind, path, options = targets[n % len(targets)]
        with requests.Session() as http:
            while not stop.is_set():
                try:
                    r = http.get(base + path, timeout=30, allow_redirects=False, **options)
                    status, headers, body = r.status_code, r.headers, r.content
                except requests.RequestException:
                    status, headers, body = 0, {}, b""
                info = {
                    "retry_after": headers.get("Retry-After"),
                    "type": headers.get("Content-Type", ""),
                    "json": body[:1] == b"{",
                }
                with lock:
                    results.append(
                        (kind, time.monotonic(), status, {**info, "phase": phase["name"]})
                    )

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        for n in range(threads):
            pool.submit(hammer, n)
        time.sleep(3)
        phase["name"] = "outage"
        restart_at = time.monotonic()
        stack.restart_postgres(down_for=down_for)
        back_at = time.monotonic()
        phase["name"] = "recovering"
        time.sleep(5)
        phase["name"] = "after"
        time.sleep(10)
        stop.set()
    outcome.did(
        f"{threads} threads (dashboard as kepala, /api/v1/inmates/ with a token) hammered "
        f"gunicorn; PostgreSQL stopped (fast) {3:.0f} s in, down {back_at - restart_at:.0f} s, "
        "then 15 s more"
    )
    by_phase: dict = {}
    for kind, _t, status, info in results:
        by_phase.setdefault(f"{info['phase']} {kind}", _Counter()).add(status)
    for key, counter in by_phase.items():
        outcome.found[key] = counter.counts
    bad = [r for r in results if r[2] >= 500 and r[2] != 503]
    unavailable = [r for r in results if r[2] == 503]
    no_retry = [r for r in unavailable if not r[3]["retry_after"]]
    api_not_json = [r for r in unavailable if r[0] == "api" and not r[3]["json"]]
    html_not_html = [r for r in unavailable if r[0] == "html" and "text/html" not in r[3]["type"]]
    after = [r for r in results if r[3]["phase"] == "after"]
    outcome.found["requests"] = len(results)
    outcome.found["503 with Retry-After"] = f"{len(unavailable) - len(no_retry)}/{len(unavailable)}"
    outcome.found["5xx other than 503"] = len(bad)
    outcome.check(not bad, f"{len(bad)} answers 5xx other than 503: {_count(r[2] for r in bad)}")
    outcome.check(not no_retry, f"{len(no_retry)} 503 answers without Retry-After")
    outcome.check(not api_not_json, f"{len(api_not_json)} API 503 answers not JSON")
    outcome.check(not html_not_html, f"{len(html_not_html)} page 503 answers not HTML")
    outcome.check(
        after and all(r[2] == 200 for r in after),
        f"not all 200 after recovery: {_count(r[2] for r in after)}",
    )
    outcome.check(all(r[2] != 0 for r in results), "connections refused or timed out")
    for name in ("worker", "beat"):
        outcome.found[f"{name} alive after"] = stack.alive(name)
        outcome.check(stack.alive(name), f"the {name} died with the database restart")
    return outcome


class _Counter:
    def __init__(self):
        self.counts: dict = {}

    def add(self, value) -> None:
        self.counts[value] = self.counts.get(value, 0) + 1


# --- d. beat started twice -----------------------------------------------------------------
def _job_count(stack: Stack, since) -> int:
    return stack.psql(
        "SELECT count(*) FROM core_jobrun WHERE kind = 'interns.auto_approve_logs' "
        "AND started_at >= %s",
        [since],
    )[0][0]


def beat_twice(stack: Stack, window: float = 6 * SCHEDULE_SECONDS) -> Outcome:
    """auto_approve_logs is due every SCHEDULE_SECONDS in the stack and records a JobRun for
    each run; with two beats it must still run once per tick."""
    outcome = Outcome("d. beat started twice")
    stack.start_beat("beat2")
    outcome.did("started a second beat (same lease scheduler, same database and broker)")
    time.sleep(SCHEDULE_SECONDS)  # both beats past their start
    (since,) = stack.psql("SELECT now()")[0]
    time.sleep(window)
    ran = _job_count(stack, since)
    ticks = window / SCHEDULE_SECONDS
    outcome.did(
        f"counted auto_approve_logs runs (due every {SCHEDULE_SECONDS} s) for {window:.0f} s"
    )
    outcome.found["ticks in the window"] = int(ticks)
    outcome.found["runs in the window"] = ran
    outcome.found["second beat alive"] = stack.alive("beat2")
    outcome.check(ran >= ticks - 1, f"{ran} runs in {ticks:.0f} ticks: the job stopped running")
    outcome.check(ran <= ticks + 1, f"{ran} runs in {ticks:.0f} ticks: the job ran twice per tick")
    stack.stop("beat2")
    return outcome


# --- e. load: the daily mix ----------------------------------------------------------------
def load_daily_mix(stack: Stack, users: int = 50, seconds: int = 60) -> Outcome:
    """bench/locustfile.py, headless, then every acknowledged write looked for in the database."""
    import csv

    outcome = Outcome(f"e. load: {users} users × {seconds} s of the daily mix")
    result_file = stack.tmp / "locust-result.json"
    prefix = stack.tmp / "locust"
    env = {
        "CHAOS_SESSIONS": ",".join(str(s) for s in past_sessions(stack)),
        "CHAOS_RESULT": str(result_file),
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        "10",
        "--run-time",
        f"{seconds}s",
        "--host",
        f"http://127.0.0.1:{stack.web_port}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    load_before = os.getloadavg()[0]
    run = subprocess.run(
        command,
        cwd=ROOT,
        env={**stack.env(), **env},
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    )
    outcome.did(
        f"locust (bench/locustfile.py) headless: {users} users for {seconds} s — kepala "
        "(dashboard, register search), registrasi (search), pembina (attendance saves), "
        "magang (intern logs), API lists with a token"
    )
    if not result_file.exists():
        outcome.check(False, f"locust wrote no result (exit {run.returncode}): {run.stderr[-800:]}")
        return outcome
    result = json.loads(result_file.read_text())
    with open(f"{prefix}_stats.csv") as stats_file:
        rows = list(csv.DictReader(stats_file))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    per_name = {
        row["Name"]: f"{row['Request Count']} req, p50 {row['50%']} ms, p95 {row['95%']} ms"
        for row in rows
        if row["Name"] != "Aggregated"
    }
    attendance, logs = result["attendance"], result["intern_log"]
    found_att = attendance_markers_found(stack, attendance)
    found_logs = intern_logs_found(stack, logs)
    fivexx = sum(n for code, n in result["status"].items() if code.startswith("5"))
    outcome.found.update(
        {
            "requests": int(total["Request Count"]),
            "failures": int(total["Failure Count"]),
            "5xx": fivexx,
            "p50 (ms)": total["50%"],
            "p95 (ms)": total["95%"],
            "req/s": round(float(total["Requests/s"]), 1),
            "answers by status": dict(sorted(result["status"].items())),
            "attendance saves acknowledged/found": f"{len(attendance)}/{len(found_att)}",
            "attendance saves refused as stale (nothing written)": result["stale"],
            "intern logs acknowledged/found": f"{len(logs)}/{len(found_logs)}",
            "machine load average before/after": f"{load_before:.1f}/{os.getloadavg()[0]:.1f}",
            **{f"  {name}": figures for name, figures in sorted(per_name.items())},
        }
    )
    outcome.check(fivexx == 0, f"{fivexx} answers 5xx: {result['5xx'][:10]}")
    outcome.check(int(total["Failure Count"]) == 0, f"{total['Failure Count']} failed requests")
    outcome.check(len(attendance) > 0 and len(logs) > 0, "the mix acknowledged no writes")
    outcome.check(
        len(found_att) == len(attendance),
        f"{len(attendance) - len(found_att)} acknowledged attendance saves missing",
    )
    outcome.check(
        len(found_logs) == len(logs), f"{len(logs) - len(found_logs)} acknowledged logs missing"
    )
    return outcome
