"""Reads of partners, agreements, contributions and guarantees, always through the scope."""

import datetime

import django_filters
from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from rutan.core.filters import apply, bool_filter, id_filter, int_filter
from rutan.core.roles import Perm
from rutan.core.scoping import facility_ids_for, get_scoped_or_404
from rutan.facilities.selectors import on_local_today
from rutan.inmates.models import Inmate

from .models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Contribution,
    ContributionKind,
    Guarantee,
    GuaranteeStatus,
    GuarantorKind,
    Partner,
    PartnerContact,
    PartnerType,
    Side,
    Signatory,
    SignatoryRole,
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


class GuaranteeFilter(django_filters.FilterSet):
    inmate = id_filter()
    guarantor_kind = django_filters.ChoiceFilter(choices=GuarantorKind.choices)
    status = django_filters.ChoiceFilter(choices=GuaranteeStatus.choices)

    class Meta:
        model = Guarantee
        fields = []


def guarantee_list(*, user, inmate: Inmate | None = None, filters: dict | None = None) -> QuerySet:
    """Guarantees the user may see (those of inmates in their facilities, for users who may
    also see partners). Filters (`GuaranteeFilter`): inmate, guarantor_kind, status."""
    qs = Guarantee.objects.for_user(user, Perm.INMATE_VIEW)
    partner_scope = facility_ids_for(user, Perm.PARTNER_VIEW)
    if partner_scope is not None:
        qs = qs.filter(inmate__facility__in=partner_scope)
    if inmate is not None:
        qs = qs.filter(inmate=inmate)
    qs = apply(GuaranteeFilter, filters, qs)
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


def _search(*fields):
    def filter_search(queryset, name, value):
        query = Q()
        for field in fields:
            query |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(query)

    return filter_search


class PartnerFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method=_search("name", "city"), max_length=100, help_text="Name or city"
    )
    q = django_filters.CharFilter(
        method=_search("name", "city"), max_length=100, help_text="Same as search"
    )
    partner_type = django_filters.ChoiceFilter(choices=PartnerType.choices)
    facility = id_filter()
    active = django_filters.ChoiceFilter(
        choices=[("1", "1"), ("0", "0")],
        method="filter_active",
        help_text="1: active only, 0: inactive only; default both",
    )

    class Meta:
        model = Partner
        fields = []

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")


def partner_list(*, user, filters: dict | None = None) -> QuerySet:
    """Partners of the user's facilities. Filters (`PartnerFilter`): search or q (name, city),
    partner_type, facility, active ("1"/"0"; default all)."""
    qs = Partner.objects.for_user(user, Perm.PARTNER_VIEW).select_related("facility")
    return (
        apply(PartnerFilter, filters, qs)
        .annotate(
            active_agreements=Count(
                "agreements", filter=Q(agreements__status=AgreementStatus.ACTIVE)
            )
        )
        .order_by("name", "id")
    )


def partner_get(*, user, pk) -> Partner:
    return get_scoped_or_404(
        Partner.objects.select_related("facility").prefetch_related(
            Prefetch("contacts", queryset=PartnerContact.objects.order_by("name", "id"))
        ),
        user,
        Perm.PARTNER_VIEW,
        pk=pk,
    )


_AGREEMENT_SEARCH = _search("number", "title", "partner__name")


class AgreementFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method=_AGREEMENT_SEARCH, max_length=100, help_text="Number, title or partner"
    )
    q = django_filters.CharFilter(
        method=_AGREEMENT_SEARCH, max_length=100, help_text="Same as search"
    )
    status = django_filters.ChoiceFilter(choices=AgreementStatus.choices)
    kind = django_filters.ChoiceFilter(choices=AgreementKind.choices)
    partner = id_filter()
    facility = id_filter()
    expiring_within = int_filter(
        min_value=1,
        max_value=366,
        method="filter_expiring_within",
        help_text="Active, ending within this many days (facility date)",
    )
    in_force = bool_filter(
        method="filter_in_force", help_text="In force today (facility date); true/false or 1/0"
    )

    class Meta:
        model = Agreement
        fields = []

    def filter_expiring_within(self, queryset, name, value):
        return queryset.filter(on_local_today("facility", lambda today: expiring_q(today, value)))

    def filter_in_force(self, queryset, name, value):
        return queryset.filter(on_local_today("facility", in_force_q)) if value else queryset


def agreement_list(*, user, filters: dict | None = None, perm: Perm = Perm.PARTNER_VIEW):
    """Agreements the user may see. Filters (`AgreementFilter`): search or q (number, title,
    partner), status, kind,
    partner, facility, expiring_within (days, active ones only), in_force (valid and in
    force today). Today is the date where each agreement's facility is. Each row brings its
    renewal (`Agreement.status_label` names one in force)."""
    qs = Agreement.objects.for_user(user, perm).select_related("partner", "facility", "renewal")
    return apply(AgreementFilter, filters, qs).order_by("-valid_to", "-id")


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


class ContributionFilter(django_filters.FilterSet):
    agreement = id_filter()
    partner = id_filter(field_name="agreement__partner")
    facility = id_filter(field_name="agreement__facility")
    kind = django_filters.ChoiceFilter(choices=ContributionKind.choices)

    class Meta:
        model = Contribution
        fields = []


def contribution_list(*, user, filters: dict | None = None) -> QuerySet:
    """Contributions the user may see. Filters (`ContributionFilter`): agreement, partner,
    facility, kind."""
    qs = Contribution.objects.for_user(user, Perm.PARTNER_VIEW).select_related(
        "agreement", "agreement__partner", "agreement__facility"
    )
    return apply(ContributionFilter, filters, qs).order_by("-given_on", "-id")


def contribution_totals(*, contributions: QuerySet) -> dict:
    """Sum of hours, money-equivalent value and state budget spent over `contributions`."""
    totals = contributions.order_by().aggregate(
        hours=Sum("hours"), value_idr=Sum("value_idr"), state_budget_idr=Sum("state_budget_idr")
    )
    return {key: value or 0 for key, value in totals.items()} | {"count": contributions.count()}


def partner_signatory(agreement: Agreement | None) -> Signatory | None:
    """Who signs for the partner under `agreement` (its first signatory on the partner's
    side), as the documents made under it name them; None without an agreement or one."""
    if agreement is None:
        return None
    return (
        Signatory.objects.filter(
            agreement=agreement, side=Side.PARTNER, role=SignatoryRole.SIGNATORY
        )
        .order_by("position", "id")
        .first()
    )
