"""Reads of the inmate register, always through the user's scope."""

import datetime
from dataclasses import dataclass

import django_filters
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rutan.core.filters import apply, id_filter, int_filter
from rutan.core.roles import Perm
from rutan.core.scoping import get_scoped_or_404
from rutan.facilities.models import Facility, Sex
from rutan.facilities.selectors import on_local_today

from . import reckoning
from .choices import CaseCategory, CoachingStage, InmateStatus, LegalStatus
from .models import DisciplinaryEntry, Inmate, Placement, stage_on_q


class InmateFilter(django_filters.FilterSet):
    """The register's filters, shared by the page, the API and the dashboard's counts."""

    search = django_filters.CharFilter(
        method="filter_search", max_length=100, help_text="Name or registration number"
    )
    q = django_filters.CharFilter(
        method="filter_search", max_length=100, help_text="Same as search (the name the page uses)"
    )
    status = django_filters.ChoiceFilter(
        choices=[*InmateStatus.choices, ("all", "all")],
        method="filter_status",
        help_text="Default: active",
    )
    stage = django_filters.ChoiceFilter(choices=CoachingStage.choices, method="filter_stage")
    case_category = django_filters.ChoiceFilter(choices=CaseCategory.choices)
    legal_status = django_filters.ChoiceFilter(choices=LegalStatus.choices)
    sex = django_filters.ChoiceFilter(choices=Sex.choices)
    integrasi_within = int_filter(
        min_value=0,
        max_value=366,
        method="filter_integrasi_within",
        help_text="Integrasi begins between today (facility date) and this many days later",
    )
    facility = id_filter()
    block = id_filter()

    class Meta:
        model = Inmate
        fields = []

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(registration_number__icontains=value))

    def filter_status(self, queryset, name, value):
        return queryset if value == "all" else queryset.filter(status=value)

    def filter_stage(self, queryset, name, value):
        return queryset.filter(
            on_local_today(
                "facility",
                lambda today: stage_on_q(value, today),
            )
        )

    def filter_integrasi_within(self, queryset, name, value):
        days = datetime.timedelta(days=value)
        return queryset.filter(
            on_local_today(
                "facility",
                lambda today: Q(integrasi_from__gte=today, integrasi_from__lte=today + days),
            )
        )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status=InmateStatus.ACTIVE)
        return queryset


# The register's orders (`sort`), each with its index (name; release within facility and status).
REGISTER_SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "release": (F("expected_release_date").asc(nulls_last=True), "id"),
    "-release": (F("expected_release_date").desc(nulls_last=True), "-id"),
}


def inmate_list(*, user, filters=None, perm: Perm = Perm.INMATE_VIEW) -> QuerySet:
    """Inmates the user may see, filtered through `InmateFilter` (a bad value raises).

    Filters: search or q (name or registration number), facility, block, stage (on today),
    integrasi_within (days: the integrasi stage begins between today and then), status
    (`all`, or active when absent), case_category, legal_status, sex. "Today" is the date
    where each inmate's facility is, as on the facility's dashboard. Ordered by `sort` (a key
    of REGISTER_SORTS), by name when absent.
    """
    filters = filters or {}
    order = REGISTER_SORTS.get(filters.get("sort") or "name", REGISTER_SORTS["name"])
    if "sort" in filters:
        filters = filters.copy()  # a dict or a QueryDict (the API's parameters)
        filters.pop("sort")
    qs = Inmate.objects.for_user(user, perm).select_related("facility", "block")
    return apply(InmateFilter, filters, qs).order_by(*order)


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


def custody_record(*, inmate: Inmate) -> dict:
    """The custody story of one inmate: warrants, verdict, remisi ledger and the arithmetic
    of every stored date in words."""
    from . import services

    reading = reckoning.reading_for(inmate.facility)
    periods = list(inmate.detention_periods.order_by("start", "id"))
    credits = reckoning.credits_table()
    for period in periods:
        numerator, denominator, _basis = credits.get(period.kind, (1, 1, ""))
        period.credit_label = f"{numerator}/{denominator}" if numerator != denominator else ""
    grants = list(inmate.remisi_grants.order_by("decree_date", "id"))
    result = services.reckon_inmate(inmate)
    stages = []
    if inmate.has_sentence and inmate.expected_release_date:
        rules = services.stage_rules_for(inmate.facility)
        for stage in (CoachingStage.LANJUTAN, CoachingStage.ASIMILASI, CoachingStage.INTEGRASI):
            numerator, denominator = rules[stage]
            stages.append(
                {
                    "label": CoachingStage(stage).label,
                    "date": getattr(inmate, f"{stage}_from"),
                    "how": reckoning.fraction_text(
                        start=inmate.sentence_start,
                        release=inmate.expected_release_date,
                        full_end=inmate.full_term_end(),
                        numerator=numerator,
                        denominator=denominator,
                        reading=reading,
                    ),
                }
            )
    return {
        "periods": periods,
        "verdict": services.verdict_of(inmate),
        "grants": grants,
        "latest_remisi": grants and max(grants, key=lambda g: (g.decree_date, g.pk)),
        "steps": result.steps,
        "stages": stages,
        "reading": reading,
        "current_warrant": periods[-1] if periods and inmate.is_detainee else None,
    }


@dataclass
class CustodyAlert:
    inmate: Inmate
    level: str
    date: datetime.date | None
    days: int | None
    advice: str

    @property
    def level_label(self) -> str:
        return ALERT_LEVELS[self.level]

    @property
    def red(self) -> bool:
        return self.level in RED_LEVELS


ALERT_LEVELS = {
    "lewat_surat": gettext_lazy("Ditahan melewati surat penahanan"),
    "lewat_bebas": gettext_lazy("Melewati perkiraan bebas"),
    "tanpa_surat": gettext_lazy("Tanpa surat penahanan tercatat"),
    "3_hari": gettext_lazy("Surat berakhir ≤ 3 hari"),
    "10_hari": gettext_lazy("Surat berakhir 4–10 hari"),
}
RED_LEVELS = {"lewat_surat", "lewat_bebas", "tanpa_surat"}
WARN_DAYS = 10
URGENT_DAYS = 3


def _alert_for(inmate: Inmate, today: datetime.date) -> CustodyAlert | None:
    if inmate.legal_status == LegalStatus.NARAPIDANA:
        release = inmate.expected_release_date
        if release is None or today <= release:
            return None
        return CustodyAlert(
            inmate,
            "lewat_bebas",
            release,
            (release - today).days,
            _(
                "Perkiraan bebas %(date)s sudah lewat %(days)s hari: periksa putusan dan "
                "remisi hari ini, bebaskan bila benar, dan laporkan kepada Kepala UPT."
            )
            % {"date": reckoning.fmt(release), "days": (today - release).days},
        )
    end = inmate.warrant_end
    if end is None:
        return CustodyAlert(
            inmate,
            "tanpa_surat",
            None,
            None,
            _("Tidak ada dasar penahanan tercatat: catat surat penahanannya hari ini."),
        )
    days = (end - today).days
    if days < 0:
        return CustodyAlert(
            inmate,
            "lewat_surat",
            end,
            days,
            _(
                "Surat penahanan berakhir %(date)s (%(days)s hari lalu). Hari ini juga minta "
                "perpanjangan atau penetapan penahanan kepada instansi yang berwenang; tanpa "
                "dasar hukum tahanan harus dikeluarkan demi hukum (KUHAP Pasal 24–28 ayat (4)). "
                "Laporkan kepada Kepala UPT."
            )
            % {"date": reckoning.fmt(end), "days": -days},
        )
    if days <= WARN_DAYS:
        when = (
            _("hari ini")
            if days == 0
            else ngettext("%(days)s hari lagi", "%(days)s hari lagi", days) % {"days": days}
        )
        return CustodyAlert(
            inmate,
            "3_hari" if days <= URGENT_DAYS else "10_hari",
            end,
            days,
            _(
                "Surat penahanan berakhir %(date)s (%(when)s): kirim permintaan perpanjangan "
                "atau penetapan berikutnya kepada instansi yang menahan."
            )
            % {"date": reckoning.fmt(end), "when": when},
        )
    return None


def custody_alerts(
    *, user=None, facility: Facility | None = None, level: str = "", perm=Perm.INMATE_VIEW
) -> list[CustodyAlert]:
    """Active inmates whose custody needs action today (each facility's own date):
    detainees whose warrant ends within 10 days or has ended, or who have no warrant, and
    sentenced inmates held past their expected release. Red first, then soonest.
    A fixed number of queries. Without `user` every facility is read (the daily job)."""
    qs = Inmate.objects.for_user(user, perm) if user is not None else Inmate.objects.all()
    if facility is not None:
        qs = qs.filter(facility=facility)
    horizon = timezone.now().date() + datetime.timedelta(days=WARN_DAYS + 1)
    qs = (
        qs.filter(status=InmateStatus.ACTIVE)
        .annotate(warrant_end=Max("detention_periods__end"))
        .filter(
            Q(legal_status=LegalStatus.TAHANAN)
            & (Q(warrant_end__isnull=True) | Q(warrant_end__lte=horizon))
            | Q(legal_status=LegalStatus.NARAPIDANA, expected_release_date__lt=horizon)
        )
        .select_related("facility", "block")
    )
    alerts = []
    for inmate in qs:
        alert = _alert_for(inmate, inmate.facility.today())
        if alert is not None and (not level or alert.level == level):
            alerts.append(alert)
    order = list(ALERT_LEVELS)
    alerts.sort(
        key=lambda a: (
            order.index(a.level),
            a.date or datetime.date.min,
            a.inmate.name,
            a.inmate.pk,
        )
    )
    return alerts


def custody_alert_counts(alerts: list[CustodyAlert]) -> dict[str, int]:
    counts = dict.fromkeys(ALERT_LEVELS, 0)
    for alert in alerts:
        counts[alert.level] += 1
    return counts


def audit_inmate_ids(*, text: str) -> QuerySet:
    """Ids of the inmates whose name or registration number contains `text`, as a subquery
    for the audit log's inmate filter (the log itself is narrowed to the reader's scope)."""
    return Inmate.objects.filter(
        Q(name__icontains=text) | Q(registration_number__icontains=text)
    ).values("pk")
