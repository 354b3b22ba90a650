"""Writes to the register itself: registration, identity, placements, transfers, releases,
Register F; each validated, atomic and audited."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rutan.core.models import AuditAction
from rutan.core.roles import Perm
from rutan.core.scoping import require
from rutan.core.services import audit_record, model_snapshot
from rutan.facilities.models import Block, Facility

from ..choices import (
    AUTHORITY_REGISTER,
    DisciplinaryStatus,
    InmateStatus,
    LegalStatus,
    PlacementEnd,
    PlacementStart,
    ReleaseKind,
)
from ..models import (
    DisciplinaryEntry,
    Inmate,
    Placement,
)
from ..signals import inmate_left_facility
from .custody import _detention_add
from .derived import INMATE_FIELDS, _apply_derived, _recompute, _save_validated


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
