"""Uploading, previewing, mapping and confirming an import (see `engine` for the row work)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from rutan.core.models import AuditAction
from rutan.core.scoping import require
from rutan.core.services import audit_record
from rutan.facilities.models import Facility

from . import engine
from .models import DataImport, ImportMapping, ImportStatus

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def import_create(
    *, kind: str, facility: Facility, by, file, name: str = "", enqueue: bool = True
) -> DataImport:
    """Store an uploaded file privately and start its preview (nothing is written until
    `import_confirm`). CSV or XLSX, at most 20 MB."""
    if kind not in engine.KINDS:
        raise ValidationError({"kind": _("Jenis impor tidak dikenal.")})
    require(by, engine.kind_get(kind).perm, facility)
    name = name or getattr(file, "name", "") or ""
    if not name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError({"file": _("Unggah berkas CSV atau XLSX.")})
    if getattr(file, "size", 0) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("Berkas paling besar 20 MB.")})
    data_import = DataImport(
        kind=kind,
        facility=facility,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        original_name=name.rsplit("/", 1)[-1][:255],
        language=translation.get_language() or "",
    )
    data_import.file.save(name, file, save=False)
    data_import.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        instance=data_import,
        after={"kind": kind, "file": data_import.file.name, "original_name": name[-255:]},
    )
    if enqueue:
        _enqueue(data_import, write=False)
    return data_import


def _enqueue(data_import: DataImport, *, write: bool) -> None:
    from rutan.core.outbox import enqueue

    from .tasks import import_run

    enqueue(import_run, data_import.pk, write)


def import_preview(*, data_import: DataImport) -> DataImport:
    """Judge every row with the owning app's services and roll everything back."""
    if data_import.status not in {ImportStatus.QUEUED, ImportStatus.PREVIEWING}:
        return data_import
    data_import.status = ImportStatus.PREVIEWING
    data_import.progress = 0
    data_import.save(update_fields=["status", "progress", "updated_at"])
    return engine.execute(data_import, write=False)


def import_write(*, data_import: DataImport) -> DataImport:
    """Write the good rows in one transaction; rows in error are skipped and listed."""
    if data_import.status != ImportStatus.WRITING:
        return data_import
    return engine.execute(data_import, write=True)


def _locked(data_import: DataImport, by) -> DataImport:
    require(by, data_import.import_kind.perm, data_import.facility)
    return DataImport.objects.select_for_update().select_related("facility").get(pk=data_import.pk)


@transaction.atomic
def import_confirm(*, data_import: DataImport, by, enqueue: bool = True) -> DataImport:
    """Accept a previewed file: its good rows are written (in Celery when `enqueue`)."""
    data_import = _locked(data_import, by)
    if data_import.status != ImportStatus.PREVIEWED:
        raise ValidationError(_("Impor ini belum siap atau sudah disimpan."))
    data_import.status = ImportStatus.WRITING
    data_import.progress = 0
    data_import.save(update_fields=["status", "progress", "updated_at"])
    if enqueue:
        _enqueue(data_import, write=True)
    return data_import


@transaction.atomic
def import_map(
    *, data_import: DataImport, by, columns: dict[str, str], enqueue: bool = True
) -> DataImport:
    """Save how this facility's headers map to the kind's columns (reused by its next imports
    of that kind; a header set to "" forgets its mapping) and preview the file again."""
    data_import = _locked(data_import, by)
    if data_import.status not in {ImportStatus.NEEDS_MAPPING, ImportStatus.PREVIEWED}:
        raise ValidationError(_("Impor ini belum siap atau sudah disimpan."))
    kind = data_import.import_kind
    unknown = sorted(set(columns.values()) - set(kind.column_names) - {""})
    if unknown:
        raise ValidationError(_("Kolom tujuan tidak dikenal: %(names)s.") % {"names": unknown})
    chosen = [f for f in columns.values() if f]
    if len(chosen) != len(set(chosen)):
        raise ValidationError(_("Satu kolom tujuan hanya boleh dipilih sekali."))
    mapping, _created = ImportMapping.objects.get_or_create(
        facility=data_import.facility, kind=kind.name, defaults={"created_by": by}
    )
    before = dict(mapping.columns)
    headers = {engine.norm(h) for h in columns}
    kept = {k: v for k, v in mapping.columns.items() if k not in headers}
    mapping.columns = {**kept, **{engine.norm(h): f for h, f in columns.items() if f}}
    mapping.save()
    audit_record(
        actor=by, action=AuditAction.UPDATE, instance=mapping, before=before, after=mapping.columns
    )
    data_import.status = ImportStatus.QUEUED
    data_import.save(update_fields=["status", "updated_at"])
    if enqueue:
        _enqueue(data_import, write=False)
    return data_import
