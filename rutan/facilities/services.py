from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rutan.core.models import AuditAction
from rutan.core.roles import Perm
from rutan.core.scoping import is_national, user_can
from rutan.core.services import audit_record, model_snapshot

from .models import Block, Facility, FollowUpItem, FollowUpStatus, RegionalOffice


@transaction.atomic
def organisation_save(*, instance: RegionalOffice | Facility, by) -> RegionalOffice | Facility:
    """Create or change a regional office or facility: national administrators only."""
    if not is_national(by):
        raise ValidationError(_("Hanya admin Ditjenpas yang dapat mengubah data UPT dan Kanwil."))
    return _save(instance, by)


@transaction.atomic
def block_save(*, block: Block, by) -> Block:
    """Create or change a block of a facility the user manages."""
    if not user_can(by, Perm.INMATE_MANAGE, block.facility_id):
        raise ValidationError(_("Anda tidak berwenang mengubah blok di UPT ini."))
    return _save(block, by)


def _save(instance, by):
    before = None
    if instance.pk:
        before = model_snapshot(type(instance).objects.get(pk=instance.pk))
    else:
        instance.created_by = by
    instance.updated_by = by
    instance.full_clean()
    instance.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        instance=instance,
        before=before,
        after=model_snapshot(instance),
        facility_id=getattr(instance, "facility_id", None)
        or (instance.pk if isinstance(instance, Facility) else None),
    )
    return instance


@transaction.atomic
def followup_create(
    *,
    facility: Facility,
    title: str,
    by,
    description: str = "",
    source: str = "other",
    source_obj=None,
    place: str = "",
    owner=None,
    due_on=None,
    found_on=None,
) -> FollowUpItem:
    """Open a follow-up item for a facility (any role that can see the facility may raise one).

    `found_on` is the day of the finding (the survey or log date); it defaults to today at
    the facility and cannot lie in the future there.
    """
    if not user_can(by, Perm.FACILITY_VIEW, facility):
        raise ValidationError(_("Anda tidak berwenang di UPT ini."))
    found_on = found_on or facility.today()
    if found_on > facility.today():
        raise ValidationError({"found_on": _("Tanggal temuan tidak boleh di masa depan.")})
    item = FollowUpItem(
        facility=facility,
        title=title,
        description=description,
        source=source,
        place=place,
        owner=owner,
        due_on=due_on,
        found_on=found_on,
        created_by=by,
        updated_by=by,
        source_type=source_obj._meta.label_lower if source_obj is not None else "",
        source_id=str(source_obj.pk) if source_obj is not None else "",
    )
    item.full_clean()
    item.save()
    audit_record(actor=by, action=AuditAction.CREATE, instance=item, after=model_snapshot(item))
    return item


@transaction.atomic
def followup_update(
    *,
    item: FollowUpItem,
    by,
    status: str | None = None,
    owner=None,
    due_on=None,
    resolution: str | None = None,
    on=None,
) -> FollowUpItem:
    """Assign, reschedule or move a follow-up item along open → in progress → done.

    Managing follow-ups needs FOLLOWUP_MANAGE at the item's facility; done needs a resolution.
    """
    if not user_can(by, Perm.FOLLOWUP_MANAGE, item.facility_id):
        raise ValidationError(_("Anda tidak berwenang mengelola tindak lanjut di UPT ini."))
    item = FollowUpItem.objects.select_for_update().get(pk=item.pk)
    before = model_snapshot(item)
    if owner is not None:
        item.owner = owner
    if due_on is not None:
        item.due_on = due_on
    if resolution is not None:
        item.resolution = resolution
    if status is not None:
        if status == FollowUpStatus.DONE and not item.resolution.strip():
            raise ValidationError({"resolution": _("Tuliskan bagaimana temuan ini diselesaikan.")})
        item.status = status
        item.done_on = (on or item.facility.today()) if status == FollowUpStatus.DONE else None
    item.updated_by = by
    item.full_clean()
    item.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=item,
        before=before,
        after=model_snapshot(item),
    )
    return item
