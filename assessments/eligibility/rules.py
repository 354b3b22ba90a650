"""The rights' rules as loaded for an inmate: which rule, general or special, which
conditions, and the dates they give (fraction, CMB leave); the results' shapes."""

import datetime
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rutan.inmates import reckoning
from rutan.inmates.choices import MonthReading, RemisiReading
from rutan.inmates.models import Inmate

from ..choices import KIND_SHORT, ConditionCode, ConditionVariant, EligibilityKind
from ..models import (
    EligibilityCondition,
    EligibilityRule,
    EligibilitySpecialCategory,
    RightProposal,
    RightStep,
)

GUARANTEE_STEP = "surat_jaminan"
REMAINING_HALF_STEP = "asimilasi_setengah_sisa"


@dataclass
class RuleResult:
    code: str
    label: str
    passed: bool
    reason: str
    date: datetime.date | None = None
    basis: str = ""
    # How the date was computed, step by step (shown under "Cara menghitung").
    how: list[str] = field(default_factory=list)


@dataclass
class StepStatus:
    """One step of a right's proposal: done (when, reference, by whom) or still open."""

    code: str
    label: str
    done_on: datetime.date | None = None
    reference: str = ""
    by: str = ""
    hint: str = ""
    basis: str = ""
    automatic: bool = False

    @property
    def done(self) -> bool:
        return self.done_on is not None


@dataclass
class EligibilityResult:
    inmate: Inmate
    kind: str
    on: datetime.date
    eligible: bool
    rules: list[RuleResult] = field(default_factory=list)
    legal_basis: str = ""
    # False when the right does not apply to this sentence at all (e.g. ⅔ < 9 months for PB).
    applies: bool = True
    special: bool = False
    category_note: str = ""
    # The custody arithmetic in words: detention, deductions, verdict, remisi.
    reckoning_steps: list[str] = field(default_factory=list)
    steps: list[StepStatus] = field(default_factory=list)
    proposal: RightProposal | None = None
    reading: reckoning.Reading | None = None
    guarantee: object = None

    @property
    def kind_label(self) -> str:
        return str(EligibilityKind(self.kind).label)

    @property
    def kind_short(self) -> str:
        return KIND_SHORT.get(self.kind, self.kind_label)

    @property
    def time_rule(self) -> RuleResult | None:
        """The rule that dates the right: the leave start for CMB, else the time rule."""
        by_code = {r.code: r for r in self.rules}
        return by_code.get(ConditionCode.LAMA_CUTI) or by_code.get(ConditionCode.MASA_PIDANA)

    @property
    def time_date(self) -> datetime.date | None:
        """The date on which the inmate meets (or met) the right's time condition."""
        rule = self.time_rule
        return rule.date if rule else None

    @property
    def failing(self) -> list[RuleResult]:
        return [r for r in self.rules if not r.passed]

    @property
    def open_steps(self) -> list[StepStatus]:
        return [s for s in self.steps if not s.done]


def fmt_date(value: datetime.date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else "—"


def fmt_month(value: datetime.date) -> str:
    return value.strftime("%m/%Y")


def fmt_score(value) -> str:
    """A score rounded to one decimal (half up), written as the reader's language does
    ("71,7" in Bahasa); Django's number_format alone would cut 71.67 to 71,6."""
    return number_format(Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP), 1)


def duration_text(months: int) -> str:
    """12 → "1 tahun", 15 → "1 tahun 3 bulan", 9 → "9 bulan"."""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(ngettext("%(n)s tahun", "%(n)s tahun", years) % {"n": years})
    if rest or not years:
        parts.append(ngettext("%(n)s bulan", "%(n)s bulan", rest) % {"n": rest})
    return " ".join(parts)


def month_rule_text(reading: reckoning.Reading) -> str:
    if reading.month == MonthReading.CALENDAR:
        return _("bulan kalender")
    return _("1 bulan = 30 hari")


def as_months(start: datetime.date, days: int, reading: reckoning.Reading) -> str:
    """A number of days from `start` in months and days, as the month reading counts them."""
    if reading.month == MonthReading.CALENDAR:
        span = relativedelta(start + datetime.timedelta(days=days), start)
        return reckoning.months_days(12 * span.years + span.months, span.days)
    return reckoning.months_days(*divmod(days, 30))


# Rules and readings ------------------------------------------------------------------------


def rules_by_facility(facility_ids) -> dict[tuple[int | None, str], EligibilityRule]:
    """Every rule of these facilities plus the national ones, keyed by (facility id, kind),
    with their conditions, special categories and steps."""
    qs = EligibilityRule.objects.filter(
        Q(facility__isnull=True) | Q(facility_id__in=list(facility_ids))
    ).prefetch_related(
        Prefetch("conditions", queryset=EligibilityCondition.objects.order_by("code", "variant")),
        Prefetch(
            "special_categories",
            queryset=EligibilitySpecialCategory.objects.order_by("case_category"),
        ),
        Prefetch("steps", queryset=RightStep.objects.order_by("position", "id")),
    )
    return {(r.facility_id, r.kind): r for r in qs}


def rule_for(*, facility, kind: str, preloaded: dict | None = None) -> EligibilityRule:
    """The facility's rule for `kind`, else the national default."""
    if kind not in EligibilityKind.values:
        raise ValidationError({"kind": _("Jenis hak tidak dikenal.")})
    rules = preloaded if preloaded is not None else rules_by_facility([facility.pk])
    rule = rules.get((facility.pk, kind)) or rules.get((None, kind))
    if rule is None:
        raise ValidationError(
            _("Ketentuan %(kind)s belum diisi; lengkapi tabel ketentuan.")
            % {"kind": EligibilityKind(kind).label}
        )
    return rule


def sentence_end(inmate: Inmate) -> datetime.date:
    """The end of the main sentence the court imposed (no substitute, no remisi)."""
    return inmate.sentence_start + relativedelta(
        years=inmate.sentence_years, months=inmate.sentence_months, days=inmate.sentence_days
    )


def sentence_text(inmate: Inmate) -> str:
    return reckoning.term_text(inmate.sentence_years, inmate.sentence_months, inmate.sentence_days)


def special_category(inmate: Inmate, rule: EligibilityRule) -> EligibilitySpecialCategory | None:
    """The rule's special category the inmate falls in (category and minimum sentence)."""
    for category in rule.special_categories.all():
        if category.case_category != inmate.case_category:
            continue
        if not inmate.has_sentence:
            return None
        floor = inmate.sentence_start + relativedelta(months=category.min_sentence_months)
        return category if sentence_end(inmate) >= floor else None
    return None


def is_special(inmate: Inmate, rule: EligibilityRule) -> bool:
    return special_category(inmate, rule) is not None


def category_note(inmate: Inmate, rule: EligibilityRule, category) -> str:
    """Why the special or general conditions apply, when the case category is special."""
    listed = next(
        (c for c in rule.special_categories.all() if c.case_category == inmate.case_category),
        None,
    )
    if listed is None or not listed.min_sentence_months:
        return listed.basis_display if listed else ""
    values = {
        "category": inmate.get_case_category_display(),
        "term": sentence_text(inmate),
        "limit": duration_text(listed.min_sentence_months),
        "basis": listed.basis_display,
    }
    if category is not None:
        return _("%(category)s dengan pidana %(term)s ≥ %(limit)s (%(basis)s).") % values
    return (
        _("%(category)s dengan pidana %(term)s < %(limit)s: ketentuan umum (%(basis)s).") % values
    )


def conditions_for(rule: EligibilityRule, special: bool) -> dict[str, EligibilityCondition]:
    """The condition of each code that applies to a general or special inmate."""
    wanted = ConditionVariant.KHUSUS if special else ConditionVariant.UMUM
    found: dict[str, EligibilityCondition] = {}
    for condition in rule.conditions.all():
        if condition.variant == wanted or (
            condition.variant == ConditionVariant.SEMUA and condition.code not in found
        ):
            found[condition.code] = condition
    return {code: found[code] for code in ConditionCode.values if code in found}


def fraction_of(inmate: Inmate, condition, reading) -> tuple[datetime.date, int]:
    """The fraction date and the fraction's length in days (of the term the reading uses)."""
    start, release, full_end = (
        inmate.sentence_start,
        inmate.expected_release_date,
        inmate.full_term_end(),
    )
    day = reckoning.fraction_day(
        start=start,
        release=release,
        full_end=full_end,
        numerator=condition.numerator,
        denominator=condition.denominator,
        reading=reading,
    )
    base = (full_end if reading.remisi == RemisiReading.AS_SERVED else release) - start
    return day, math.ceil(base.days * condition.numerator / condition.denominator)


def fraction_long_enough(inmate, condition, length: int, reading) -> bool:
    if not condition.months:
        return True
    start = inmate.sentence_start
    return start + datetime.timedelta(days=length) >= reckoning.add_months(
        start, condition.months, 0, reading.month
    )


def latest_grant(inmate: Inmate):
    """The latest remisi grant (as `rutan.inmates.services.latest_remisi`), from the
    prefetched ledger when there is one."""
    grants = list(inmate.remisi_grants.all())
    return max(grants, key=lambda g: (g.decree_date, g.pk), default=None)


def leave_start(inmate, condition, reading, grant, fraction_date) -> datetime.date:
    release = inmate.expected_release_date
    by_remisi = reckoning.sub_months(release, grant.months, grant.days, reading.month)
    by_cap = reckoning.sub_months(release, condition.months, 0, reading.month)
    start = max(by_remisi, by_cap)
    return max(start, fraction_date) if fraction_date else start


def time_rule_date(
    inmate: Inmate, rule: EligibilityRule, reading: reckoning.Reading | None = None
) -> datetime.date | None:
    """The first day of the right's time condition, or None when the right does not apply to
    this inmate's sentence (no term, fraction too short, length outside the limit, no remisi
    for CMB, or the date falls on or after the expected release)."""
    if not inmate.has_sentence or inmate.expected_release_date is None:
        return None
    reading = reading or reckoning.reading_for(inmate.facility)
    conditions = conditions_for(rule, is_special(inmate, rule))
    time = conditions.get(ConditionCode.MASA_PIDANA)
    if time is None:
        return None
    date, length = fraction_of(inmate, time, reading)
    if not fraction_long_enough(inmate, time, length, reading):
        return None
    if (limit := conditions.get(ConditionCode.LAMA_PIDANA)) and sentence_end(
        inmate
    ) > inmate.sentence_start + relativedelta(months=limit.months):
        return None
    if (floor := conditions.get(ConditionCode.LAMA_PIDANA_MIN)) and sentence_end(
        inmate
    ) < inmate.sentence_start + relativedelta(months=floor.months):
        return None
    if leave := conditions.get(ConditionCode.LAMA_CUTI):
        grant = latest_grant(inmate)
        if grant is None:
            return None
        date = leave_start(inmate, leave, reading, grant, date)
    return date if date < inmate.expected_release_date else None
