"""Reads of partners, agreements, contributions and guarantees, always through the scope."""

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from rutan.core.roles import Perm
from rutan.core.scoping import facility_ids_for, get_scoped_or_404
from rutan.facilities.selectors import on_local_today
from rutan.inmates.models import Inmate

from .models import (
    Agreement,
    AgreementStatus,
    Contribution,
    Guarantee,
    GuaranteeStatus,
    Partner,
    PartnerContact,
    Signatory,
    expiring_q,
    in_force_q,
)


def guarantees_by_inmate(*, inmates, on: datetime.date) -> dict[int, list[Guarantee]]:
    """The guarantees covering each of `inmates` (objects or ids) on `on`, newest first,
    keyed by inmate id; inmates without one are absent. One query, whatever the number.

    A guarantee counts when it is active (not revoked), `on` lies within its validity (an
    open end means until further notice) and, for a partner's guarantee, the partner is still
    active. Newest: latest `valid_from`, then highest id."""
    ids = {getattr(inmate, "pk", inmate) for inmate in inmates}
    if not ids:
        return {}
    qs = (
        Guarantee.objects.filter(
            inmate_id__in=ids,
            status=GuaranteeStatus.ACTIVE,
            valid_from__lte=on,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .filter(Q(partner__isnull=True) | Q(partner__is_active=True))
        .select_related("partner", "agreement")
        .order_by("inmate_id", "-valid_from", "-id")
    )
    found: dict[int, list[Guarantee]] = {}
    for guarantee in qs:
        found.setdefault(guarantee.inmate_id, []).append(guarantee)
    return found


def guarantees_for_inmates(*, inmates, on: datetime.date) -> dict[int, Guarantee]:
    """The newest guarantee covering each of `inmates` on `on` (rules: see
    `guarantees_by_inmate`); inmates without one are absent. One query."""
    return {pk: found[0] for pk, found in guarantees_by_inmate(inmates=inmates, on=on).items()}


def guarantee_for_inmate(*, inmate: Inmate, on: datetime.date) -> Guarantee | None:
    """The guarantee covering `inmate` on `on`, or None (rules: see `guarantees_by_inmate`)."""
    return guarantees_for_inmates(inmates=[inmate], on=on).get(inmate.pk)


def guarantee_list(*, user, inmate: Inmate | None = None, filters: dict | None = None) -> QuerySet:
    """Guarantees the user may see (those of inmates in their facilities, for users who may
    also see partners). Filters: inmate, guarantor_kind, status."""
    filters = filters or {}
    qs = Guarantee.objects.for_user(user, Perm.INMATE_VIEW)
    partner_scope = facility_ids_for(user, Perm.PARTNER_VIEW)
    if partner_scope is not None:
        qs = qs.filter(inmate__facility__in=partner_scope)
    if inmate is not None:
        qs = qs.filter(inmate=inmate)
    for key in ("inmate", "guarantor_kind", "status"):
        if value := filters.get(key):
            qs = qs.filter(**{key: value})
    return qs.select_related("partner", "inmate", "inmate__facility", "agreement").order_by(
        "-valid_from", "-id"
    )


def guarantee_get(*, user, pk) -> Guarantee:
    return get_scoped_or_404(
        Guarantee.objects.select_related("partner", "inmate__facility"),
        user,
        Perm.INMATE_VIEW,
        pk=pk,
    )


def partner_list(*, user, filters: dict | None = None) -> QuerySet:
    """Partners of the user's facilities. Filters: q (name, city), partner_type, facility,
    active ("1"/"0"; default all)."""
    filters = filters or {}
    qs = Partner.objects.for_user(user, Perm.PARTNER_VIEW).select_related("facility")
    if search := (filters.get("q") or "").strip():
        qs = qs.filter(Q(name__icontains=search) | Q(city__icontains=search))
    if value := filters.get("partner_type"):
        qs = qs.filter(partner_type=value)
    if value := filters.get("facility"):
        qs = qs.filter(facility=value)
    if (active := filters.get("active")) in ("1", "0"):
        qs = qs.filter(is_active=active == "1")
    return qs.annotate(
        active_agreements=Count("agreements", filter=Q(agreements__status=AgreementStatus.ACTIVE))
    ).order_by("name", "id")


def partner_get(*, user, pk) -> Partner:
    return get_scoped_or_404(
        Partner.objects.select_related("facility").prefetch_related(
            Prefetch("contacts", queryset=PartnerContact.objects.order_by("name", "id"))
        ),
        user,
        Perm.PARTNER_VIEW,
        pk=pk,
    )


def agreement_list(*, user, filters: dict | None = None, perm: Perm = Perm.PARTNER_VIEW):
    """Agreements the user may see. Filters: q (number, title, partner), status, kind,
    partner, facility, expiring_within (days, active ones only), in_force (valid and in
    force today). Today is the date where each agreement's facility is."""
    filters = filters or {}
    qs = Agreement.objects.for_user(user, perm).select_related("partner", "facility")
    if search := (filters.get("q") or "").strip():
        qs = qs.filter(
            Q(number__icontains=search)
            | Q(title__icontains=search)
            | Q(partner__name__icontains=search)
        )
    for key in ("status", "kind", "partner", "facility"):
        if value := filters.get(key):
            qs = qs.filter(**{key: value})
    if within := filters.get("expiring_within"):
        qs = qs.filter(on_local_today("facility", lambda today: expiring_q(today, int(within))))
    if filters.get("in_force"):
        qs = qs.filter(on_local_today("facility", in_force_q))
    return qs.order_by("-valid_to", "-id")


def agreement_get(*, user, pk, perm: Perm = Perm.PARTNER_VIEW) -> Agreement:
    return get_scoped_or_404(
        Agreement.objects.select_related(
            "partner", "facility", "renewed_from", "renewal"
        ).prefetch_related(
            "scope_items",
            Prefetch(
                "signatories",
                queryset=Signatory.objects.order_by("role", "side", "position", "id"),
            ),
        ),
        user,
        perm,
        pk=pk,
    )


def agreement_contributions(*, agreement: Agreement) -> QuerySet:
    return Contribution.objects.filter(agreement=agreement).order_by("-given_on", "-id")


def agreements_expiring(*, user, within_days: int, facility=None):
    """Active agreements of the user's facilities (or of `facility`) ending within
    `within_days` days of today at their facility, soonest first: the rows of
    `agreement_list(filters={"expiring_within": ...})` in the order the dashboard shows them.
    Each row carries `days_left_today`."""
    filters = {"expiring_within": within_days, "facility": facility}
    qs = agreement_list(user=user, filters=filters).order_by("valid_to", "id")
    return [setattr(a, "days_left_today", a.days_left(a.facility.today())) or a for a in qs]


def contribution_list(*, user, filters: dict | None = None) -> QuerySet:
    filters = filters or {}
    qs = Contribution.objects.for_user(user, Perm.PARTNER_VIEW).select_related(
        "agreement", "agreement__partner", "agreement__facility"
    )
    for key in ("agreement", "kind"):
        if value := filters.get(key):
            qs = qs.filter(**{key: value})
    if value := filters.get("partner"):
        qs = qs.filter(agreement__partner=value)
    if value := filters.get("facility"):
        qs = qs.filter(agreement__facility=value)
    return qs.order_by("-given_on", "-id")


def contribution_totals(*, contributions: QuerySet) -> dict:
    """Sum of hours, money-equivalent value and state budget spent over `contributions`."""
    totals = contributions.order_by().aggregate(
        hours=Sum("hours"), value_idr=Sum("value_idr"), state_budget_idr=Sum("state_budget_idr")
    )
    return {key: value or 0 for key, value in totals.items()} | {"count": contributions.count()}
