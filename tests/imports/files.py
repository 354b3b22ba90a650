"""Building import files in tests and running an import without Celery."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from rest_framework.test import APIClient

from rutan.imports import services


def csv_file(rows, header=None, encoding="utf-8", name="data.csv", delimiter=","):
    header = header or list(rows[0])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for r in rows:
        writer.writerow(list(r.values()) if isinstance(r, dict) else r)
    return SimpleUploadedFile(name, out.getvalue().encode(encoding), content_type="text/csv")


def xlsx_file(rows, name="data.xlsx", header=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or list(rows[0]))
    for r in rows:
        sheet.append(list(r.values()) if isinstance(r, dict) else r)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def preview(kind, facility, by, upload):
    data_import = services.import_create(
        kind=kind, facility=facility, by=by, file=upload, enqueue=False
    )
    return services.import_preview(data_import=data_import)


def confirm(data_import, by):
    data_import = services.import_confirm(data_import=data_import, by=by, enqueue=False)
    return services.import_write(data_import=data_import)


def run(kind, facility, by, upload):
    """Preview then write; return (preview, written)."""
    previewed = preview(kind, facility, by, upload)
    counts = dict(previewed.counts)
    return counts, confirm(previewed, by)


def assert_outsiders_refused(data_import, kind, facility, outsiders, upload):
    """Users without the kind's perm at the facility: the import is a 404 to them and a new
    upload for that facility a 400 on the facility field (nothing tells what exists)."""
    for outsider in outsiders:
        api = APIClient()
        api.force_authenticate(outsider)
        assert api.get(f"/api/v1/imports/{data_import}/").status_code == 404
        assert api.post(f"/api/v1/imports/{data_import}/confirm/").status_code == 404
        refused = api.post(
            "/api/v1/imports/",
            {"kind": kind, "facility": facility.pk, "file": upload()},
            format="multipart",
        )
        assert refused.status_code == 400 and "facility" in refused.json()["errors"]
