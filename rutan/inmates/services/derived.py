"""The stored copies of the custody record: release, stage dates, register; and the rules
they follow (stage rules), recomputed on every custody write and when a rule changes."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from rutan.core.models import AuditAction
from rutan.core.roles import Perm
from rutan.core.scoping import is_national, require
from rutan.core.services import audit_record, model_snapshot
from rutan.facilities.models import Facility

from .. import reckoning
from ..choices import (
    AUTHORITY_REGISTER,
    TERM_SENTENCES,
    CoachingStage,
    LegalStatus,
)
from ..models import (
    Inmate,
    RegisterRule,
    StageRule,
    Verdict,
)
from .rulecache import cached

INMATE_FIELDS = [
    "registration_number",
    "name",
    "sex",
    "birth_date",
    "religion",
    "education_level",
    "case_category",
    "case_article",
    "admission_date",
    "block",
]
# The custody and sentence copies on Inmate that `_apply_derived` keeps.
DERIVED_FIELDS = [
    "register_type",
    "legal_status",
    "custody_start",
    "sentence_kind",
    "sentence_start",
    "sentence_years",
    "sentence_months",
    "sentence_days",
    "substitute_months",
    "substitute_days",
    "remission_days",
    "expected_release_date",
    "lanjutan_from",
    "asimilasi_from",
    "integrasi_from",
]
DETENTION_FIELDS = ["authority", "order", "kind", "warrant_number", "warrant_date", "start", "end"]


def stage_rules_for(facility: Facility) -> dict[str, tuple[int, int]]:
    """Return {stage: (numerator, denominator)}: the facility's rules over the national ones."""
    rules: dict[str, tuple[int, int]] = {}
    for rule in StageRule.objects.filter(facility__isnull=True):
        rules[rule.stage] = (rule.numerator, rule.denominator)
    for rule in StageRule.objects.filter(facility=facility):
        rules[rule.stage] = (rule.numerator, rule.denominator)
    missing = {CoachingStage.LANJUTAN, CoachingStage.ASIMILASI, CoachingStage.INTEGRASI} - set(
        rules
    )
    if missing:
        raise ValidationError(
            _("Ketentuan tahap pembinaan belum lengkap (%(stages)s); isi tabel ketentuan.")
            % {"stages": ", ".join(sorted(missing))}
        )
    return rules


def stage_dates(
    *,
    sentence_start: datetime.date,
    expected_release: datetime.date,
    rules: dict,
    full_term_end: datetime.date | None = None,
    reading: reckoning.Reading | None = None,
) -> dict[str, datetime.date]:
    """Return the first day of each stage: the first day on which the days served reach
    the stage's fraction of the term (see `reckoning.fraction_day` for the readings)."""
    reading = reading or reckoning.Reading()
    return {
        f"{stage}_from": reckoning.fraction_day(
            start=sentence_start,
            release=expected_release,
            full_end=full_term_end,
            numerator=numerator,
            denominator=denominator,
            reading=reading,
        )
        for stage, (numerator, denominator) in rules.items()
    }


@dataclass
class _Context:
    """Rules read once for many inmates (recomputations)."""

    credits: dict
    reading: reckoning.Reading
    stage_rules: dict


def rules_context(facility: Facility) -> _Context:
    """The rules the stored copies of `facility`'s inmates follow (read once inside
    `rules_cached()`)."""
    return cached(
        ("context", facility.pk),
        lambda: _Context(
            credits=reckoning.credits_table(),
            reading=reckoning.reading_for(facility),
            stage_rules=stage_rules_for(facility),
        ),
    )


def register_for_sentence(*, kind: str, years: int, months: int, days: int) -> str:
    """The register B of a sentence: the first `RegisterRule` whose limit the term fits."""
    rules = cached("register_rules", lambda: list(RegisterRule.objects.all()))
    if not rules:
        raise ValidationError(_("Ketentuan register narapidana belum diisi; isi tabel ketentuan."))
    if kind in TERM_SENTENCES:
        term_months = 12 * years + months + days / 30
        for rule in rules:
            if rule.up_to_months is not None and term_months <= rule.up_to_months:
                return rule.register_type
    unbounded = [r for r in rules if r.up_to_months is None]
    if not unbounded:
        raise ValidationError(_("Tidak ada register untuk pidana ini; lengkapi tabel ketentuan."))
    return unbounded[0].register_type


def verdict_of(inmate: Inmate) -> Verdict | None:
    if inmate.pk is None:
        return None
    try:
        return inmate.verdict
    except Verdict.DoesNotExist:
        return None


def reckon_inmate(inmate: Inmate, context: _Context | None = None) -> reckoning.Reckoning:
    """The custody and sentence arithmetic of one inmate, from its records."""
    context = context or rules_context(inmate.facility)
    verdict = verdict_of(inmate)
    return reckoning.reckon(
        periods=list(inmate.detention_periods.all()) if inmate.pk else [],
        verdict=verdict,
        grants=list(inmate.remisi_grants.all()) if verdict else [],
        credits=context.credits,
        reading=context.reading,
    )


def derived_values(
    *, periods, verdict, grants, context: _Context
) -> tuple[reckoning.Reckoning, dict]:
    """Return the reckoning of a custody record (without its steps in words) and the stored
    copies (DERIVED_FIELDS) it gives; no query. `periods`, `verdict` and `grants` are what
    `reckoning.reckon` reads.

    Without a verdict the inmate is a detainee in the register of the latest warrant's
    authority (left as it is when there is no warrant); with one, a sentenced inmate in the
    register of the sentence, with release and stage dates when the sentence is a term."""
    grants = grants if verdict is not None else []
    result = reckoning.reckon(
        periods=periods,
        verdict=verdict,
        grants=grants,
        credits=context.credits,
        reading=context.reading,
        explain=False,
    )
    values = {
        "custody_start": result.custody_start,
        "lanjutan_from": None,
        "asimilasi_from": None,
        "integrasi_from": None,
    }
    if verdict is None:
        values["legal_status"] = LegalStatus.TAHANAN
        if periods:
            latest = max(periods, key=lambda p: (p.start, p.pk or 0))
            values["register_type"] = AUTHORITY_REGISTER[latest.authority]
        values.update(
            sentence_kind="",
            sentence_start=None,
            expected_release_date=None,
            sentence_years=0,
            sentence_months=0,
            sentence_days=0,
            substitute_months=0,
            substitute_days=0,
            remission_days=0,
        )
        return result, values
    unpaid = not verdict.fine_paid
    values.update(
        legal_status=LegalStatus.NARAPIDANA,
        sentence_kind=verdict.sentence_kind,
        sentence_years=verdict.years,
        sentence_months=verdict.months,
        sentence_days=verdict.days,
        substitute_months=verdict.substitute_months if unpaid else 0,
        substitute_days=verdict.substitute_days if unpaid else 0,
        register_type=register_for_sentence(
            kind=verdict.sentence_kind,
            years=verdict.years,
            months=verdict.months,
            days=verdict.days,
        ),
        sentence_start=result.sentence_start,
        remission_days=result.remission_days,
        expected_release_date=result.expected_release,
    )
    if result.expected_release is not None:
        values.update(
            stage_dates(
                sentence_start=result.sentence_start,
                expected_release=result.expected_release,
                full_term_end=result.full_term_end,
                rules=context.stage_rules,
                reading=context.reading,
            )
        )
    return result, values


def _apply_derived(inmate: Inmate, context: _Context | None = None) -> reckoning.Reckoning:
    """Set the stored custody, sentence, release and stage copies from the records."""
    context = context or rules_context(inmate.facility)
    verdict = verdict_of(inmate)
    result, values = derived_values(
        periods=list(inmate.detention_periods.all()) if inmate.pk else [],
        verdict=verdict,
        grants=list(inmate.remisi_grants.all()) if verdict else [],
        context=context,
    )
    for name, value in values.items():
        setattr(inmate, name, value)
    return result


def _save_validated(inmate: Inmate) -> None:
    inmate.full_clean()
    try:
        with transaction.atomic():
            inmate.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"registration_number": _("Nomor registrasi ini sudah dipakai di UPT ini.")}
        ) from exc


def _recompute(inmate: Inmate) -> None:
    """Re-derive and save the stored copies after a custody, verdict or remisi write."""
    _apply_derived(inmate)
    # Only the derived fields changed: the facility, the block and the registration number
    # were validated when they were written.
    inmate.full_clean(exclude=["facility", "block"], validate_unique=False)
    inmate.save(update_fields=[*DERIVED_FIELDS, "updated_at"])


@transaction.atomic
def stage_rule_set(
    *,
    facility: Facility | None,
    stage: str,
    numerator: int,
    denominator: int,
    legal_basis: str = "",
    by,
) -> StageRule:
    """Set the fraction at which `stage` begins (nationally when facility is None); the stored
    stage dates of every inmate it affects are recomputed by a Celery task after commit."""
    if facility is None:
        if not is_national(by):
            raise ValidationError(_("Anda tidak berwenang mengubah ketentuan nasional."))
    else:
        require(by, Perm.STAGE_RULES_MANAGE, facility)
    rule, _created = StageRule.objects.get_or_create(
        facility=facility,
        stage=stage,
        defaults={"numerator": numerator, "denominator": denominator, "created_by": by},
    )
    before = model_snapshot(rule)
    rule.numerator, rule.denominator, rule.legal_basis = numerator, denominator, legal_basis
    rule.updated_by = by
    rule.full_clean()
    rule.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=rule,
        before=before,
        after=model_snapshot(rule),
        facility_id=facility.pk if facility else None,
    )
    # Recomputing every affected inmate can be long (nationally); it runs in Celery once the
    # rule is committed.
    from rutan.core.outbox import enqueue

    from ..tasks import recompute_stages

    enqueue(recompute_stages, facility.pk if facility else None)
    return rule


def inmates_recompute_stages(*, facility: Facility | None = None) -> int:
    """Recompute stored release and stage dates (one facility, or all when None)."""
    facilities = [facility] if facility else list(Facility.objects.all())
    count = 0
    for fac in facilities:
        context = rules_context(fac)
        batch = []
        inmates = (
            Inmate.objects.filter(facility=fac)
            .select_related("verdict")
            .prefetch_related("detention_periods", "remisi_grants")
        )
        for inmate in inmates:
            _apply_derived(inmate, context)
            batch.append(inmate)
        Inmate.objects.bulk_update(batch, DERIVED_FIELDS, batch_size=500)
        count += len(batch)
    return count
