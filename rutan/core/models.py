from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base of every domain model: when and by whom a row was made and last changed."""

    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diubah oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", _("buat")
    UPDATE = "update", _("ubah")
    DELETE = "delete", _("hapus")
    READ = "read", _("baca")
    TRANSFER = "transfer", _("pindah")
    RELEASE = "release", _("bebas")


class AuditEntry(models.Model):
    """One read or write of personal data: who, when, what, before and after."""

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    action = models.CharField(_("tindakan"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("jenis objek"), max_length=100)
    object_id = models.CharField(_("ID objek"), max_length=64)
    object_repr = models.CharField(_("objek"), max_length=200, blank=True)
    facility_id = models.BigIntegerField(_("ID UPT"), null=True, blank=True, db_index=True)
    before = models.JSONField(_("sebelum"), null=True, blank=True)
    after = models.JSONField(_("sesudah"), null=True, blank=True)
    via = models.CharField(_("melalui"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


# Labels of job kinds; each app registers its own in AppConfig.ready() (core imports no app).
JOB_KIND_LABELS: dict[str, str] = {}


class JobRun(models.Model):
    """One run of a scheduled job, kept so staff can see that it ran and how it ended.

    `kind` names the job ("partners.expire_agreements"); `success` is empty while it runs.
    `facility_id` and `regional_office_id` are plain ids: core knows no facility model.
    """

    kind = models.CharField(_("jenis tugas"), max_length=100)
    started_at = models.DateTimeField(_("mulai"), db_index=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    success = models.BooleanField(_("berhasil"), null=True)
    processed = models.PositiveIntegerField(_("jumlah diproses"), default=0)
    detail = models.TextField(_("keterangan"), blank=True)
    error = models.TextField(_("galat"), blank=True)
    facility_id = models.BigIntegerField(_("ID UPT"), null=True, blank=True, db_index=True)
    regional_office_id = models.BigIntegerField(_("ID Kanwil"), null=True, blank=True)

    class Meta:
        verbose_name = _("jalannya tugas terjadwal")
        verbose_name_plural = _("jalannya tugas terjadwal")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["kind", "-started_at"], name="core_jobrun_kind_started")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"

    def get_kind_display(self) -> str:
        return str(JOB_KIND_LABELS.get(self.kind, self.kind))
