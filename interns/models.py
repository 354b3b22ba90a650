import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from rutan.core.models import TimeStampedModel
from rutan.core.scoping import ScopedQuerySet


class Batch(TimeStampedModel):
    """A cohort of interns at one facility, e.g. "Magang Nasional Batch III" (about 6 months)."""

    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("UPT"),
        on_delete=models.PROTECT,
        related_name="intern_batches",
    )
    name = models.CharField(_("nama angkatan"), max_length=200)
    start_on = models.DateField(_("mulai"))
    end_on = models.DateField(_("selesai"))
    programme_name = models.CharField(
        _("program"), max_length=200, blank=True, default="Program Magang Nasional Kemnaker"
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "facility"

    class Meta:
        verbose_name = _("angkatan magang")
        verbose_name_plural = _("angkatan magang")
        ordering = ["-start_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "name"], name="batch_unique_name"),
            models.CheckConstraint(
                condition=models.Q(end_on__gte=models.F("start_on")),
                name="batch_end_after_start",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError(
                {"end_on": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")}
            )


class Intern(TimeStampedModel):
    """A Magang Nasional participant: their account, campus and mentor."""

    batch = models.ForeignKey(
        Batch, verbose_name=_("angkatan"), on_delete=models.PROTECT, related_name="interns"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        on_delete=models.PROTECT,
        related_name="intern_profile",
    )
    campus = models.CharField(_("perguruan tinggi"), max_length=200)
    study_programme = models.CharField(_("program studi"), max_length=200)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentees",
    )
    unit = models.CharField(_("unit penempatan"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "batch__facility"

    class Meta:
        verbose_name = _("peserta magang")
        verbose_name_plural = _("peserta magang")
        ordering = ["batch", "user__full_name"]

    def __str__(self):
        return str(self.user)

    @property
    def facility(self):
        return self.batch.facility

    @property
    def facility_id(self):
        return self.batch.facility_id


class DailyAttendance(TimeStampedModel):
    """One day's check-in and check-out of an intern; the day is the facility's local date."""

    intern = models.ForeignKey(
        Intern, verbose_name=_("peserta"), on_delete=models.CASCADE, related_name="attendance"
    )
    on = models.DateField(_("tanggal"))
    check_in = models.DateTimeField(_("datang"))
    check_out = models.DateTimeField(_("pulang"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "intern__batch__facility"

    class Meta:
        verbose_name = _("kehadiran harian")
        verbose_name_plural = _("kehadiran harian")
        ordering = ["-on"]
        constraints = [
            models.UniqueConstraint(fields=["intern", "on"], name="attendance_one_per_day"),
        ]

    def __str__(self):
        return f"{self.intern} · {self.on:%Y-%m-%d}"


class LogType(models.TextChoices):
    SURVEI_GIZI_DAPUR = "survei_gizi_dapur", _("Survei gizi dapur")
    ASESMEN_PSIKOLOGIS = "asesmen_psikologis", _("Asesmen psikologis")
    KONSELING = "konseling", _("Konseling")
    ASESMEN_LITERASI = "asesmen_literasi", _("Asesmen literasi")
    PEMERIKSAAN_LISTRIK = "pemeriksaan_listrik", _("Pemeriksaan listrik")
    FASILITASI_PEMBINAAN = "fasilitasi_pembinaan", _("Fasilitasi pembinaan")
    LAINNYA = "lainnya", _("Lainnya")


class LogStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Dikembalikan")
    RESUBMITTED = "resubmitted", _("Diajukan ulang")
    APPROVED = "approved", _("Disetujui")


EDITABLE_STATUSES = (LogStatus.DRAFT, LogStatus.RETURNED)

# The assessment a log may link to, by field, and the one activity type it belongs to.
ASSESSMENT_LINKS = {
    "psych_assessment": LogType.ASESMEN_PSIKOLOGIS,
    "literacy_assessment": LogType.ASESMEN_LITERASI,
}
AWAITING_REVIEW = (LogStatus.SUBMITTED, LogStatus.RESUBMITTED)


class ActivityLog(TimeStampedModel):
    """What an intern did on one day. Drafts may be incomplete; submission checks the rest."""

    intern = models.ForeignKey(
        Intern, verbose_name=_("peserta"), on_delete=models.PROTECT, related_name="logs"
    )
    # Made by the form when it is first shown, so autosave and submit update one draft.
    client_key = models.UUIDField(_("kunci draf"), default=uuid.uuid4, editable=False)
    on = models.DateField(_("tanggal"))
    start_time = models.TimeField(_("mulai"), null=True, blank=True)
    end_time = models.TimeField(_("selesai"), null=True, blank=True)
    hours = models.DecimalField(
        _("jumlah jam"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    log_type = models.CharField(
        _("jenis kegiatan"), max_length=30, choices=LogType.choices, blank=True
    )
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    block = models.ForeignKey(
        "facilities.Block",
        verbose_name=_("blok"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    people_reached = models.PositiveIntegerField(_("jumlah orang terlayani"), null=True, blank=True)
    description = models.TextField(_("uraian kegiatan"), blank=True)
    findings = models.TextField(_("temuan"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=LogStatus.choices, default=LogStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("ditinjau pada"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditinjau oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_comment = models.TextField(_("catatan mentor"), blank=True)
    auto_approved = models.BooleanField(_("disetujui otomatis"), default=False)
    session = models.ForeignKey(
        "programmes.Session",
        verbose_name=_("sesi program"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="intern_logs",
    )
    follow_up = models.ForeignKey(
        "facilities.FollowUpItem",
        verbose_name=_("tindak lanjut"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    psych_assessment = models.ForeignKey(
        "assessments.PsychologicalAssessment",
        verbose_name=_("asesmen psikologis"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="intern_logs",
    )
    literacy_assessment = models.ForeignKey(
        "assessments.LiteracyAssessment",
        verbose_name=_("asesmen literasi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="intern_logs",
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "intern__batch__facility"

    class Meta:
        verbose_name = _("catatan kegiatan")
        verbose_name_plural = _("catatan kegiatan")
        ordering = ["-on", "-start_time", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["intern", "client_key"], name="log_unique_client_key"),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return f"{self.on:%d-%m-%Y} · {self.get_log_type_display() or _('kegiatan')}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def awaiting_review(self) -> bool:
        return self.status in AWAITING_REVIEW

    @property
    def effective_hours(self):
        """Hours as entered, or computed from start and end time."""
        if self.hours is not None:
            return self.hours
        if self.start_time and self.end_time and self.end_time > self.start_time:
            day = datetime.date(2000, 1, 1)
            delta = datetime.datetime.combine(day, self.end_time) - datetime.datetime.combine(
                day, self.start_time
            )
            return round(delta.total_seconds() / 3600, 2)
        return None

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("Jam selesai harus sesudah jam mulai.")})
        if self.block_id and self.intern_id and self.block.facility_id != self.intern.facility_id:
            raise ValidationError({"block": _("Blok tidak ada di UPT ini.")})
        if (
            self.session_id
            and self.intern_id
            and self.session.programme.facility_id != self.intern.facility_id
        ):
            raise ValidationError({"session": _("Sesi program tidak ada di UPT ini.")})
        errors = {}
        for name, log_type in ASSESSMENT_LINKS.items():
            assessment = getattr(self, name) if getattr(self, f"{name}_id") else None
            if assessment is None:
                continue
            if self.log_type != log_type:
                errors[name] = _(
                    "%(assessment)s hanya dapat dikaitkan dengan kegiatan jenis %(type)s."
                ) % {
                    "assessment": capfirst(assessment._meta.verbose_name),
                    "type": LogType(log_type).label,
                }
            elif self.intern_id and assessment.facility_id != self.intern.facility_id:
                errors[name] = _("Asesmen ini tidak dilakukan di UPT Anda.")
        if errors:
            raise ValidationError(errors)


def photo_path(instance, filename):
    return f"interns/photos/{instance.log.intern_id}/{uuid.uuid4().hex}.jpg"


class LogPhoto(models.Model):
    """A photo of an activity: re-encoded as JPEG without EXIF, kept in private media."""

    log = models.ForeignKey(
        ActivityLog, verbose_name=_("catatan"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("foto"), upload_to=photo_path, max_length=200)
    width = models.PositiveIntegerField(_("lebar"))
    height = models.PositiveIntegerField(_("tinggi"))
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "log__intern__batch__facility"

    class Meta:
        verbose_name = _("foto kegiatan")
        verbose_name_plural = _("foto kegiatan")
        ordering = ["id"]

    def __str__(self):
        return f"{self.log} · {self.pk}"


class ReviewAction(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan")
    RESUBMITTED = "resubmitted", _("Diajukan ulang")
    RETURNED = "returned", _("Dikembalikan")
    APPROVED = "approved", _("Disetujui")
    AUTO_APPROVED = "auto_approved", _("Disetujui otomatis")


class LogReview(models.Model):
    """One step of a log's review: who moved it where, when, and what the mentor said."""

    log = models.ForeignKey(
        ActivityLog, verbose_name=_("catatan"), on_delete=models.CASCADE, related_name="reviews"
    )
    action = models.CharField(_("tindakan"), max_length=15, choices=ReviewAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("waktu"))
    comment = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("riwayat tinjauan")
        verbose_name_plural = _("riwayat tinjauan")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.log} · {self.get_action_display()}"


SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class MonthlyEvaluation(TimeStampedModel):
    """The mentor's evaluation of one intern for one month (scores 1–5), due on the 1st after."""

    intern = models.ForeignKey(
        Intern, verbose_name=_("peserta"), on_delete=models.CASCADE, related_name="evaluations"
    )
    month = models.DateField(_("bulan"), help_text=_("Tanggal 1 bulan yang dinilai."))
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    discipline = models.PositiveSmallIntegerField(_("kedisiplinan"), validators=SCORE_VALIDATORS)
    initiative = models.PositiveSmallIntegerField(_("inisiatif"), validators=SCORE_VALIDATORS)
    competence = models.PositiveSmallIntegerField(_("kompetensi"), validators=SCORE_VALIDATORS)
    teamwork = models.PositiveSmallIntegerField(_("kerja sama"), validators=SCORE_VALIDATORS)
    comment = models.TextField(_("catatan"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "intern__batch__facility"

    class Meta:
        verbose_name = _("evaluasi bulanan")
        verbose_name_plural = _("evaluasi bulanan")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["intern", "month"], name="evaluation_one_per_month"),
        ]

    def __str__(self):
        return f"{self.intern} · {self.month:%m-%Y}"

    @property
    def average(self):
        return round((self.discipline + self.initiative + self.competence + self.teamwork) / 4, 2)

    def clean(self):
        if self.month and self.month.day != 1:
            raise ValidationError({"month": _("Bulan dicatat sebagai tanggal 1.")})


class InternJob(models.TextChoices):
    """Kinds of the interns app's scheduled jobs, recorded as core JobRun rows."""

    AUTO_APPROVE_LOGS = "interns.auto_approve_logs", _("Persetujuan otomatis log magang")
