"""Eligibility for asimilasi and the integration rights (PB, CB, CMB).

Each kind is judged by rules whose thresholds are data (`EligibilityRule`: national default,
overridable per facility). `evaluate` answers every rule with pass/fail and an Indonesian
reason; the time rule also gives the date on which the inmate meets it.
"""

import datetime
import math
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rutan.inmates.choices import DisciplinaryStatus, InmateStatus, LegalStatus
from rutan.inmates.models import DisciplinaryEntry, Inmate

from .choices import AssessmentStatus, EligibilityKind
from .models import BehaviourScore, EligibilityRule


@dataclass
class RuleResult:
    code: str
    label: str
    passed: bool
    reason: str
    date: datetime.date | None = None


@dataclass
class EligibilityResult:
    inmate: Inmate
    kind: str
    on: datetime.date
    eligible: bool
    rules: list[RuleResult] = field(default_factory=list)
    legal_basis: str = ""

    @property
    def kind_label(self) -> str:
        return str(EligibilityKind(self.kind).label)

    @property
    def time_date(self) -> datetime.date | None:
        """The date on which the inmate meets (or met) the time rule."""
        return next((r.date for r in self.rules if r.code == "masa_pidana"), None)

    @property
    def failing(self) -> list[RuleResult]:
        return [r for r in self.rules if not r.passed]


@dataclass
class _Preloaded:
    """Data for many inmates loaded in a few queries (the worklist)."""

    rules: dict = field(default_factory=dict)
    scores: dict = field(default_factory=dict)
    discipline: dict = field(default_factory=dict)
    # Guarantee per inmate id (absent: none); None when not preloaded (ask per inmate).
    guarantees: dict | None = None


def _d(value: datetime.date) -> str:
    return value.strftime("%d-%m-%Y")


def _m(value: datetime.date) -> str:
    return value.strftime("%m/%Y")


def rules_by_facility(facility_ids) -> dict[tuple[int | None, str], EligibilityRule]:
    """Every rule of these facilities plus the national ones, keyed by (facility id, kind)."""
    qs = EligibilityRule.objects.filter(Q(facility__isnull=True) | Q(facility_id__in=facility_ids))
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


def is_special(inmate: Inmate, rule: EligibilityRule) -> bool:
    return inmate.case_category in (rule.special_case_categories or [])


def time_rule_date(inmate: Inmate, rule: EligibilityRule) -> datetime.date | None:
    """The first day on which the time rule is met (None without a sentence).

    The fraction applies to the sentence after remission, counted like the coaching stages:
    the first day on which the days served reach the fraction of the term.
    """
    start, release = inmate.sentence_start, inmate.expected_release_date
    if start is None or release is None:
        return None
    special = is_special(inmate, rule)
    numerator = rule.special_numerator if special else rule.numerator
    denominator = rule.special_denominator if special else rule.denominator
    term = (release - start).days
    date = start + datetime.timedelta(days=math.ceil(term * numerator / denominator))
    if rule.min_served_months:
        date = max(date, start + relativedelta(months=rule.min_served_months))
    if rule.before_release_months:
        date = max(date, release - relativedelta(months=rule.before_release_months))
    return date


def _status_rule(inmate: Inmate) -> RuleResult:
    label = _("Narapidana aktif dengan putusan")
    if inmate.status != InmateStatus.ACTIVE:
        return RuleResult("status", label, False, _("WBP tidak lagi aktif di UPT."))
    if inmate.legal_status != LegalStatus.NARAPIDANA or not inmate.has_sentence:
        return RuleResult("status", label, False, _("Masih tahanan; belum ada putusan pidana."))
    return RuleResult("status", label, True, _("Narapidana aktif dengan masa pidana tercatat."))


def _time_rule(inmate, rule, on) -> RuleResult:
    special = is_special(inmate, rule)
    numerator = rule.special_numerator if special else rule.numerator
    denominator = rule.special_denominator if special else rule.denominator
    label = _("Telah menjalani %(n)s/%(d)s masa pidana") % {"n": numerator, "d": denominator}
    if rule.min_served_months:
        label += _(" (paling sedikit %(m)s bulan)") % {"m": rule.min_served_months}
    date = time_rule_date(inmate, rule)
    if date >= inmate.expected_release_date:
        return RuleResult(
            "masa_pidana",
            label,
            False,
            _(
                "Sisa masa pidana tidak cukup: syarat waktu baru terpenuhi %(date)s, "
                "setelah perkiraan bebas %(release)s."
            )
            % {"date": _d(date), "release": _d(inmate.expected_release_date)},
            date,
        )
    if on >= date:
        reason = _("Terpenuhi sejak %(date)s.") % {"date": _d(date)}
    else:
        reason = _("Terpenuhi pada %(date)s (%(days)s hari lagi).") % {
            "date": _d(date),
            "days": (date - on).days,
        }
    if special:
        reason += " " + _("Ketentuan tindak pidana khusus berlaku.")
    return RuleResult("masa_pidana", label, on >= date, reason, date)


def _sentence_length_rule(inmate, rule) -> RuleResult:
    limit = rule.max_sentence_months
    label = _("Pidana paling lama %(m)s bulan") % {"m": limit}
    end = inmate.full_term_end()
    within = end <= inmate.sentence_start + relativedelta(months=limit)
    reason = _("Lama pidana %(y)s th %(mo)s bln %(d)s hr.") % {
        "y": inmate.sentence_years,
        "mo": inmate.sentence_months,
        "d": inmate.sentence_days,
    }
    if not within:
        reason += " " + _("Melebihi batas.")
    return RuleResult("lama_pidana", label, within, reason)


def _behaviour_months(inmate, rule) -> int:
    return rule.behaviour_months_special if is_special(inmate, rule) else rule.behaviour_months


def _discipline_rule(inmate, rule, on, entries) -> RuleResult:
    months = _behaviour_months(inmate, rule)
    label = _("Tidak menjalani hukuman disiplin (register F) %(m)s bulan terakhir") % {"m": months}
    open_entries = [e for e in entries if e.status == DisciplinaryStatus.OPEN]
    if open_entries:
        first = min(open_entries, key=lambda e: e.occurred_on)
        return RuleResult(
            "register_f",
            label,
            False,
            _("Register F masih berjalan: %(sanction)s sejak %(date)s.")
            % {"sanction": first.sanction, "date": _d(first.occurred_on)},
        )
    window_start = on - relativedelta(months=months)
    ends = [
        e.closed_on or e.sanction_until or e.occurred_on for e in entries if e.occurred_on <= on
    ]
    recent = [end for end in ends if end >= window_start]
    if recent:
        clean_on = max(recent) + relativedelta(months=months) + datetime.timedelta(days=1)
        return RuleResult(
            "register_f",
            label,
            False,
            _("Hukuman disiplin berakhir %(end)s; bersih %(m)s bulan pada %(date)s.")
            % {"end": _d(max(recent)), "m": months, "date": _d(clean_on)},
            clean_on,
        )
    return RuleResult("register_f", label, True, _("Tidak ada catatan register F dalam kurun itu."))


def sppn_months(on: datetime.date, count: int) -> list[datetime.date]:
    """The `count` complete months before `on`'s month, oldest first."""
    first = on.replace(day=1)
    return [first - relativedelta(months=k) for k in range(count, 0, -1)]


def _sppn_rule(inmate, rule, on, scores: dict) -> RuleResult:
    months = sppn_months(on, _behaviour_months(inmate, rule))
    minimum = rule.sppn_min_average
    label = _("Nilai SPPN %(n)s bulan terakhir rata-rata ≥ %(min)s") % {
        "n": len(months),
        "min": minimum,
    }
    missing = [m for m in months if m not in scores]
    low = [(m, scores[m].average) for m in months if m in scores and scores[m].average < minimum]
    problems = []
    if missing:
        problems.append(
            _("belum ada nilai untuk %(months)s") % {"months": ", ".join(_m(m) for m in missing)}
        )
    if low:
        problems.append(
            _("di bawah %(min)s pada %(months)s")
            % {"min": minimum, "months": ", ".join(f"{_m(m)} ({a:.1f})" for m, a in low)}
        )
    if problems:
        return RuleResult("sppn", label, False, _("SPPN: %s.") % "; ".join(problems))
    lowest = min(scores[m].average for m in months)
    return RuleResult(
        "sppn",
        label,
        True,
        _("Nilai %(first)s–%(last)s lengkap; terendah %(low).1f.")
        % {"first": _m(months[0]), "last": _m(months[-1]), "low": lowest},
    )


def _guarantees(inmates, on) -> dict:
    """The guarantee covering each inmate on `on`, keyed by inmate id (one query)."""
    try:
        from partners.selectors import guarantees_for_inmates
    except ImportError:
        return {}
    return guarantees_for_inmates(inmates=inmates, on=on)


def _guarantor_rule(inmate, on, guarantees: dict | None = None) -> RuleResult:
    label = _("Ada penjamin")
    if guarantees is not None:
        guarantee = guarantees.get(inmate.pk)
    else:
        try:
            from partners.selectors import guarantee_for_inmate
        except ImportError:
            guarantee = None
        else:
            guarantee = guarantee_for_inmate(inmate=inmate, on=on)
    if guarantee is None:
        return RuleResult("penjamin", label, False, _("Belum ada penjamin tercatat."))
    return RuleResult(
        "penjamin", label, True, _("Dijamin oleh %(who)s.") % {"who": guarantee.partner}
    )


def _load(
    inmates: list[Inmate],
    on: datetime.date,
    max_months: int,
    rules=None,
    guarantors: bool = False,
) -> _Preloaded:
    """Rules, SPPN scores, register F and (with `guarantors`) guarantees of `inmates`, in
    a fixed number of queries."""
    ids = [i.pk for i in inmates]
    if rules is None:
        rules = rules_by_facility({i.facility_id for i in inmates})
    data = _Preloaded(rules=rules)
    oldest = on.replace(day=1) - relativedelta(months=max_months)
    for score in BehaviourScore.objects.filter(
        inmate_id__in=ids, status=AssessmentStatus.FINAL, month__gte=oldest, month__lt=on
    ):
        data.scores.setdefault(score.inmate_id, {})[score.month] = score
    for entry in DisciplinaryEntry.objects.filter(inmate_id__in=ids).order_by("occurred_on"):
        data.discipline.setdefault(entry.inmate_id, []).append(entry)
    if guarantors:
        data.guarantees = _guarantees(ids, on)
    return data


def _evaluate(inmate, kind, on, data: _Preloaded) -> EligibilityResult:
    rule = rule_for(facility=inmate.facility, kind=kind, preloaded=data.rules)
    result = EligibilityResult(
        inmate=inmate, kind=kind, on=on, eligible=False, legal_basis=rule.legal_basis
    )
    status = _status_rule(inmate)
    result.rules.append(status)
    if not inmate.has_sentence or inmate.expected_release_date is None:
        return result
    result.rules.append(_time_rule(inmate, rule, on))
    if rule.max_sentence_months:
        result.rules.append(_sentence_length_rule(inmate, rule))
    result.rules.append(_discipline_rule(inmate, rule, on, data.discipline.get(inmate.pk, [])))
    result.rules.append(_sppn_rule(inmate, rule, on, data.scores.get(inmate.pk, {})))
    if rule.requires_guarantor:
        result.rules.append(_guarantor_rule(inmate, on, data.guarantees))
    result.eligible = all(r.passed for r in result.rules)
    return result


def evaluate(*, inmate: Inmate, kind: str, on: datetime.date | None = None) -> EligibilityResult:
    """Judge whether `inmate` may have `kind` on `on` (default today), rule by rule."""
    on = on or timezone.localdate()
    rule = rule_for(facility=inmate.facility, kind=kind)
    data = _load([inmate], on, max(rule.behaviour_months, rule.behaviour_months_special))
    return _evaluate(inmate, kind, on, data)


def evaluate_all(*, inmate: Inmate, on: datetime.date | None = None) -> list[EligibilityResult]:
    """Every kind for one inmate, loading the shared data once."""
    on = on or timezone.localdate()
    data = _load([inmate], on, 24, guarantors=True)
    return [_evaluate(inmate, kind, on, data) for kind in EligibilityKind.values]


def worklist(
    *, inmates, kind: str, on: datetime.date | None = None, within_days: int = 60
) -> list[EligibilityResult]:
    """Inmates who meet the time rule of `kind` on `on` or within `within_days` after, each
    with every rule judged; soonest first. A fixed number of queries, whatever the number
    of inmates (guarantees are loaded at once when a candidate's rule needs a guarantor)."""
    on = on or timezone.localdate()
    inmates = list(inmates)
    rules = rules_by_facility({i.facility_id for i in inmates})
    horizon = on + datetime.timedelta(days=within_days)
    candidates, guarantors = [], False
    for inmate in inmates:
        if not inmate.has_sentence or inmate.expected_release_date is None:
            continue
        rule = rule_for(facility=inmate.facility, kind=kind, preloaded=rules)
        date = time_rule_date(inmate, rule)
        if date <= horizon and date < inmate.expected_release_date:
            candidates.append(inmate)
            guarantors = guarantors or rule.requires_guarantor
    data = _load(candidates, on, 24, rules=rules, guarantors=guarantors)
    results = [_evaluate(inmate, kind, on, data) for inmate in candidates]
    return sorted(results, key=lambda r: (r.time_date, r.inmate.name, r.inmate.pk))
