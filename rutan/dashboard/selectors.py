"""Reads of the staff home page: one facility's day, or a region's facilities side by side.

Every widget is a fixed number of queries whatever the number of inmates, sessions or
facilities; the figures come from the same functions as the monthly reports.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.choices import EligibilityKind
from assessments.models import BehaviourScore
from assessments.selectors import eligibility_worklist
from interns.selectors import logs_awaiting_review
from partners.selectors import agreements_expiring
from programmes.selectors import product_list, sessions_today
from rutan.core.choices import Pillar
from rutan.core.roles import Perm, Role
from rutan.core.scoping import facility_ids_for, is_national, user_can, user_roles
from rutan.facilities.models import Facility, FollowUpItem, FollowUpStatus
from rutan.facilities.selectors import facility_list
from rutan.inmates.choices import STAGE_ORDER, CoachingStage, InmateStatus, LegalStatus
from rutan.inmates.models import Inmate
from rutan.inmates.selectors import ALERT_LEVELS, custody_alert_counts, custody_alerts
from rutan.reports import charts, metrics, sections
from rutan.reports.periods import last_month, period_of
from rutan.reports.selectors import facility_rows, latest_report_status, totals

EXPIRING_DAYS = 60
SORT_KEYS = {
    "name",
    "population",
    "occupancy",
    "participation",
    "attendance",
    "completions",
    "assessments",
    "agreements",
}


def home_facility(*, user, requested=None) -> Facility | None:
    """The facility whose day the page shows: the one asked for, or the user's only one.

    None means the user reaches several facilities (Kanwil, directorate) and sees the table.
    """
    facilities = facility_list(user=user, perm=Perm.FACILITY_VIEW)
    if requested:
        try:
            return facilities.get(pk=int(requested))
        except (Facility.DoesNotExist, ValueError, TypeError):
            return None
    if is_national(user) or Role.REGIONAL_OFFICER in user_roles(user):
        return None
    ids = facility_ids_for(user, Perm.FACILITY_VIEW)
    if ids is not None and len(ids) == 1:
        return facilities.first()
    return None


def _month_bounds(today: datetime.date):
    start = today.replace(day=1)
    previous_end = start - datetime.timedelta(days=1)
    return start, previous_end.replace(day=1), previous_end


def facility_dashboard(*, user, facility: Facility) -> dict:
    """Figures and worklists of one facility for today (a fixed number of queries)."""
    today = facility.today()
    start, previous_start, previous_end = _month_bounds(today)
    ids = [facility.pk]
    pop = metrics.population(ids, today)[facility.pk]
    population = pop["population"]
    data = {
        "facility": facility,
        "today": today,
        "population": pop,
        "occupancy": round(100 * population / facility.capacity) if facility.capacity else None,
        "stage_chart": charts.stage_mix_chart(pop["stages"], pop["no_stage"]),
        # Mentors and interns see the figures but not the register they would link to.
        "can_view_inmates": user_can(user, Perm.INMATE_VIEW, facility),
        "stage_links": [
            (stage, CoachingStage(stage).label, pop["stages"][stage]) for stage in STAGE_ORDER
        ],
    }
    if user_can(user, Perm.PROGRAMME_VIEW, facility):
        now = sections.programme_figures(ids, start, today)[facility.pk]
        before = sections.programme_figures(ids, previous_start, previous_end)[facility.pk]
        data["pillars"] = [
            {"pillar": p, "label": Pillar(p).label, "now": now[p], "before": before[p]}
            for p in Pillar.values
        ]
        data["attendance_chart"] = charts.pillar_chart(
            {p: now[p]["attendance"] for p in Pillar.values},
            {p: before[p]["attendance"] for p in Pillar.values},
            metric_label=_("Tingkat kehadiran (%)"),
            integer=False,
        )
        data["recent_products"] = list(
            product_list(user=user)
            .filter(programme__facility=facility)
            .order_by("-made_on", "-id")[:5]
        )
    if data["can_view_inmates"]:
        alerts = custody_alerts(user=user, facility=facility)
        counts = custody_alert_counts(alerts)
        data["custody_counts"] = {
            "rows": [(code, label, counts[code]) for code, label in ALERT_LEVELS.items()],
            "total": len(alerts),
            "red": any(a.red for a in alerts),
        }
        data["custody_red"] = [a for a in alerts if a.red][:3]
    if user_can(user, Perm.ATTENDANCE_RECORD, facility):
        sessions = list(
            sessions_today(user=user, on=today)
            .filter(programme__facility=facility)
            .select_related("programme")
            .order_by("start_time", "id")
        )
        data["sessions_today"] = sessions
        data["sessions_unrecorded"] = [
            s for s in sessions if s.status != "cancelled" and s.attendance_taken_at is None
        ]
    if user_can(user, Perm.ASSESSMENT_VIEW, facility):
        data["sppn_due"] = sppn_due_count(facility=facility, today=today)
        try:
            data["asimilasi_candidates"] = len(
                eligibility_worklist(
                    user=user,
                    kind=EligibilityKind.ASIMILASI,
                    facility=facility,
                    on=today,
                    within_days=EXPIRING_DAYS,
                    only_eligible=True,
                )
            )
        except ValidationError as exc:
            # Missing eligibility rules are a set-up gap to show, not a reason to fail the page.
            data["asimilasi_candidates"] = None
            data["eligibility_problem"] = " ".join(exc.messages)
        data["integrasi_soon"] = (
            Inmate.objects.filter(facility=facility, status=InmateStatus.ACTIVE)
            .filter(
                integrasi_from__gte=today,
                integrasi_from__lte=today + datetime.timedelta(days=EXPIRING_DAYS),
            )
            .count()
        )
    if user_can(user, Perm.PARTNER_VIEW, facility):
        data["agreements_expiring"] = [
            a
            for a in agreements_expiring(user=user, within_days=EXPIRING_DAYS, today=today)
            if a.facility_id == facility.pk
        ]
    if user_can(user, Perm.INTERN_REVIEW, facility):
        data["logs_awaiting"] = (
            logs_awaiting_review(user=user).filter(intern__batch__facility=facility).count()
        )
    open_items = FollowUpItem.objects.filter(facility=facility).exclude(status=FollowUpStatus.DONE)
    data["findings"] = list(open_items.order_by("due_on", "id")[:5])
    data["findings_count"] = open_items.count()
    data["can_follow_up"] = user_can(user, Perm.FOLLOWUP_MANAGE, facility)
    if user_can(user, Perm.REPORT_VIEW, facility):
        data["report_period"] = last_month(facility.tzinfo)
        data["last_report"] = latest_report_status(ids, data["report_period"]).get(facility.pk)
    return data


def sppn_due_count(*, facility: Facility, today: datetime.date) -> int:
    """Sentenced inmates held now without a behaviour score (SPPN) for last month."""
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    scored = BehaviourScore.objects.filter(inmate=OuterRef("pk"), month=month)
    return (
        Inmate.objects.filter(
            facility=facility, status=InmateStatus.ACTIVE, legal_status=LegalStatus.NARAPIDANA
        )
        .filter(~Exists(scored))
        .count()
    )


def regional_dashboard(*, user, sort: str = "name", descending: bool = False) -> dict:
    """One row of figures per facility the user reaches, with totals; no names of people."""
    facilities = list(facility_list(user=user, perm=Perm.FACILITY_VIEW).order_by("name"))
    today = timezone.localdate()
    start = today.replace(day=1)
    rows = facility_rows(facilities, on=today, start=start, end=today)
    period = period_of(start - datetime.timedelta(days=1))
    statuses = latest_report_status([f.pk for f in facilities], period)
    for row in rows:
        row["report"] = statuses.get(row["facility"].pk)
    sort = sort if sort in SORT_KEYS else "name"

    def key(row):
        value = row.get(sort)
        if sort == "name":
            return (0, value.lower())
        return (value is None, value or 0)

    rows.sort(key=key, reverse=descending)
    if descending:
        # Unknown rates stay at the bottom whichever way the table is sorted.
        rows.sort(key=lambda r: r.get(sort) is None)
    return {
        "columns": [
            ("name", _("UPT")),
            ("population", _("Penghuni / kapasitas")),
            ("occupancy", _("Hunian")),
            ("participation", _("Partisipasi")),
            ("attendance", _("Kehadiran")),
            ("completions", _("Selesai program")),
            ("assessments", _("Asesmen")),
            ("agreements", _("PKS/MoU berlaku")),
        ],
        "rows": rows,
        "totals": totals(rows),
        "today": today,
        "report_period": period,
        "sort": sort,
        "descending": descending,
        "occupancy_chart": charts.occupancy_chart(rows) if rows else None,
    }
