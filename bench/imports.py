"""Benchmark the bulk import: is its time per row and its memory flat as files grow?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rutan_bench \
        uv run python bench/imports.py --small 1000 --large 10000

Imports a register file of `--small` rows and one of `--large` rows, side by side in one run,
into two empty facilities (preview, then write, as a user would), and prints the time per row
and the peak Python memory of each, with the large/small ratios. Flat means a ratio near 1:
a 50,000-row file then takes 50 times a 1,000-row file's time and no more memory.
Asserts nothing: the machine is shared, read the ratios.
"""

import argparse
import csv
import datetime
import io
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rutan.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rutan_bench")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from bench.register import ensure_database  # noqa: E402
from rutan.accounts.models import User  # noqa: E402
from rutan.facilities.models import Block, Facility, RegionalOffice  # noqa: E402
from rutan.imports import engine, services  # noqa: E402
from rutan.inmates.models import Inmate  # noqa: E402

HEADER = [
    "registration_number", "name", "sex", "birth_date", "religion", "education_level",
    "case_category", "admission_date", "block", "warrant_authority", "warrant_number",
    "warrant_start", "warrant_end",
]  # fmt: skip


def register_file(rows: int) -> SimpleUploadedFile:
    start = datetime.date.today() - datetime.timedelta(days=10)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(rows):
        writer.writerow(
            [
                f"AI.{n:06d}",
                f"Warga Impor {n:06d}",
                "L",
                "17/05/1990",
                "islam",
                "sma",
                "pidana_umum",
                start.strftime("%d/%m/%Y"),
                "Blok A",
                "penyidik",
                f"SP.HAN/{n}",
                start.isoformat(),
                (start + datetime.timedelta(days=19)).isoformat(),
            ]
        )
    return SimpleUploadedFile("bench.csv", out.getvalue().encode())


def fresh_facility(code: str) -> Facility:
    region, _ = RegionalOffice.objects.get_or_create(code="bench", name="Kanwil Bench")
    Inmate.objects.filter(facility__code=code).delete()
    facility, _ = Facility.objects.get_or_create(
        code=code,
        defaults={
            "name": f"Rutan {code}",
            "kind": "rutan",
            "facility_class": "I",
            "regional_office": region,
            "capacity": 100000,
        },
    )
    Block.objects.get_or_create(facility=facility, name="Blok A", sex="L")
    return facility


def measure(rows: int, by) -> dict:
    facility = fresh_facility(f"bench-import-{rows}")
    upload = register_file(rows)
    tracemalloc.start()
    began = time.perf_counter()
    data_import = services.import_create(
        kind="register", facility=facility, by=by, file=upload, enqueue=False
    )
    data_import = services.import_preview(data_import=data_import)
    previewed = time.perf_counter()
    data_import = services.import_confirm(data_import=data_import, by=by, enqueue=False)
    data_import = services.import_write(data_import=data_import)
    written = time.perf_counter()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert data_import.counts["create"] == rows, data_import.counts
    return {
        "rows": rows,
        "preview_ms_row": 1000 * (previewed - began) / rows,
        "write_ms_row": 1000 * (written - previewed) / rows,
        "peak_mb": peak / 2**20,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000)
    args = parser.parse_args()
    ensure_database()
    from django.conf import settings

    settings.MEDIA_ROOT = "/tmp/rutan-bench-media"
    by, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    small, large = measure(args.small, by), measure(args.large, by)
    print(f"engine keeps at most {engine.MAX_ERRORS} errors and {engine.PREVIEW_ROWS} rows")
    for result in (small, large):
        print(
            f"{result['rows']:>7} rows: preview {result['preview_ms_row']:.1f} ms/row, "
            f"write {result['write_ms_row']:.1f} ms/row, peak {result['peak_mb']:.1f} MB"
        )
    print(
        "ratios large/small (1.0 = flat): "
        f"preview per row {large['preview_ms_row'] / small['preview_ms_row']:.2f}, "
        f"write per row {large['write_ms_row'] / small['write_ms_row']:.2f}, "
        f"peak memory {large['peak_mb'] / small['peak_mb']:.2f}"
    )


if __name__ == "__main__":
    main()
