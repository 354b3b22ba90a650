"""Reads of the reports app: runs in the user's scope and the contents of a report."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field

from rutan.accounts.selectors import head_of
from rutan.core.filters import apply
from rutan.core.models import JobRun
from rutan.core.roles import Perm
from rutan.core.scoping import facility_ids_for, not_found
from rutan.facilities.models import Facility, RegionalOffice
from rutan.inmates.choices import STAGE_ORDER, CoachingStage

from . import charts, metrics, sections
from .models import PERIOD_PATTERN, PERIOD_RE, ReportKind, ReportRun, ReportScope, ReportStatus
from .periods import parse_period, previous_period


def region_ids_for(user, perm: Perm) -> frozenset[int] | None:
    """Regions whose every facility the user reaches for `perm` (None: every region).

    A regional report aggregates all facilities of a region, so only someone who may see
    each of them may see it.
    """
    ids = facility_ids_for(user, perm)
    if ids is None:
        return None
    if not ids:
        return frozenset()
    regions = (
        RegionalOffice.objects.annotate(
            total=Count("facilities"),
            mine=Count("facilities", filter=Q(facilities__in=ids)),
        )
        .filter(total__gt=0, total=F("mine"))
        .values_list("id", flat=True)
    )
    return frozenset(regions)


class ReportRunFilter(django_filters.FilterSet):
    period = extend_schema_field({"type": "string", "pattern": PERIOD_PATTERN})(
        django_filters.CharFilter(
            max_length=7,
            validators=[
                RegexValidator(
                    PERIOD_RE, gettext_lazy("Periode harus berbentuk TTTT-BB, mis. 2026-10.")
                )
            ],
            help_text="Month of the report, YYYY-MM",
        )
    )
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices)
    scope = django_filters.ChoiceFilter(choices=ReportScope.choices)

    class Meta:
        model = ReportRun
        fields = []


def report_run_list(*, user, filters: dict | None = None, perm: Perm = Perm.REPORT_VIEW):
    """Runs the user may see: their facilities' and their whole regions', newest first.

    Filters (`ReportRunFilter`): period (YYYY-MM), status, scope.
    """
    qs = ReportRun.objects.select_related("facility", "regional_office", "requested_by")
    ids = facility_ids_for(user, perm)
    if ids is not None:
        regions = region_ids_for(user, perm)
        qs = qs.filter(Q(facility_id__in=ids) | Q(regional_office_id__in=regions))
    return apply(ReportRunFilter, filters, qs).order_by("-period", "-created_at", "-id")


def report_run_get(*, user, pk, perm: Perm = Perm.REPORT_VIEW) -> ReportRun:
    try:
        return report_run_list(user=user, perm=perm).get(pk=pk)
    except (ReportRun.DoesNotExist, ValueError, TypeError) as exc:
        raise not_found(ReportRun, pk) from exc


def requestable_targets(*, user) -> tuple[QuerySet, QuerySet]:
    """Facilities and regions the user may ask a report for."""
    ids = facility_ids_for(user, Perm.REPORT_REQUEST)
    facilities = Facility.objects.select_related("regional_office").order_by("name")
    regions = RegionalOffice.objects.order_by("name")
    if ids is not None:
        facilities = facilities.filter(pk__in=ids)
        regions = regions.filter(pk__in=region_ids_for(user, Perm.REPORT_REQUEST))
    return facilities, regions


JOB_RESULTS = {
    "success": {"success": True},
    "failed": {"success": False},
    "running": {"success__isnull": True},
}


def job_run_list(*, user, filters: dict | None = None) -> QuerySet:
    """Scheduled job runs the user may see, newest first, each with its facility's and
    region's name: runs for their facilities and whole regions, and nationwide jobs.

    Filters: kind, result (success, failed, running).
    """
    filters = filters or {}
    qs = JobRun.objects.annotate(
        facility_name=Subquery(Facility.objects.filter(pk=OuterRef("facility_id")).values("name")),
        regional_office_name=Subquery(
            RegionalOffice.objects.filter(pk=OuterRef("regional_office_id")).values("name")
        ),
    )
    ids = facility_ids_for(user, Perm.REPORT_VIEW)
    if ids is not None:
        if not ids:
            return qs.none()
        qs = qs.filter(
            Q(facility_id__in=ids)
            | Q(regional_office_id__in=region_ids_for(user, Perm.REPORT_VIEW))
            | Q(facility_id__isnull=True, regional_office_id__isnull=True)
        )
    if kind := filters.get("kind"):
        qs = qs.filter(kind=kind)
    if result := filters.get("result"):
        qs = qs.filter(**JOB_RESULTS[result])
    return qs.order_by("-started_at", "-id")


def latest_report_status(facility_ids, period: str) -> dict[int, ReportRun]:
    """The newest monthly run of each facility for `period` (one query)."""
    runs = ReportRun.objects.filter(
        scope=ReportScope.FACILITY,
        facility_id__in=facility_ids,
        kind=ReportKind.MONTHLY,
        period=period,
    ).order_by("facility_id", "version")
    return {run.facility_id: run for run in runs}


@dataclass
class Period:
    code: str
    start: datetime.date
    end: datetime.date
    previous_code: str
    previous_start: datetime.date
    previous_end: datetime.date
    label: str = ""
    previous_label: str = ""

    @classmethod
    def of(cls, code: str, until: datetime.date | None = None) -> "Period":
        """The month `code`; with `until` (a month not over yet) it ends on that day."""
        start, end = parse_period(code)
        if until is not None:
            end = max(start, min(end, until))
        previous = previous_period(code)
        previous_start, previous_end = parse_period(previous)
        return cls(
            code,
            start,
            end,
            previous,
            previous_start,
            previous_end,
            label=date_format(start, "F Y"),
            previous_label=date_format(previous_start, "F Y"),
        )


# Row keys stored as decimals: JSON gives them back as text.
DECIMAL_KEYS = ("intern_hours", "product_value")


def _row(facility: Facility, *, population: dict, moves: dict, open_findings: int, domain: dict):
    total = population.get("population", 0)
    row = {
        "facility": facility,
        "name": facility.name,
        "capacity": facility.capacity,
        "population": total,
        "occupancy": round(100 * total / facility.capacity) if facility.capacity else None,
        "detainees": population.get("detainees", 0),
        "stages": population.get("stages", {}),
        "no_stage": population.get("no_stage", 0),
        "admissions": moves.get("admissions", 0),
        "releases": moves.get("releases", 0),
        "open_findings": open_findings,
    }
    row.update(domain)
    sections.finish_row(row)
    return row


def stored_figures(row: dict) -> dict:
    """A facility's row as kept on its report run (JSON): the figures, not the facility."""
    return {k: v for k, v in row.items() if k not in ("facility", "name")}


def _stored_row(facility: Facility, figures: dict) -> dict:
    row = {"facility": facility, "name": facility.name, **figures}
    for key in DECIMAL_KEYS:
        row[key] = Decimal(row.get(key) or 0)
    return row


def facility_rows(
    facilities: list[Facility], *, on: datetime.date, start, end, stored: dict | None = None
) -> list[dict]:
    """One dict of figures per facility (no names of people), a fixed number of queries.

    `stored` maps a facility id to the figures its own report of these dates showed
    (`stored_figures`); those facilities are not counted again.
    """
    stored = stored or {}
    missing = [f.pk for f in facilities if f.pk not in stored]
    pop = moves = findings = domain = {}
    if missing:
        pop = metrics.population(missing, on)
        moves = metrics.movements(missing, start, end)
        findings = metrics.follow_ups(missing, on)
        domain = sections.domain_rows(missing, start=start, end=end, on=on)
    rows = []
    for facility in facilities:
        if facility.pk in stored:
            rows.append(_stored_row(facility, stored[facility.pk]))
            continue
        rows.append(
            _row(
                facility,
                population=pop.get(facility.pk, {}),
                moves=moves.get(facility.pk, {}),
                open_findings=findings.get(facility.pk, {}).get("open", 0),
                domain=domain.get(facility.pk, {}),
            )
        )
    return rows


def totals(rows: list[dict]) -> dict:
    keys = {k for row in rows for k, v in row.items() if isinstance(v, int | float)}
    result = {k: sum(row.get(k) or 0 for row in rows) for k in keys if k not in sections.RATE_KEYS}
    capacity = result.get("capacity", 0)
    result["occupancy"] = round(100 * result.get("population", 0) / capacity) if capacity else None
    stages = {}
    for row in rows:
        for stage, n in row.get("stages", {}).items():
            stages[stage] = stages.get(stage, 0) + n
    result["stages"] = stages
    result.update(sections.domain_totals(rows))
    return result


def facility_report_context(run: ReportRun) -> dict:
    """Everything the facility PDF shows, each section counting the events of the period by
    their own date (session, assessment, SPPN month, finding…), up to `run.data_until`;
    `row` is the facility's line of the regional table, read from the same figures."""
    facility = run.facility
    period = Period.of(run.period, until=run.data_until)
    ids = [facility.pk]
    now_pop = metrics.population(ids, period.end).get(facility.pk, {})
    before_pop = metrics.population(ids, period.previous_end).get(facility.pk, {})
    moves = metrics.movements(ids, period.start, period.end).get(facility.pk, {})
    moves_before = metrics.movements(ids, period.previous_start, period.previous_end).get(
        facility.pk, {}
    )
    follow_ups = metrics.open_follow_up_items(facility.pk, on=period.end)
    figures = sections.domain_figures(ids, start=period.start, end=period.end, on=period.end)
    domain = sections.domain_rows(
        ids, start=period.start, end=period.end, on=period.end, figures=figures
    )
    population = now_pop.get("population", 0)
    stage_chart = charts.stage_mix_chart(now_pop.get("stages", {}), now_pop.get("no_stage", 0))
    return {
        "run": run,
        "facility": facility,
        "region": facility.regional_office,
        "period": period,
        "generated_at": timezone.localtime(timezone.now(), facility.tzinfo),
        "population": {
            "now": now_pop,
            "before": before_pop,
            "total": population,
            "capacity": facility.capacity,
            "occupancy": round(100 * population / facility.capacity) if facility.capacity else None,
        },
        "movements": {"now": moves, "before": moves_before},
        "stage_chart": stage_chart,
        "follow_ups": follow_ups,
        "domain_sections": sections.facility_sections(
            facility=facility, period=period, figures=figures
        ),
        "head": head_of(facility),
        "stage_labels": [(stage, CoachingStage(stage).label) for stage in STAGE_ORDER],
        "status_labels": dict(ReportStatus.choices),
        "row": _row(
            facility,
            population=now_pop,
            moves=moves,
            open_findings=len(follow_ups),
            domain=domain[facility.pk],
        ),
    }


def regional_report_context(run: ReportRun) -> dict:
    region = run.regional_office
    period = Period.of(run.period, until=run.data_until)
    facilities = list(region.facilities.order_by("name"))
    tz = facilities[0].tzinfo if facilities else None
    statuses = latest_report_status([f.pk for f in facilities], run.period)
    # The roll-up shows what each facility's own report of the same days showed.
    stored = {
        fid: run_of.figures
        for fid, run_of in statuses.items()
        if run_of.status == ReportStatus.DONE and run_of.figures and run_of.data_until == period.end
    }
    rows = facility_rows(
        facilities, on=period.end, start=period.start, end=period.end, stored=stored
    )
    for row in rows:
        run_of = statuses.get(row["facility"].pk)
        row["report_status"] = run_of.get_status_display() if run_of else "–"
    total = totals(rows)
    return {
        "run": run,
        "region": region,
        "period": period,
        "generated_at": timezone.localtime(timezone.now(), tz),
        "timezone": facilities[0].timezone if facilities else "UTC",
        "rows": rows,
        "totals": total,
        "occupancy_chart": charts.occupancy_chart(rows),
        "stage_chart": charts.stage_mix_chart(total["stages"], sum(r["no_stage"] for r in rows)),
        "domain_columns": sections.domain_columns(),
        "stage_labels": [(stage, CoachingStage(stage).label) for stage in STAGE_ORDER],
        "domain_regional": sections.regional_sections(rows=rows, period=period),
        "head": head_of(region),
    }
