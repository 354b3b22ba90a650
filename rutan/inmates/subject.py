"""Subject-access export (UU 27/2022 PDP, the data subject's right of access): everything
Rutan holds about one inmate, as JSON and as PDF.

The register's own records are collected here; programmes, assessments, partners and interns
add theirs through `rutan.core.subject`. Confidential psychological text is included: the
subject has the right to it, so the export is limited to holders of the audit permission at
the inmate's facility, and the export and every confidential record in it are audited.
"""

import re

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from rutan.core import subject
from rutan.core.models import AuditAction, AuditEntry
from rutan.core.pdf import html_to_pdf
from rutan.core.roles import Perm
from rutan.core.scoping import require
from rutan.core.services import audit_record

from .models import DetentionPeriod, DisciplinaryEntry, Inmate, Placement, RemisiGrant, Verdict

FORMAT = "rutan-subject-access/1"
VIA = "subject_export"


def _register_sections(inmate: Inmate, by) -> list[subject.Section]:
    verdict = Verdict.objects.filter(inmate=inmate)
    return [
        subject.section("inmate", _("Data register WBP"), [inmate], model=Inmate),
        subject.section(
            "placements",
            _("Riwayat penempatan"),
            Placement.objects.filter(inmate=inmate).select_related("facility", "block"),
            model=Placement,
        ),
        subject.section(
            "detention_periods",
            _("Masa penahanan"),
            DetentionPeriod.objects.filter(inmate=inmate).order_by("start", "id"),
            model=DetentionPeriod,
        ),
        subject.section("verdict", _("Putusan"), verdict, model=Verdict),
        subject.section(
            "remisi",
            _("Remisi"),
            RemisiGrant.objects.filter(inmate=inmate).order_by("decree_date", "id"),
            model=RemisiGrant,
        ),
        subject.section(
            "disciplinary",
            _("Register F (disiplin)"),
            DisciplinaryEntry.objects.filter(inmate=inmate).order_by("occurred_on", "id"),
            model=DisciplinaryEntry,
        ),
    ]


def _audit_section(sections: list[subject.Section]) -> subject.Section:
    refs = {}
    for s in sections:
        for object_type, object_id in s.refs:
            refs.setdefault(object_type, []).append(object_id)
    match = Q(pk__in=[])
    for object_type, ids in refs.items():
        match |= Q(object_type=object_type, object_id__in=ids)
    entries = AuditEntry.objects.filter(match).select_related("actor").order_by("at", "id")
    labels = {
        "at": _("waktu"),
        "actor": _("pelaku"),
        "action": _("tindakan"),
        "object_type": _("jenis objek"),
        "object_id": _("ID objek"),
        "via": _("melalui"),
        "before": _("sebelum"),
        "after": _("sesudah"),
    }
    records = [
        {
            "at": timezone.localtime(e.at).isoformat(timespec="seconds"),
            "actor": str(e.actor) if e.actor else "",
            "action": e.get_action_display(),
            "object_type": e.object_type,
            "object_id": e.object_id,
            "via": e.via,
            "before": e.before,
            "after": e.after,
        }
        for e in entries
    ]
    return subject.Section(
        key="audit", title=_("Catatan audit tentang data ini"), labels=labels, records=records
    )


def subject_access_export(*, inmate: Inmate, by) -> dict:
    """Everything held about `inmate`, as JSON-safe data, and audit the export.

    Only a holder of the audit permission at the inmate's facility (the facility head, the
    data-protection officer, the directorate) may; others get a ValidationError.
    """
    require(by, Perm.AUDIT_VIEW, inmate.facility)
    sections = _register_sections(inmate, by) + subject.collect(inmate, by)
    sections.append(_audit_section(sections))
    audit_record(
        actor=by,
        action=AuditAction.READ,
        instance=inmate,
        via=VIA,
        after={"sections": {s.key: len(s.records) for s in sections}},
    )
    return {
        "format": FORMAT,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "generated_by": str(by),
        "facility": inmate.facility.name,
        "subject": {
            "id": inmate.pk,
            "name": inmate.name,
            "registration_number": inmate.registration_number,
        },
        "legal_basis": _(
            "Hak subjek data untuk mengakses dan memperoleh salinan data pribadinya "
            "(UU 27/2022 tentang Pelindungan Data Pribadi)."
        ),
        "sections": [
            {"key": s.key, "title": s.title, "labels": s.labels, "records": s.records}
            for s in sections
        ],
    }


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2})")
# A value this long gets a line of its own in the PDF; shorter ones go two to a line.
_SHORT = 38


def _text(value) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if value is True or value is False:
        return _("ya") if value else _("tidak")
    text = str(value)
    if m := _DATE.match(text):
        return f"{m[3]}-{m[2]}-{m[1]}"
    if m := _DATETIME.match(text):
        return f"{m[3]}-{m[2]}-{m[1]} {m[4]}"
    return text


def _lines(section: dict, record: dict) -> list[list[tuple[str, str]]]:
    """A record's label/value pairs as lines of the PDF: short values two to a line."""
    pairs = [
        (section["labels"].get(k, k), _text(v))
        for k, v in record.items()
        if v not in (None, "", [], {})
    ]
    lines, pending = [], []
    for label, value in pairs:
        if len(value) > _SHORT:
            lines.append([(label, value)])
        else:
            pending.append((label, value))
            if len(pending) == 2:
                lines.append(pending)
                pending = []
    if pending:
        lines.append(pending)
    return lines


def _audit_rows(section: dict) -> list[list[str]]:
    return [
        [
            _text(e["at"]),
            e["actor"] or "—",
            e["action"],
            f"{e['object_type']} #{e['object_id']}",
            e["via"] or "—",
            " → ".join(_text(x) for x in (e["before"], e["after"]) if x),
        ]
        for e in section["records"]
    ]


def subject_access_pdf(data: dict) -> bytes:
    """The export as a readable PDF: one block per record, label beside value; the audit
    entries as one table."""
    sections = [
        s | {"audit_rows": _audit_rows(s)}
        if s["key"] == "audit"
        else s | {"rows": [_lines(s, r) for r in s["records"]]}
        for s in data["sections"]
    ]
    html = render_to_string(
        "inmates/subject_access_pdf.html",
        {"data": data, "sections": sections, "generated_at": _text(data["generated_at"])},
    )
    return html_to_pdf(html)
