import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rutan.core.choices import Pillar, ProgrammeArea
from rutan.core.models import LiteracyLevel, TimeStampedModel
from rutan.core.scoping import ScopedQuerySet
from rutan.facilities.models import Facility, Sex
from rutan.inmates.choices import CoachingStage
from rutan.inmates.models import Inmate

from .choices import (
    OPEN_ENROLMENT,
    AbsenceReason,
    AttendanceStatus,
    EnrolmentStatus,
    EvaluationKind,
    PlacementStatus,
    ProductDisposition,
    ProgrammeStatus,
    SessionStatus,
    SystemEndReason,
    Weekday,
    WithdrawReason,
)


class Programme(TimeStampedModel):
    """A coaching programme of one facility, run as dated sessions for enrolled inmates."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("UPT"), on_delete=models.PROTECT, related_name="programmes"
    )
    title = models.CharField(_("nama program"), max_length=200)
    pillar = models.CharField(_("pilar"), max_length=20, choices=Pillar.choices)
    area = models.CharField(_("bidang"), max_length=20, choices=ProgrammeArea.choices)
    description = models.TextField(_("uraian"), blank=True)
    agreement = models.ForeignKey(
        "partners.Agreement",
        verbose_name=_("perjanjian kerja sama"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
        help_text=_("MoU / PKS dengan mitra yang menjalankan program ini, bila ada."),
    )
    facilitator = models.CharField(_("fasilitator (petugas)"), max_length=200, blank=True)
    instructor = models.CharField(
        _("instruktur / mitra pelaksana"),
        max_length=200,
        blank=True,
        help_text=_("Mis. UPTD SKB Randong, Yayasan SEKATA."),
    )
    location = models.CharField(_("tempat"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("kapasitas"), validators=[MinValueValidator(1)], default=20
    )
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ProgrammeStatus.choices,
        default=ProgrammeStatus.PLANNED,
    )
    eligible_sex = models.CharField(
        _("khusus jenis kelamin"),
        max_length=1,
        choices=Sex.choices,
        blank=True,
        help_text=_("Kosongkan bila terbuka untuk semua."),
    )
    eligible_stages = models.JSONField(
        _("tahap pembinaan yang boleh ikut"),
        default=list,
        blank=True,
        help_text=_("Kosongkan bila semua tahap (termasuk tahanan) boleh ikut."),
    )
    min_literacy_level = models.ForeignKey(
        LiteracyLevel,
        verbose_name=_("tingkat literasi minimal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Tingkat dari aksaranya sendiri: Latin untuk kelas keaksaraan / kesetaraan, "
            "Al-Qur'an untuk kelas baca Al-Qur'an. Kosongkan bila tidak disyaratkan."
        ),
    )
    required_interest_area = models.CharField(
        _("minat yang disyaratkan"), max_length=20, choices=ProgrammeArea.choices, blank=True
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "facility"

    class Meta:
        verbose_name = _("program pembinaan")
        verbose_name_plural = _("program pembinaan")
        ordering = ["facility", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="programme_dates_in_order",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="programme_capacity_positive",
                violation_error_message=_("Kapasitas paling sedikit 1."),
            ),
        ]

    def __str__(self):
        return self.title

    def places_taken(self) -> int:
        """Active participants (one query): what the capacity is measured against."""
        return self.enrolments.filter(status=EnrolmentStatus.ACTIVE).count()

    def clean(self):
        stages = self.eligible_stages or []
        if not isinstance(stages, list) or any(s not in CoachingStage.values for s in stages):
            raise ValidationError({"eligible_stages": _("Tahap pembinaan tidak dikenal.")})
        if self.agreement_id and self.agreement.facility_id != self.facility_id:
            raise ValidationError(
                {"agreement": _("Perjanjian ini milik UPT lain; pilih perjanjian UPT ini.")}
            )

    def get_eligible_stages_display(self) -> str:
        return ", ".join(str(CoachingStage(s).label) for s in self.eligible_stages or [])

    def requirement_labels(self) -> list[str]:
        """Who may join, one phrase per requirement ("khusus perempuan", "tahap Asimilasi,
        Integrasi"); empty when the programme is open to every active inmate."""
        parts = []
        if self.eligible_sex:
            parts.append(_("khusus %(s)s") % {"s": self.get_eligible_sex_display().lower()})
        if self.eligible_stages:
            parts.append(_("tahap %(stages)s") % {"stages": self.get_eligible_stages_display()})
        if self.min_literacy_level_id:
            level = self.min_literacy_level
            parts.append(
                _("literasi %(script)s minimal %(level)s")
                % {"script": level.get_script_display(), "level": level.display_label}
            )
        if self.required_interest_area:
            parts.append(_("minat %(area)s") % {"area": self.get_required_interest_area_display()})
        return parts


class ScheduleSlot(TimeStampedModel):
    """One weekly recurrence of a programme (e.g. every Monday 09:00–11:00)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.CASCADE, related_name="slots"
    )
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    start_time = models.TimeField(_("jam mulai"))
    end_time = models.TimeField(_("jam selesai"))
    location = models.CharField(_("tempat"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "programme__facility"

    class Meta:
        verbose_name = _("jadwal mingguan")
        verbose_name_plural = _("jadwal mingguan")
        ordering = ["programme", "weekday", "start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "weekday", "start_time"],
                name="slot_unique_time",
                violation_error_message=_("Jadwal pada hari dan jam ini sudah ada."),
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="slot_times_in_order",
                violation_error_message=_("Jam selesai harus setelah jam mulai."),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class Session(TimeStampedModel):
    """One dated occurrence of a programme. A cancelled session keeps its row."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.CASCADE, related_name="sessions"
    )
    slot = models.ForeignKey(
        ScheduleSlot,
        verbose_name=_("dari jadwal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    date = models.DateField(_("tanggal"))
    start_time = models.TimeField(_("jam mulai"))
    end_time = models.TimeField(_("jam selesai"))
    location = models.CharField(_("tempat"), max_length=200, blank=True)
    topic = models.CharField(_("materi"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SessionStatus.choices,
        default=SessionStatus.SCHEDULED,
    )
    cancel_reason = models.CharField(_("alasan batal"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibatalkan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attendance_taken_at = models.DateTimeField(_("presensi dicatat"), null=True, blank=True)
    attendance_taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presensi oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "programme__facility"

    class Meta:
        verbose_name = _("sesi")
        verbose_name_plural = _("sesi")
        ordering = ["date", "start_time", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "date", "start_time"],
                name="session_unique_time",
                violation_error_message=_("Sesi program ini pada tanggal dan jam itu sudah ada."),
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="session_times_in_order",
                violation_error_message=_("Jam selesai harus setelah jam mulai."),
            ),
            models.CheckConstraint(
                condition=Q(status="scheduled") | ~Q(cancel_reason=""),
                name="session_cancel_has_reason",
                violation_error_message=_("Sesi yang dibatalkan harus punya alasan."),
            ),
        ]
        indexes = [models.Index(fields=["date", "programme"])]

    def __str__(self):
        return f"{self.programme.title} · {self.date:%d-%m-%Y} {self.start_time:%H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    def has_started(self) -> bool:
        """Whether the session's start has come, on the facility's clock."""
        now = timezone.localtime(timezone.now(), self.programme.facility.tzinfo)
        return (self.date, self.start_time) <= (now.date(), now.time())


class Enrolment(TimeStampedModel):
    """An inmate's place in a programme: waitlisted → active → completed | withdrawn | …"""

    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.PROTECT, related_name="enrolments"
    )
    inmate = models.ForeignKey(
        Inmate, verbose_name=_("WBP"), on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(_("status"), max_length=12, choices=EnrolmentStatus.choices)
    waitlist_position = models.PositiveIntegerField(_("urutan tunggu"), null=True, blank=True)
    requested_on = models.DateField(_("didaftarkan"))
    started_on = models.DateField(_("mulai ikut"), null=True, blank=True)
    ended_on = models.DateField(_("berakhir"), null=True, blank=True)
    end_reason = models.CharField(_("alasan berakhir"), max_length=20, blank=True)
    end_note = models.CharField(_("keterangan"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "programme__facility"

    class Meta:
        verbose_name = _("peserta program")
        verbose_name_plural = _("peserta program")
        ordering = ["programme", "status", "waitlist_position", "inmate__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "inmate"],
                condition=Q(status__in=["waitlisted", "active"]),
                name="enrolment_one_open_per_programme",
                violation_error_message=_("WBP ini sudah terdaftar di program ini."),
            ),
            models.CheckConstraint(
                condition=Q(status="waitlisted", waitlist_position__isnull=False)
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="enrolment_position_only_when_waitlisted",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="enrolment_dates_in_order",
                violation_error_message=_("Tanggal berakhir tidak boleh sebelum tanggal mulai."),
            ),
        ]

    def __str__(self):
        return f"{self.inmate.name} · {self.programme.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ENROLMENT

    def get_end_reason_display(self) -> str:
        for choices in (WithdrawReason, SystemEndReason):
            if self.end_reason in choices.values:
                return str(choices(self.end_reason).label)
        if self.end_reason == EnrolmentStatus.COMPLETED:
            return str(EnrolmentStatus.COMPLETED.label)
        return self.end_reason


class EnrolmentEvent(models.Model):
    """One status change of an enrolment: kept for the inmate's timeline."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("peserta"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True)
    on = models.DateField(_("tanggal berlaku"))
    from_status = models.CharField(
        _("dari"), max_length=12, choices=EnrolmentStatus.choices, blank=True
    )
    to_status = models.CharField(_("menjadi"), max_length=12, choices=EnrolmentStatus.choices)
    reason = models.CharField(_("alasan"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "enrolment__programme__facility"

    class Meta:
        verbose_name = _("riwayat status peserta")
        verbose_name_plural = _("riwayat status peserta")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.enrolment}: {self.from_status or '–'} → {self.to_status}"


class Attendance(models.Model):
    """Whether an enrolled inmate attended a session; corrections are kept in history."""

    session = models.ForeignKey(
        Session, verbose_name=_("sesi"), on_delete=models.CASCADE, related_name="attendance"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("peserta"), on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(_("kehadiran"), max_length=8, choices=AttendanceStatus.choices)
    reason = models.CharField(
        _("alasan tidak hadir"), max_length=12, choices=AbsenceReason.choices, blank=True
    )
    note = models.CharField(_("keterangan"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("dicatat"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(verbose_name=_("riwayat presensi"))

    objects = ScopedQuerySet.as_manager()
    scope_path = "session__programme__facility"

    class Meta:
        verbose_name = _("presensi")
        verbose_name_plural = _("presensi")
        ordering = ["session", "enrolment__inmate__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"],
                name="attendance_one_per_session",
                violation_error_message=_("Presensi peserta ini untuk sesi ini sudah ada."),
            ),
            models.CheckConstraint(
                condition=Q(status="present", reason="") | (Q(status="absent") & ~Q(reason="")),
                name="attendance_reason_iff_absent",
                violation_error_message=_("Ketidakhadiran harus punya alasan."),
            ),
        ]

    def __str__(self):
        return f"{self.enrolment.inmate.name} · {self.session}: {self.get_status_display()}"


class Evaluation(TimeStampedModel):
    """A pre- or post-programme measure of an enrolment, for the programme's impact."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("peserta"), on_delete=models.CASCADE, related_name="evaluations"
    )
    kind = models.CharField(_("jenis"), max_length=4, choices=EvaluationKind.choices)
    instrument = models.CharField(_("instrumen"), max_length=200, blank=True)
    score = models.DecimalField(
        _("nilai (0–100)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    assessed_on = models.DateField(_("tanggal"))

    objects = ScopedQuerySet.as_manager()
    scope_path = "enrolment__programme__facility"

    class Meta:
        verbose_name = _("evaluasi")
        verbose_name_plural = _("evaluasi")
        ordering = ["enrolment", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "kind"],
                name="evaluation_one_per_kind",
                violation_error_message=_("Evaluasi jenis ini sudah dicatat untuk peserta ini."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100),
                name="evaluation_score_range",
                violation_error_message=_("Nilai harus antara 0 dan 100."),
            ),
        ]

    def __str__(self):
        return f"{self.enrolment} · {self.get_kind_display()}: {self.score}"


class CertificateCounter(models.Model):
    """The last certificate number used by a facility in a year (one series per facility)."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["facility", "year"], name="certcounter_unique")
        ]

    def __str__(self):
        return f"{self.facility_id}/{self.year}: {self.last}"


def _verification_code() -> str:
    return secrets.token_urlsafe(12)


class Certificate(TimeStampedModel):
    """A certificate of competence for a completed enrolment, checkable by its public code."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("UPT"), on_delete=models.PROTECT, related_name="certificates"
    )
    enrolment = models.OneToOneField(
        Enrolment, verbose_name=_("peserta"), on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(_("nomor"), max_length=60)
    code = models.CharField(
        _("kode verifikasi"), max_length=32, unique=True, default=_verification_code
    )
    competence = models.CharField(_("kompetensi"), max_length=200)
    issuer = models.CharField(_("penerbit"), max_length=200)
    issued_on = models.DateField(_("tanggal terbit"))
    # Who signs, as they were on the day of issue: a reprint years later still names them.
    head_name = models.CharField(_("nama Kepala UPT"), max_length=200, blank=True)
    head_nip = models.CharField(_("NIP Kepala UPT"), max_length=21, blank=True)
    partner_name = models.CharField(_("mitra"), max_length=200, blank=True)
    partner_signatory_name = models.CharField(_("penanda tangan mitra"), max_length=200, blank=True)
    partner_signatory_title = models.CharField(
        _("jabatan penanda tangan mitra"), max_length=200, blank=True
    )
    revoked_on = models.DateField(_("dicabut"), null=True, blank=True)
    revoke_reason = models.CharField(_("alasan pencabutan"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "facility"

    class Meta:
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "number"],
                name="certificate_unique_number",
                violation_error_message=_("Nomor sertifikat ini sudah dipakai."),
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.revoked_on is None

    @property
    def holder_initials(self) -> str:
        return holder_initials(self.enrolment.inmate.name)


def holder_initials(name: str) -> str:
    """ "Sari Wulandari" → "S. W." — all a public page may show of the holder."""
    return " ".join(f"{part[0].upper()}." for part in name.split() if part[:1].isalpha())


class Product(TimeStampedModel):
    """Something made in a programme, with its value in rupiah."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("nama produk"), max_length=200)
    made_on = models.DateField(_("tanggal dibuat"))
    quantity = models.PositiveIntegerField(_("jumlah"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("satuan"), max_length=30, default="buah")
    unit_value = models.DecimalField(
        _("nilai satuan (Rp)"),
        max_digits=14,
        decimal_places=0,
        validators=[MinValueValidator(Decimal(0))],
    )
    disposition = models.CharField(
        _("status"),
        max_length=10,
        choices=ProductDisposition.choices,
        default=ProductDisposition.STOCK,
    )
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "programme__facility"

    class Meta:
        verbose_name = _("produk")
        verbose_name_plural = _("produk")
        ordering = ["-made_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(unit_value__gte=0),
                name="product_quantity_value_positive",
                violation_error_message=_("Jumlah minimal 1 dan nilai tidak boleh negatif."),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.quantity} {self.unit})"

    @property
    def total_value(self) -> Decimal:
        return self.unit_value * self.quantity


class AssimilationPlacement(TimeStampedModel):
    """An inmate's supervised work outside the cells, under an assimilation decree."""

    facility = models.ForeignKey(
        Facility,
        verbose_name=_("UPT"),
        on_delete=models.PROTECT,
        related_name="assimilation_placements",
    )
    inmate = models.ForeignKey(
        Inmate,
        verbose_name=_("WBP"),
        on_delete=models.PROTECT,
        related_name="assimilation_placements",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("program asimilasi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assimilation_placements",
    )
    workplace = models.CharField(_("tempat kerja"), max_length=200)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    supervisor = models.CharField(_("pengawas"), max_length=200)
    decree_reference = models.CharField(_("nomor SK asimilasi"), max_length=200)
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=PlacementStatus.choices,
        default=PlacementStatus.ACTIVE,
    )
    end_reason = models.CharField(_("alasan selesai"), max_length=300, blank=True)
    checks = models.JSONField(_("hasil pemeriksaan syarat"), default=list, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "facility"

    class Meta:
        verbose_name = _("penempatan asimilasi")
        verbose_name_plural = _("penempatan asimilasi")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inmate"],
                condition=Q(status="active"),
                name="assimilation_one_active",
                violation_error_message=_("WBP ini sudah punya penempatan asimilasi berjalan."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="assimilation_dates_in_order",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
        ]

    def __str__(self):
        return f"{self.inmate.name} · {self.workplace}"


class AssimilationLog(models.Model):
    """One day's check-out to and check-in from the assimilation workplace."""

    placement = models.ForeignKey(
        AssimilationPlacement,
        verbose_name=_("penempatan"),
        on_delete=models.CASCADE,
        related_name="logs",
    )
    date = models.DateField(_("tanggal"))
    checked_out_at = models.DateTimeField(_("keluar"))
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_in_at = models.DateTimeField(_("kembali"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "placement__facility"

    class Meta:
        verbose_name = _("log keluar-masuk asimilasi")
        verbose_name_plural = _("log keluar-masuk asimilasi")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "date"],
                name="assimilationlog_one_per_day",
                violation_error_message=_("Hari ini sudah tercatat keluar."),
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(checked_in_at__gte=F("checked_out_at")),
                name="assimilationlog_in_after_out",
                violation_error_message=_("Jam kembali harus setelah jam keluar."),
            ),
        ]

    def __str__(self):
        return f"{self.placement} · {self.date}"

    @property
    def duration(self) -> datetime.timedelta | None:
        if self.checked_in_at is None:
            return None
        return self.checked_in_at - self.checked_out_at
