"""Logbook (PDF, XLSX) and batch summary (XLSX) files."""

import base64
import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from PIL import Image

from rutan.core.pdf import html_to_pdf

from .models import LogStatus

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")


def approval_mark(log) -> str:
    """How the logbook shows the mentor's decision on a log."""
    if log.status == LogStatus.APPROVED:
        when = timezone.localtime(log.reviewed_at).strftime("%d-%m-%Y") if log.reviewed_at else ""
        if log.auto_approved:
            return _("Disetujui otomatis %(d)s") % {"d": when}
        if not when:
            return _("Disetujui %(name)s") % {"name": log.reviewed_by or "—"}
        return _("Disetujui %(name)s, %(d)s") % {"name": log.reviewed_by or "—", "d": when}
    return str(log.get_status_display())


def _totals(logs):
    approved = sum(
        (log.hours or Decimal(0) for log in logs if log.status == LogStatus.APPROVED), Decimal(0)
    )
    total = sum((log.hours or Decimal(0) for log in logs), Decimal(0))
    return total, approved


def _thumbnail_data_uri(path: str) -> str:
    """A small JPEG of a stored photo, inlined: the PDF renderer reads no files itself."""
    with Image.open(path) as image:
        image.thumbnail((240, 240))
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, "JPEG", quality=70)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


def logbook_pdf(*, intern, logs, start, end) -> bytes:
    """The intern's logbook for a period as PDF, with approval marks and photo thumbnails;
    dates and times in the facility's zone, whoever downloads it."""
    facility = intern.batch.facility
    with timezone.override(facility.tzinfo):
        html = _logbook_html(intern=intern, facility=facility, logs=logs, start=start, end=end)
    return html_to_pdf(html)


def _logbook_html(*, intern, facility, logs, start, end) -> str:
    total, approved = _totals(logs)
    rows = [
        {
            "log": log,
            "mark": approval_mark(log),
            "approved": log.status == LogStatus.APPROVED,
            "photos": [_thumbnail_data_uri(p.image.path) for p in log.photos.all()][:5],
        }
        for log in logs
    ]
    return render_to_string(
        "interns/logbook_pdf.html",
        {
            "intern": intern,
            "facility": facility,
            "rows": rows,
            "start": start,
            "end": end,
            "total_hours": total,
            "approved_hours": approved,
            "generated": timezone.localtime(timezone.now()),
        },
    )


def _sheet_header(ws, headers, widths):
    ws.append(headers)
    for index, width in enumerate(widths, start=1):
        cell = ws.cell(row=ws.max_row, column=index)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = ws.cell(row=ws.max_row + 1, column=1)


def logbook_xlsx(*, intern, logs, start, end) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Logbook")
    ws.append([_("Logbook kegiatan magang")])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([_("Nama"), str(intern.user)])
    ws.append([_("Perguruan tinggi"), f"{intern.campus} · {intern.study_programme}"])
    ws.append([_("Angkatan"), f"{intern.batch} · {intern.batch.facility}"])
    ws.append([_("Mentor"), str(intern.mentor or "—")])
    ws.append([_("Periode"), f"{start:%d-%m-%Y} s.d. {end:%d-%m-%Y}"])
    ws.append([])
    _sheet_header(
        ws,
        [
            _("Tanggal"),
            _("Mulai"),
            _("Selesai"),
            _("Jam"),
            _("Jenis kegiatan"),
            _("Tempat"),
            _("Orang terlayani"),
            _("Uraian"),
            _("Temuan"),
            _("Status"),
            _("Persetujuan mentor"),
            _("Catatan mentor"),
        ],
        [12, 8, 8, 7, 22, 22, 10, 50, 35, 14, 32, 35],
    )
    for log in logs:
        ws.append(
            [
                log.on,
                log.start_time.strftime("%H:%M") if log.start_time else "",
                log.end_time.strftime("%H:%M") if log.end_time else "",
                float(log.hours) if log.hours is not None else None,
                log.get_log_type_display(),
                ", ".join(x for x in [str(log.block or ""), log.place] if x),
                log.people_reached,
                log.description,
                log.findings,
                str(log.get_status_display()),
                approval_mark(log) if log.status == LogStatus.APPROVED else "",
                log.review_comment,
            ]
        )
        row = ws.max_row
        ws.cell(row=row, column=1).number_format = "DD-MM-YYYY"
        for column in (8, 9, 12):
            ws.cell(row=row, column=column).alignment = Alignment(wrap_text=True, vertical="top")
    total, approved = _totals(logs)
    ws.append([])
    ws.append([_("Jumlah jam"), None, None, float(total)])
    ws.append([_("Jam disetujui"), None, None, float(approved)])
    return _save(wb)


def summary_xlsx(*, batch, summary, start, end) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Ringkasan")
    ws.append([_("Ringkasan jam kegiatan disetujui — %(b)s") % {"b": batch}])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([str(batch.facility), f"{start:%d-%m-%Y} s.d. {end:%d-%m-%Y}"])
    ws.append([])
    types = summary["types"]
    _sheet_header(
        ws,
        [_("Peserta"), *[str(label) for _value, label in types], _("Jumlah"), _("Catatan")],
        [28, *[14] * len(types), 10, 10],
    )
    for row in summary["rows"]:
        ws.append(
            [
                str(row.intern),
                *[float(row.hours[value]) for value, _label in types],
                float(row.total),
                row.logs,
            ]
        )
    ws.append(
        [
            _("Jumlah"),
            *[float(summary["totals"][value]) for value, _label in types],
            float(summary["grand_total"]),
        ]
    )
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    return _save(wb)


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
