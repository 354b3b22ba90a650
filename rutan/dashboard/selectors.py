"""Reads of the staff home page: one facility's day, or a region's facilities side by side.

Every widget is a fixed number of queries whatever the number of inmates, sessions or
facilities. A number that links to a list is counted by that list's selector with the same
filters as the link, so what the dashboard says and what the list shows are one figure.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from assessments import standings
from assessments.choices import EligibilityKind
from assessments.selectors import sppn_due
from interns.selectors import (
    followup_list,
    intern_for_user,
    logs_awaiting_review,
    own_log_counts,
)
from partners.selectors import agreements_expiring
from programmes.selectors import next_session, product_list, sessions_today
from rutan.core import freshness
from rutan.core.choices import Pillar
from rutan.core.roles import REGIONAL_ROLES, Perm
from rutan.core.scoping import facility_ids_for, is_national, user_can, user_roles
from rutan.facilities.models import Facility, RegionalOffice, Sex
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
from rutan.reports.models import ReportStatus
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
    if is_national(user) or REGIONAL_ROLES & user_roles(user):
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
    """`facility_day`, cached until the facility's data changes (rutan.core.freshness), per
    user (what they may see), facility date and language."""
    parts = [*_viewer(user, facility), facility.pk, facility.today()]
    return freshness.cached(
        "dashboard-facility",
        parts,
        [facility.pk],
        lambda: with_html(facility_day(user=user, facility=facility), FACILITY_WIDGETS),
    )


def _viewer(user, facility=None) -> list:
    """What a cached page's key holds of who looks at it: the user, their roles there, the
    language and timezone it is written in."""
    return [
        user.pk,
        sorted(user_roles(user, facility)),
        translation.get_language(),
        timezone.get_current_timezone_name(),
    ]


FACILITY_WIDGETS = "dashboard/includes/facility_widgets.html"
REGIONAL_TABLE = "dashboard/includes/regional_table.html"


def with_html(context: dict, template: str) -> dict:
    """The context with its fragment rendered (`html`): cached together, a page served from
    the cache renders only its frame. The fragments read nothing but their context."""
    return {**context, "html": render_to_string(template, context)}


def facility_day(*, user, facility: Facility) -> dict:
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
        # Every bar of the chart, in its order: the detainees without a verdict close the line
        # (no list counts them alone, so that figure links nowhere).
        "stage_links": [
            *((stage, CoachingStage(stage).label, register[stage]) for stage in STAGE_ORDER),
            ("no_stage", _("Belum berputusan"), Figure(population - sum(stages.values()), None)),
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
        if not sessions:
            data["next_session"] = next_session(user=user, facility=facility, after=today)
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
            count = asimilasi_candidate_count(user=user, facility=facility)
            data["asimilasi_url"] = _url("assessments:worklist", params)
            data["asimilasi_pending"] = count is None
            if count is not None:
                data["asimilasi_candidates"] = Figure(count, data["asimilasi_url"])
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
    if user_can(user, Perm.INTERN_LOG_OWN, facility):
        intern = intern_for_user(user=user)
        if intern is not None:
            data["own_logs"] = own_log_counts(intern=intern)
    # The register's figures and the open findings are for those who read the register or act
    # on findings; an intern or a mentor sees the cards of their own work instead.
    data["reads_register"] = user_can(user, Perm.INMATE_VIEW, facility)
    can_follow_up = user_can(user, Perm.FOLLOWUP_MANAGE, facility)
    data["shows_findings"] = can_follow_up or data["reads_register"]
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
        # The batch runs on the 1st: from the 2nd a missing report is overdue, not on its way.
        data["report_overdue"] = data["last_report"] is None and today.day > 1
    return data


def asimilasi_candidate_count(*, user, facility: Facility) -> int | None:
    """How many rows the asimilasi worklist (`eligibility_worklist`, eligible only) shows,
    the link's list: from the stored standings (`assessments.standings`), never by judging
    every inmate's rules on the page; None while they are being judged again after a write
    or at a new date (the refresh is queued)."""
    return standings.eligible_count(facility, EligibilityKind.ASIMILASI)


def sppn_due_figure(*, user, facility: Facility, today: datetime.date) -> Figure:
    """Sentenced inmates still without their SPPN score of last month (`sppn_due`), linked to
    the SPPN page listing exactly them when the user may enter scores."""
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    count = sppn_due(user=user, facility=facility, month=month).count()
    url = None
    if user_can(user, Perm.ASSESSMENT_MANAGE, facility):
        url = _url("assessments:sppn", {"facility": facility.pk, "month": f"{month:%Y-%m}"})
    return Figure(count, url)


# Past this many facilities (the directorate's whole country) the page summarises by Kanwil;
# a Kanwil's row opens its facilities.
REGION_SUMMARY_FROM = 40


def _facility_figures(*, user, facilities: list[Facility], can_view: bool) -> list[dict]:
    """One row of figures per facility, each on its own date (WIB, WITA, WIT): this month so
    far and last month's report, with the register's count. Each facility's row is cached
    until that facility's data changes (rutan.core.freshness)."""
    perm = Perm.INMATE_VIEW if can_view else Perm.FACILITY_VIEW
    by_day: dict[datetime.date, list[Facility]] = {}
    for facility in facilities:
        by_day.setdefault(facility.today(), []).append(facility)
    rows = []
    for today, group in sorted(by_day.items()):
        start = today.replace(day=1)
        period = period_of(start - datetime.timedelta(days=1))
        by_pk = {f.pk: f for f in group}

        def compute(ids, today=today, start=start, period=period, by_pk=by_pk):
            fresh = facility_rows([by_pk[pk] for pk in ids], on=today, start=start, end=today)
            statuses = latest_report_status(ids, period)
            registered = inmate_count_by_facility(user=user, facility_ids=ids, perm=perm)
            for row in fresh:
                pk = row["facility"].pk
                row["report"] = statuses.get(pk)
                row["report_period"] = period
                row["population"] = population = registered.get(pk, 0)
                capacity = row["capacity"]
                row["occupancy"] = round(100 * population / capacity) if capacity else None
                sections.finish_row(row)
            return {row["facility"].pk: row for row in fresh}

        cached = freshness.cached_each(
            "dashboard-facility-row",
            [user.pk, perm, today, translation.get_language()],
            by_pk,
            compute,
        )
        rows += [cached[pk] for pk in by_pk]
    return rows


def _region_rows(rows: list[dict]) -> list[dict]:
    """The facility rows summed per Kanwil (rates from the sums, as the totals row)."""
    groups: dict[int, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["facility"].regional_office_id, []).append(row)
    result = []
    for group in groups.values():
        region = group[0]["facility"].regional_office
        summed = totals(group)
        summed.update(
            region=region,
            name=region.name,
            facilities=len(group),
            url=f"{reverse('dashboard:home')}?{urlencode({'kanwil': region.pk})}",
            reports_done=sum(
                1 for r in group if r.get("report") and r["report"].status == ReportStatus.DONE
            ),
        )
        result.append(summed)
    return result


def _sorted(rows: list[dict], sort: str, descending: bool) -> list[dict]:
    sort = sort if sort in SORT_KEYS else "name"

    def key(row):
        value = row.get(sort)
        if sort == "name":
            return (0, value.lower())
        return (value is None, value or 0)

    rows = sorted(rows, key=key, reverse=descending)
    if descending:
        # Unknown rates stay at the bottom whichever way the table is sorted.
        rows.sort(key=lambda r: r.get(sort) is None)
    return rows


def regional_dashboard(
    *, user, sort: str = "name", descending: bool = False, kanwil: str | None = None
) -> dict:
    """One row of figures per facility the user reaches, with totals; no names of people.

    Each facility is read on its own date (WIB, WITA, WIT): this month so far, and last
    month's report. The population is the register's count (`/wbp/?facility=`), agreements
    in force the agreement list's (`/mitra/perjanjian/?facility=&in_force=1`). Past
    `REGION_SUMMARY_FROM` facilities the rows are Kanwil sums, each opening its facilities
    (`?kanwil=`); `kanwil` outside the user's reach raises Http404. The whole page is
    cached until one of its facilities' data changes (rutan.core.freshness), and each
    facility's row on its own, so a change recomputes one row.
    """
    facilities = facility_list(user=user, perm=Perm.FACILITY_VIEW).order_by("name")
    region = None
    if kanwil:
        try:
            region = RegionalOffice.objects.get(
                pk=int(kanwil), pk__in=facilities.values("regional_office_id")
            )
        except (RegionalOffice.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc
        facilities = facilities.filter(regional_office=region)
    ids = list(facilities.values_list("id", flat=True))
    parts = [
        *_viewer(user),
        region.pk if region else None,
        sort,
        descending,
        sorted(today_by_timezone().items()),
    ]
    return freshness.cached(
        "dashboard-regional",
        parts,
        ids,
        lambda: with_html(
            _regional(user, facilities, region, sort=sort, descending=descending), REGIONAL_TABLE
        ),
    )


def _regional(user, facilities, region, *, sort: str, descending: bool) -> dict:
    facilities = list(facilities)
    can_view = user_can(user, Perm.INMATE_VIEW)
    rows = _facility_figures(user=user, facilities=facilities, can_view=can_view)
    periods = {row["report_period"]: row for row in rows}
    by_region = region is None and len(facilities) > REGION_SUMMARY_FROM
    if by_region:
        shown = _region_rows(rows)
    else:
        shown = []
        for row in rows:
            pk = row["facility"].pk
            shown.append(
                {
                    **row,
                    "population_url": _url("inmates:list", {"facility": pk}) if can_view else None,
                    "agreements_url": _url(
                        "partners:agreement_list", {"facility": pk, "in_force": 1}
                    ),
                }
            )
    shown = _sorted(shown, sort, descending)
    return {
        "columns": [
            ("name", _("Kanwil") if by_region else _("UPT")),
            ("population", _("Penghuni / kapasitas")),
            ("occupancy", _("Hunian")),
            ("participation", _("Partisipasi")),
            ("attendance", _("Kehadiran")),
            ("completions", _("Selesai program")),
            ("assessments", _("Asesmen")),
            ("agreements", _("PKS/MoU berlaku")),
        ],
        "rows": shown,
        "by_region": by_region,
        "region": region,
        "facility_count": len(facilities),
        "totals": totals(rows),
        "today": min((f.today() for f in facilities), default=None)
        or min(today_by_timezone().values()),
        "report_period": min(periods) if periods else None,
        "sort": sort if sort in SORT_KEYS else "name",
        "descending": descending,
        "occupancy_chart": charts.occupancy_chart(shown) if shown else None,
    }
