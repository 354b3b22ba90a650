"""Every write of assessments, SPPN scores, counselling, surveys and eligibility rules.

Each service checks the role at the inmate's (or survey's) facility, validates, runs atomically
and writes an audit entry. Confidential text is encrypted before it reaches the database, and
the audit snapshots never hold it.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rutan.core.concurrency import row_version
from rutan.core.models import AuditAction, LiteracyLevel
from rutan.core.roles import Perm
from rutan.core.scoping import is_national, require, user_can
from rutan.core.services import audit_record, model_snapshot
from rutan.facilities.models import Facility
from rutan.facilities.services import followup_create
from rutan.inmates.choices import InmateStatus
from rutan.inmates.models import Inmate

from . import crypto
from .access import can_read_confidential
from .choices import AssessmentStatus, EligibilityKind
from .models import (
    BehaviourScore,
    CounsellingSession,
    EligibilityCondition,
    EligibilityRule,
    EligibilitySpecialCategory,
    FacilitySurvey,
    InterestAssessment,
    LiteracyAssessment,
    PsychologicalAssessment,
    RightProposal,
    RightProposalStep,
    RightStep,
    SurveyFinding,
)

_SECRET_FIELDS = {"scores_encrypted", "findings_encrypted", "notes_encrypted"}

PSYCH_FIELDS = ["assessed_on", "instrument", "recommendation"]
LITERACY_FIELDS = [
    "assessed_on",
    "instrument",
    "script",
    "level",
    "reading_score",
    "writing_score",
    "numeracy_score",
    "recommendation",
]
INTEREST_FIELDS = ["assessed_on", "instrument", "areas", "notes", "recommendation"]
SPPN_ASPECTS = list(BehaviourScore.ASPECTS)


def _snapshot(instance) -> dict:
    names = [
        f.attname
        for f in instance._meta.concrete_fields
        if f.name not in {"created_at", "updated_at"} | _SECRET_FIELDS
    ]
    return model_snapshot(instance, names)


def _check_inmate(inmate: Inmate, on: datetime.date | None, field: str = "assessed_on") -> None:
    if inmate.status != InmateStatus.ACTIVE:
        raise ValidationError(_("WBP ini tidak lagi aktif; asesmen baru tidak dapat dicatat."))
    if on is None:
        return
    if on > inmate.facility.today():
        raise ValidationError({field: _("Tanggal tidak boleh di masa depan.")})
    if on < inmate.admission_date:
        raise ValidationError(
            {
                field: _("Tanggal tidak boleh sebelum WBP masuk (%(date)s).")
                % {"date": inmate.admission_date.strftime("%d-%m-%Y")}
            }
        )


def _save(instance, by, *, before: dict | None = None) -> None:
    instance.updated_by = by
    if instance.pk is None:
        instance.created_by = by
    instance.full_clean()
    instance.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE if before is not None else AuditAction.CREATE,
        instance=instance,
        before=before,
        after=_snapshot(instance),
        facility_id=instance.inmate.facility_id if hasattr(instance, "inmate") else None,
    )


def _finalise(instance, by) -> None:
    before = _snapshot(instance)
    instance.status = AssessmentStatus.FINAL
    instance.finalised_at = timezone.now()
    instance.finalised_by = by
    _save(instance, by, before=before)


def _require_draft(instance) -> None:
    if instance.status != AssessmentStatus.DRAFT:
        raise ValidationError(_("Asesmen yang sudah final tidak dapat diubah."))


# Psychological assessments ---------------------------------------------------------------


def _psych_role(by, facility) -> bool:
    """True for a psychologist-level user; False for a drafter (intern); else refuse."""
    if user_can(by, Perm.PSYCH_MANAGE, facility):
        return True
    if user_can(by, Perm.PSYCH_DRAFT, facility):
        return False
    raise ValidationError(
        _("Anda tidak berwenang melakukan ini di %(facility)s.") % {"facility": facility}
    )


def _clean_scores(scores) -> dict:
    """Scale names and numbers ({"stres": 14}); whole numbers are kept as integers."""
    if scores is None:
        return {}
    if not isinstance(scores, dict) or not all(
        isinstance(k, str) and k.strip() and isinstance(v, int | float) and not isinstance(v, bool)
        for k, v in scores.items()
    ):
        raise ValidationError({"scores": _("Skor harus berupa pasangan nama skala dan angka.")})
    return {
        k.strip(): int(v) if isinstance(v, float) and v.is_integer() else v
        for k, v in scores.items()
    }


@transaction.atomic
def psych_create(
    *,
    inmate: Inmate,
    by,
    assessed_on: datetime.date,
    instrument: str = "",
    scores: dict | None = None,
    findings: str = "",
    notes: str = "",
    recommendation: str = "",
    finalise: bool = False,
) -> PsychologicalAssessment:
    """Record a psychological assessment. Scores, findings and notes are stored encrypted.

    A psychologist may finalise at once; an intern's assessment stays draft until a
    psychologist signs it off (`psych_finalise`).
    """
    is_psychologist = _psych_role(by, inmate.facility)
    if finalise and not is_psychologist:
        raise ValidationError(
            _("Asesmen oleh peserta magang tetap draf sampai ditandatangani psikolog.")
        )
    _check_inmate(inmate, assessed_on)
    assessment = PsychologicalAssessment(
        inmate=inmate,
        facility=inmate.facility,
        assessor=by,
        assessed_on=assessed_on,
        instrument=instrument,
        recommendation=recommendation,
        scores_encrypted=crypto.encrypt_json(_clean_scores(scores)),
        findings_encrypted=crypto.encrypt(findings),
        notes_encrypted=crypto.encrypt(notes),
        by_intern=not is_psychologist,
    )
    _save(assessment, by)
    if finalise:
        _finalise(assessment, by)
    return assessment


@transaction.atomic
def psych_update(
    *, assessment: PsychologicalAssessment, by, scores=None, findings=None, notes=None, **data
) -> PsychologicalAssessment:
    """Change a draft psychological assessment (its author, or a psychologist)."""
    assessment = PsychologicalAssessment.objects.select_for_update().get(pk=assessment.pk)
    is_psychologist = _psych_role(by, assessment.inmate.facility)
    if not is_psychologist and assessment.assessor_id != by.pk:
        raise ValidationError(_("Hanya penulis draf atau psikolog yang dapat mengubahnya."))
    _require_draft(assessment)
    _check_inmate(assessment.inmate, data.get("assessed_on"))
    before = _snapshot(assessment)
    for field in PSYCH_FIELDS:
        if field in data:
            setattr(assessment, field, data[field])
    if scores is not None:
        assessment.scores_encrypted = crypto.encrypt_json(_clean_scores(scores))
    if findings is not None:
        assessment.findings_encrypted = crypto.encrypt(findings)
    if notes is not None:
        assessment.notes_encrypted = crypto.encrypt(notes)
    _save(assessment, by, before=before)
    return assessment


@transaction.atomic
def psych_finalise(*, assessment: PsychologicalAssessment, by) -> PsychologicalAssessment:
    """Sign off a psychological assessment: psychologist or facility head of that facility."""
    assessment = PsychologicalAssessment.objects.select_for_update().get(pk=assessment.pk)
    if not user_can(by, Perm.PSYCH_MANAGE, assessment.inmate.facility):
        raise ValidationError(_("Hanya psikolog yang dapat menandatangani asesmen ini."))
    _require_draft(assessment)
    _finalise(assessment, by)
    return assessment


def psych_confidential_read(*, assessment: PsychologicalAssessment, by, via: str) -> dict:
    """Return the decrypted scores, findings and notes, and audit the read.

    Only a psychologist or the head of the inmate's facility (or the intern reading back their
    own draft) may; anyone else gets PermissionDenied and sees no score, not even a level."""
    if not can_read_confidential(by, assessment):
        raise PermissionDenied
    audit_record(
        actor=by,
        action=AuditAction.READ,
        instance=assessment,
        facility_id=assessment.inmate.facility_id,
        # Marked, so the log tells a read of the confidential parts from one of the record.
        after={"confidential": True},
        via=via,
    )
    return {
        "scores": crypto.decrypt_json(assessment.scores_encrypted, {}),
        "findings": crypto.decrypt(assessment.findings_encrypted),
        "notes": crypto.decrypt(assessment.notes_encrypted),
    }


# Literacy and interest ---------------------------------------------------------------------


def _create_simple(model, fields, *, inmate, by, finalise, data):
    require(by, Perm.ASSESSMENT_MANAGE, inmate.facility)
    _check_inmate(inmate, data.get("assessed_on"))
    instance = model(inmate=inmate, facility=inmate.facility, assessor=by)
    for field in fields:
        if field in data:
            setattr(instance, field, data[field])
    _save(instance, by)
    if finalise:
        _finalise(instance, by)
    return instance


def _update_simple(model, fields, *, instance, by, data):
    instance = model.objects.select_for_update().get(pk=instance.pk)
    require(by, Perm.ASSESSMENT_MANAGE, instance.inmate.facility)
    _require_draft(instance)
    _check_inmate(instance.inmate, data.get("assessed_on"))
    before = _snapshot(instance)
    for field in fields:
        if field in data:
            setattr(instance, field, data[field])
    _save(instance, by, before=before)
    return instance


def _literacy_data(data: dict) -> dict:
    if "level" not in data:
        return data
    level = LiteracyLevel.objects.resolve(data["level"])
    if level is None:
        raise ValidationError({"level": _("Tingkat literasi tidak dikenal.")})
    return {**data, "level": level}


@transaction.atomic
def literacy_create(*, inmate: Inmate, by, finalise: bool = False, **data) -> LiteracyAssessment:
    """Record a literacy assessment (script, level, reading / writing / numeracy 0–100).

    `level` is a LiteracyLevel or its code and must belong to the track of `script` (a Latin
    level for a Latin assessment, a Qur'an level for an Al-Qur'an one); otherwise nothing is
    written and the error names the level and the script.
    """
    return _create_simple(
        LiteracyAssessment,
        LITERACY_FIELDS,
        inmate=inmate,
        by=by,
        finalise=finalise,
        data=_literacy_data(data),
    )


@transaction.atomic
def literacy_update(*, assessment: LiteracyAssessment, by, **data) -> LiteracyAssessment:
    """Change a draft literacy assessment; the level must stay in the script's track."""
    return _update_simple(
        LiteracyAssessment, LITERACY_FIELDS, instance=assessment, by=by, data=_literacy_data(data)
    )


@transaction.atomic
def interest_create(*, inmate: Inmate, by, finalise: bool = False, **data) -> InterestAssessment:
    """Record an interest assessment: programme areas ranked, strongest first."""
    return _create_simple(
        InterestAssessment, INTEREST_FIELDS, inmate=inmate, by=by, finalise=finalise, data=data
    )


@transaction.atomic
def interest_update(*, assessment: InterestAssessment, by, **data) -> InterestAssessment:
    return _update_simple(
        InterestAssessment, INTEREST_FIELDS, instance=assessment, by=by, data=data
    )


@transaction.atomic
def assessment_finalise(*, assessment, by):
    """Make a literacy or interest assessment final (it then feeds recommendations)."""
    model = type(assessment)
    assessment = model.objects.select_for_update().get(pk=assessment.pk)
    require(by, Perm.ASSESSMENT_MANAGE, assessment.inmate.facility)
    _require_draft(assessment)
    _finalise(assessment, by)
    return assessment


# SPPN --------------------------------------------------------------------------------------


def month_start(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def _check_month(month: datetime.date, facility: Facility) -> datetime.date:
    month = month_start(month)
    if month > month_start(facility.today()):
        raise ValidationError({"month": _("Bulan penilaian tidak boleh di masa depan.")})
    return month


@transaction.atomic
def behaviour_score_create(
    *, inmate: Inmate, month: datetime.date, by, note: str = "", **scores
) -> BehaviourScore:
    """Record one inmate's SPPN score for a month (one per inmate per month)."""
    require(by, Perm.ASSESSMENT_MANAGE, inmate.facility)
    _check_inmate(inmate, None)
    month = _check_month(month, inmate.facility)
    if BehaviourScore.objects.filter(inmate=inmate, month=month).exists():
        raise ValidationError({"month": _("WBP ini sudah memiliki nilai SPPN untuk bulan itu.")})
    score = _new_score(inmate, month, by, note, scores)
    try:
        with transaction.atomic():
            _save(score, by)
    except IntegrityError as exc:
        raise ValidationError(
            {"month": _("WBP ini sudah memiliki nilai SPPN untuk bulan itu.")}
        ) from exc
    return score


def _new_score(inmate, month, by, note, scores) -> BehaviourScore:
    return BehaviourScore(
        inmate=inmate,
        facility=inmate.facility,
        assessor=by,
        assessed_on=inmate.facility.today(),
        instrument="SPPN",
        month=month,
        note=note,
        status=AssessmentStatus.FINAL,
        finalised_by=by,
        finalised_at=timezone.now(),
        **{a: scores.get(a) for a in SPPN_ASPECTS},
    )


@transaction.atomic
def behaviour_scores_save(
    *, facility: Facility, month: datetime.date, rows: list[dict], by
) -> tuple[int, int]:
    """Save a block's SPPN scores for one month in one go: new rows are created, existing
    ones changed. A row is {"inmate": Inmate, aspect: int, ..., "note": str}; a row whose
    four aspects are all empty is skipped. A row may carry the "version" of the score the
    page showed ("" for none): a score saved since by someone else refuses the row with
    the code "stale". Any invalid row: nothing is saved, and the ValidationError maps
    "<inmate id>" to its messages. Returns (created, changed)."""
    require(by, Perm.ASSESSMENT_MANAGE, facility)
    month = _check_month(month, facility)
    inmate_ids = [row["inmate"].pk for row in rows]
    existing = {
        s.inmate_id: s
        for s in BehaviourScore.objects.select_for_update().filter(
            inmate_id__in=inmate_ids, month=month
        )
    }
    errors: dict[str, list] = {}
    created = changed = 0
    for row in rows:
        inmate = row["inmate"]
        values = {a: row.get(a) for a in SPPN_ASPECTS}
        if all(v in (None, "") for v in values.values()):
            continue
        if inmate.facility_id != facility.pk or inmate.status != InmateStatus.ACTIVE:
            errors[str(inmate.pk)] = [_("WBP ini tidak aktif di UPT ini.")]
            continue
        if any(v in (None, "") for v in values.values()):
            errors[str(inmate.pk)] = [_("Isi keempat nilai atau kosongkan semuanya.")]
            continue
        score = existing.get(inmate.pk)
        if "version" in row and row["version"] != row_version(score):
            stale = _(
                "Nilai ini sudah diubah orang lain sejak Anda membuka halaman; "
                "berikut nilainya sekarang."
            )
            errors[str(inmate.pk)] = [ValidationError(stale, code="stale")]
            continue
        try:
            if score is None:
                _save(_new_score(inmate, month, by, row.get("note", ""), values), by)
                created += 1
            else:
                before = _snapshot(score)
                for aspect, value in values.items():
                    setattr(score, aspect, value)
                score.note = row.get("note", score.note)
                if _snapshot(score) != before:
                    _save(score, by, before=before)
                    changed += 1
        except ValidationError as exc:
            errors[str(inmate.pk)] = exc.messages
    if errors:
        raise ValidationError(errors)
    return created, changed


# Counselling -------------------------------------------------------------------------------


@transaction.atomic
def counselling_create(
    *,
    inmate: Inmate,
    by,
    held_on: datetime.date,
    topic: str,
    notes: str = "",
    follow_up_on: datetime.date | None = None,
) -> CounsellingSession:
    """Record a counselling session; its notes are stored encrypted."""
    require(by, Perm.PSYCH_MANAGE, inmate.facility)
    _check_inmate(inmate, held_on, field="held_on")
    session = CounsellingSession(
        inmate=inmate,
        facility=inmate.facility,
        counsellor=by,
        held_on=held_on,
        topic=topic,
        notes_encrypted=crypto.encrypt(notes),
        follow_up_on=follow_up_on,
    )
    _save(session, by)
    return session


def counselling_notes_read(*, session: CounsellingSession, by, via: str) -> str:
    """Return the decrypted notes of a session and audit the read. Others: PermissionDenied."""
    if not can_read_confidential(by, session):
        raise PermissionDenied
    audit_record(
        actor=by,
        action=AuditAction.READ,
        instance=session,
        facility_id=session.inmate.facility_id,
        via=via,
    )
    return crypto.decrypt(session.notes_encrypted)


# Facility surveys --------------------------------------------------------------------------


@transaction.atomic
def survey_create(*, facility: Facility, by, **data) -> FacilitySurvey:
    """Record a facility survey (kitchen nutrition, electrical check, …) as a draft."""
    require(by, Perm.SURVEY_MANAGE, facility)
    surveyed_on = data.get("surveyed_on")
    if surveyed_on and surveyed_on > facility.today():
        raise ValidationError({"surveyed_on": _("Tanggal tidak boleh di masa depan.")})
    survey = FacilitySurvey(facility=facility, lead=data.pop("lead", None) or by)
    for field in (
        "kind",
        "title",
        "surveyed_on",
        "participants",
        "place",
        "instrument",
        "summary",
        "recommendation",
    ):
        if field in data:
            setattr(survey, field, data[field])
    survey.created_by = survey.updated_by = by
    survey.full_clean()
    survey.save()
    audit_record(actor=by, action=AuditAction.CREATE, instance=survey, after=_snapshot(survey))
    return survey


@transaction.atomic
def survey_finding_add(
    *,
    survey: FacilitySurvey,
    by,
    title: str,
    description: str = "",
    place: str = "",
    severity: str = "sedang",
    owner=None,
    due_on: datetime.date | None = None,
) -> SurveyFinding:
    """Add a finding to a survey and open the facility follow-up item that tracks it."""
    require(by, Perm.SURVEY_MANAGE, survey.facility)
    if due_on and due_on < survey.surveyed_on:
        raise ValidationError({"due_on": _("Tenggat tidak boleh sebelum tanggal survei.")})
    finding = SurveyFinding(
        survey=survey,
        title=title,
        description=description,
        place=place or survey.place,
        severity=severity,
        created_by=by,
        updated_by=by,
    )
    finding.full_clean()
    finding.save()
    finding.follow_up = followup_create(
        facility=survey.facility,
        title=title,
        by=by,
        description=description,
        source="survey",
        source_obj=finding,
        place=finding.place,
        owner=owner,
        due_on=due_on,
        found_on=survey.surveyed_on,
    )
    finding.save(update_fields=["follow_up", "updated_at"])
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        instance=finding,
        after=_snapshot(finding),
        facility_id=survey.facility_id,
    )
    return finding


@transaction.atomic
def survey_finalise(*, survey: FacilitySurvey, by) -> FacilitySurvey:
    require(by, Perm.SURVEY_MANAGE, survey.facility)
    survey = FacilitySurvey.objects.select_for_update().get(pk=survey.pk)
    if survey.status == AssessmentStatus.FINAL:
        raise ValidationError(_("Survei ini sudah final."))
    before = _snapshot(survey)
    survey.status = AssessmentStatus.FINAL
    survey.updated_by = by
    survey.save(update_fields=["status", "updated_by", "updated_at"])
    audit_record(
        actor=by, action=AuditAction.UPDATE, instance=survey, before=before, after=_snapshot(survey)
    )
    return survey


# Eligibility rules and proposals ---------------------------------------------------------

RULE_FIELDS = ["instead_kind", "legal_basis"]
BASIS_FIELDS = ["regulation", "article", "paragraph", "letter", "basis_note"]
# For each part of a rule: the fields that name it within the rule, and those that are set.
RULE_PARTS = {
    EligibilityCondition: (
        ("code", "variant"),
        [
            "numerator",
            "denominator",
            "months",
            "window_anchor",
            "min_average",
            "guarantor_kinds",
            *BASIS_FIELDS,
        ],
    ),
    EligibilitySpecialCategory: (("case_category",), ["min_sentence_months", *BASIS_FIELDS]),
    RightStep: (("code",), ["position", "label", "variant", "case_categories", *BASIS_FIELDS]),
}
_PART_ARGUMENTS = {
    "conditions": EligibilityCondition,
    "special_categories": EligibilitySpecialCategory,
    "steps": RightStep,
}


def _require_rule_manager(by, facility: Facility | None) -> None:
    if facility is None:
        if not is_national(by):
            raise ValidationError(_("Anda tidak berwenang mengubah ketentuan nasional."))
    else:
        require(by, Perm.STAGE_RULES_MANAGE, facility)


def rule_snapshot(rule: EligibilityRule) -> dict:
    """The rule with its conditions, categories and steps, for the audit log."""
    data = model_snapshot(rule)
    for name, model in _PART_ARGUMENTS.items():
        key, fields = RULE_PARTS[model]
        data[name] = [
            {f: model_snapshot(part)[f] for f in (*key, *fields)}
            for part in model.objects.filter(rule=rule).order_by("id")
        ]
    return data


def _part_upsert(rule: EligibilityRule, model, values: dict, by) -> object:
    key, fields = RULE_PARTS[model]
    unknown = set(values) - set(key) - set(fields)
    if unknown:
        raise ValidationError(
            _("Isian tidak dikenal: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    missing = [k for k in key if k not in values and k != "variant"]
    if missing:
        raise ValidationError(_("Isian wajib: %(fields)s.") % {"fields": ", ".join(missing)})
    lookup = {k: values[k] for k in key if k in values}
    part = model.objects.filter(rule=rule, **lookup).first() or model(
        rule=rule, created_by=by, **lookup
    )
    for name in fields:
        if name in values:
            setattr(part, name, values[name])
    part.updated_by = by
    part.full_clean()
    part.save()
    return part


@transaction.atomic
def eligibility_rule_set(
    *,
    facility: Facility | None,
    kind: str,
    by,
    conditions: list[dict] | None = None,
    special_categories: list[dict] | None = None,
    steps: list[dict] | None = None,
    **data,
) -> EligibilityRule:
    """Set one right's rule nationally (directorate) or for one facility (its head).

    A new facility rule starts as a copy of the national one with its conditions, special
    categories and steps. Each entry of `conditions` (keyed by code and variant),
    `special_categories` (by case category) and `steps` (by code) updates that part or adds
    it; `data` sets `instead_kind` and `legal_basis`."""
    _require_rule_manager(by, facility)
    if kind not in EligibilityKind.values:
        raise ValidationError({"kind": _("Jenis hak tidak dikenal.")})
    unknown = set(data) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError(
            _("Isian tidak dikenal: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    rule = EligibilityRule.objects.select_for_update().filter(facility=facility, kind=kind).first()
    before = rule_snapshot(rule) if rule else None
    national = None
    if rule is None:
        rule = EligibilityRule(facility=facility, kind=kind, created_by=by)
        if facility is not None:
            national = EligibilityRule.objects.filter(facility__isnull=True, kind=kind).first()
        for name in RULE_FIELDS:
            if national is not None:
                setattr(rule, name, getattr(national, name))
    for name in RULE_FIELDS:
        if name in data:
            setattr(rule, name, data[name])
    rule.updated_by = by
    rule.full_clean()
    rule.save()
    if national is not None:
        for model, (key, fields) in RULE_PARTS.items():
            for part in model.objects.filter(rule=national):
                values = {name: getattr(part, name) for name in (*key, *fields)}
                model.objects.create(rule=rule, created_by=by, updated_by=by, **values)
    for name, entries in (
        ("conditions", conditions),
        ("special_categories", special_categories),
        ("steps", steps),
    ):
        for values in entries or []:
            _part_upsert(rule, _PART_ARGUMENTS[name], dict(values), by)
    audit_record(
        actor=by,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        instance=rule,
        before=before,
        after=rule_snapshot(rule),
        facility_id=facility.pk if facility else None,
    )
    return rule


@transaction.atomic
def eligibility_rule_part_save(*, instance, by):
    """Save one condition, special category or step of a rule (the admin's inline rows); a new
    row whose key already exists in the rule updates that row."""
    rule = instance.rule
    _require_rule_manager(by, rule.facility)
    key, fields = RULE_PARTS[type(instance)]
    before = rule_snapshot(rule)
    values = {name: getattr(instance, name) for name in (*key, *fields)}
    if instance.pk is not None:
        values = {name: values[name] for name in fields}
        for name, value in values.items():
            setattr(instance, name, value)
        instance.updated_by = by
        instance.full_clean()
        instance.save()
        part = instance
    else:
        part = _part_upsert(rule, type(instance), values, by)
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=rule,
        before=before,
        after=rule_snapshot(rule),
        facility_id=rule.facility_id,
    )
    return part


@transaction.atomic
def eligibility_rule_part_delete(*, instance, by) -> None:
    """Remove one condition, special category or step from a rule (audited on the rule)."""
    rule = instance.rule
    _require_rule_manager(by, rule.facility)
    before = rule_snapshot(rule)
    instance.delete()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=rule,
        before=before,
        after=rule_snapshot(rule),
        facility_id=rule.facility_id,
    )


@transaction.atomic
def right_step_done(
    *,
    inmate: Inmate,
    kind: str,
    step: str,
    done_on: datetime.date,
    by,
    reference: str = "",
    note: str = "",
) -> RightProposalStep:
    """Record that one step of proposing `kind` for `inmate` is done (Litmas received, sidang
    TPP held, usulan sent, SK issued…).

    The step must be one of the right's steps for this inmate; its date may not be in the
    future. The inmate's open proposal for the right is opened on first use; recording a
    step again corrects it. When every step is done the proposal is closed (a right such as
    CMK may then be proposed again). Audited."""
    from . import eligibility

    require(by, Perm.ASSESSMENT_MANAGE, inmate.facility)
    inmate = Inmate.objects.select_for_update().select_related("facility").get(pk=inmate.pk)
    if inmate.status != InmateStatus.ACTIVE:
        raise ValidationError(_("WBP ini tidak lagi aktif di UPT ini."))
    if not inmate.has_sentence:
        raise ValidationError(_("Usulan hak hanya untuk narapidana dengan masa pidana."))
    rule = eligibility.rule_for(facility=inmate.facility, kind=kind)
    definitions = eligibility.step_definitions(rule, inmate, eligibility.is_special(inmate, rule))
    definition = next((d for d in definitions if d.code == step), None)
    if definition is None:
        raise ValidationError({"step": _("Langkah ini tidak ada pada usulan hak tersebut.")})
    if done_on is None:
        raise ValidationError({"done_on": _("Isi tanggal selesai.")})
    if done_on > inmate.facility.today():
        raise ValidationError({"done_on": _("Tanggal selesai tidak boleh di masa depan.")})
    proposal = (
        RightProposal.objects.select_for_update()
        .filter(inmate=inmate, kind=kind, closed_on__isnull=True)
        .first()
    )
    if proposal is None:
        proposal = RightProposal(
            inmate=inmate, kind=kind, opened_on=done_on, created_by=by, updated_by=by
        )
        proposal.full_clean()
        proposal.save()
        audit_record(
            actor=by, action=AuditAction.CREATE, instance=proposal, after=model_snapshot(proposal)
        )
    elif done_on < proposal.opened_on:
        before = model_snapshot(proposal)
        proposal.opened_on = done_on
        proposal.updated_by = by
        proposal.save(update_fields=["opened_on", "updated_by", "updated_at"])
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            instance=proposal,
            before=before,
            after=model_snapshot(proposal),
        )
    record = RightProposalStep.objects.filter(proposal=proposal, code=step).first()
    before = model_snapshot(record) if record else None
    record = record or RightProposalStep(proposal=proposal, code=step, created_by=by)
    record.label = definition.label
    record.done_on = done_on
    record.reference = (reference or "").strip()
    record.note = (note or "").strip()
    record.done_by = by
    record.updated_by = by
    record.full_clean()
    record.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        instance=record,
        before=before,
        after=model_snapshot(record),
        facility_id=inmate.facility_id,
    )
    done = set(proposal.steps.values_list("code", flat=True))
    if all(d.code in done for d in definitions):
        before = model_snapshot(proposal)
        proposal.closed_on = max(proposal.steps.values_list("done_on", flat=True))
        proposal.updated_by = by
        proposal.full_clean()
        proposal.save(update_fields=["closed_on", "updated_by", "updated_at"])
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            instance=proposal,
            before=before,
            after=model_snapshot(proposal),
        )
    return record


def assessment_rows_anonymise(*, inmate):
    """Receiver's work for `inmate_anonymising`: confidential findings and notes (psychological,
    counselling) are erased; recommendations, notes and counselling topics become the mark.
    Instruments, dates, levels and scores stay, so assessments are still counted."""
    from rutan.inmates.services import Anonymised, redact_text

    rows = {}
    for model in (PsychologicalAssessment, LiteracyAssessment, InterestAssessment, BehaviourScore):
        rows[model._meta.label_lower] = redact_text(
            model.objects.filter(inmate=inmate),
            *(f for f in ("recommendation", "notes", "note") if _has_field(model, f)),
        )
    PsychologicalAssessment.objects.filter(inmate=inmate).update(
        findings_encrypted="", notes_encrypted=""
    )
    counselling = CounsellingSession.objects.filter(inmate=inmate)
    rows["assessments.counsellingsession"] = redact_text(counselling, "topic")
    counselling.update(notes_encrypted="")
    return Anonymised(rows=rows, keys={"recommendation", "notes", "note", "topic"})


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)
