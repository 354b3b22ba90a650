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
    ConditionCode,
    ConditionVariant,
    EligibilityKind,
    FindingSeverity,
    SurveyKind,
    WindowAnchor,
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
    """A psychological assessment. Scores, findings and notes are stored encrypted (Fernet) and
    are read only through `services.psych_confidential_read`, which checks the role and audits.
    """

    scores_encrypted = models.TextField(_("skor (terenkripsi)"), blank=True, editable=False)
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
    """One right (asimilasi, CMK, PB, CB, CMB) as data: its conditions, the crime categories
    that take the special conditions, and the steps of the proposal.

    A row without a facility is the national default; a facility row replaces it (with all
    its conditions, categories and steps) for that facility.
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
    instead_kind = models.CharField(
        _("bila tidak berlaku, lihat"),
        max_length=25,
        choices=EligibilityKind.choices,
        blank=True,
        help_text=_("Hak yang disarankan bila lama pidana tidak memenuhi, mis. PB → CB."),
    )
    legal_basis = models.TextField(_("dasar hukum (ringkasan)"))

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
        ]

    def __str__(self):
        where = self.facility or _("Nasional")
        return f"{where}: {self.get_kind_display()}"

    def clean(self):
        if self.instead_kind and self.instead_kind == self.kind:
            raise ValidationError({"instead_kind": _("Pilih hak yang lain.")})


class LegalBasis(models.Model):
    """Where a condition comes from: regulation, article, paragraph, letter (or a chapter
    when the article is not certain), so a registry officer can look it up."""

    regulation = models.CharField(
        _("peraturan"),
        max_length=200,
        default="Permenkumham No. 3 Tahun 2018 jo. Permenkumham No. 7 Tahun 2022",
    )
    article = models.CharField(_("pasal"), max_length=20, blank=True)
    paragraph = models.CharField(_("ayat"), max_length=10, blank=True)
    letter = models.CharField(_("huruf"), max_length=10, blank=True)
    basis_note = models.CharField(
        _("keterangan dasar hukum"),
        max_length=300,
        blank=True,
        help_text=_("Mis. bab yang mengatur, bila nomor pasal tidak dicantumkan."),
    )

    class Meta:
        abstract = True

    @property
    def basis_display(self) -> str:
        parts = [self.regulation]
        if self.article:
            parts.append(_("Pasal %(n)s") % {"n": self.article})
        if self.paragraph:
            parts.append(_("ayat (%(n)s)") % {"n": self.paragraph})
        if self.letter:
            parts.append(_("huruf %(n)s") % {"n": self.letter})
        text = " ".join(str(p) for p in parts if p)
        return f"{text}, {self.basis_note}" if self.basis_note else text


class EligibilityCondition(TimeStampedModel, LegalBasis):
    """One condition of a right with its parameters and its exact legal basis.

    What the parameters mean depends on the code: `masa_pidana` uses the fraction and
    `months` as "that fraction at least N months" (else the right does not apply);
    `lama_pidana` / `lama_pidana_min` use `months` as the longest / shortest sentence;
    `register_f` and `sppn` use `months` as the window and `window_anchor` as where it is
    counted back from (`sppn` also `min_average`); `lama_cuti` uses `months` as the cap of
    the leave (equal to the latest remisi); `penjamin` uses `guarantor_kinds` (empty: any).
    """

    rule = models.ForeignKey(
        EligibilityRule,
        verbose_name=_("ketentuan"),
        on_delete=models.CASCADE,
        related_name="conditions",
    )
    code = models.CharField(_("syarat"), max_length=20, choices=ConditionCode.choices)
    variant = models.CharField(
        _("berlaku bagi"),
        max_length=10,
        choices=ConditionVariant.choices,
        default=ConditionVariant.SEMUA,
    )
    numerator = models.PositiveSmallIntegerField(_("pembilang"), null=True, blank=True)
    denominator = models.PositiveSmallIntegerField(
        _("penyebut"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    months = models.PositiveSmallIntegerField(_("bulan"), null=True, blank=True)
    window_anchor = models.CharField(
        _("kurun waktu dihitung"), max_length=10, choices=WindowAnchor.choices, blank=True
    )
    min_average = models.PositiveSmallIntegerField(
        _("rata-rata paling rendah"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    guarantor_kinds = models.JSONField(
        _("jenis penjamin yang diterima"),
        default=list,
        blank=True,
        help_text=_('Kosongkan untuk semua jenis; mis. ["keluarga"] untuk CMK.'),
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "rule__facility"

    class Meta:
        verbose_name = _("syarat hak")
        verbose_name_plural = _("syarat hak")
        ordering = ["rule", "code", "variant"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "code", "variant"],
                name="eligibilitycondition_unique",
                violation_error_message=_("Syarat ini sudah ada untuk kelompok tersebut."),
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True)
                | (Q(denominator__gt=0) & Q(numerator__lte=F("denominator"))),
                name="eligibilitycondition_fraction_le_one",
                violation_error_message=_("Pecahan harus antara 0 dan 1."),
            ),
        ]

    def __str__(self):
        return f"{self.rule}: {self.get_code_display()} ({self.get_variant_display()})"

    def clean(self):
        errors = {}
        needs = {
            ConditionCode.MASA_PIDANA: ["numerator", "denominator"],
            ConditionCode.LAMA_PIDANA: ["months"],
            ConditionCode.LAMA_PIDANA_MIN: ["months"],
            ConditionCode.LAMA_CUTI: ["months"],
            ConditionCode.REGISTER_F: ["window_anchor"],
            ConditionCode.SPPN: ["window_anchor", "min_average"],
        }
        for name in needs.get(self.code, []):
            if getattr(self, name) in (None, ""):
                errors[name] = _("Wajib diisi untuk syarat ini.")
        if (
            self.code in (ConditionCode.REGISTER_F, ConditionCode.SPPN)
            and self.window_anchor != WindowAnchor.YEAR
            and not self.months
        ):
            errors["months"] = _("Isi lamanya kurun waktu (bulan).")
        if self.numerator and self.denominator and self.numerator > self.denominator:
            errors["numerator"] = _("Pecahan harus antara 0 dan 1.")
        kinds = self.guarantor_kinds
        if not isinstance(kinds, list) or any(k not in guarantor_kind_codes() for k in kinds):
            errors["guarantor_kinds"] = _("Gunakan jenis penjamin yang dikenal: %(codes)s.") % {
                "codes": ", ".join(guarantor_kind_codes())
            }
        if errors:
            raise ValidationError(errors)


def guarantor_kind_codes() -> list[str]:
    """The guarantor kinds the partners app knows (keluarga, perorangan, mitra)."""
    try:
        from partners.models import GuarantorKind
    except ImportError:
        return []
    return list(GuarantorKind.values)


class EligibilitySpecialCategory(TimeStampedModel, LegalBasis):
    """A crime category that takes a right's special conditions, from a minimum sentence
    (e.g. narkotika from 5 years, Permenkumham 7/2022; terorisme and korupsi any length)."""

    rule = models.ForeignKey(
        EligibilityRule,
        verbose_name=_("ketentuan"),
        on_delete=models.CASCADE,
        related_name="special_categories",
    )
    case_category = models.CharField(
        _("kategori perkara"), max_length=15, choices=CaseCategory.choices
    )
    min_sentence_months = models.PositiveSmallIntegerField(
        _("bila pidana paling singkat (bulan)"),
        default=0,
        help_text=_("0: berapa pun lamanya; 60: pidana 5 tahun atau lebih."),
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "rule__facility"

    class Meta:
        verbose_name = _("kategori tindak pidana khusus")
        verbose_name_plural = _("kategori tindak pidana khusus")
        ordering = ["rule", "case_category"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "case_category"],
                name="eligibilityspecialcategory_unique",
                violation_error_message=_("Kategori ini sudah tercatat untuk ketentuan ini."),
            ),
        ]

    def __str__(self):
        return f"{self.rule}: {self.get_case_category_display()} ≥ {self.min_sentence_months}"


class RightStep(TimeStampedModel, LegalBasis):
    """One step of proposing a right (Litmas, sidang TPP, surat jaminan, usulan, SK), as data.

    `variant` and `case_categories` narrow a step to some inmates (e.g. PB for narkotika
    ≥ 5 years: asimilasi for ½ of the remaining term)."""

    rule = models.ForeignKey(
        EligibilityRule, verbose_name=_("ketentuan"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    code = models.SlugField(_("kode langkah"), max_length=40)
    label = models.CharField(_("langkah"), max_length=200)
    variant = models.CharField(
        _("berlaku bagi"),
        max_length=10,
        choices=ConditionVariant.choices,
        default=ConditionVariant.SEMUA,
    )
    case_categories = models.JSONField(
        _("hanya kategori perkara"),
        default=list,
        blank=True,
        help_text=_("Kosongkan untuk semua kategori."),
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "rule__facility"

    class Meta:
        verbose_name = _("langkah usulan hak")
        verbose_name_plural = _("langkah usulan hak")
        ordering = ["rule", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "code"],
                name="rightstep_unique",
                violation_error_message=_("Kode langkah ini sudah ada untuk ketentuan ini."),
            ),
        ]

    def __str__(self):
        return f"{self.rule}: {self.label}"

    def clean(self):
        categories = self.case_categories
        if not isinstance(categories, list) or any(
            c not in CaseCategory.values for c in categories
        ):
            raise ValidationError(
                {"case_categories": _("Gunakan kode kategori perkara yang dikenal.")}
            )


class RightProposal(TimeStampedModel):
    """The proposal of one right for one inmate: the steps done so far (`steps`).

    One open proposal per inmate and right; it closes when every step is done (a right such
    as CMK may then be proposed again)."""

    inmate = models.ForeignKey(
        Inmate, verbose_name=_("WBP"), on_delete=models.CASCADE, related_name="right_proposals"
    )
    kind = models.CharField(_("hak"), max_length=25, choices=EligibilityKind.choices)
    opened_on = models.DateField(_("dibuka"))
    closed_on = models.DateField(_("selesai"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "inmate__facility"

    class Meta:
        verbose_name = _("usulan hak")
        verbose_name_plural = _("usulan hak")
        ordering = ["inmate", "kind", "-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inmate", "kind"],
                condition=Q(closed_on__isnull=True),
                name="rightproposal_one_open",
                violation_error_message=_("WBP ini sudah memiliki usulan yang berjalan."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="rightproposal_closed_after_opened",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum dibuka."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.inmate}"


class RightProposalStep(TimeStampedModel):
    """That one step of a proposal was done: when, under which reference, by whom."""

    proposal = models.ForeignKey(
        RightProposal, verbose_name=_("usulan"), on_delete=models.CASCADE, related_name="steps"
    )
    code = models.SlugField(_("kode langkah"), max_length=40)
    label = models.CharField(_("langkah"), max_length=200)
    done_on = models.DateField(_("tanggal selesai"))
    reference = models.CharField(
        _("nomor / rujukan"),
        max_length=200,
        blank=True,
        help_text=_("Mis. nomor SK, berita acara."),
    )
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "proposal__inmate__facility"

    class Meta:
        verbose_name = _("langkah usulan")
        verbose_name_plural = _("langkah usulan")
        ordering = ["proposal", "done_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "code"],
                name="rightproposalstep_unique",
                violation_error_message=_("Langkah ini sudah dicatat."),
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.done_on:%d-%m-%Y})"


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


class EligibilityStanding(models.Model):
    """One right of one inmate as judged on the facility's date (`assessments.standings`):
    the day its time condition is met and whether every condition holds that day. Derived
    data, rebuilt with the facility's `EligibilityBook`; only rights that apply are kept."""

    inmate = models.ForeignKey(
        Inmate, verbose_name=_("WBP"), on_delete=models.CASCADE, related_name="standings"
    )
    facility = models.ForeignKey(
        Facility, verbose_name=_("UPT"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("hak"), max_length=25, choices=EligibilityKind.choices)
    time_date = models.DateField(_("syarat waktu terpenuhi"))
    eligible = models.BooleanField(_("memenuhi semua syarat"))

    objects = ScopedQuerySet.as_manager()
    scope_path = "facility"

    class Meta:
        verbose_name = _("kedudukan hak")
        verbose_name_plural = _("kedudukan hak")
        constraints = [
            models.UniqueConstraint(fields=["inmate", "kind"], name="standing_one_per_right"),
        ]
        indexes = [
            models.Index(fields=["facility", "kind", "time_date"], name="standing_time"),
            models.Index(
                fields=["facility", "kind"], condition=Q(eligible=True), name="standing_eligible"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.inmate_id}"


class EligibilityBook(models.Model):
    """When a facility's standings were last judged: for which date and at which version of
    what eligibility reads (`freshness.version_key` over `standings.input_tables()`, read
    before judging). Standings whose book is of another date or version are not shown."""

    facility = models.OneToOneField(
        Facility,
        verbose_name=_("UPT"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="eligibility_book",
    )
    judged_on = models.DateField(_("dinilai untuk tanggal"))
    version = models.CharField(_("versi data"), max_length=40)
    judged_at = models.DateTimeField(_("dinilai pada"))
    seconds = models.FloatField(_("lama penilaian (detik)"))
    inmates = models.PositiveIntegerField(_("WBP dinilai"))
    # {kind: message} of rights whose rule is missing (a set-up gap, shown on the dashboard).
    problems = models.JSONField(_("masalah"), default=dict, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "facility"

    class Meta:
        verbose_name = _("buku kedudukan hak")
        verbose_name_plural = _("buku kedudukan hak")

    def __str__(self):
        return f"{self.facility_id} {self.judged_on:%Y-%m-%d}"
