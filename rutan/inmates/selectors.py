"""Reads of the inmate register, always through the user's scope."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from rutan.core.roles import Perm
from rutan.core.scoping import get_scoped_or_404
from rutan.facilities.models import Facility
from rutan.facilities.selectors import on_local_today

from .models import DisciplinaryEntry, Inmate, Placement


def inmate_list(*, user, filters: dict | None = None, perm: Perm = Perm.INMATE_VIEW) -> QuerySet:
    """Inmates the user may see, filtered by `filters`.

    Filters: q (name or registration number), facility, block, stage (on today),
    integrasi_within (days: the integrasi stage begins between today and then), status,
    case_category, legal_status, sex. Without a status filter only active inmates are listed.
    "Today" is the date where each inmate's facility is, as on the facility's dashboard.
    """
    filters = filters or {}
    qs = Inmate.objects.for_user(user, perm).select_related("facility", "block")
    if search := (filters.get("q") or "").strip():
        qs = qs.filter(Q(name__icontains=search) | Q(registration_number__icontains=search))
    for key in ("facility", "block", "case_category", "legal_status", "sex"):
        if value := filters.get(key):
            qs = qs.filter(**{key: value})
    status = filters.get("status")
    if status != "all":
        qs = qs.filter(status=status or "active")
    if stage := filters.get("stage"):
        qs = qs.filter(
            on_local_today(
                "facility",
                lambda today: Q(pk__in=Inmate.objects.with_stage_on(stage, today).values("pk")),
            )
        )
    if (within := filters.get("integrasi_within")) is not None and within != "":
        days = datetime.timedelta(days=int(within))
        qs = qs.filter(
            on_local_today(
                "facility",
                lambda today: Q(integrasi_from__gte=today, integrasi_from__lte=today + days),
            )
        )
    return qs.order_by("name", "id")


def inmate_counts(*, user, filters: dict[str, dict], perm: Perm = Perm.INMATE_VIEW) -> dict:
    """How many rows `inmate_list` gives for each of several filters, in one query.

    The dashboard counts through this, so a figure and the register it links to agree.
    """
    return Inmate.objects.for_user(user, perm).aggregate(
        **{
            key: Count(
                "pk",
                filter=Q(pk__in=inmate_list(user=user, filters=f, perm=perm).values("pk")),
            )
            for key, f in filters.items()
        }
    )


def inmate_count_by_facility(
    *, user, facility_ids, perm: Perm = Perm.INMATE_VIEW
) -> dict[int, int]:
    """How many rows `inmate_list` gives for each facility (`?facility=<id>`), in one query."""
    rows = (
        inmate_list(user=user, perm=perm)
        .filter(facility_id__in=facility_ids)
        .values("facility_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["facility_id"]: row["n"] for row in rows}


def inmate_get(*, user, pk, perm: Perm = Perm.INMATE_VIEW) -> Inmate:
    """One inmate inside the user's scope, else 404."""
    return get_scoped_or_404(
        Inmate.objects.select_related("facility", "facility__regional_office", "block"),
        user,
        perm,
        pk=pk,
    )


def inmate_timeline(*, inmate: Inmate) -> list[Placement]:
    """The placement history of an inmate, oldest first."""
    return list(
        Placement.objects.filter(inmate=inmate)
        .select_related("facility", "block")
        .order_by("start_date", "id")
    )


def placement_on(*, inmate: Inmate, on: datetime.date) -> Placement | None:
    """Where the inmate was held on `on` (the placement whose interval contains the date)."""
    return (
        Placement.objects.filter(inmate=inmate, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .select_related("facility", "block")
        .order_by("-start_date", "-id")
        .first()
    )


def facility_population_on(*, facility: Facility, on: datetime.date) -> QuerySet:
    """Inmates held at `facility` on `on`, historically right after transfers and releases."""
    held = Placement.objects.filter(
        inmate=OuterRef("pk"), facility=facility, start_date__lte=on
    ).filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
    return Inmate.objects.filter(Exists(held))


def disciplinary_list(*, inmate: Inmate) -> QuerySet:
    return DisciplinaryEntry.objects.filter(inmate=inmate).select_related("facility")
