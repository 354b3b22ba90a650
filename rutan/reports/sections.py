"""What each domain app contributes to the reports and the dashboard.

Every figure is one grouped query over a list of facilities, read from the domain's own
models (programmes, assessments, partners, interns), so the regional report and the Kanwil
dashboard cost the same for two facilities or for five hundred. Nothing here invents a
number: a domain without data shows an empty state.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.utils.translation import gettext as _

from assessments.choices import AssessmentStatus
from assessments.models import (
    BehaviourScore,
    CounsellingSession,
    InterestAssessment,
    LiteracyAssessment,
    PsychologicalAssessment,
)
from interns.models import ActivityLog, LogStatus, LogType
from partners.models import Agreement, Contribution, ending_q, in_force_q
from programmes.choices import AttendanceStatus, EnrolmentStatus, SessionStatus
from programmes.models import (
    AssimilationPlacement,
    Attendance,
    Certificate,
    Enrolment,
    Product,
    Programme,
    Session,
)
from rutan.core.choices import Pillar
from rutan.core.models import LiteracyLevel

from . import charts

# Row keys that are percentages: totals recompute them instead of summing.
RATE_KEYS = {"occupancy", "participation", "attendance"}

EXPIRING_DAYS = 60


def _rate(part, whole):
    return round(100 * part / whole) if whole else None


def _by(rows, *keys):
    """Index grouped rows by facility id (and more keys), dropping those keys from the row."""
    result = {}
    for row in rows:
        row = dict(row)
        index = tuple(row.pop(k) for k in keys)
        result[index if len(index) > 1 else index[0]] = row
    return result


def programme_figures(facility_ids, start: datetime.date, end: datetime.date) -> dict:
    """Per facility and pillar: programmes running, sessions held, participants, attendance,
    completions and certificates between start and end (five grouped queries)."""
    in_period = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    # A programme cancelled after it began still ran in the months before; one cancelled
    # before it began (its end is its start) never ran.
    ran = ~Q(status="cancelled") | Q(end_date__gt=F("start_date"))
    programmes = _by(
        Programme.objects.filter(facility_id__in=facility_ids)
        .filter(in_period & ran)
        .values("facility_id", "pillar")
        .annotate(programmes=Count("id"))
        .order_by(),
        "facility_id",
        "pillar",
    )
    sessions = _by(
        Session.objects.filter(programme__facility_id__in=facility_ids, date__range=(start, end))
        .exclude(status=SessionStatus.CANCELLED)
        .values("programme__facility_id", "programme__pillar")
        .annotate(sessions=Count("id"))
        .order_by(),
        "programme__facility_id",
        "programme__pillar",
    )
    attendance = _by(
        Attendance.objects.filter(
            session__programme__facility_id__in=facility_ids, session__date__range=(start, end)
        )
        .values("session__programme__facility_id", "session__programme__pillar")
        .annotate(
            participants=Count("enrolment__inmate", distinct=True),
            recorded=Count("id"),
            present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
        )
        .order_by(),
        "session__programme__facility_id",
        "session__programme__pillar",
    )
    completions = _by(
        Enrolment.objects.filter(
            programme__facility_id__in=facility_ids,
            status=EnrolmentStatus.COMPLETED,
            ended_on__range=(start, end),
        )
        .values("programme__facility_id", "programme__pillar")
        .annotate(completions=Count("id"))
        .order_by(),
        "programme__facility_id",
        "programme__pillar",
    )
    certificates = _by(
        Certificate.objects.filter(facility_id__in=facility_ids, issued_on__range=(start, end))
        # Revoked later, it was still valid when the period ended.
        .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=end))
        .values("facility_id", "enrolment__programme__pillar")
        .annotate(certificates=Count("id"))
        .order_by(),
        "facility_id",
        "enrolment__programme__pillar",
    )
    result = {}
    for fid in facility_ids:
        per_pillar = {}
        for pillar in Pillar.values:
            key = (fid, pillar)
            figures = {
                "programmes": programmes.get(key, {}).get("programmes", 0),
                "sessions": sessions.get(key, {}).get("sessions", 0),
                "participants": attendance.get(key, {}).get("participants", 0),
                "recorded": attendance.get(key, {}).get("recorded", 0),
                "present": attendance.get(key, {}).get("present", 0),
                "completions": completions.get(key, {}).get("completions", 0),
                "certificates": certificates.get(key, {}).get("certificates", 0),
            }
            figures["attendance"] = _rate(figures["present"], figures["recorded"])
            per_pillar[pillar] = figures
        result[fid] = per_pillar
    return result


def participants_overall(facility_ids, start, end) -> dict[int, int]:
    """Distinct inmates who attended at least one session (any pillar) in the period."""
    rows = (
        Attendance.objects.filter(
            session__programme__facility_id__in=facility_ids,
            session__date__range=(start, end),
            status=AttendanceStatus.PRESENT,
        )
        .values("session__programme__facility_id")
        .annotate(n=Count("enrolment__inmate", distinct=True))
        .order_by()
    )
    return {row["session__programme__facility_id"]: row["n"] for row in rows}


# (key, model, the date an assessment belongs to): an SPPN score belongs to the month it
# scores, whenever it was typed in.
ASSESSMENT_KINDS = [
    ("psychological", PsychologicalAssessment, "assessed_on"),
    ("literacy", LiteracyAssessment, "assessed_on"),
    ("interest", InterestAssessment, "assessed_on"),
    ("behaviour", BehaviourScore, "month"),
]


def assessment_figures(facility_ids, start, end) -> dict[int, dict]:
    """Final assessments of the period by kind (SPPN by the month scored), counselling
    sessions held, and literacy assessments per level (`levels`: level id → count; each
    level belongs to one script)."""
    result = defaultdict(lambda: {"levels": {}})
    for key, model, day in ASSESSMENT_KINDS:
        rows = (
            model.objects.filter(
                facility_id__in=facility_ids,
                status=AssessmentStatus.FINAL,
                **{f"{day}__range": (start, end)},
            )
            .values("facility_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            result[row["facility_id"]][key] = row["n"]
    for row in (
        CounsellingSession.objects.filter(facility_id__in=facility_ids, held_on__range=(start, end))
        .values("facility_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        result[row["facility_id"]]["counselling"] = row["n"]
    for row in (
        LiteracyAssessment.objects.filter(
            facility_id__in=facility_ids,
            assessed_on__range=(start, end),
            status=AssessmentStatus.FINAL,
        )
        .values("facility_id", "level_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        result[row["facility_id"]]["levels"][row["level_id"]] = row["n"]
    out = {}
    for fid in facility_ids:
        figures = result[fid]
        for key, _model, _day in ASSESSMENT_KINDS:
            figures.setdefault(key, 0)
        figures.setdefault("counselling", 0)
        figures["total"] = sum(figures[k] for k, _m, _d in ASSESSMENT_KINDS)
        out[fid] = figures
    return out


def assimilation_figures(facility_ids, start, end) -> dict[int, dict]:
    """Assimilation placements running in, started in and ended in the period."""
    running = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    rows = (
        AssimilationPlacement.objects.filter(facility_id__in=facility_ids)
        .filter(running)
        .values("facility_id")
        .annotate(
            placements=Count("id"),
            started=Count("id", filter=Q(start_date__gte=start)),
            ended=Count("id", filter=Q(end_date__lte=end)),
            workplaces=Count("workplace", distinct=True),
        )
        .order_by()
    )
    empty = {"placements": 0, "started": 0, "ended": 0, "workplaces": 0}
    found = _by(rows, "facility_id")
    return {fid: found.get(fid, dict(empty)) for fid in facility_ids}


def agreement_figures(facility_ids, on: datetime.date, start, end) -> dict[int, dict]:
    """Agreements in force on `on` (also if they have ended since), signed in the period, and
    in force on `on` but ending within 60 days of it."""
    rows = (
        Agreement.objects.filter(facility_id__in=facility_ids)
        .values("facility_id")
        .annotate(
            active=Count("id", filter=in_force_q(on)),
            signed=Count("id", filter=Q(signed_on__range=(start, end))),
            expiring=Count("id", filter=ending_q(on, EXPIRING_DAYS)),
        )
        .order_by()
    )
    empty = {"active": 0, "signed": 0, "expiring": 0}
    found = _by(rows, "facility_id")
    return {fid: found.get(fid, dict(empty)) for fid in facility_ids}


def contribution_figures(facility_ids, start, end) -> dict[int, dict]:
    """What partners gave in the period: count, hours and value in rupiah, by kind."""
    rows = (
        Contribution.objects.filter(
            agreement__facility_id__in=facility_ids, given_on__range=(start, end)
        )
        .values("agreement__facility_id", "kind")
        .annotate(n=Count("id"), hours=Sum("hours"), value=Sum("value_idr"))
        .order_by()
    )
    result = defaultdict(lambda: {"kinds": {}, "value": Decimal(0), "hours": Decimal(0), "n": 0})
    for row in rows:
        figures = result[row["agreement__facility_id"]]
        figures["kinds"][row["kind"]] = row
        figures["n"] += row["n"]
        figures["hours"] += row["hours"] or 0
        figures["value"] += row["value"] or 0
    return {fid: result[fid] for fid in facility_ids}


def intern_figures(facility_ids, start, end) -> dict[int, dict]:
    """Approved intern activity logs of the period by type: logs, hours, people reached."""
    rows = (
        ActivityLog.objects.filter(
            intern__batch__facility_id__in=facility_ids,
            on__range=(start, end),
            status=LogStatus.APPROVED,
        )
        .values("intern__batch__facility_id", "log_type")
        .annotate(
            logs=Count("id"),
            hours=Sum("hours"),
            reached=Sum("people_reached"),
            interns=Count("intern", distinct=True),
        )
        .order_by()
    )
    result = defaultdict(lambda: {"types": {}, "logs": 0, "hours": Decimal(0), "reached": 0})
    for row in rows:
        figures = result[row["intern__batch__facility_id"]]
        figures["types"][row["log_type"]] = row
        figures["logs"] += row["logs"]
        figures["hours"] += row["hours"] or 0
        figures["reached"] += row["reached"] or 0
    return {fid: result[fid] for fid in facility_ids}


PRODUCT_VALUE = ExpressionWrapper(
    F("quantity") * F("unit_value"), output_field=DecimalField(max_digits=16, decimal_places=2)
)


def product_figures(facility_ids, start, end) -> dict[int, dict]:
    """Products made in the period per facility, and per product name and unit."""
    rows = (
        Product.objects.filter(programme__facility_id__in=facility_ids, made_on__range=(start, end))
        .values("programme__facility_id", "name", "unit", "programme__title")
        .annotate(total_quantity=Sum("quantity"), total_value=Sum(PRODUCT_VALUE))
        .order_by("programme__facility_id", "-total_value", "name")
    )
    result = defaultdict(lambda: {"items": [], "value": Decimal(0), "quantity": 0})
    for row in rows:
        figures = result[row["programme__facility_id"]]
        figures["items"].append(row)
        figures["value"] += row["total_value"] or 0
        figures["quantity"] += row["total_quantity"] or 0
    return {fid: result[fid] for fid in facility_ids}


# (row key, column label) shown per facility in the regional report and the Kanwil dashboard.
def domain_columns():
    return [
        ("participation", _("Partisipasi")),
        ("attendance", _("Kehadiran")),
        ("completions", _("Selesai program")),
        ("certificates", _("Sertifikat")),
        ("assessments", _("Asesmen")),
        ("assimilation", _("Asimilasi")),
        ("agreements", _("PKS/MoU berlaku")),
        ("intern_hours", _("Jam magang")),
        ("product_value", _("Nilai produk (Rp)")),
    ]


def domain_figures(facility_ids, *, start, end, on) -> dict[str, dict]:
    """The grouped figures of the period behind the regional table and a facility report's
    sections of this month (a fixed number of queries)."""
    return {
        "programmes": programme_figures(facility_ids, start, end),
        "participants": participants_overall(facility_ids, start, end),
        "assessments": assessment_figures(facility_ids, start, end),
        "assimilation": assimilation_figures(facility_ids, start, end),
        "agreements": agreement_figures(facility_ids, on, start, end),
        "interns": intern_figures(facility_ids, start, end),
        "products": product_figures(facility_ids, start, end),
    }


def domain_rows(facility_ids, *, start, end, on, figures=None) -> dict[int, dict]:
    """The figures of the regional table per facility, from `figures` (`domain_figures` of
    the same facilities and dates) or read now."""
    if figures is None:
        figures = domain_figures(facility_ids, start=start, end=end, on=on)
    programmes, participants = figures["programmes"], figures["participants"]
    assessments, assimilation = figures["assessments"], figures["assimilation"]
    agreements, interns, products = figures["agreements"], figures["interns"], figures["products"]
    rows = {}
    for fid in facility_ids:
        pillars = programmes[fid].values()
        recorded = sum(p["recorded"] for p in pillars)
        present = sum(p["present"] for p in pillars)
        rows[fid] = {
            "participants": participants.get(fid, 0),
            "recorded": recorded,
            "present": present,
            "attendance": _rate(present, recorded),
            "completions": sum(p["completions"] for p in pillars),
            "certificates": sum(p["certificates"] for p in pillars),
            "sessions": sum(p["sessions"] for p in pillars),
            "assessments": assessments[fid]["total"],
            "assimilation": assimilation[fid]["placements"],
            "agreements": agreements[fid]["active"],
            "agreements_expiring": agreements[fid]["expiring"],
            "intern_hours": interns[fid]["hours"],
            "product_value": products[fid]["value"],
        }
    return rows


def finish_row(row: dict) -> None:
    """Rates that need the population: share of inmates who took part in a programme."""
    row["participation"] = _rate(row.get("participants", 0), row.get("population", 0))


def domain_totals(rows: list[dict]) -> dict:
    total_recorded = sum(r.get("recorded", 0) for r in rows)
    total_present = sum(r.get("present", 0) for r in rows)
    population = sum(r.get("population", 0) for r in rows)
    return {
        "attendance": _rate(total_present, total_recorded),
        "participation": _rate(sum(r.get("participants", 0) for r in rows), population),
        "intern_hours": sum((r.get("intern_hours") or 0 for r in rows), Decimal(0)),
        "product_value": sum((r.get("product_value") or 0 for r in rows), Decimal(0)),
    }


def facility_sections(*, facility, period, figures=None) -> list[dict]:
    """The domain sections of one facility's monthly report, in the order they are read;
    this month's figures from `figures` (`domain_figures` of the period) or read now."""
    ids = [facility.pk]
    if figures is None:
        figures = domain_figures(ids, start=period.start, end=period.end, on=period.end)
    now = figures["programmes"][facility.pk]
    before = programme_figures(ids, period.previous_start, period.previous_end)[facility.pk]
    pillars = [
        {"pillar": p, "label": Pillar(p).label, "now": now[p], "before": before[p]}
        for p in Pillar.values
    ]
    assessments = figures["assessments"][facility.pk]
    assessments_before = assessment_figures(ids, period.previous_start, period.previous_end)[
        facility.pk
    ]
    assimilation = figures["assimilation"][facility.pk]
    assimilation_before = assimilation_figures(ids, period.previous_start, period.previous_end)[
        facility.pk
    ]
    agreements = figures["agreements"][facility.pk]
    contributions = contribution_figures(ids, period.start, period.end)[facility.pk]
    interns = figures["interns"][facility.pk]
    products = figures["products"][facility.pk]
    expiring = list(
        Agreement.objects.filter(facility=facility)
        .filter(ending_q(period.end, EXPIRING_DAYS))
        .select_related("partner")
        .order_by("valid_to")
    )
    workplaces = list(
        AssimilationPlacement.objects.filter(facility=facility)
        .filter(Q(start_date__lte=period.end))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
        .values("workplace")
        .annotate(n=Count("id"))
        .order_by("-n", "workplace")
    )
    kind_labels = dict(Contribution._meta.get_field("kind").choices)
    return [
        {
            "key": "programmes",
            "title": _("Program pembinaan per pilar"),
            "template": "reports/pdf/sections/programmes.html",
            "pillars": pillars,
            "attendance_chart": charts.pillar_chart(
                {p: now[p]["attendance"] for p in Pillar.values},
                {p: before[p]["attendance"] for p in Pillar.values},
                metric_label=_("Tingkat kehadiran (%)"),
                integer=False,
            ),
            "participants_chart": charts.pillar_chart(
                {p: now[p]["participants"] for p in Pillar.values},
                {p: before[p]["participants"] for p in Pillar.values},
                metric_label=_("Peserta"),
            ),
        },
        {
            "key": "assessments",
            "title": _("Asesmen dan tingkat literasi"),
            "template": "reports/pdf/sections/assessments.html",
            "now": assessments,
            "before": assessments_before,
            "kinds": [
                (label, assessments[key], assessments_before[key])
                for key, label in [
                    ("psychological", _("Asesmen psikologis")),
                    ("literacy", _("Asesmen literasi")),
                    ("interest", _("Asesmen minat")),
                    ("behaviour", _("Penilaian SPPN")),
                    ("counselling", _("Sesi konseling")),
                ]
            ],
            "literacy_tracks": [
                {
                    "script": script,
                    "title": _("Tingkat literasi aksara %(script)s (asesmen bulan ini)")
                    % {"script": label},
                    "levels": [
                        (lv.display_label, assessments["levels"].get(lv.pk, 0)) for lv in levels
                    ],
                }
                for script, label, levels in LiteracyLevel.objects.tracks()
            ],
        },
        {
            "key": "assimilation",
            "title": _("Asimilasi"),
            "template": "reports/pdf/sections/assimilation.html",
            "now": assimilation,
            "before": assimilation_before,
            "workplaces": workplaces,
        },
        {
            "key": "partners",
            "title": _("Kerja sama mitra"),
            "template": "reports/pdf/sections/partners.html",
            "agreements": agreements,
            "expiring": expiring,
            "contributions": contributions,
            "contribution_rows": [
                {**row, "label": kind_labels.get(kind, kind)}
                for kind, row in contributions["kinds"].items()
            ],
        },
        {
            "key": "interns",
            "title": _("Kegiatan peserta magang"),
            "template": "reports/pdf/sections/interns.html",
            "figures": interns,
            "types": [
                {**row, "label": LogType(kind).label}
                for kind, row in sorted(interns["types"].items())
            ],
        },
        {
            "key": "products",
            "title": _("Produk hasil pembinaan"),
            "template": "reports/pdf/sections/products.html",
            "figures": products,
        },
    ]


def regional_sections(*, rows, period) -> list[dict]:
    """The domain table of the regional report: one row per facility, aggregates only."""
    return [
        {
            "key": "regional_programmes",
            "title": _("Pembinaan, asesmen, mitra dan magang per UPT"),
            "template": "reports/pdf/sections/regional_domains.html",
            "columns": domain_columns(),
            "rows": rows,
        }
    ]
