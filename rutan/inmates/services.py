"""Every write to the inmate register: validated, atomic and audited."""

import datetime
import math

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from rutan.core.models import AuditAction
from rutan.core.roles import Perm
from rutan.core.scoping import is_national, require
from rutan.core.services import audit_record, model_snapshot
from rutan.facilities.models import Block, Facility

from .choices import (
    CoachingStage,
    DisciplinaryStatus,
    InmateStatus,
    PlacementEnd,
    PlacementStart,
    ReleaseKind,
)
from .models import DisciplinaryEntry, Inmate, Placement, StageRule
from .signals import inmate_left_facility

INMATE_FIELDS = [
    "registration_number",
    "register_type",
    "legal_status",
    "name",
    "sex",
    "birth_date",
    "religion",
    "education_level",
    "case_category",
    "case_article",
    "admission_date",
    "sentence_start",
    "sentence_years",
    "sentence_months",
    "sentence_days",
    "remission_days",
    "block",
]


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
    *, sentence_start: datetime.date, expected_release: datetime.date, rules: dict
) -> dict[str, datetime.date]:
    """Return the first day of each stage: the first day on which the days served reach
    the stage's fraction of the term (expected release − sentence start)."""
    term = (expected_release - sentence_start).days
    return {
        f"{stage}_from": sentence_start
        + datetime.timedelta(days=math.ceil(term * numerator / denominator))
        for stage, (numerator, denominator) in rules.items()
    }


def _apply_derived(inmate: Inmate, rules: dict | None = None) -> None:
    release = inmate.compute_expected_release()
    inmate.expected_release_date = release
    if release is None:
        inmate.lanjutan_from = inmate.asimilasi_from = inmate.integrasi_from = None
        return
    rules = rules or stage_rules_for(inmate.facility)
    for field, value in stage_dates(
        sentence_start=inmate.sentence_start, expected_release=release, rules=rules
    ).items():
        setattr(inmate, field, value)


def _save_validated(inmate: Inmate) -> None:
    inmate.full_clean()
    try:
        with transaction.atomic():
            inmate.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"registration_number": _("Nomor registrasi ini sudah dipakai di UPT ini.")}
        ) from exc


@transaction.atomic
def inmate_create(*, facility: Facility, by, **data) -> Inmate:
    """Register an inmate at `facility` and open their first placement (admission)."""
    require(by, Perm.INMATE_MANAGE, facility)
    inmate = Inmate(facility=facility, created_by=by, updated_by=by)
    for field in INMATE_FIELDS:
        if field in data:
            setattr(inmate, field, data[field])
    inmate.full_clean()
    _apply_derived(inmate)
    _save_validated(inmate)
    Placement.objects.create(
        inmate=inmate,
        facility=facility,
        block=inmate.block,
        start_date=inmate.admission_date,
        start_reason=PlacementStart.ADMISSION,
        created_by=by,
    )
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
    _apply_derived(inmate)
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
        rules = stage_rules_for(fac)
        batch = []
        for inmate in Inmate.objects.filter(facility=fac, sentence_start__isnull=False):
            _apply_derived(inmate, rules)
            batch.append(inmate)
        Inmate.objects.bulk_update(
            batch,
            ["expected_release_date", "lanjutan_from", "asimilasi_from", "integrasi_from"],
            batch_size=500,
        )
        count += len(batch)
    return count
