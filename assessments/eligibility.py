"""Eligibility for asimilasi and the integration rights (CMK, PB, CB, CMB), as data.

A right is an `EligibilityRule` (national, or a facility's own) with its conditions
(`EligibilityCondition`, each with its legal basis), the crime categories that take the
special conditions from a minimum sentence (`EligibilitySpecialCategory`) and the steps of its
proposal (`RightStep`). `evaluate` judges every condition on a date, with a reason in
Indonesian, the date it is met and how that date was computed:

- Special or general: an inmate whose case category is one of the rule's special categories
  with a sentence of at least its minimum (narkotika from 60 months, Permenkumham 7/2022;
  terorisme and korupsi whatever the length) takes the `khusus` conditions, everyone else the
  `umum` ones; `semua` conditions apply to both.
- Time (`masa_pidana`): the first day on which the fraction of the term is served
  (`reckoning.fraction_day` with the facility's reading, `reckoning.reading_for`). "⅔ masa
  pidana, dan ⅔ itu paling sedikit 9 bulan" is a condition on the fraction itself: when ⅔ of
  the term is shorter than 9 months (a month counted as the month reading says) the right does
  not apply (`applies` is False) and the rule's `instead_kind` is named.
- CMB (`lama_cuti`): the leave lasts as long as the latest remisi, at most N months; it starts
  at the expected release less that length, never before the fraction date. No remisi, no CMB.
- Sentence length (`lama_pidana`, `lama_pidana_min`): the sentence the court imposed; outside
  the limit the right does not apply.
- Good behaviour (`register_f`, `sppn`): the window is counted back from the assessed date
  (`on`), from the fraction date ("dihitung sebelum tanggal 2/3 masa pidana"), or is the
  running year, as the condition says. SPPN: every month of the window has a final score and
  their average reaches the minimum.
- Guarantor (`penjamin`): an active guarantee on `on`, of a kind the condition accepts.

The proposal's steps (Litmas, sidang TPP, surat jaminan, usulan, SK) are a checklist beside
the conditions; they do not change `eligible`.
"""

import datetime
import math
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from rutan.inmates import reckoning
from rutan.inmates.choices import (
    DisciplinaryStatus,
    InmateStatus,
    LegalStatus,
    MonthReading,
    RemisiReading,
    SentenceKind,
)
from rutan.inmates.models import DisciplinaryEntry, Inmate
from rutan.inmates.services import verdict_of

from .choices import (
    KIND_SHORT,
    AssessmentStatus,
    ConditionCode,
    ConditionVariant,
    EligibilityKind,
    WindowAnchor,
)
from .models import (
    BehaviourScore,
    EligibilityCondition,
    EligibilityRule,
    EligibilitySpecialCategory,
    RightProposal,
    RightProposalStep,
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


@dataclass
class _Preloaded:
    """Data for many inmates loaded in a fixed number of queries (the worklist)."""

    rules: dict = field(default_factory=dict)
    readings: dict = field(default_factory=dict)
    credits: dict = field(default_factory=dict)
    scores: dict = field(default_factory=dict)
    discipline: dict = field(default_factory=dict)
    # Active guarantees per inmate id, newest first; None when not loaded.
    guarantees: dict | None = None
    proposals: dict = field(default_factory=dict)


def _d(value: datetime.date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else "—"


def _m(value: datetime.date) -> str:
    return value.strftime("%m/%Y")


def _duration(months: int) -> str:
    """12 → "1 tahun", 15 → "1 tahun 3 bulan", 9 → "9 bulan"."""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(_("%(n)s tahun") % {"n": years})
    if rest or not years:
        parts.append(_("%(n)s bulan") % {"n": rest})
    return " ".join(parts)


def _month_rule(reading: reckoning.Reading) -> str:
    if reading.month == MonthReading.CALENDAR:
        return _("bulan kalender")
    return _("1 bulan = 30 hari")


def _as_months(start: datetime.date, days: int, reading: reckoning.Reading) -> str:
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


def _sentence_end(inmate: Inmate) -> datetime.date:
    """The end of the main sentence the court imposed (no substitute, no remisi)."""
    return inmate.sentence_start + relativedelta(
        years=inmate.sentence_years, months=inmate.sentence_months, days=inmate.sentence_days
    )


def _sentence_text(inmate: Inmate) -> str:
    return reckoning.term_text(inmate.sentence_years, inmate.sentence_months, inmate.sentence_days)


def special_category(inmate: Inmate, rule: EligibilityRule) -> EligibilitySpecialCategory | None:
    """The rule's special category the inmate falls in (category and minimum sentence)."""
    for category in rule.special_categories.all():
        if category.case_category != inmate.case_category:
            continue
        if not inmate.has_sentence:
            return None
        floor = inmate.sentence_start + relativedelta(months=category.min_sentence_months)
        return category if _sentence_end(inmate) >= floor else None
    return None


def is_special(inmate: Inmate, rule: EligibilityRule) -> bool:
    return special_category(inmate, rule) is not None


def _category_note(inmate: Inmate, rule: EligibilityRule, category) -> str:
    """Why the special or general conditions apply, when the case category is special."""
    listed = next(
        (c for c in rule.special_categories.all() if c.case_category == inmate.case_category),
        None,
    )
    if listed is None or not listed.min_sentence_months:
        return listed.basis_display if listed else ""
    values = {
        "category": inmate.get_case_category_display(),
        "term": _sentence_text(inmate),
        "limit": _duration(listed.min_sentence_months),
        "basis": listed.basis_display,
    }
    if category is not None:
        return _("%(category)s dengan pidana %(term)s ≥ %(limit)s (%(basis)s).") % values
    return (
        _("%(category)s dengan pidana %(term)s < %(limit)s: ketentuan umum (%(basis)s).") % values
    )


def _conditions(rule: EligibilityRule, special: bool) -> dict[str, EligibilityCondition]:
    """The condition of each code that applies to a general or special inmate."""
    wanted = ConditionVariant.KHUSUS if special else ConditionVariant.UMUM
    found: dict[str, EligibilityCondition] = {}
    for condition in rule.conditions.all():
        if condition.variant == wanted or (
            condition.variant == ConditionVariant.SEMUA and condition.code not in found
        ):
            found[condition.code] = condition
    return {code: found[code] for code in ConditionCode.values if code in found}


def _fraction(inmate: Inmate, condition, reading) -> tuple[datetime.date, int]:
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


def _fraction_long_enough(inmate, condition, length: int, reading) -> bool:
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


def _leave_start(inmate, condition, reading, grant, fraction_date) -> datetime.date:
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
    conditions = _conditions(rule, is_special(inmate, rule))
    time = conditions.get(ConditionCode.MASA_PIDANA)
    if time is None:
        return None
    date, length = _fraction(inmate, time, reading)
    if not _fraction_long_enough(inmate, time, length, reading):
        return None
    if (limit := conditions.get(ConditionCode.LAMA_PIDANA)) and _sentence_end(
        inmate
    ) > inmate.sentence_start + relativedelta(months=limit.months):
        return None
    if (floor := conditions.get(ConditionCode.LAMA_PIDANA_MIN)) and _sentence_end(
        inmate
    ) < inmate.sentence_start + relativedelta(months=floor.months):
        return None
    if leave := conditions.get(ConditionCode.LAMA_CUTI):
        grant = latest_grant(inmate)
        if grant is None:
            return None
        date = _leave_start(inmate, leave, reading, grant, date)
    return date if date < inmate.expected_release_date else None


# The rules ---------------------------------------------------------------------------------


def _status_rule(inmate: Inmate) -> RuleResult:
    label = _("Narapidana aktif dengan putusan")
    if inmate.status != InmateStatus.ACTIVE:
        return RuleResult("status", label, False, _("WBP tidak lagi aktif di UPT."))
    if inmate.legal_status != LegalStatus.NARAPIDANA:
        return RuleResult("status", label, False, _("Masih tahanan; belum ada putusan pidana."))
    if inmate.sentence_kind == SentenceKind.SEUMUR_HIDUP:
        return RuleResult(
            "status",
            label,
            False,
            _("Pidana seumur hidup: tidak ada tanggal pecahan, hak ini tidak dapat dihitung."),
        )
    if inmate.sentence_kind == SentenceKind.MATI:
        return RuleResult(
            "status", label, False, _("Pidana mati: tidak ada tanggal pecahan maupun hak ini.")
        )
    if not inmate.has_sentence:
        return RuleResult("status", label, False, _("Masa pidana belum tercatat."))
    return RuleResult("status", label, True, _("Narapidana aktif dengan masa pidana tercatat."))


def _when(date: datetime.date, on: datetime.date) -> str:
    if on >= date:
        return _("Terpenuhi sejak %(date)s.") % {"date": _d(date)}
    return _("Terpenuhi pada %(date)s (%(days)s hari lagi).") % {
        "date": _d(date),
        "days": (date - on).days,
    }


def _not_applicable(rule: EligibilityRule, kind_short: str) -> str:
    if rule.instead_kind:
        return _("%(kind)s tidak berlaku; lihat %(instead)s.") % {
            "kind": kind_short,
            "instead": KIND_SHORT.get(rule.instead_kind, rule.instead_kind),
        }
    return _("%(kind)s tidak berlaku.") % {"kind": kind_short}


def _time_rule(inmate, rule, condition, on, reading, result) -> tuple[RuleResult, datetime.date]:
    n, d = condition.numerator, condition.denominator
    label = _("Telah menjalani %(n)s/%(d)s masa pidana") % {"n": n, "d": d}
    if condition.months:
        label += _(" (%(n)s/%(d)s itu paling sedikit %(m)s bulan)") % {
            "n": n,
            "d": d,
            "m": condition.months,
        }
    date, length = _fraction(inmate, condition, reading)
    start, release = inmate.sentence_start, inmate.expected_release_date
    how = [
        reckoning.fraction_text(
            start=start,
            release=release,
            full_end=inmate.full_term_end(),
            numerator=n,
            denominator=d,
            reading=reading,
        )
    ]
    rr = RuleResult(ConditionCode.MASA_PIDANA, label, False, "", None, condition.basis_display, how)
    if condition.months:
        long_enough = _fraction_long_enough(inmate, condition, length, reading)
        how.append(
            _(
                "%(n)s/%(d)s masa pidana = %(days)s hari = %(months)s (%(rule)s) "
                "%(cmp)s %(m)s bulan."
            )
            % {
                "n": n,
                "d": d,
                "days": length,
                "months": _as_months(start, length, reading),
                "rule": _month_rule(reading),
                "cmp": "≥" if long_enough else "<",
                "m": condition.months,
            }
        )
        if not long_enough:
            result.applies = False
            rr.reason = _("%(n)s/%(d)s masa pidana = %(months)s < %(m)s bulan: %(na)s") % {
                "n": n,
                "d": d,
                "months": _as_months(start, length, reading),
                "m": condition.months,
                "na": _not_applicable(rule, result.kind_short),
            }
            return rr, date
    rr.date = date
    if date >= release:
        result.applies = False
        rr.reason = _(
            "Sisa masa pidana tidak cukup: syarat waktu baru terpenuhi %(date)s, "
            "setelah perkiraan bebas %(release)s."
        ) % {"date": _d(date), "release": _d(release)}
        return rr, date
    rr.passed = on >= date
    rr.reason = _when(date, on)
    if result.special:
        rr.reason += " " + _("Ketentuan tindak pidana khusus berlaku.")
    if result.category_note:
        rr.reason += " " + result.category_note
    return rr, date


def _leave_rule(inmate, rule, condition, on, reading, fraction_date, result) -> RuleResult:
    label = _("Lamanya %(kind)s sebesar remisi terakhir, paling lama %(m)s bulan") % {
        "kind": result.kind_short,
        "m": condition.months,
    }
    rr = RuleResult(ConditionCode.LAMA_CUTI, label, False, "", None, condition.basis_display)
    grant = latest_grant(inmate)
    if grant is None:
        result.applies = False
        rr.reason = _(
            "Belum ada remisi: lamanya %(kind)s sebesar remisi terakhir, jadi %(kind)s belum "
            "dapat diberikan."
        ) % {"kind": result.kind_short}
        return rr
    release = inmate.expected_release_date
    by_remisi = reckoning.sub_months(release, grant.months, grant.days, reading.month)
    by_cap = reckoning.sub_months(release, condition.months, 0, reading.month)
    date = _leave_start(inmate, condition, reading, grant, fraction_date)
    length = reckoning.months_days(grant.months, grant.days)
    rr.how = [
        _("Remisi terakhir: %(length)s (%(kind)s, keputusan %(number)s tanggal %(date)s).")
        % {
            "length": length,
            "kind": grant.get_kind_display(),
            "number": grant.decree_number,
            "date": _d(grant.decree_date),
        },
        _("Perkiraan bebas %(release)s − %(length)s (%(rule)s) = %(date)s.")
        % {
            "release": _d(release),
            "length": length,
            "rule": _month_rule(reading),
            "date": _d(by_remisi),
        },
    ]
    if by_cap > by_remisi:
        rr.how.append(
            _("Paling lama %(m)s bulan: %(release)s − %(m)s bulan = %(date)s.")
            % {"m": condition.months, "release": _d(release), "date": _d(by_cap)}
        )
    if fraction_date and fraction_date > max(by_remisi, by_cap):
        rr.how.append(
            _("Tidak sebelum tanggal pecahan masa pidana %(date)s.") % {"date": _d(fraction_date)}
        )
    rr.how.append(_("%(kind)s mulai %(date)s.") % {"kind": result.kind_short, "date": _d(date)})
    rr.date = date
    if date >= release:
        result.applies = False
        rr.reason = _not_applicable(rule, result.kind_short)
        return rr
    rr.passed = on >= date
    rr.reason = _("%(kind)s mulai %(date)s, sampai perkiraan bebas %(release)s.") % {
        "kind": result.kind_short,
        "date": _d(date),
        "release": _d(release),
    }
    rr.reason += " " + _when(date, on)
    return rr


def _length_rule(inmate, rule, condition, result, *, longest: bool) -> RuleResult:
    limit = inmate.sentence_start + relativedelta(months=condition.months)
    end = _sentence_end(inmate)
    within = end <= limit if longest else end >= limit
    values = {"limit": _duration(condition.months)}
    label = (
        _("Pidana paling lama %(limit)s") % values
        if longest
        else _("Pidana paling singkat %(limit)s") % values
    )
    reason = _("Lama pidana %(term)s.") % {"term": _sentence_text(inmate)}
    if not within:
        result.applies = False
        reason += " " + (_("Melebihi batas.") if longest else _("Kurang dari batas."))
        reason += " " + _not_applicable(rule, result.kind_short)
    return RuleResult(
        ConditionCode.LAMA_PIDANA if longest else ConditionCode.LAMA_PIDANA_MIN,
        label,
        within,
        reason,
        None,
        condition.basis_display,
    )


def _anchor_text(fraction: str) -> str:
    return _("tanggal %(f)s masa pidana") % {"f": fraction}


def _window(condition, on, anchor, reading) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a register F window."""
    if condition.window_anchor == WindowAnchor.YEAR:
        return datetime.date(on.year, 1, 1), on
    if condition.window_anchor == WindowAnchor.FRACTION and anchor is not None:
        return reckoning.sub_months(anchor, condition.months, 0, reading.month), max(anchor, on)
    return reckoning.sub_months(on, condition.months, 0, reading.month), on


def _discipline_rule(inmate, condition, on, anchor, fraction, entries, reading) -> RuleResult:
    months = condition.months
    if condition.window_anchor == WindowAnchor.YEAR:
        label = _("Tidak melanggar tata tertib (register F) dalam tahun berjalan")
    elif condition.window_anchor == WindowAnchor.FRACTION:
        label = _(
            "Tidak menjalani hukuman disiplin (register F) %(m)s bulan terakhir sebelum %(anchor)s"
        ) % {"m": months, "anchor": _anchor_text(fraction)}
    else:
        label = _("Tidak menjalani hukuman disiplin (register F) %(m)s bulan terakhir") % {
            "m": months
        }
    start, end = _window(condition, on, anchor, reading)
    how = [
        _("Kurun waktu register F: %(start)s s.d. %(end)s (%(anchor)s; %(rule)s).")
        % {
            "start": _d(start),
            "end": _d(end),
            "anchor": WindowAnchor(condition.window_anchor).label.lower(),
            "rule": _month_rule(reading),
        }
    ]
    rr = RuleResult(ConditionCode.REGISTER_F, label, False, "", None, condition.basis_display, how)
    open_entries = [e for e in entries if e.status == DisciplinaryStatus.OPEN]
    if open_entries:
        first = min(open_entries, key=lambda e: e.occurred_on)
        rr.reason = _("Register F masih berjalan: %(sanction)s sejak %(date)s.") % {
            "sanction": first.sanction,
            "date": _d(first.occurred_on),
        }
        return rr
    ends = [
        e.closed_on or e.sanction_until or e.occurred_on for e in entries if e.occurred_on <= end
    ]
    recent = [value for value in ends if value >= start]
    if recent:
        last = max(recent)
        if condition.window_anchor == WindowAnchor.YEAR:
            clean_on = datetime.date(last.year + 1, 1, 1)
            rr.reason = _(
                "Hukuman disiplin berakhir %(end)s dalam tahun berjalan; bersih pada %(date)s."
            ) % {"end": _d(last), "date": _d(clean_on)}
        else:
            clean_on = reckoning.add_months(last, months, 1, reading.month)
            rr.reason = _(
                "Hukuman disiplin berakhir %(end)s; bersih %(m)s bulan pada %(date)s."
            ) % {
                "end": _d(last),
                "m": months,
                "date": _d(clean_on),
            }
        rr.date = clean_on
        return rr
    rr.passed = True
    rr.reason = _("Tidak ada catatan register F dalam kurun itu.")
    return rr


def sppn_months(on: datetime.date, count: int) -> list[datetime.date]:
    """The `count` complete months before `on`'s month, oldest first."""
    first = on.replace(day=1)
    return [first - relativedelta(months=k) for k in range(count, 0, -1)]


def _sppn_window(condition, on, anchor) -> list[datetime.date]:
    if condition.window_anchor == WindowAnchor.YEAR:
        return [datetime.date(on.year, m, 1) for m in range(1, on.month)]
    if condition.window_anchor == WindowAnchor.FRACTION and anchor is not None:
        return sppn_months(anchor, condition.months)
    return sppn_months(on, condition.months)


def _sppn_rule(inmate, condition, on, anchor, fraction, scores: dict) -> RuleResult:
    months = _sppn_window(condition, on, anchor)
    minimum = condition.min_average
    if condition.window_anchor == WindowAnchor.YEAR:
        label = _("Nilai SPPN tahun berjalan rata-rata ≥ %(min)s") % {"min": minimum}
    elif condition.window_anchor == WindowAnchor.FRACTION:
        label = _("Nilai SPPN %(n)s bulan sebelum %(anchor)s rata-rata ≥ %(min)s") % {
            "n": len(months),
            "anchor": _anchor_text(fraction),
            "min": minimum,
        }
    else:
        label = _("Nilai SPPN %(n)s bulan terakhir rata-rata ≥ %(min)s") % {
            "n": len(months),
            "min": minimum,
        }
    rr = RuleResult(ConditionCode.SPPN, label, False, "", None, condition.basis_display)
    if not months:
        rr.passed = True
        rr.reason = _(
            "Belum ada bulan lengkap dalam tahun berjalan; perilaku dinilai dari register F."
        )
        return rr
    rr.how.append(
        _("Bulan yang dinilai: %(first)s–%(last)s (%(anchor)s).")
        % {
            "first": _m(months[0]),
            "last": _m(months[-1]),
            "anchor": WindowAnchor(condition.window_anchor).label.lower(),
        }
    )
    missing = [m for m in months if m not in scores]
    if missing:
        rr.reason = _("SPPN: belum ada nilai untuk %(months)s.") % {
            "months": ", ".join(_m(m) for m in missing)
        }
        pending = [m for m in missing if m >= on.replace(day=1)]
        if pending:
            rr.reason += " " + _("Bulan %(months)s belum berakhir.") % {
                "months": ", ".join(_m(m) for m in pending)
            }
        return rr
    averages = [scores[m].average for m in months]
    average = sum(averages) / len(averages)
    rr.how.append(
        _("Rata-rata: (%(values)s) / %(n)s = %(avg).1f.")
        % {"values": " + ".join(f"{a:.1f}" for a in averages), "n": len(averages), "avg": average}
    )
    values = {
        "first": _m(months[0]),
        "last": _m(months[-1]),
        "avg": average,
        "min": minimum,
    }
    if average < minimum:
        rr.reason = _("SPPN: rata-rata %(first)s–%(last)s %(avg).1f di bawah %(min)s.") % values
        return rr
    rr.passed = True
    rr.reason = _("Rata-rata %(first)s–%(last)s %(avg).1f ≥ %(min)s.") % values
    return rr


def _guarantor_label(kinds) -> str:
    if not kinds:
        return _("Ada penjamin")
    from partners.models import GuarantorKind

    return _("Ada penjamin: %(kinds)s") % {
        "kinds": ", ".join(str(GuarantorKind(k).label).lower() for k in kinds)
    }


def _who(guarantee) -> str:
    if guarantee.is_person:
        return _("%(name)s (%(kind)s%(rel)s)") % {
            "name": guarantee.name,
            "kind": guarantee.get_guarantor_kind_display().lower(),
            "rel": f", {guarantee.relationship}" if guarantee.relationship else "",
        }
    return guarantee.guarantor_name


def _guarantor_rule(inmate, condition, on, guarantees: list, result) -> RuleResult:
    kinds = list(condition.guarantor_kinds or [])
    rr = RuleResult(
        ConditionCode.PENJAMIN, _guarantor_label(kinds), False, "", None, condition.basis_display
    )
    if not guarantees:
        rr.reason = _("Belum ada penjamin tercatat.")
        return rr
    accepted = [g for g in guarantees if not kinds or g.guarantor_kind in kinds]
    if not accepted:
        rr.reason = _(
            "Jaminan tercatat dari %(who)s, tetapi syarat ini memerlukan penjamin %(kinds)s."
        ) % {
            "who": _who(guarantees[0]),
            "kinds": _guarantor_label(kinds).split(": ", 1)[-1],
        }
        return rr
    result.guarantee = accepted[0]
    rr.passed = True
    rr.reason = _("Dijamin oleh %(who)s.") % {"who": _who(accepted[0])}
    return rr


def _guarantees_for(inmates, on) -> dict:
    """Active guarantees per inmate id on `on`, newest first (one query)."""
    try:
        from partners.selectors import guarantees_by_inmate
    except ImportError:
        return {}
    return guarantees_by_inmate(inmates=inmates, on=on)


# Steps -------------------------------------------------------------------------------------


def step_definitions(rule: EligibilityRule, inmate: Inmate, special: bool) -> list[RightStep]:
    """The steps of `rule` that apply to this inmate (variant and case category)."""
    steps = []
    for step in rule.steps.all():
        if step.variant == ConditionVariant.KHUSUS and not special:
            continue
        if step.variant == ConditionVariant.UMUM and special:
            continue
        if step.case_categories and inmate.case_category not in step.case_categories:
            continue
        steps.append(step)
    return steps


def _remaining_half_hint(inmate, fraction_date) -> str:
    if fraction_date is None:
        return ""
    remaining = (inmate.expected_release_date - fraction_date).days
    date = fraction_date + datetime.timedelta(days=math.ceil(remaining / 2))
    return _(
        "Paling cepat %(date)s bila asimilasi dimulai pada tanggal pecahan %(start)s: "
        "½ × %(days)s hari sisa pidana."
    ) % {"date": _d(date), "start": _d(fraction_date), "days": remaining}


def _steps(rule, inmate, special, fraction_date, result, proposal) -> list[StepStatus]:
    done = {s.code: s for s in proposal.steps.all()} if proposal else {}
    steps = []
    for definition in step_definitions(rule, inmate, special):
        status = StepStatus(
            definition.code,
            definition.label,
            basis=definition.basis_display if (definition.article or definition.basis_note) else "",
        )
        record = done.get(definition.code)
        if record is not None:
            status.done_on, status.reference = record.done_on, record.reference
            status.by = str(record.done_by.full_name or record.done_by.username)
        elif definition.code == GUARANTEE_STEP and result.guarantee is not None:
            status.done_on = result.guarantee.valid_from
            status.reference = result.guarantee.letter_number
            status.automatic = True
        if definition.code == REMAINING_HALF_STEP and not status.done:
            status.hint = _remaining_half_hint(inmate, fraction_date)
        steps.append(status)
    return steps


# Loading and evaluation --------------------------------------------------------------------


def _load(
    inmates: list[Inmate],
    on: datetime.date,
    *,
    kinds,
    rules=None,
    readings=None,
    guarantors: bool = False,
) -> _Preloaded:
    """Rules, readings, custody records, SPPN scores, register F, proposals and (with
    `guarantors`) guarantees of `inmates`, in a fixed number of queries."""
    ids = [i.pk for i in inmates]
    facility_ids = {i.facility_id for i in inmates}
    data = _Preloaded(
        rules=rules if rules is not None else rules_by_facility(facility_ids),
        readings=readings if readings is not None else reckoning.readings_for(facility_ids),
    )
    if not inmates:
        return data
    data.credits = reckoning.credits_table()
    prefetch_related_objects(inmates, "verdict", "detention_periods", "remisi_grants")
    for score in BehaviourScore.objects.filter(inmate_id__in=ids, status=AssessmentStatus.FINAL):
        data.scores.setdefault(score.inmate_id, {})[score.month] = score
    for entry in DisciplinaryEntry.objects.filter(inmate_id__in=ids).order_by("occurred_on"):
        data.discipline.setdefault(entry.inmate_id, []).append(entry)
    if guarantors:
        data.guarantees = _guarantees_for(ids, on)
    proposals = (
        RightProposal.objects.filter(inmate_id__in=ids, kind__in=list(kinds))
        .prefetch_related(
            Prefetch("steps", queryset=RightProposalStep.objects.select_related("done_by"))
        )
        .order_by("inmate_id", "kind", F("closed_on").desc(nulls_first=True), "-opened_on", "-id")
    )
    for proposal in proposals:
        data.proposals.setdefault((proposal.inmate_id, proposal.kind), proposal)
    return data


def _reckoning_steps(inmate: Inmate, data: _Preloaded, reading) -> list[str]:
    """`rutan.inmates.services.reckon_inmate(inmate).steps`, from the preloaded records."""
    verdict = verdict_of(inmate)
    return reckoning.reckon(
        periods=list(inmate.detention_periods.all()),
        verdict=verdict,
        grants=list(inmate.remisi_grants.all()) if verdict else [],
        credits=data.credits,
        reading=reading,
    ).steps


def _needs_guarantor(rule: EligibilityRule) -> bool:
    return any(c.code == ConditionCode.PENJAMIN for c in rule.conditions.all())


def _evaluate(inmate, kind, on, data: _Preloaded) -> EligibilityResult:
    rule = rule_for(facility=inmate.facility, kind=kind, preloaded=data.rules)
    reading = data.readings.get(inmate.facility_id) or reckoning.Reading()
    result = EligibilityResult(
        inmate=inmate,
        kind=kind,
        on=on,
        eligible=False,
        legal_basis=rule.legal_basis,
        reading=reading,
        proposal=data.proposals.get((inmate.pk, kind)),
    )
    result.reckoning_steps = _reckoning_steps(inmate, data, reading)
    result.rules.append(_status_rule(inmate))
    if not inmate.has_sentence or inmate.expected_release_date is None:
        result.applies = False
        return result
    category = special_category(inmate, rule)
    result.special = category is not None
    result.category_note = _category_note(inmate, rule, category)
    conditions = _conditions(rule, result.special)
    fraction_date, fraction = None, ""
    for code, condition in conditions.items():
        if code == ConditionCode.MASA_PIDANA:
            rr, fraction_date = _time_rule(inmate, rule, condition, on, reading, result)
            fraction = f"{condition.numerator}/{condition.denominator}"
        elif code == ConditionCode.LAMA_CUTI:
            rr = _leave_rule(inmate, rule, condition, on, reading, fraction_date, result)
        elif code in (ConditionCode.LAMA_PIDANA, ConditionCode.LAMA_PIDANA_MIN):
            rr = _length_rule(
                inmate, rule, condition, result, longest=code == ConditionCode.LAMA_PIDANA
            )
        elif code == ConditionCode.REGISTER_F:
            rr = _discipline_rule(
                inmate,
                condition,
                on,
                fraction_date,
                fraction,
                data.discipline.get(inmate.pk, []),
                reading,
            )
        elif code == ConditionCode.SPPN:
            rr = _sppn_rule(
                inmate, condition, on, fraction_date, fraction, data.scores.get(inmate.pk, {})
            )
        else:
            guarantees = (data.guarantees or {}).get(inmate.pk, [])
            rr = _guarantor_rule(inmate, condition, on, guarantees, result)
        result.rules.append(rr)
    result.eligible = result.applies and all(r.passed for r in result.rules)
    result.steps = _steps(rule, inmate, result.special, fraction_date, result, result.proposal)
    return result


def evaluate(*, inmate: Inmate, kind: str, on: datetime.date | None = None) -> EligibilityResult:
    """Judge whether `inmate` may have `kind` on `on` (default today), rule by rule."""
    on = on or timezone.localdate()
    rules = rules_by_facility([inmate.facility_id])
    rule = rule_for(facility=inmate.facility, kind=kind, preloaded=rules)
    data = _load([inmate], on, kinds=[kind], rules=rules, guarantors=_needs_guarantor(rule))
    return _evaluate(inmate, kind, on, data)


def evaluate_all(*, inmate: Inmate, on: datetime.date | None = None) -> list[EligibilityResult]:
    """Every kind for one inmate, loading the shared data once."""
    on = on or timezone.localdate()
    data = _load([inmate], on, kinds=EligibilityKind.values, guarantors=True)
    return [_evaluate(inmate, kind, on, data) for kind in EligibilityKind.values]


def worklist(
    *, inmates, kind: str, on: datetime.date | None = None, within_days: int = 60
) -> list[EligibilityResult]:
    """Inmates to whom `kind` applies and who meet its time condition on `on` or within
    `within_days` after, each with every rule judged; soonest first. A fixed number of
    queries, whatever the number of inmates."""
    on = on or timezone.localdate()
    if kind not in EligibilityKind.values:
        raise ValidationError({"kind": _("Jenis hak tidak dikenal.")})
    inmates = list(inmates)
    facility_ids = {i.facility_id for i in inmates}
    rules = rules_by_facility(facility_ids)
    readings = reckoning.readings_for(facility_ids)
    if inmates and any(
        ConditionCode.LAMA_CUTI in {c.code for c in r.conditions.all()}
        for r in rules.values()
        if r.kind == kind
    ):
        prefetch_related_objects(inmates, "remisi_grants")
    horizon = on + datetime.timedelta(days=within_days)
    candidates, guarantors = [], False
    for inmate in inmates:
        if not inmate.has_sentence or inmate.expected_release_date is None:
            continue
        rule = rule_for(facility=inmate.facility, kind=kind, preloaded=rules)
        date = time_rule_date(inmate, rule, readings.get(inmate.facility_id))
        if date is not None and date <= horizon:
            candidates.append(inmate)
            guarantors = guarantors or _needs_guarantor(rule)
    data = _load(
        candidates, on, kinds=[kind], rules=rules, readings=readings, guarantors=guarantors
    )
    results = [_evaluate(inmate, kind, on, data) for inmate in candidates]
    results = [r for r in results if r.applies]
    return sorted(results, key=lambda r: (r.time_date, r.inmate.name, r.inmate.pk))
