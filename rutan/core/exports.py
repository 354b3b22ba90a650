"""CSV and XLSX downloads of the list pages, streamed and audited.

A list view hands its own selector's queryset (same filters, same scope as the page) and a
list of `Column`s to `export_response`. Rows are read with `.iterator(chunk_size=...)` and
written as they come: CSV goes straight to a `StreamingHttpResponse`, XLSX through a
write-only workbook into a spooled temporary file, so no export holds the table in memory.
"""

import csv
import datetime
import decimal
import re
import tempfile
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .models import AuditAction
from .services import audit_record

FORMATS = ("csv", "xlsx")
FORMAT_PARAM = "unduh"
CHUNK_SIZE = 500
DATE_FORMAT = "%d-%m-%Y"
DATETIME_FORMAT = "%d-%m-%Y %H:%M"
# Spreadsheets run a cell that starts with one of these as a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
XLSX_MEMORY_LIMIT = 8 * 1024 * 1024
STREAM_BLOCK = 64 * 1024


@dataclass(frozen=True)
class Column:
    """One column of an export: its header (translatable) and how to read it from a row."""

    header: Any
    value: Callable[[Any], Any]


def requested_format(request, param: str = FORMAT_PARAM) -> str | None:
    """The export format a list page was asked for (`?unduh=csv|xlsx`), else None."""
    value = request.GET.get(param)
    return value if value in FORMATS else None


def page_query(request) -> str:
    """The page's query string without page number and export format, for links."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop(FORMAT_PARAM, None)
    return query.urlencode()


def invalid_filters_response(request, form):
    """400 with the filter errors: an export never silently drops a filter the page showed."""
    return render(
        request,
        "core/export_invalid.html",
        {"form": form, "query": page_query(request)},
        status=400,
    )


def neutralise(text: str) -> str:
    """Text that a spreadsheet will show as text, never run as a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _local(value: datetime.datetime, tz) -> datetime.datetime:
    return timezone.localtime(value, tz) if timezone.is_aware(value) else value


def csv_text(value, tz=None) -> str:
    """A cell as CSV text: dates dd-mm-yyyy (times in `tz`), yes/no in words, formulas quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, datetime.datetime):
        return _local(value, tz).strftime(DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, int | float | decimal.Decimal):
        return str(value)
    return neutralise(str(value))


def _xlsx_cell(sheet, value, tz):
    if isinstance(value, bool):
        return csv_text(value)
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=_local(value, tz).replace(tzinfo=None))
        cell.number_format = "DD-MM-YYYY HH:MM"
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD-MM-YYYY"
        return cell
    if isinstance(value, int | float):
        return value
    if isinstance(value, decimal.Decimal):
        return float(value)
    return csv_text(value, tz)


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def csv_rows(headers: list[str], rows: Iterable[tuple[Any, list]], tz_of) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headers)
    for row, values in rows:
        tz = tz_of(row)
        yield writer.writerow([csv_text(v, tz) for v in values])


def xlsx_blocks(
    title: str, headers: list[str], rows: Iterable[tuple[Any, list]], tz_of
) -> Iterator[bytes]:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=re.sub(r"[\\/*?:\[\]]", " ", title)[:31] or "Data")
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=neutralise(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row, values in rows:
        tz = tz_of(row)
        sheet.append([_xlsx_cell(sheet, v, tz) for v in values])
    with tempfile.SpooledTemporaryFile(max_size=XLSX_MEMORY_LIMIT) as out:
        book.save(out)
        out.seek(0)
        while block := out.read(STREAM_BLOCK):
            yield block


def filters_for_audit(filters: dict) -> dict:
    """The filters that were set, as JSON-safe data (objects by id)."""
    plain = {}
    for key, value in filters.items():
        if value is False or value in (None, "", [], ()):
            continue
        if isinstance(value, Model):
            value = value.pk
        elif isinstance(value, QuerySet | list | tuple | set):
            value = [v.pk if isinstance(v, Model) else str(v) for v in value]
        elif isinstance(value, datetime.date | decimal.Decimal):
            value = str(value) if isinstance(value, decimal.Decimal) else value.isoformat()
        elif not isinstance(value, bool | int | float | str):
            value = str(value)
        plain[key] = value
    return plain


def audit_facility_id(filters: dict, facilities) -> int | None:
    """The facility an export belongs to in the audit log: the filtered one, or the only one."""
    if facility := filters.get("facility"):
        return facility.pk
    facilities = list(facilities)
    return facilities[0].pk if len(facilities) == 1 else None


def export_filename(name: str, fmt: str) -> str:
    """A filename safe in every browser and file system, e.g. register-2026-12-02.csv."""
    return f"{slugify(name) or 'export'}-{timezone.localdate():%Y-%m-%d}.{fmt}"


def export_response(
    *,
    request,
    fmt: str,
    queryset: QuerySet,
    columns: list[Column],
    name: str,
    title: str,
    filters: dict,
    facility_id: int | None = None,
    tz_of: Callable[[Any], Any] | None = None,
) -> StreamingHttpResponse:
    """Stream `queryset` as CSV or XLSX and audit the download as one read.

    `queryset` must be the page's own selector result with the page's cleaned filters, so
    the file holds exactly the rows the page lists. The audit entry says who downloaded
    which model, with which filters and how many rows (`via="export"`). Datetimes are
    written in `tz_of(row)` (the row's facility timezone); dates as dd-mm-yyyy.
    """
    count = queryset.count()
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        instance=queryset.model,
        after={"format": fmt, "filters": filters_for_audit(filters), "rows": count},
        facility_id=facility_id,
        via="export",
    )
    language = translation.get_language()
    headers = [str(c.header) for c in columns]
    default_tz = zoneinfo.ZoneInfo(timezone.get_current_timezone_name())
    row_tz = tz_of or (lambda row: default_tz)

    def rows():
        # The response is written after the view returns: keep the page's language.
        with translation.override(language):
            for row in queryset.iterator(chunk_size=CHUNK_SIZE):
                yield row, [c.value(row) for c in columns]

    if fmt == "csv":
        content = csv_rows(headers, rows(), row_tz)
    else:
        content = xlsx_blocks(title, headers, rows(), row_tz)
    response = StreamingHttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export_filename(name, fmt)
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def list_export(
    request,
    *,
    form,
    filters: dict,
    facilities,
    queryset: QuerySet,
    columns: list[Column],
    name: str,
    title: str,
    tz_of: Callable[[Any], Any] | None = None,
):
    """The download a list page was asked for (`?unduh=csv|xlsx`), or None to render the page.

    Bad filter values refuse the download (never an unfiltered file); the audit entry names
    the facility the filters chose, if any."""
    fmt = requested_format(request)
    if fmt is None:
        return None
    if form.errors:
        return invalid_filters_response(request, form)
    return export_response(
        request=request,
        fmt=fmt,
        queryset=queryset,
        columns=columns,
        name=name,
        title=title,
        filters=filters,
        facility_id=audit_facility_id(filters, facilities),
        tz_of=tz_of,
    )


def facility_tz(path: str = "facility") -> Callable[[Any], Any]:
    """`tz_of` for rows that reach their facility through `path` (e.g. "programme__facility")."""

    def tz_of(row):
        target = row
        for part in path.split("__"):
            target = getattr(target, part)
        return target.tzinfo

    return tz_of
