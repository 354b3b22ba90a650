from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from rutan.core.choices import ProgrammeArea, Script
from rutan.core.models import LiteracyLevel, TimeStampedModel
from rutan.core.scoping import ScopedQuerySet
from rutan.facilities.models import Facility, FollowUpItem
from rutan.inmates.choices import CaseCategory
from rutan.inmates.models import Inmate

from .choices import (
    AssessmentStatus,
    EligibilityKind,
    FindingSeverity,
    SurveyKind,
)

SCORE_VALIDATORS = [
    MinValueValidator(0, message=_("Nilai paling kecil 0.")),
    MaxValueValidator(100, message=_("Nilai paling besar 100.")),
]


class InmateAssessment(TimeStampedModel):
    """What every assessment of an inmate has: who, when, how, what it recommends, status.

    `facility` is where the assessment was made; scope follows the inmate's current facility.
    """

    inmate = models.ForeignKey(Inmate, verbose_name=_("WBP"), on_delete=models.CASCADE)
    facility = models.ForeignKey(
        Facility, verbose_name=_("UPT"), on_delete=models.PROTECT, related_name="+"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asesor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessed_on = models.DateField(_("tanggal asesmen"))
    instrument = models.CharField(_("instrumen"), max_length=200, blank=True)
    recommendation = models.TextField(_("rekomendasi"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    finalised_at = models.DateTimeField(_("difinalkan"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("difinalkan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "inmate__facility"

    class Meta:
        abstract = True
        ordering = ["-assessed_on", "-id"]

    def __str__(self):
        return f"{self._meta.verbose_name}: {self.inmate.name} ({self.assessed_on:%d-%m-%Y})"

    @property
    def is_final(self) -> bool:
        return self.status == AssessmentStatus.FINAL


class PsychologicalAssessment(InmateAssessment):
    """A psychological assessment. Findings and notes are stored encrypted (Fernet) and are
    read only through `services.psych_confidential_read`, which checks the role and audits."""

    scores = models.JSONField(
        _("skor"), default=dict, blank=True, help_text=_("Skala dan nilainya, mis. stres: 12.")
    )
    findings_encrypted = models.TextField(_("temuan (terenkripsi)"), blank=True, editable=False)
    notes_encrypted = models.TextField(
        _("catatan konseling (terenkripsi)"), blank=True, editable=False
    )
    by_intern = models.BooleanField(
        _("dilakukan peserta magang"),
        default=False,
        help_text=_("Asesmen oleh peserta magang tetap draf sampai ditandatangani psikolog."),
    )

    class Meta(InmateAssessment.Meta):
        verbose_name = _("asesmen psikologis")
        verbose_name_plural = _("asesmen psikologis")
        indexes = [models.Index(fields=["inmate", "assessed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(finalised_by__isnull=False),
                name="psych_final_has_signer",
                violation_error_message=_("Asesmen final harus ditandatangani."),
            ),
        ]

    def clean(self):
        if not isinstance(self.scores, dict) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in self.scores.values()
        ):
            raise ValidationError({"scores": _("Skor harus berupa pasangan nama skala dan angka.")})


class LiteracyAssessment(InmateAssessment):
    """Literacy in one script; its level is one of that script's track (LiteracyLevel)."""

    script = models.CharField(_("aksara"), max_length=12, choices=Script.choices)
    level = models.ForeignKey(
        LiteracyLevel, verbose_name=_("tingkat"), on_delete=models.PROTECT, related_name="+"
    )
    reading_score = models.PositiveSmallIntegerField(
        _("nilai membaca"), validators=SCORE_VALIDATORS
    )
    writing_score = models.PositiveSmallIntegerField(
        _("nilai menulis"), validators=SCORE_VALIDATORS
    )
    numeracy_score = models.PositiveSmallIntegerField(
        _("nilai berhitung"), validators=SCORE_VALIDATORS
    )

    class Meta(InmateAssessment.Meta):
        verbose_name = _("asesmen literasi")
        verbose_name_plural = _("asesmen literasi")
        indexes = [models.Index(fields=["inmate", "assessed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(reading_score__lte=100)
                & Q(writing_score__lte=100)
                & Q(numeracy_score__lte=100),
                name="literacy_scores_le_100",
                violation_error_message=_("Nilai paling besar 100."),
            ),
        ]

    def clean(self):
        if self.level_id and self.script and self.level.script != self.script:
            raise ValidationError(
                {
                    "level": _(
                        "Tingkat %(level)s termasuk aksara %(track)s, bukan aksara %(script)s; "
                        "pilih tingkat aksara %(script)s."
                    )
                    % {
                        "level": self.level.display_label,
                        "track": self.level.get_script_display(),
                        "script": self.get_script_display(),
                    }
                }
            )


class InterestAssessment(InmateAssessment):
    """Asesmen minat: programme areas ranked by the inmate's interest, first = strongest."""

    areas = models.JSONField(_("bidang minat (berurutan)"), default=list)
    notes = models.TextField(_("catatan"), blank=True)

    class Meta(InmateAssessment.Meta):
        verbose_name = _("asesmen minat")
        verbose_name_plural = _("asesmen minat")
        indexes = [models.Index(fields=["inmate", "assessed_on"])]

    def clean(self):
        areas = self.areas if isinstance(self.areas, list) else None
        if not areas:
            raise ValidationError({"areas": _("Pilih paling sedikit satu bidang minat.")})
        unknown = [a for a in areas if a not in ProgrammeArea.values]
        if unknown:
            raise ValidationError(
                {"areas": _("Bidang tidak dikenal: %(areas)s.") % {"areas": ", ".join(unknown)}}
            )
        if len(set(areas)) != len(areas):
            raise ValidationError({"areas": _("Setiap bidang hanya boleh dipilih sekali.")})

    def area_labels(self) -> list[str]:
        return [str(ProgrammeArea(a).label) for a in self.areas if a in ProgrammeArea.values]


class BehaviourScore(InmateAssessment):
    """SPPN: one monthly score per inmate on four aspects (0–100 each)."""

    month = models.DateField(_("bulan"), help_text=_("Tanggal 1 bulan yang dinilai."))
    kepribadian = models.PositiveSmallIntegerField(_("kepribadian"), validators=SCORE_VALIDATORS)
    kemandirian = models.PositiveSmallIntegerField(_("kemandirian"), validators=SCORE_VALIDATORS)
    sikap = models.PositiveSmallIntegerField(_("sikap"), validators=SCORE_VALIDATORS)
    kondisi_mental = models.PositiveSmallIntegerField(
        _("kondisi mental"), validators=SCORE_VALIDATORS
    )
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    ASPECTS = ("kepribadian", "kemandirian", "sikap", "kondisi_mental")

    class Meta:
        verbose_name = _("nilai SPPN")
        verbose_name_plural = _("nilai SPPN")
        ordering = ["-month", "inmate__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inmate", "month"],
                name="sppn_one_per_inmate_month",
                violation_error_message=_("WBP ini sudah memiliki nilai SPPN untuk bulan itu."),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="sppn_month_is_first_day",
                violation_error_message=_("Bulan SPPN disimpan sebagai tanggal 1."),
            ),
            models.CheckConstraint(
                condition=Q(kepribadian__lte=100)
                & Q(kemandirian__lte=100)
                & Q(sikap__lte=100)
                & Q(kondisi_mental__lte=100),
                name="sppn_scores_le_100",
                violation_error_message=_("Nilai paling besar 100."),
            ),
        ]

    def __str__(self):
        return f"SPPN {self.inmate.name} {self.month:%m/%Y}"

    @property
    def average(self) -> float:
        return sum(getattr(self, a) for a in self.ASPECTS) / len(self.ASPECTS)


class CounsellingSession(TimeStampedModel):
    """A counselling session. Its notes are confidential like psychological findings."""

    inmate = models.ForeignKey(Inmate, verbose_name=_("WBP"), on_delete=models.CASCADE)
    facility = models.ForeignKey(
        Facility, verbose_name=_("UPT"), on_delete=models.PROTECT, related_name="+"
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("konselor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_on = models.DateField(_("tanggal"))
    topic = models.CharField(_("topik"), max_length=200)
    notes_encrypted = models.TextField(_("catatan (terenkripsi)"), blank=True, editable=False)
    follow_up_on = models.DateField(_("tindak lanjut pada"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "inmate__facility"

    class Meta:
        verbose_name = _("sesi konseling")
        verbose_name_plural = _("sesi konseling")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_on__isnull=True) | Q(follow_up_on__gte=F("held_on")),
                name="counselling_follow_up_after_session",
                violation_error_message=_("Tanggal tindak lanjut tidak boleh sebelum sesi."),
            ),
        ]

    def __str__(self):
        return f"{self.topic} — {self.inmate.name} ({self.held_on:%d-%m-%Y})"


class EligibilityRule(TimeStampedModel):
    """The thresholds of one kind of assimilation / integration right, as data.

    A row without a facility is the national default; a facility row replaces it for that
    facility. Fractions apply to the sentence after remission (expected release − start).
    """

    facility = models.ForeignKey(
        Facility,
        verbose_name=_("UPT"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="eligibility_rules",
        help_text=_("Kosongkan untuk ketentuan nasional."),
    )
    kind = models.CharField(_("jenis"), max_length=25, choices=EligibilityKind.choices)
    numerator = models.PositiveSmallIntegerField(_("pembilang masa pidana"))
    denominator = models.PositiveSmallIntegerField(
        _("penyebut masa pidana"), validators=[MinValueValidator(1)]
    )
    special_numerator = models.PositiveSmallIntegerField(_("pembilang (tindak pidana khusus)"))
    special_denominator = models.PositiveSmallIntegerField(
        _("penyebut (tindak pidana khusus)"), validators=[MinValueValidator(1)]
    )
    special_case_categories = models.JSONField(
        _("kategori tindak pidana khusus"),
        default=list,
        blank=True,
        help_text=_("Kode kategori perkara yang memakai ketentuan khusus."),
    )
    min_served_months = models.PositiveSmallIntegerField(
        _("paling sedikit telah menjalani (bulan)"), default=0
    )
    max_sentence_months = models.PositiveSmallIntegerField(
        _("pidana paling lama (bulan)"),
        null=True,
        blank=True,
        help_text=_("Kosongkan bila tidak ada batas lama pidana."),
    )
    before_release_months = models.PositiveSmallIntegerField(
        _("paling cepat … bulan sebelum bebas"),
        null=True,
        blank=True,
        help_text=_("Mis. cuti menjelang bebas: paling lama 6 bulan sebelum bebas."),
    )
    behaviour_months = models.PositiveSmallIntegerField(
        _("berkelakuan baik (bulan terakhir)"), default=6
    )
    behaviour_months_special = models.PositiveSmallIntegerField(
        _("berkelakuan baik, tindak pidana khusus (bulan)"), default=9
    )
    sppn_min_average = models.PositiveSmallIntegerField(
        _("rata-rata SPPN paling rendah"), default=60, validators=SCORE_VALIDATORS
    )
    requires_guarantor = models.BooleanField(_("memerlukan penjamin"), default=False)
    legal_basis = models.TextField(_("dasar hukum"))

    objects = ScopedQuerySet.as_manager()
    scope_path = "facility"

    class Meta:
        verbose_name = _("ketentuan hak integrasi/asimilasi")
        verbose_name_plural = _("ketentuan hak integrasi/asimilasi")
        ordering = ["facility_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "kind"],
                name="eligibilityrule_unique",
                nulls_distinct=False,
                violation_error_message=_("Ketentuan untuk jenis ini sudah ada."),
            ),
            models.CheckConstraint(
                condition=Q(numerator__lte=F("denominator"))
                & Q(special_numerator__lte=F("special_denominator"))
                & Q(denominator__gt=0)
                & Q(special_denominator__gt=0),
                name="eligibilityrule_fraction_le_one",
                violation_error_message=_("Pecahan harus antara 0 dan 1."),
            ),
        ]

    def __str__(self):
        where = self.facility or _("Nasional")
        return f"{where}: {self.get_kind_display()}"

    def clean(self):
        categories = self.special_case_categories
        if not isinstance(categories, list) or any(
            c not in CaseCategory.values for c in categories
        ):
            raise ValidationError(
                {"special_case_categories": _("Gunakan kode kategori perkara yang dikenal.")}
            )
        if self.denominator and self.numerator and self.numerator > self.denominator:
            raise ValidationError({"numerator": _("Pecahan harus antara 0 dan 1.")})
        if (
            self.special_denominator
            and self.special_numerator
            and self.special_numerator > self.special_denominator
        ):
            raise ValidationError({"special_numerator": _("Pecahan harus antara 0 dan 1.")})


class FacilitySurvey(TimeStampedModel):
    """A facility-level assessment (kitchen nutrition survey, electrical check)."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("UPT"), on_delete=models.PROTECT, related_name="surveys"
    )
    kind = models.CharField(_("jenis"), max_length=25, choices=SurveyKind.choices)
    title = models.CharField(_("judul"), max_length=200)
    surveyed_on = models.DateField(_("tanggal"))
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penanggung jawab"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    participants = models.CharField(
        _("pelaksana lain"), max_length=300, blank=True, help_text=_("Mis. peserta magang.")
    )
    place = models.CharField(_("lokasi"), max_length=200, blank=True)
    instrument = models.CharField(_("instrumen / daftar periksa"), max_length=200, blank=True)
    summary = models.TextField(_("ringkasan hasil"))
    recommendation = models.TextField(_("rekomendasi"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "facility"

    class Meta:
        verbose_name = _("survei fasilitas")
        verbose_name_plural = _("survei fasilitas")
        ordering = ["-surveyed_on", "-id"]

    def __str__(self):
        return f"{self.title} ({self.surveyed_on:%d-%m-%Y})"


class SurveyFinding(TimeStampedModel):
    """One finding of a survey; each one opens a facility follow-up item."""

    survey = models.ForeignKey(
        FacilitySurvey, verbose_name=_("survei"), on_delete=models.CASCADE, related_name="findings"
    )
    title = models.CharField(_("temuan"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    place = models.CharField(_("lokasi"), max_length=200, blank=True)
    severity = models.CharField(
        _("tingkat"), max_length=10, choices=FindingSeverity.choices, default=FindingSeverity.MEDIUM
    )
    follow_up = models.OneToOneField(
        FollowUpItem,
        verbose_name=_("tindak lanjut"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_finding",
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "survey__facility"

    class Meta:
        verbose_name = _("temuan survei")
        verbose_name_plural = _("temuan survei")
        ordering = ["survey", "id"]

    def __str__(self):
        return self.title
