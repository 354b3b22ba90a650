"""Figures per facility for a date or a period, shared by the dashboard and the reports.

Every function takes a list of facility ids and answers with one grouped query, so a page
or a report costs the same number of queries for two facilities or for five hundred.
Each domain contributes its figures here through its own models and selectors.
"""

import datetime

from django.db.models import Count, Q

from rutan.facilities.models import FollowUpItem
from rutan.inmates.choices import STAGE_ORDER, LegalStatus, PlacementEnd, PlacementStart
from rutan.inmates.models import Placement, stage_on_q


def _held_on(facility_ids, on: datetime.date):
    return Placement.objects.filter(facility_id__in=facility_ids, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=on)
    )


def population(facility_ids, on: datetime.date) -> dict[int, dict]:
    """Population held on `on` (historically right via placements), by legal status and stage.

    One query over the placements of these facilities: the stage of each inmate held is read
    from their stored stage dates on `on` (as `Inmate.objects.with_stage_on`), so the cost
    follows the facilities' population, not the country's.
    """
    stage_counts = {
        stage: Count("inmate", distinct=True, filter=stage_on_q(stage, on, prefix="inmate__"))
        for stage in STAGE_ORDER
    }
    rows = (
        _held_on(facility_ids, on)
        .values("facility_id")
        .annotate(
            population=Count("inmate", distinct=True),
            detainees=Count(
                "inmate", distinct=True, filter=Q(inmate__legal_status=LegalStatus.TAHANAN)
            ),
            women=Count("inmate", distinct=True, filter=Q(inmate__sex="P")),
            **stage_counts,
        )
        .order_by()
    )
    empty = dict.fromkeys(STAGE_ORDER, 0)
    result = {
        fid: {
            "population": 0,
            "detainees": 0,
            "sentenced": 0,
            "women": 0,
            "stages": dict(empty),
            "no_stage": 0,
        }
        for fid in facility_ids
    }
    for row in rows:
        stages = {stage: row[stage] for stage in STAGE_ORDER}
        result[row["facility_id"]] = {
            "population": row["population"],
            "detainees": row["detainees"],
            "sentenced": row["population"] - row["detainees"],
            "women": row["women"],
            "stages": stages,
            "no_stage": row["population"] - sum(stages.values()),
        }
    return result


def movements(facility_ids, start: datetime.date, end: datetime.date) -> dict[int, dict]:
    """Admissions, transfers and releases recorded in the register between start and end."""
    started = Q(start_date__gte=start, start_date__lte=end)
    ended = Q(end_date__gte=start, end_date__lte=end)
    rows = (
        Placement.objects.filter(facility_id__in=facility_ids)
        .filter(started | ended)
        .values("facility_id")
        .annotate(
            admissions=Count("id", filter=started & Q(start_reason=PlacementStart.ADMISSION)),
            transfers_in=Count("id", filter=started & Q(start_reason=PlacementStart.TRANSFER_IN)),
            transfers_out=Count("id", filter=ended & Q(end_reason=PlacementEnd.TRANSFER_OUT)),
            releases=Count("id", filter=ended & Q(end_reason=PlacementEnd.RELEASE)),
        )
        .order_by()
    )
    result = {
        fid: {"admissions": 0, "transfers_in": 0, "transfers_out": 0, "releases": 0}
        for fid in facility_ids
    }
    result.update({row.pop("facility_id"): row for row in rows})
    return result


def follow_ups(facility_ids, on: datetime.date) -> dict[int, dict]:
    """Findings open on `on` per facility (found by then, not done by then) and how many of
    them were past their due date."""
    rows = (
        FollowUpItem.objects.filter(facility_id__in=facility_ids)
        .open_on(on)
        .values("facility_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=on)))
        .order_by()
    )
    return {row.pop("facility_id"): row for row in rows}


def open_follow_up_items(facility_id: int, *, on: datetime.date, limit: int | None = None):
    """The findings of a facility open on `on`, soonest due first."""
    qs = (
        FollowUpItem.objects.filter(facility_id=facility_id)
        .open_on(on)
        .select_related("owner")
        .order_by("due_on", "id")
    )
    return list(qs[:limit] if limit else qs)
