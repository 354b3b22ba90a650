import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from rutan.core.models import TimeStampedModel
from rutan.facilities.models import Facility, RegionalOffice

PERIOD_RE = re.compile(r"^(?P<year>20\d\d)-(?P<month>0[1-9]|1[0-2])$")
# The same for JSON Schema, whose regular expressions have no (?P<name>…) groups.
PERIOD_PATTERN = r"^20\d\d-(0[1-9]|1[0-2])$"


class ReportScope(models.TextChoices):
    FACILITY = "facility", _("UPT")
    REGIONAL = "regional", _("Kanwil")


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Laporan bulanan")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    RUNNING = "running", _("Sedang dibuat")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class ReportLanguage(models.TextChoices):
    INDONESIAN = "id", _("Bahasa Indonesia")
    ENGLISH = "en", _("English")


def report_upload_to(run, filename):
    return f"reports/{run.period}/{filename}"


class ReportRun(TimeStampedModel):
    """One PDF for (scope, kind, period, version).

    A worker claims a queued run by a conditional UPDATE (see services.report_run_claim), so
    two workers never build one run; the file, its checksum and status `done` are written
    together, so a killed worker leaves no half-published report.
    """

    scope = models.CharField(_("cakupan"), max_length=10, choices=ReportScope.choices)
    facility = models.ForeignKey(
        Facility,
        verbose_name=_("UPT"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_runs",
    )
    regional_office = models.ForeignKey(
        RegionalOffice,
        verbose_name=_("Kanwil"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_runs",
    )
    kind = models.CharField(
        _("jenis"), max_length=20, choices=ReportKind.choices, default=ReportKind.MONTHLY
    )
    period = models.CharField(
        _("periode"),
        max_length=7,
        validators=[RegexValidator(PERIOD_RE, _("Periode harus berbentuk TTTT-BB, mis. 2026-10."))],
    )
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    language = models.CharField(
        _("bahasa"), max_length=5, choices=ReportLanguage.choices, default=ReportLanguage.INDONESIAN
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("kemajuan (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    file = models.FileField(_("berkas"), upload_to=report_upload_to, blank=True, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("galat"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diminta oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="report_runs",
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    claim_token = models.CharField(_("token klaim"), max_length=36, blank=True)
    worker = models.CharField(_("pekerja"), max_length=200, blank=True)
    provisional = models.BooleanField(
        _("sementara"),
        default=False,
        help_text=_("Dibuat sebelum bulannya berakhir; angkanya hanya sampai tanggal data."),
    )
    data_until = models.DateField(
        _("data sampai"),
        null=True,
        blank=True,
        help_text=_("Hari terakhir yang dihitung, pada tanggal UPT, saat laporan dibuat."),
    )
    figures = models.JSONField(
        _("angka"),
        default=dict,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text=_("Angka UPT pada laporan ini, dipakai rekapitulasi Kanwil."),
    )
    queued_at = models.DateTimeField(_("masuk antrean"), null=True, blank=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    # Renewed by the building worker; a running run whose heartbeat is older than
    # REPORT_CLAIM_STALE_SECONDS belongs to a worker that died and is claimable again.
    heartbeat_at = models.DateTimeField(_("tanda hidup pekerja"), null=True, blank=True)
    # The core.JobRun of the attempt holding the claim (a plain id), so the sweep can close
    # the rows of attempts whose worker was killed.
    job_run_id = models.BigIntegerField(_("ID jalannya tugas"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        ordering = ["-period", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "facility", "regional_office", "kind", "period", "version"],
                name="reportrun_unique_version",
                nulls_distinct=False,
                violation_error_message=_("Versi laporan ini sudah ada."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(scope=ReportScope.FACILITY, facility__isnull=False, regional_office=None)
                    | Q(scope=ReportScope.REGIONAL, facility=None, regional_office__isnull=False)
                ),
                name="reportrun_scope_target",
                violation_error_message=_("Laporan UPT memerlukan UPT; laporan Kanwil, Kanwil."),
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="reportrun_progress_max_100"
            ),
        ]
        indexes = [models.Index(fields=["status", "started_at"])]

    def __str__(self):
        return f"{self.target} · {self.period_label} · v{self.version}"

    @property
    def period_label(self) -> str:
        """The period as people write it ("Oktober 2026") in the active language."""
        year, month = (int(part) for part in self.period.split("-"))
        return date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT")

    @property
    def target(self):
        return self.facility if self.scope == ReportScope.FACILITY else self.regional_office

    @property
    def is_stuck(self) -> bool:
        """Queued too long with no build, or running with a stale heartbeat: its worker died
        or its message was lost; it may be sent again."""
        from django.utils import timezone

        now = timezone.now()
        if self.status == ReportStatus.QUEUED:
            queued = self.queued_at or self.created_at
            limit = datetime.timedelta(seconds=settings.REPORT_QUEUED_STALE_SECONDS)
            return queued is not None and queued < now - limit
        if self.status == ReportStatus.RUNNING:
            beat = self.heartbeat_at or self.started_at
            limit = datetime.timedelta(seconds=settings.REPORT_CLAIM_STALE_SECONDS)
            return beat is None or beat < now - limit
        return False

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)

    @property
    def number(self) -> str:
        """The report's number, printed on it and unique like the version it names:
        "LB/RUTAN-BALIKPAPAN/2026-11/V1" for a facility, "REKAP/KALTIM/2026-11/V1" for a
        regional office."""
        if self.facility_id:
            prefix, code = "LB", self.facility.code
        else:
            prefix, code = "REKAP", self.regional_office.code
        return f"{prefix}/{code.upper()}/{self.period}/V{self.version}"

    @property
    def download_name(self) -> str:
        code = self.facility.code if self.facility_id else self.regional_office.code
        return f"laporan-{code}-{self.period}-v{self.version}.pdf"

    def clean(self):
        if self.period and not PERIOD_RE.match(self.period):
            raise ValidationError({"period": _("Periode harus berbentuk TTTT-BB, mis. 2026-10.")})


class JobType(models.TextChoices):
    """Kinds of the reports app's scheduled jobs, recorded as core JobRun rows."""

    MONTHLY_BATCH = "reports.monthly_batch", _("Batch laporan bulanan")
    FACILITY_REPORT = "reports.facility_report", _("Laporan UPT")
    REGIONAL_REPORT = "reports.regional_report", _("Laporan Kanwil")
