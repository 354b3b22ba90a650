import datetime
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from rutan.core.models import TimeStampedModel
from rutan.core.scoping import ScopedQuerySet
from rutan.facilities.models import Facility


def import_file_path(instance, filename: str) -> str:
    # Never keep the uploader's file name: it may carry personal data or path tricks.
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return f"private/imports/{datetime.date.today():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    PREVIEWING = "previewing", _("Memeriksa")
    NEEDS_MAPPING = "needs_mapping", _("Perlu pemetaan kolom")
    PREVIEWED = "previewed", _("Siap diimpor")
    WRITING = "writing", _("Menyimpan")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


BUSY = {ImportStatus.QUEUED, ImportStatus.PREVIEWING, ImportStatus.WRITING}


class DataImport(TimeStampedModel):
    """One uploaded file of one kind (register, remisi, enrolments, …) for one facility:
    its preview (counts, errors, the first rows) and, once confirmed, its result."""

    kind = models.CharField(_("jenis"), max_length=30)
    facility = models.ForeignKey(
        Facility, verbose_name=_("UPT"), on_delete=models.PROTECT, related_name="data_imports"
    )
    file = models.FileField(_("berkas"), upload_to=import_file_path)
    original_name = models.CharField(_("nama berkas"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    total_rows = models.PositiveIntegerField(_("jumlah baris"), default=0)
    counts = models.JSONField(_("ringkasan"), default=dict, blank=True)
    errors = models.JSONField(_("kesalahan"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("jumlah kesalahan"), default=0)
    rows = models.JSONField(_("baris pertama"), default=list, blank=True)
    headers = models.JSONField(_("kolom berkas"), default=list, blank=True)
    ignored_columns = models.JSONField(_("kolom diabaikan"), default=list, blank=True)
    missing_columns = models.JSONField(_("kolom wajib yang tidak ada"), default=list, blank=True)
    language = models.CharField(_("bahasa"), max_length=10, blank=True)
    failure = models.TextField(_("keterangan gagal"), blank=True)
    written_at = models.DateTimeField(_("disimpan pada"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("impor data")
        verbose_name_plural = _("impor data")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["facility", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.facility.code} {self.kind} #{self.pk}"

    @property
    def is_busy(self) -> bool:
        return self.status in BUSY

    @property
    def import_kind(self):
        from .engine import kind_get

        return kind_get(self.kind)

    @property
    def errors_left_off(self) -> int:
        return max(0, self.error_count - len(self.errors))


class ImportMapping(TimeStampedModel):
    """How a facility's own file headers (e.g. the SDP export) map to one kind's columns."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("UPT"), on_delete=models.CASCADE, related_name="import_mappings"
    )
    kind = models.CharField(_("jenis"), max_length=30)
    columns = models.JSONField(_("pemetaan kolom"), default=dict)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("pemetaan kolom impor")
        verbose_name_plural = _("pemetaan kolom impor")
        constraints = [
            models.UniqueConstraint(fields=["facility", "kind"], name="import_mapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.facility} · {self.kind}"
