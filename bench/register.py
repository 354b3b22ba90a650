"""Benchmark the inmate register at scale: prints figures, asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rutan_bench \
        uv run python bench/register.py --inmates 20000

Creates the database content with bulk inserts (not through services: this measures reads),
then times the register page, the API list and a filtered stage query, with query counts and
peak memory of the process.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rutan.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rutan_bench")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from rutan.accounts.models import Membership, User  # noqa: E402
from rutan.core.roles import Role  # noqa: E402
from rutan.facilities.models import Block, Facility, RegionalOffice  # noqa: E402
from rutan.inmates.models import DetentionPeriod, Inmate, Verdict  # noqa: E402
from rutan.inmates.services import inmates_recompute_stages  # noqa: E402


def ensure_database():
    import psycopg

    name = connection.settings_dict["NAME"]
    with psycopg.connect(
        host=connection.settings_dict["HOST"] or "127.0.0.1",
        user=connection.settings_dict["USER"] or "postgres",
        dbname="postgres",
        autocommit=True,
    ) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)


def populate(n: int) -> Facility:
    region, _ = RegionalOffice.objects.get_or_create(code="bench", name="Kanwil Bench")
    facility, _ = Facility.objects.get_or_create(
        code="bench",
        defaults={
            "name": "Rutan Bench",
            "kind": "rutan",
            "facility_class": "I",
            "regional_office": region,
            "capacity": n,
        },
    )
    block, _ = Block.objects.get_or_create(facility=facility, name="Blok A", sex="L")
    have = Inmate.objects.filter(facility=facility).count()
    rng = random.Random(1)
    today = datetime.date.today()
    batch = []
    for i in range(have, n):
        start = today - datetime.timedelta(days=rng.randint(1, 2000))
        batch.append(
            Inmate(
                facility=facility,
                registration_number=f"BI.{i:06d}",
                register_type="B.I",
                legal_status="narapidana",
                name=f"Warga Bench {i:06d}",
                sex="L",
                birth_date=datetime.date(1980, 1, 1),
                religion="islam",
                education_level="sma",
                case_category="pidana_umum",
                admission_date=start,
                sentence_start=start,
                sentence_kind="penjara",
                sentence_years=rng.randint(1, 8),
                block=block,
            )
        )
    Inmate.objects.bulk_create(batch, batch_size=2000)
    # The custody records the stored dates are derived from: a one-day warrant and a verdict
    # final on the start day, so the term counts from it.
    DetentionPeriod.objects.bulk_create(
        [
            DetentionPeriod(
                inmate=i,
                authority="pengadilan_negeri",
                warrant_number="BENCH",
                start=i.sentence_start,
                end=i.sentence_start,
            )
            for i in batch
        ],
        batch_size=2000,
    )
    Verdict.objects.bulk_create(
        [
            Verdict(
                inmate=i,
                court="pengadilan_negeri",
                court_name="PN Bench",
                number="BENCH",
                decided_on=i.sentence_start,
                final_on=i.sentence_start,
                sentence_kind="penjara",
                years=i.sentence_years,
            )
            for i in batch
        ],
        batch_size=2000,
    )
    if batch:
        inmates_recompute_stages(facility=facility)
    user, _ = User.objects.get_or_create(username="bench-kepala")
    Membership.objects.get_or_create(user=user, role=Role.FACILITY_HEAD, facility=facility)
    return facility


def timed(client, url, runs=15):
    times, queries = [], 0
    for _ in range(runs):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return statistics.median(times), max(times), queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--inmates", type=int, default=20000)
    args = parser.parse_args()
    ensure_database()
    t = time.perf_counter()
    populate(args.inmates)
    print(f"data: {Inmate.objects.count()} inmates ready in {time.perf_counter() - t:.1f} s")
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="bench-kepala"))
    tracemalloc.start()
    for label, url in [
        ("register page", "/wbp/"),
        ("register page 40", "/wbp/?page=40"),
        ("register search", "/wbp/?q=Bench+01"),
        ("register stage filter", "/wbp/?stage=asimilasi"),
        ("API list", "/api/v1/inmates/"),
        ("API stage filter", "/api/v1/inmates/?stage=integrasi"),
        ("facility page", f"/upt/{Facility.objects.get(code='bench').pk}/"),
    ]:
        median, worst, queries = timed(client, url)
        print(f"{label:24} median {median:7.1f} ms  max {worst:7.1f} ms  queries {queries}")
    _, peak = tracemalloc.get_traced_memory()
    print(f"peak Python memory during requests: {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
