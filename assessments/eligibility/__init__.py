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

from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from rutan.inmates import reckoning
from rutan.inmates.models import DisciplinaryEntry, Inmate
from rutan.inmates.services import verdict_of

from ..choices import AssessmentStatus, ConditionCode, ConditionVariant, EligibilityKind
from ..models import BehaviourScore, EligibilityRule, RightProposal, RightProposalStep, RightStep
from .conditions import (
    discipline_rule,
    guarantees_for,
    guarantor_rule,
    leave_rule,
    length_rule,
    sppn_months,
    sppn_rule,
    status_rule,
    time_rule,
)
from .rules import (
    GUARANTEE_STEP,
    REMAINING_HALF_STEP,
    EligibilityResult,
    RuleResult,
    StepStatus,
    category_note,
    conditions_for,
    fmt_date,
    is_special,
    latest_grant,
    rule_for,
    rules_by_facility,
    special_category,
    time_rule_date,
)

__all__ = [
    "EligibilityResult",
    "RuleResult",
    "StepStatus",
    "evaluate",
    "evaluate_all",
    "is_special",
    "latest_grant",
    "rule_for",
    "rules_by_facility",
    "special_category",
    "sppn_months",
    "standings",
    "step_definitions",
    "time_rule_date",
    "worklist",
]


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
    ) % {"date": fmt_date(date), "start": fmt_date(fraction_date), "days": remaining}


def _steps(rule, inmate, special, fraction_date, result) -> list[StepStatus]:
    proposal = result.proposal
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
        data.guarantees = guarantees_for(ids, on)
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


def _evaluate(inmate, kind, on, data: _Preloaded, *, explain: bool = True) -> EligibilityResult:
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
    if explain:
        result.reckoning_steps = _reckoning_steps(inmate, data, reading)
    result.rules.append(status_rule(inmate))
    if not inmate.has_sentence or inmate.expected_release_date is None:
        result.applies = False
        return result
    category = special_category(inmate, rule)
    result.special = category is not None
    result.category_note = category_note(inmate, rule, category)
    conditions = conditions_for(rule, result.special)
    fraction_date, fraction = None, ""
    for code, condition in conditions.items():
        if code == ConditionCode.MASA_PIDANA:
            rr, fraction_date = time_rule(inmate, rule, condition, on, reading, result)
            fraction = f"{condition.numerator}/{condition.denominator}"
        elif code == ConditionCode.LAMA_CUTI:
            rr = leave_rule(inmate, rule, condition, on, reading, fraction_date, result)
        elif code in (ConditionCode.LAMA_PIDANA, ConditionCode.LAMA_PIDANA_MIN):
            rr = length_rule(
                inmate, rule, condition, result, longest=code == ConditionCode.LAMA_PIDANA
            )
        elif code == ConditionCode.REGISTER_F:
            rr = discipline_rule(
                condition,
                on,
                fraction_date,
                fraction,
                data.discipline.get(inmate.pk, []),
                reading,
            )
        elif code == ConditionCode.SPPN:
            rr = sppn_rule(
                condition,
                on,
                fraction_date,
                fraction,
                data.scores.get(inmate.pk, {}),
                custody_start=inmate.custody_start,
            )
        else:
            guarantees = (data.guarantees or {}).get(inmate.pk, [])
            rr = guarantor_rule(condition, guarantees, result)
        result.rules.append(rr)
    result.eligible = result.applies and all(r.passed for r in result.rules)
    if explain:
        result.steps = _steps(rule, inmate, result.special, fraction_date, result)
    return result


def evaluate(*, inmate: Inmate, kind: str, on: datetime.date | None = None) -> EligibilityResult:
    """Judge whether `inmate` may have `kind` on `on` (default: today at the inmate's facility),
    rule by rule."""
    on = on or inmate.facility.today()
    rules = rules_by_facility([inmate.facility_id])
    rule = rule_for(facility=inmate.facility, kind=kind, preloaded=rules)
    data = _load([inmate], on, kinds=[kind], rules=rules, guarantors=_needs_guarantor(rule))
    return _evaluate(inmate, kind, on, data)


def evaluate_all(*, inmate: Inmate, on: datetime.date | None = None) -> list[EligibilityResult]:
    """Every kind for one inmate, loading the shared data once (default: facility's today)."""
    on = on or inmate.facility.today()
    data = _load([inmate], on, kinds=EligibilityKind.values, guarantors=True)
    return [_evaluate(inmate, kind, on, data) for kind in EligibilityKind.values]


def _time_dates(inmates: list[Inmate], kind: str, rules, readings) -> list[tuple]:
    """(inmate, first day of the time condition, rule) for each inmate to whom `kind`
    applies by its sentence (`time_rule_date` is not None)."""
    if inmates and any(
        ConditionCode.LAMA_CUTI in {c.code for c in r.conditions.all()}
        for r in rules.values()
        if r.kind == kind
    ):
        prefetch_related_objects(inmates, "remisi_grants")
    dated = []
    for inmate in inmates:
        if not inmate.has_sentence or inmate.expected_release_date is None:
            continue
        rule = rule_for(facility=inmate.facility, kind=kind, preloaded=rules)
        date = time_rule_date(inmate, rule, readings.get(inmate.facility_id))
        if date is not None:
            dated.append((inmate, date, rule))
    return dated


def _judged(dated, kind, on, rules, readings) -> dict[int, EligibilityResult]:
    """Every rule judged on `on` for the inmates of `dated` (fixed number of queries)."""
    candidates = [inmate for inmate, _date, _rule in dated]
    guarantors = any(_needs_guarantor(rule) for _inmate, _date, rule in dated)
    data = _load(
        candidates, on, kinds=[kind], rules=rules, readings=readings, guarantors=guarantors
    )
    return {inmate.pk: _evaluate(inmate, kind, on, data) for inmate in candidates}


def _check_kind(kind: str) -> None:
    if kind not in EligibilityKind.values:
        raise ValidationError({"kind": _("Jenis hak tidak dikenal.")})


def worklist(
    *, inmates, kind: str, on: datetime.date | None = None, within_days: int = 60
) -> list[EligibilityResult]:
    """Inmates to whom `kind` applies and who meet its time condition on `on` or within
    `within_days` after, each with every rule judged; soonest first. A fixed number of
    queries, whatever the number of inmates."""
    on = on or timezone.localdate()
    _check_kind(kind)
    inmates = list(inmates)
    facility_ids = {i.facility_id for i in inmates}
    rules = rules_by_facility(facility_ids)
    readings = reckoning.readings_for(facility_ids)
    horizon = on + datetime.timedelta(days=within_days)
    dated = [row for row in _time_dates(inmates, kind, rules, readings) if row[1] <= horizon]
    results = [r for r in _judged(dated, kind, on, rules, readings).values() if r.applies]
    return sorted(results, key=lambda r: (r.time_date, r.inmate.name, r.inmate.pk))


def standings(
    *, inmates, on: datetime.date, kinds=EligibilityKind.values, rules=None, readings=None
) -> tuple[dict[str, list[tuple[Inmate, datetime.date, bool]]], dict[str, str]]:
    """For each right of `kinds`: (inmate, first day of its time condition, eligible on `on`)
    for each of `inmates` to whom it applies, judged as `worklist` judges them; and the
    message of each right that has no rule. No one meets every condition before the time
    condition, so every rule is judged only for those whose day has come, without the
    explanations (reckoning steps, proposal steps) a page shows. The eligible rows are
    exactly `worklist(..., on=on)`'s eligible rows. A fixed number of queries."""
    inmates = list(inmates)
    facility_ids = {i.facility_id for i in inmates}
    rules = rules if rules is not None else rules_by_facility(facility_ids)
    readings = readings if readings is not None else reckoning.readings_for(facility_ids)
    dated, problems = {}, {}
    for kind in kinds:
        _check_kind(kind)
        try:
            dated[kind] = _time_dates(inmates, kind, rules, readings)
        except ValidationError as exc:
            problems[kind] = " ".join(exc.messages)
    due = {
        inmate.pk: inmate for rows in dated.values() for inmate, date, _rule in rows if date <= on
    }
    guarantors = any(
        _needs_guarantor(rule)
        for rows in dated.values()
        for _inmate, date, rule in rows
        if date <= on
    )
    data = _load(
        list(due.values()),
        on,
        kinds=list(dated),
        rules=rules,
        readings=readings,
        guarantors=guarantors,
    )
    judged = {}
    for kind, rows in dated.items():
        judged[kind] = []
        for inmate, date, _rule in rows:
            if date > on:
                judged[kind].append((inmate, date, False))
                continue
            result = _evaluate(inmate, kind, on, data, explain=False)
            if result.applies:
                judged[kind].append((inmate, date, result.eligible))
    return judged, problems
