"""`make chaos`: the fault scenarios and the load test of issue 16 on a private stack.

One stack (tests/faults/harness.py: its own PostgreSQL and Redis on spare loopback ports,
gunicorn, a Celery worker and beat, the demo data) is started, then each scenario runs in
turn and prints what it did and what it found. The last line is "nothing lost" only when
every scenario held; the exit status is non-zero otherwise.

    uv run --frozen python bench/chaos.py [--only a,b,c,d,e] [--users 50] [--seconds 60]
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.faults import scenarios  # noqa: E402
from tests.faults.harness import Stack, missing_binaries  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="a,b,c,d,e", help="scenarios to run (a,b,c,d,e)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args(argv)
    wanted = set(args.only.split(","))
    if missing := missing_binaries():
        print(f"cannot start the fault stack, missing: {', '.join(missing)}")
        return 2
    plan = [
        ("a", scenarios.worker_child_killed),
        ("a", scenarios.whole_worker_killed),
        ("b", scenarios.redis_down_writes),
        ("c", scenarios.postgres_restart_burst),
        ("d", scenarios.beat_twice),
        ("e", lambda stack: scenarios.load_daily_mix(stack, args.users, args.seconds)),
    ]
    outcomes = []
    started = time.monotonic()
    print(
        "starting the fault stack (PostgreSQL, Redis, migrate, demo data, gunicorn, worker, beat)"
    )
    with Stack() as stack:
        print(f"stack up in {time.monotonic() - started:.0f} s (web on 127.0.0.1:{stack.web_port})")
        for key, scenario in plan:
            if key not in wanted:
                continue
            began = time.monotonic()
            try:
                outcome = scenario(stack)
            except Exception as exc:  # a scenario that breaks is a failure, the run goes on
                outcome = scenarios.Outcome(getattr(scenario, "__name__", key))
                outcome.check(False, f"{type(exc).__name__}: {exc}")
            outcome.did(f"took {time.monotonic() - began:.0f} s")
            outcomes.append(outcome)
            print(outcome.text(), flush=True)
            if key == "a":
                scenarios.restore_worker(stack)
    failed = [o for o in outcomes if not o.ok]
    print(f"\n{len(outcomes)} scenarios in {time.monotonic() - started:.0f} s")
    if failed:
        print("FAILED: " + "; ".join(o.name for o in failed))
        return 1
    print("nothing lost")
    return 0


if __name__ == "__main__":
    sys.exit(main())
