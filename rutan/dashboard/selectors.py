"""Reads of the staff home page: one facility's day, or a region's facilities side by side.

Every widget is a fixed number of queries whatever the number of inmates, sessions or
facilities. A number that links to a list is counted by that list's selector with the same
filters as the link, so what the dashboard says and what the list shows are one figure.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from assessments.choices import EligibilityKind
from assessments.selectors import eligibility_worklist, sppn_due
from interns.selectors import followup_list, logs_awaiting_review
from partners.selectors import agreements_expiring
from programmes.selectors import product_list, sessions_today
from rutan.core.choices import Pillar
from rutan.core.roles import Perm, Role
from rutan.core.scoping import facility_ids_for, is_national, user_can, user_roles
from rutan.facilities.models import Facility, Sex
from rutan.facilities.selectors import facility_list, today_by_timezone
from rutan.inmates.choices import STAGE_ORDER, CoachingStage, LegalStatus
from rutan.inmates.selectors import (
    ALERT_LEVELS,
    custody_alert_counts,
    custody_alerts,
    inmate_count_by_facility,
    inmate_counts,
)
from rutan.reports import charts, sections
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


@dataclass
class Figure:
    """A number on the dashboard and the list it counts: following `url` shows `count` rows."""

    count: int
    url: str | None = None


def _url(name: str, params: dict) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def register_figures(*, user, facility: Facility) -> dict[str, Figure]:
    """Population, legal status, women, stage mix and "integrasi within 60 days": each the
    row count of the register (`inmate_list`) with the filters its link carries."""
    can_view = user_can(user, Perm.INMATE_VIEW, facility)
    base = {"facility": facility.pk}
    wanted = {
        "population": base,
        "detainees": {**base, "legal_status": LegalStatus.TAHANAN},
        "sentenced": {**base, "legal_status": LegalStatus.NARAPIDANA},
        "women": {**base, "sex": Sex.FEMALE},
        "integrasi_soon": {**base, "integrasi_within": EXPIRING_DAYS},
        **{stage: {**base, "stage": stage} for stage in STAGE_ORDER},
    }
    # Mentors and interns see the figures but not the register they would link to.
    counts = inmate_counts(
        user=user, filters=wanted, perm=Perm.INMATE_VIEW if can_view else Perm.FACILITY_VIEW
    )
    return {
        key: Figure(counts[key], _url("inmates:list", params) if can_view else None)
        for key, params in wanted.items()
    }


def facility_dashboard(*, user, facility: Facility) -> dict:
    """Figures and worklists of one facility for today (a fixed number of queries).

    Every number that links to a list is counted by that list's own selector with the
    filters the link carries (see `Figure`), so the figure and the list cannot disagree;
    "today" is the facility's date.
    """
    today = facility.today()
    start, previous_start, previous_end = _month_bounds(today)
    ids = [facility.pk]
    register = register_figures(user=user, facility=facility)
    population = register["population"].count
    stages = {stage: register[stage].count for stage in STAGE_ORDER}
    data = {
        "facility": facility,
        "today": today,
        "register": register,
        "occupancy": round(100 * population / facility.capacity) if facility.capacity else None,
        "stage_chart": charts.stage_mix_chart(stages, population - sum(stages.values())),
        "stage_links": [
            (stage, CoachingStage(stage).label, register[stage]) for stage in STAGE_ORDER
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
    if user_can(user, Perm.INMATE_VIEW, facility):
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
            sessions_today(user=user, facility=facility)
            .select_related("programme")
            .order_by("start_time", "id")
        )
        unrecorded = list(
            sessions_today(user=user, facility=facility, unrecorded=True)
            .select_related("programme")
            .order_by("start_time", "id")
        )
        base = {"facility": facility.pk}
        data["sessions_today"] = sessions
        data["sessions_figure"] = Figure(len(sessions), _url("programmes:today", base))
        data["sessions_unrecorded"] = unrecorded
        data["unrecorded_figure"] = Figure(
            len(unrecorded), _url("programmes:today", {**base, "unrecorded": 1})
        )
    if user_can(user, Perm.ASSESSMENT_VIEW, facility):
        data["sppn_due"] = sppn_due_figure(user=user, facility=facility, today=today)
        data["integrasi_soon"] = register["integrasi_soon"]
        params = {
            "kind": EligibilityKind.ASIMILASI,
            "facility": facility.pk,
            "only_eligible": 1,
            "within": EXPIRING_DAYS,
        }
        try:
            candidates = eligibility_worklist(
                user=user,
                kind=EligibilityKind.ASIMILASI,
                facility=facility,
                within_days=EXPIRING_DAYS,
                only_eligible=True,
            )
            data["asimilasi_candidates"] = Figure(
                len(candidates), _url("assessments:worklist", params)
            )
        except ValidationError as exc:
            # Missing eligibility rules are a set-up gap to show, not a reason to fail the page.
            data["asimilasi_candidates"] = None
            data["eligibility_problem"] = " ".join(exc.messages)
    if user_can(user, Perm.PARTNER_VIEW, facility):
        expiring = agreements_expiring(user=user, within_days=EXPIRING_DAYS, facility=facility)
        data["agreements_expiring"] = expiring
        data["agreements_figure"] = Figure(
            len(expiring),
            _url(
                "partners:agreement_list",
                {"facility": facility.pk, "expiring_within": EXPIRING_DAYS},
            ),
        )
    if user_can(user, Perm.INTERN_REVIEW, facility):
        data["logs_awaiting"] = Figure(
            logs_awaiting_review(user=user, facility=facility).count(),
            _url("interns:review_queue", {"facility": facility.pk}),
        )
    can_follow_up = user_can(user, Perm.FOLLOWUP_MANAGE, facility)
    params = {"status": "active", "facility": facility.pk}
    open_items = followup_list(
        user=user,
        filters=params,
        perm=Perm.FOLLOWUP_MANAGE if can_follow_up else Perm.FACILITY_VIEW,
    )
    data["findings"] = list(open_items.order_by("due_on", "id")[:5])
    data["findings_count"] = Figure(
        open_items.count(), _url("interns:followup_list", params) if can_follow_up else None
    )
    if user_can(user, Perm.REPORT_VIEW, facility):
        data["report_period"] = last_month(facility.tzinfo)
        data["last_report"] = latest_report_status(ids, data["report_period"]).get(facility.pk)
    return data


def sppn_due_figure(*, user, facility: Facility, today: datetime.date) -> Figure:
    """Sentenced inmates still without their SPPN score of last month (`sppn_due`), linked to
    the SPPN page listing exactly them when the user may enter scores."""
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    count = sppn_due(user=user, facility=facility, month=month).count()
    url = None
    if user_can(user, Perm.ASSESSMENT_MANAGE, facility):
        url = _url("assessments:sppn", {"facility": facility.pk, "month": f"{month:%Y-%m}"})
    return Figure(count, url)


def regional_dashboard(*, user, sort: str = "name", descending: bool = False) -> dict:
    """One row of figures per facility the user reaches, with totals; no names of people.

    Each facility is read on its own date (WIB, WITA, WIT): this month so far, and last
    month's report. The population is the register's count (`/wbp/?facility=`), agreements
    in force the agreement list's (`/mitra/perjanjian/?facility=&in_force=1`).
    """
    facilities = list(facility_list(user=user, perm=Perm.FACILITY_VIEW).order_by("name"))
    by_day: dict[datetime.date, list[Facility]] = {}
    for facility in facilities:
        by_day.setdefault(facility.today(), []).append(facility)
    rows, periods = [], {}
    for today, group in sorted(by_day.items()):
        start = today.replace(day=1)
        period = period_of(start - datetime.timedelta(days=1))
        group_rows = facility_rows(group, on=today, start=start, end=today)
        statuses = latest_report_status([f.pk for f in group], period)
        for row in group_rows:
            row["report"] = statuses.get(row["facility"].pk)
        rows += group_rows
        periods.setdefault(period, today)
    can_view = user_can(user, Perm.INMATE_VIEW)
    registered = inmate_count_by_facility(
        user=user,
        facility_ids=[f.pk for f in facilities],
        perm=Perm.INMATE_VIEW if can_view else Perm.FACILITY_VIEW,
    )
    for row in rows:
        pk = row["facility"].pk
        row["population"] = population = registered.get(pk, 0)
        capacity = row["capacity"]
        row["occupancy"] = round(100 * population / capacity) if capacity else None
        sections.finish_row(row)
        row["population_url"] = _url("inmates:list", {"facility": pk}) if can_view else None
        row["agreements_url"] = _url("partners:agreement_list", {"facility": pk, "in_force": 1})
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
        "today": min(by_day or today_by_timezone().values()),
        "report_period": min(periods) if periods else None,
        "sort": sort,
        "descending": descending,
        "occupancy_chart": charts.occupancy_chart(rows) if rows else None,
    }
