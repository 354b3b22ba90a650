from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rutan.core.models import AuditAction
from rutan.core.roles import Perm
from rutan.core.scoping import is_national, user_can
from rutan.core.services import audit_record, model_snapshot

from .models import Block, Facility, RegionalOffice


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
