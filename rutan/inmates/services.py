"""Every write to the inmate register: validated, atomic and audited."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from rutan.core.models import AuditAction
from rutan.core.roles import Perm
from rutan.core.scoping import is_national, require
from rutan.core.services import audit_record, model_snapshot
from rutan.facilities.models import Block, Facility

from . import reckoning
from .choices import (
    AUTHORITY_REGISTER,
    TERM_SENTENCES,
    CoachingStage,
    DetentionOrder,
    DisciplinaryStatus,
    InmateStatus,
    LegalStatus,
    PlacementEnd,
    PlacementStart,
    ReleaseKind,
)
from .models import (
    CustodyAlertDigest,
    DetentionPeriod,
    DisciplinaryEntry,
    Inmate,
    Placement,
    RegisterRule,
    RemisiGrant,
    StageRule,
    Verdict,
    WarrantLimit,
)
from .signals import inmate_left_facility

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


def _context(facility: Facility) -> _Context:
    return _Context(
        credits=reckoning.credits_table(),
        reading=reckoning.reading_for(facility),
        stage_rules=stage_rules_for(facility),
    )


def register_for_sentence(*, kind: str, years: int, months: int, days: int) -> str:
    """The register B of a sentence: the first `RegisterRule` whose limit the term fits."""
    rules = list(RegisterRule.objects.all())
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
    context = context or _context(inmate.facility)
    verdict = verdict_of(inmate)
    return reckoning.reckon(
        periods=list(inmate.detention_periods.all()) if inmate.pk else [],
        verdict=verdict,
        grants=list(inmate.remisi_grants.all()) if verdict else [],
        credits=context.credits,
        reading=context.reading,
    )


def _apply_derived(inmate: Inmate, context: _Context | None = None) -> reckoning.Reckoning:
    """Set the stored custody, sentence, release and stage copies from the records."""
    context = context or _context(inmate.facility)
    result = reckon_inmate(inmate, context)
    verdict = verdict_of(inmate)
    inmate.custody_start = result.custody_start
    inmate.lanjutan_from = inmate.asimilasi_from = inmate.integrasi_from = None
    if verdict is None:
        inmate.legal_status = LegalStatus.TAHANAN
        periods = sorted(inmate.detention_periods.all(), key=lambda p: (p.start, p.pk))
        if periods:
            inmate.register_type = AUTHORITY_REGISTER[periods[-1].authority]
        inmate.sentence_kind = ""
        inmate.sentence_start = inmate.expected_release_date = None
        inmate.sentence_years = inmate.sentence_months = inmate.sentence_days = 0
        inmate.substitute_months = inmate.substitute_days = inmate.remission_days = 0
        return result
    inmate.legal_status = LegalStatus.NARAPIDANA
    inmate.sentence_kind = verdict.sentence_kind
    inmate.sentence_years = verdict.years
    inmate.sentence_months = verdict.months
    inmate.sentence_days = verdict.days
    unpaid = not verdict.fine_paid
    inmate.substitute_months = verdict.substitute_months if unpaid else 0
    inmate.substitute_days = verdict.substitute_days if unpaid else 0
    inmate.register_type = register_for_sentence(
        kind=verdict.sentence_kind, years=verdict.years, months=verdict.months, days=verdict.days
    )
    inmate.sentence_start = result.sentence_start
    inmate.remission_days = result.remission_days
    inmate.expected_release_date = result.expected_release
    if result.expected_release is not None:
        for name, value in stage_dates(
            sentence_start=result.sentence_start,
            expected_release=result.expected_release,
            full_term_end=result.full_term_end,
            rules=context.stage_rules,
            reading=context.reading,
        ).items():
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
    inmate.full_clean()
    inmate.save(update_fields=[*DERIVED_FIELDS, "updated_at"])


@transaction.atomic
def inmate_create(*, facility: Facility, by, detention: dict | None = None, **data) -> Inmate:
    """Register a detainee at `facility` with the first warrant that holds them, and open
    their first placement (admission). The verdict and remisi are recorded afterwards as
    their own events (`verdict_record`, `remisi_grant_create`)."""
    require(by, Perm.INMATE_MANAGE, facility)
    inmate = Inmate(facility=facility, created_by=by, updated_by=by)
    for field in INMATE_FIELDS:
        if field in data:
            setattr(inmate, field, data[field])
    if not detention:
        raise ValidationError(
            {"warrant_number": _("Catat surat penahanan pertama: masa pidana dihitung darinya.")}
        )
    inmate.legal_status = LegalStatus.TAHANAN
    inmate.register_type = AUTHORITY_REGISTER.get(detention.get("authority"), "")
    inmate.full_clean()
    _save_validated(inmate)
    Placement.objects.create(
        inmate=inmate,
        facility=facility,
        block=inmate.block,
        start_date=inmate.admission_date,
        start_reason=PlacementStart.ADMISSION,
        created_by=by,
    )
    _detention_add(inmate, by=by, **{k: v for k, v in detention.items() if v is not None})
    _recompute(inmate)
    audit_record(actor=by, action=AuditAction.CREATE, instance=inmate, after=model_snapshot(inmate))
    return inmate


@transaction.atomic
def inmate_update(*, inmate: Inmate, by, **data) -> Inmate:
    """Change an inmate's register data. A change of block goes through `inmate_move_block`."""
    require(by, Perm.INMATE_MANAGE, inmate.facility)
    inmate = Inmate.objects.select_for_update().get(pk=inmate.pk)
    if inmate.status != InmateStatus.ACTIVE:
        raise ValidationError(_("Data WBP yang sudah bebas atau dipindahkan tidak dapat diubah."))
    before = model_snapshot(inmate)
    new_block = data.pop("block", inmate.block)
    for field in INMATE_FIELDS:
        if field in data:
            setattr(inmate, field, data[field])
    inmate.updated_by = by
    inmate.full_clean()
    _save_validated(inmate)
    if new_block != inmate.block:
        inmate_move_block(inmate=inmate, block=new_block, on=inmate.facility.today(), by=by)
        inmate.refresh_from_db()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=inmate,
        before=before,
        after=model_snapshot(inmate),
    )
    return inmate


def _close_open_placement(inmate: Inmate, *, on: datetime.date, reason: str) -> Placement:
    current = Placement.objects.select_for_update().filter(inmate=inmate, end_date__isnull=True)
    placement = current.first()
    if placement is None:
        raise ValidationError(_("WBP ini tidak memiliki penempatan berjalan."))
    if on < placement.start_date:
        raise ValidationError(
            {
                "on": _("Tanggal tidak boleh sebelum penempatan terakhir (%(date)s).")
                % {"date": placement.start_date.strftime("%d-%m-%Y")}
            }
        )
    placement.end_date = on
    placement.end_reason = reason
    placement.save(update_fields=["end_date", "end_reason", "updated_at"])
    return placement


def _check_movable(inmate: Inmate, on: datetime.date) -> None:
    if inmate.status != InmateStatus.ACTIVE:
        raise ValidationError(_("WBP ini tidak lagi aktif di UPT ini."))
    if on > inmate.facility.today():
        raise ValidationError({"on": _("Tanggal tidak boleh di masa depan.")})


@transaction.atomic
def inmate_move_block(*, inmate: Inmate, block: Block | None, on: datetime.date, by) -> Inmate:
    """Move an inmate to another block of the same facility from `on`."""
    require(by, Perm.INMATE_MOVE, inmate.facility)
    inmate = Inmate.objects.select_for_update().get(pk=inmate.pk)
    _check_movable(inmate, on)
    if block is not None and block.facility_id != inmate.facility_id:
        raise ValidationError({"block": _("Blok ini bukan milik UPT tersebut.")})
    if block == inmate.block:
        raise ValidationError({"block": _("WBP sudah berada di blok ini.")})
    before = model_snapshot(inmate, ["block_id"])
    _close_open_placement(inmate, on=on, reason=PlacementEnd.BLOCK_MOVE)
    inmate.block = block
    inmate.updated_by = by
    inmate.full_clean()
    inmate.save(update_fields=["block", "updated_by", "updated_at"])
    Placement.objects.create(
        inmate=inmate,
        facility=inmate.facility,
        block=block,
        start_date=on,
        start_reason=PlacementStart.BLOCK_MOVE,
        created_by=by,
    )
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=inmate,
        before=before,
        after=model_snapshot(inmate, ["block_id"]),
    )
    return inmate


@transaction.atomic
def inmate_transfer(
    *,
    inmate: Inmate,
    to_facility: Facility,
    on: datetime.date,
    by,
    block: Block | None = None,
    registration_number: str = "",
    note: str = "",
) -> Inmate:
    """Transfer an inmate to another facility from `on`.

    The inmate row moves with them (the register number may change at the new facility);
    the placement history keeps where they were on every date.
    """
    require(by, Perm.INMATE_MOVE, inmate.facility)
    inmate = Inmate.objects.select_for_update().get(pk=inmate.pk)
    _check_movable(inmate, on)
    if to_facility.pk == inmate.facility_id:
        raise ValidationError({"to_facility": _("Pilih UPT tujuan yang lain.")})
    if block is not None and block.facility_id != to_facility.pk:
        raise ValidationError({"block": _("Blok ini bukan milik UPT tujuan.")})
    before = model_snapshot(inmate, ["facility_id", "block_id", "registration_number"])
    from_facility = inmate.facility
    _close_open_placement(inmate, on=on, reason=PlacementEnd.TRANSFER_OUT)
    inmate.facility = to_facility
    inmate.block = block
    inmate.registration_number = registration_number or inmate.registration_number
    inmate.updated_by = by
    inmate.full_clean()
    _apply_derived(inmate)
    _save_validated(inmate)
    Placement.objects.create(
        inmate=inmate,
        facility=to_facility,
        block=block,
        start_date=on,
        start_reason=PlacementStart.TRANSFER_IN,
        note=note[:300],
        created_by=by,
    )
    inmate_left_facility.send(
        sender=Inmate,
        inmate=inmate,
        on=on,
        by=by,
        reason="transferred",
        from_facility=from_facility,
    )
    audit_record(
        actor=by,
        action=AuditAction.TRANSFER,
        instance=inmate,
        before=before,
        after=model_snapshot(inmate, ["facility_id", "block_id", "registration_number"]),
        facility_id=from_facility.pk,
    )
    return inmate


@transaction.atomic
def inmate_release(
    *, inmate: Inmate, on: datetime.date, kind: str = ReleaseKind.EXPIRY, by
) -> Inmate:
    """Release an inmate on `on`: the placement ends and the status becomes released."""
    require(by, Perm.INMATE_MOVE, inmate.facility)
    inmate = Inmate.objects.select_for_update().get(pk=inmate.pk)
    _check_movable(inmate, on)
    if on < inmate.admission_date:
        raise ValidationError({"on": _("Tanggal bebas tidak boleh sebelum tanggal masuk.")})
    if kind not in ReleaseKind.values:
        raise ValidationError({"kind": _("Jenis pembebasan tidak dikenal.")})
    before = model_snapshot(inmate, ["status", "released_on", "release_kind"])
    _close_open_placement(inmate, on=on, reason=PlacementEnd.RELEASE)
    inmate.status = InmateStatus.RELEASED
    inmate.released_on = on
    inmate.release_kind = kind
    inmate.updated_by = by
    inmate.save(update_fields=["status", "released_on", "release_kind", "updated_by", "updated_at"])
    inmate_left_facility.send(
        sender=Inmate, inmate=inmate, on=on, by=by, reason="released", from_facility=inmate.facility
    )
    audit_record(
        actor=by,
        action=AuditAction.RELEASE,
        instance=inmate,
        before=before,
        after=model_snapshot(inmate, ["status", "released_on", "release_kind"]),
    )
    return inmate


def _audit_created(entry, *, inmate: Inmate, by) -> None:
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        instance=entry,
        after=model_snapshot(entry),
        facility_id=inmate.facility_id,
    )


def _audit_dates(inmate: Inmate, *, before: dict, by) -> None:
    """Audit how a custody write moved the inmate's stored dates and register."""
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=inmate,
        before=before,
        after=model_snapshot(inmate, DERIVED_FIELDS),
    )


def _d(value: datetime.date) -> str:
    return value.strftime("%d-%m-%Y")


def _detention_add(
    inmate: Inmate,
    *,
    by,
    authority: str,
    warrant_number: str,
    start: datetime.date,
    end: datetime.date,
    order: str = DetentionOrder.PENAHANAN,
    kind: str = "rutan",
    warrant_date: datetime.date | None = None,
    note: str = "",
) -> DetentionPeriod:
    period = DetentionPeriod(
        inmate=inmate,
        authority=authority,
        order=order,
        kind=kind,
        warrant_number=(warrant_number or "").strip(),
        warrant_date=warrant_date,
        start=start,
        end=end,
        note=note[:300],
        created_by=by,
        updated_by=by,
    )
    period.full_clean(exclude=["inmate"])
    today = inmate.facility.today()
    errors = {}
    if warrant_date and warrant_date > today:
        errors["warrant_date"] = _("Tanggal surat tidak boleh di masa depan.")
    if start > today:
        errors["start"] = _("Penahanan yang belum dimulai belum dapat dicatat.")
        if order != DetentionOrder.PENAHANAN:
            errors.pop("start")
    limit = WarrantLimit.objects.filter(authority=authority, order=order).first()
    if limit is None:
        errors["order"] = _(
            "%(order)s tidak dikenal untuk %(authority)s (lihat KUHAP Pasal 24–29)."
        ) % {
            "order": DetentionOrder(order).label,
            "authority": period.get_authority_display(),
        }
    elif period.days > limit.max_days:
        errors["end"] = _(
            "%(order)s oleh %(authority)s paling lama %(max)s hari (%(basis)s); surat ini "
            "%(days)s hari."
        ) % {
            "order": DetentionOrder(order).label,
            "authority": period.get_authority_display(),
            "max": limit.max_days,
            "basis": limit.legal_basis,
            "days": period.days,
        }
    existing = list(DetentionPeriod.objects.filter(inmate=inmate).order_by("start", "id"))
    clash = next((p for p in existing if p.start <= end and start <= p.end), None)
    if clash is not None:
        errors["start"] = _("Bertumpuk dengan surat %(number)s (%(from)s – %(to)s).") % {
            "number": clash.warrant_number,
            "from": _d(clash.start),
            "to": _d(clash.end),
        }
    if order != DetentionOrder.PENAHANAN and not errors:
        same = [p for p in existing if p.authority == authority and p.end < start]
        if not same:
            errors["order"] = _(
                "Perpanjangan memerlukan penahanan %(authority)s yang diperpanjang."
            ) % {"authority": period.get_authority_display()}
        elif start != same[-1].end + datetime.timedelta(days=1):
            errors["start"] = _(
                "Perpanjangan dimulai sehari setelah surat sebelumnya berakhir (%(date)s)."
            ) % {"date": _d(same[-1].end + datetime.timedelta(days=1))}
        elif limit and sum(1 for p in same if p.order == order) >= limit.max_count:
            errors["order"] = _("%(order)s paling banyak %(n)s kali.") % {
                "order": DetentionOrder(order).label,
                "n": limit.max_count,
            }
    if errors:
        raise ValidationError(errors)
    period.save()
    _audit_created(period, inmate=inmate, by=by)
    return period


@transaction.atomic
def detention_add(*, inmate: Inmate, by, **data) -> DetentionPeriod:
    """Record a warrant (a new detention or an extension) for a detainee.

    Rules: the warrant's length is within KUHAP's limit for that authority and order
    (`WarrantLimit`); warrants never overlap; an extension starts the day after the
    warrant it extends ends, and is used no more often than allowed. A past warrant may
    still be added after the verdict (it then changes the deduction and every date)."""
    require(by, Perm.INMATE_MANAGE, inmate.facility)
    inmate = Inmate.objects.select_for_update().get(pk=inmate.pk)
    if inmate.status != InmateStatus.ACTIVE:
        raise ValidationError(_("WBP ini tidak lagi aktif di UPT ini."))
    verdict = verdict_of(inmate)
    if verdict is not None and data.get("start") and data["start"] >= verdict.final_on:
        raise ValidationError(
            {
                "start": _(
                    "Setelah putusan berkekuatan hukum tetap WBP menjalani pidana, bukan penahanan."
                )
            }
        )
    before = model_snapshot(inmate, DERIVED_FIELDS)
    period = _detention_add(inmate, by=by, **data)
    _recompute(inmate)
    _audit_dates(inmate, before=before, by=by)
    return period


@transaction.atomic
def verdict_record(
    *,
    inmate: Inmate,
    by,
    court: str,
    court_name: str,
    number: str,
    decided_on: datetime.date,
    final_on: datetime.date,
    sentence_kind: str,
    years: int = 0,
    months: int = 0,
    days: int = 0,
    fine: int = 0,
    substitute_months: int = 0,
    substitute_days: int = 0,
    fine_paid: bool = False,
) -> Verdict:
    """Record the final verdict: the detainee becomes a sentenced inmate in one event.

    The register type follows from the sentence (`RegisterRule`); time served counts from
    the first day of detention less the deductions (`reckoning`); life and death sentences
    get no fraction dates."""
    require(by, Perm.INMATE_MANAGE, inmate.facility)
    inmate = Inmate.objects.select_for_update().get(pk=inmate.pk)
    if inmate.status != InmateStatus.ACTIVE:
        raise ValidationError(_("WBP ini tidak lagi aktif di UPT ini."))
    if verdict_of(inmate) is not None:
        raise ValidationError(_("Putusan WBP ini sudah tercatat."))
    verdict = Verdict(
        inmate=inmate,
        court=court,
        court_name=(court_name or "").strip(),
        number=(number or "").strip(),
        decided_on=decided_on,
        final_on=final_on,
        sentence_kind=sentence_kind,
        years=years or 0,
        months=months or 0,
        days=days or 0,
        fine=fine or 0,
        substitute_months=substitute_months or 0,
        substitute_days=substitute_days or 0,
        fine_paid=bool(fine_paid),
        created_by=by,
        updated_by=by,
    )
    errors = {}
    if final_on and final_on > inmate.facility.today():
        errors["final_on"] = _("Tanggal berkekuatan hukum tetap tidak boleh di masa depan.")
    first = inmate.detention_periods.order_by("start").first()
    if first is None:
        errors["final_on"] = _("Catat dulu surat penahanan: masa pidana dihitung darinya.")
    elif decided_on and decided_on < first.start:
        errors["decided_on"] = _(
            "Tanggal putusan tidak boleh sebelum hari pertama penahanan (%(date)s)."
        ) % {"date": _d(first.start)}
    if (substitute_months or substitute_days) and not fine:
        errors["substitute_months"] = _("Kurungan pengganti hanya ada bila ada denda.")
    if sentence_kind not in TERM_SENTENCES and (substitute_months or substitute_days):
        errors["substitute_months"] = _("Seumur hidup dan pidana mati tanpa kurungan pengganti.")
    if months and months > 11:
        errors["months"] = _("Bulan paling banyak 11; tulis tahunnya.")
    if errors:
        raise ValidationError(errors)
    verdict.full_clean()
    before = model_snapshot(inmate, DERIVED_FIELDS)
    verdict.save()
    inmate.updated_by = by
    _recompute(inmate)
    _audit_created(verdict, inmate=inmate, by=by)
    _audit_dates(inmate, before=before, by=by)
    return verdict


@transaction.atomic
def remisi_grant_create(
    *,
    inmate: Inmate,
    by,
    kind: str,
    decree_number: str,
    decree_date: datetime.date,
    months: int = 0,
    days: int = 0,
    note: str = "",
) -> RemisiGrant:
    """Add a remisi grant to the ledger; the expected release and every date follow.

    Rules: only a sentenced inmate with a term (not life or death) receives remisi; the
    decree is not in the future nor before the verdict; the ledger's total stays shorter
    than the sentence (the expected release stays after the start)."""
    require(by, Perm.INMATE_MANAGE, inmate.facility)
    inmate = Inmate.objects.select_for_update().get(pk=inmate.pk)
    verdict = verdict_of(inmate)
    if inmate.status != InmateStatus.ACTIVE:
        raise ValidationError(_("WBP ini tidak lagi aktif di UPT ini."))
    if verdict is None:
        raise ValidationError(_("Remisi hanya untuk narapidana; catat putusannya dulu."))
    if not verdict.has_term:
        raise ValidationError(_("Pidana seumur hidup dan pidana mati tidak mendapat remisi."))
    grant = RemisiGrant(
        inmate=inmate,
        kind=kind,
        decree_number=(decree_number or "").strip(),
        decree_date=decree_date,
        months=months or 0,
        days=days or 0,
        note=(note or "")[:300],
        created_by=by,
        updated_by=by,
    )
    grant.full_clean()
    if decree_date > inmate.facility.today():
        raise ValidationError({"decree_date": _("Tanggal keputusan tidak boleh di masa depan.")})
    if decree_date < verdict.decided_on:
        raise ValidationError(
            {
                "decree_date": _("Keputusan remisi tidak boleh sebelum tanggal putusan (%(date)s).")
                % {"date": _d(verdict.decided_on)}
            }
        )
    before = model_snapshot(inmate, DERIVED_FIELDS)
    grant.save()
    result = _apply_derived(inmate)
    if result.expected_release is None or result.expected_release <= result.sentence_start:
        raise ValidationError(
            {
                "days": _(
                    "Jumlah remisi (%(total)s) akan mencapai seluruh masa pidana; periksa "
                    "keputusan ini."
                )
                % {"total": reckoning.months_days(result.remisi_months, result.remisi_days)}
            }
        )
    inmate.full_clean()
    inmate.save(update_fields=[*DERIVED_FIELDS, "updated_at"])
    _audit_created(grant, inmate=inmate, by=by)
    _audit_dates(inmate, before=before, by=by)
    return grant


def _custody_entry_remove(entry, *, inmate: Inmate, by, reason: str) -> None:
    """Remove a wrongly entered warrant, remisi grant or verdict: the reason and the whole
    entry are kept in the audit log, and every date is recomputed."""
    require(by, Perm.INMATE_MANAGE, inmate.facility)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Tulis alasan pembatalan (paling sedikit 5 huruf).")})
    locked = Inmate.objects.select_for_update().get(pk=inmate.pk)
    if locked.status != InmateStatus.ACTIVE:
        raise ValidationError(_("WBP ini tidak lagi aktif di UPT ini."))
    before = model_snapshot(locked, DERIVED_FIELDS)
    snapshot = model_snapshot(entry)
    audit_record(
        actor=by,
        action=AuditAction.DELETE,
        instance=entry,
        # The whole entry, and why it was removed (the log keeps what the table no longer does).
        before={**snapshot, "reason": reason},
        facility_id=locked.facility_id,
    )
    entry.delete()
    _recompute(locked)
    _audit_dates(locked, before=before, by=by)


@transaction.atomic
def detention_remove(*, period: DetentionPeriod, by, reason: str) -> None:
    """Remove a wrongly entered warrant; the first warrant of a detainee stays (it is the
    basis of the detention), and none before a recorded verdict is removed silently."""
    inmate = period.inmate
    if verdict_of(inmate) is None and inmate.detention_periods.count() == 1:
        raise ValidationError(
            _("Surat penahanan satu-satunya tidak dapat dibatalkan; catat surat yang benar dulu.")
        )
    _custody_entry_remove(period, inmate=inmate, by=by, reason=reason)


@transaction.atomic
def remisi_grant_remove(*, grant: RemisiGrant, by, reason: str) -> None:
    """Remove a wrongly entered remisi grant; the expected release moves back."""
    _custody_entry_remove(grant, inmate=grant.inmate, by=by, reason=reason)


@transaction.atomic
def verdict_remove(*, verdict: Verdict, by, reason: str) -> None:
    """Remove a wrongly entered verdict: the inmate is a detainee again (with the remisi
    ledger kept aside in the audit log and removed, since remisi needs a verdict)."""
    inmate = verdict.inmate
    for grant in list(inmate.remisi_grants.all()):
        _custody_entry_remove(grant, inmate=inmate, by=by, reason=reason)
    _custody_entry_remove(verdict, inmate=inmate, by=by, reason=reason)


def latest_remisi(inmate: Inmate) -> RemisiGrant | None:
    """The latest grant (by decree date): what cuti menjelang bebas may last."""
    return inmate.remisi_grants.order_by("-decree_date", "-id").first()


def _custody_recipients(facility: Facility) -> list[str]:
    from rutan.accounts.models import User
    from rutan.core.roles import Role

    return sorted(
        set(
            User.objects.filter(
                is_active=True,
                memberships__role__in=[Role.FACILITY_HEAD, Role.REGISTRY_OFFICER],
                memberships__facility=facility,
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def custody_alerts_send() -> int:
    """Daily: e-mail each facility's head and registry officers the custody alerts of the
    facility's own today (warrants ending within 10 and 3 days, over-detention), once a day
    per facility. The sent record and the e-mail share a transaction, so a failed send is
    retried by the next run and a sent digest never repeats. Returns the alerts sent."""
    from .selectors import custody_alerts

    sent = 0
    by_facility: dict[int, list] = {}
    for alert in custody_alerts():
        by_facility.setdefault(alert.inmate.facility_id, []).append(alert)
    for alerts in by_facility.values():
        facility = alerts[0].inmate.facility
        today = facility.today()
        if CustodyAlertDigest.objects.filter(facility=facility, on=today).exists():
            continue
        recipients = _custody_recipients(facility)
        if not recipients:
            continue
        context = {
            "facility": facility,
            "alerts": alerts,
            "today": today,
            "link": settings.SITE_URL.rstrip("/")
            + reverse("inmates:custody_alerts")
            + f"?facility={facility.pk}",
        }
        try:
            with transaction.atomic():
                CustodyAlertDigest.objects.create(
                    facility=facility,
                    on=today,
                    alerts=len(alerts),
                    recipients=", ".join(recipients),
                )
                send_mail(
                    subject=render_to_string("inmates/email/custody_subject.txt", context).strip(),
                    message=render_to_string("inmates/email/custody_body.txt", context),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=recipients,
                )
        except IntegrityError:
            continue  # another run sent it first
        sent += len(alerts)
    return sent


def inmate_record_read(*, inmate: Inmate, by, via: str) -> None:
    """Log that `by` opened an inmate's record (UU PDP: reads of personal data are audited)."""
    audit_record(actor=by, action=AuditAction.READ, instance=inmate, via=via)


@transaction.atomic
def disciplinary_create(
    *,
    inmate: Inmate,
    occurred_on: datetime.date,
    offence: str,
    sanction: str,
    sanction_until: datetime.date | None = None,
    by,
) -> DisciplinaryEntry:
    """Record a Register F entry against an inmate of the user's facility."""
    require(by, Perm.DISCIPLINE_MANAGE, inmate.facility)
    entry = DisciplinaryEntry(
        inmate=inmate,
        facility=inmate.facility,
        occurred_on=occurred_on,
        offence=offence,
        sanction=sanction,
        sanction_until=sanction_until,
        created_by=by,
        updated_by=by,
    )
    if occurred_on and occurred_on > inmate.facility.today():
        raise ValidationError({"occurred_on": _("Tanggal kejadian tidak boleh di masa depan.")})
    entry.full_clean()
    entry.save()
    audit_record(actor=by, action=AuditAction.CREATE, instance=entry, after=model_snapshot(entry))
    return entry


@transaction.atomic
def disciplinary_close(*, entry: DisciplinaryEntry, on: datetime.date, by) -> DisciplinaryEntry:
    """Close a Register F entry once its sanction is served."""
    require(by, Perm.DISCIPLINE_MANAGE, entry.inmate.facility)
    if entry.status == DisciplinaryStatus.CLOSED:
        raise ValidationError(_("Catatan register F ini sudah ditutup."))
    if on < entry.occurred_on:
        raise ValidationError({"on": _("Tanggal tutup tidak boleh sebelum tanggal kejadian.")})
    before = model_snapshot(entry, ["status", "closed_on"])
    entry.status = DisciplinaryStatus.CLOSED
    entry.closed_on = on
    entry.updated_by = by
    entry.save(update_fields=["status", "closed_on", "updated_by", "updated_at"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=entry,
        before=before,
        after=model_snapshot(entry, ["status", "closed_on"]),
    )
    return entry


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
    from .tasks import recompute_stages

    recompute_stages.delay_on_commit(facility.pk if facility else None)
    return rule


def inmates_recompute_stages(*, facility: Facility | None = None) -> int:
    """Recompute stored release and stage dates (one facility, or all when None)."""
    facilities = [facility] if facility else list(Facility.objects.all())
    count = 0
    for fac in facilities:
        context = _context(fac)
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
