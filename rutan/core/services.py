import datetime
import decimal
import uuid
from collections.abc import Iterable

from django.db import models

from .models import AuditAction, AuditEntry


def _plain(value):
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def model_snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict:
    """Return the concrete field values of `instance` as JSON-safe data (FKs as ids)."""
    names = fields or [
        f.attname
        for f in instance._meta.concrete_fields
        if f.name not in {"created_at", "updated_at"}
    ]
    return {name: _plain(getattr(instance, name)) for name in names}


def audit_record(
    *,
    actor,
    action: AuditAction | str,
    instance: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    facility_id: int | None = None,
    via: str = "",
) -> AuditEntry:
    """Write one audit entry. Only the fields that changed are kept for an update."""
    if before is not None and after is not None:
        changed = {k for k in after if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in changed}
        after = {k: after[k] for k in changed}
    if facility_id is None:
        facility_id = getattr(instance, "facility_id", None)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        facility_id=facility_id,
        before=before,
        after=after,
        via=via,
    )
