import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from rutan.core.models import TimeStampedModel
from rutan.core.scoping import ScopedQuerySet
from rutan.facilities.models import Block, BlockSex, Facility, Sex

from .choices import (
    DETAINEE_REGISTERS,
    CaseCategory,
    CoachingStage,
    DisciplinaryStatus,
    EducationLevel,
    InmateStatus,
    LegalStatus,
    PlacementEnd,
    PlacementStart,
    RegisterType,
    ReleaseKind,
    Religion,
)


class StageRule(TimeStampedModel):
    """The fraction of the sentence at which a coaching stage begins.

    Rows without a facility are the national default; a facility row overrides it. The
    fraction is applied to the sentence after remission (expected release − start).
    """

    facility = models.ForeignKey(
        Facility,
        verbose_name=_("UPT"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="stage_rules",
        help_text=_("Kosongkan untuk ketentuan nasional."),
    )
    stage = models.CharField(
        _("tahap"),
        max_length=20,
        choices=[c for c in CoachingStage.choices if c[0] != CoachingStage.ADMISI_ORIENTASI],
    )
    numerator = models.PositiveSmallIntegerField(_("pembilang"))
    denominator = models.PositiveSmallIntegerField(_("penyebut"), validators=[MinValueValidator(1)])
    legal_basis = models.TextField(_("dasar hukum"), blank=True)

    scope_path = "facility"

    class Meta:
        verbose_name = _("ketentuan tahap pembinaan")
        verbose_name_plural = _("ketentuan tahap pembinaan")
        ordering = ["facility_id", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "stage"], name="stagerule_unique", nulls_distinct=False
            ),
            models.CheckConstraint(
                condition=Q(numerator__lte=F("denominator")) & Q(denominator__gt=0),
                name="stagerule_fraction_le_one",
                violation_error_message=_("Pecahan harus antara 0 dan 1."),
            ),
        ]

    def __str__(self):
        where = self.facility or _("Nasional")
        return f"{where}: {self.get_stage_display()} ≥ {self.numerator}/{self.denominator}"


class InmateQuerySet(ScopedQuerySet):
    def with_stage_on(self, stage: str, on: datetime.date):
        """Inmates whose coaching stage on `on` is `stage` (uses the stored stage dates)."""
        starts = {
            CoachingStage.ADMISI_ORIENTASI: "sentence_start",
            CoachingStage.LANJUTAN: "lanjutan_from",
            CoachingStage.ASIMILASI: "asimilasi_from",
            CoachingStage.INTEGRASI: "integrasi_from",
        }
        order = list(starts)
        if stage not in starts:
            return self.none()
        q = Q(**{f"{starts[stage]}__lte": on})
        following = order.index(stage) + 1
        if following < len(order):
            q &= Q(**{f"{starts[order[following]]}__gt": on})
        return self.filter(q)


class Inmate(TimeStampedModel):
    """A WBP (warga binaan pemasyarakatan) held at a facility."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("UPT"), on_delete=models.PROTECT, related_name="inmates"
    )
    registration_number = models.CharField(_("nomor registrasi"), max_length=40)
    register_type = models.CharField(
        _("jenis register"), max_length=6, choices=RegisterType.choices
    )
    legal_status = models.CharField(_("status hukum"), max_length=12, choices=LegalStatus.choices)
    name = models.CharField(_("nama"), max_length=200)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("tanggal lahir"))
    religion = models.CharField(_("agama"), max_length=12, choices=Religion.choices)
    education_level = models.CharField(
        _("pendidikan"), max_length=15, choices=EducationLevel.choices
    )
    case_category = models.CharField(
        _("kategori perkara"), max_length=15, choices=CaseCategory.choices
    )
    case_article = models.CharField(_("pasal"), max_length=200, blank=True)
    admission_date = models.DateField(_("tanggal masuk"))
    sentence_start = models.DateField(_("mulai masa pidana"), null=True, blank=True)
    sentence_years = models.PositiveSmallIntegerField(_("pidana (tahun)"), default=0)
    sentence_months = models.PositiveSmallIntegerField(_("pidana (bulan)"), default=0)
    sentence_days = models.PositiveSmallIntegerField(_("pidana (hari)"), default=0)
    remission_days = models.PositiveIntegerField(_("remisi (hari)"), default=0)
    block = models.ForeignKey(
        Block,
        verbose_name=_("blok"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inmates",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=InmateStatus.choices, default=InmateStatus.ACTIVE
    )
    released_on = models.DateField(_("tanggal bebas"), null=True, blank=True)
    release_kind = models.CharField(
        _("jenis pembebasan"), max_length=25, choices=ReleaseKind.choices, blank=True
    )
    # Derived from the sentence and the stage rules by the service; stored so that lists and
    # reports can filter by stage in SQL.
    expected_release_date = models.DateField(_("perkiraan bebas"), null=True, blank=True)
    lanjutan_from = models.DateField(_("tahap lanjutan mulai"), null=True, blank=True)
    asimilasi_from = models.DateField(_("tahap asimilasi mulai"), null=True, blank=True)
    integrasi_from = models.DateField(_("tahap integrasi mulai"), null=True, blank=True)

    objects = InmateQuerySet.as_manager()
    scope_path = "facility"

    class Meta:
        verbose_name = _("WBP")
        verbose_name_plural = _("WBP")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "registration_number"],
                name="inmate_unique_registration",
                violation_error_message=_("Nomor registrasi ini sudah dipakai di UPT ini."),
            ),
            models.CheckConstraint(
                condition=Q(released_on__isnull=True) | Q(released_on__gte=F("admission_date")),
                name="inmate_release_after_admission",
                violation_error_message=_("Tanggal bebas tidak boleh sebelum tanggal masuk."),
            ),
            models.CheckConstraint(
                condition=Q(birth_date__lt=F("admission_date")),
                name="inmate_birth_before_admission",
                violation_error_message=_("Tanggal lahir harus sebelum tanggal masuk."),
            ),
        ]
        indexes = [
            models.Index(fields=["facility", "status"]),
            models.Index(fields=["facility", "name"]),
        ]

    def __str__(self):
        return f"{self.name} ({self.registration_number})"

    @property
    def has_sentence(self) -> bool:
        return self.sentence_start is not None and bool(
            self.sentence_years or self.sentence_months or self.sentence_days
        )

    def full_term_end(self) -> datetime.date | None:
        if not self.has_sentence:
            return None
        return self.sentence_start + relativedelta(
            years=self.sentence_years, months=self.sentence_months, days=self.sentence_days
        )

    def compute_expected_release(self) -> datetime.date | None:
        end = self.full_term_end()
        if end is None:
            return None
        return max(end - datetime.timedelta(days=self.remission_days), self.sentence_start)

    def stage_on(self, on: datetime.date | None = None) -> str | None:
        """The coaching stage on `on` from the stored stage dates (None for a detainee)."""
        if not self.has_sentence or self.lanjutan_from is None:
            return None
        on = on or self.facility.today()
        if self.integrasi_from and on >= self.integrasi_from:
            return CoachingStage.INTEGRASI
        if self.asimilasi_from and on >= self.asimilasi_from:
            return CoachingStage.ASIMILASI
        if on >= self.lanjutan_from:
            return CoachingStage.LANJUTAN
        return CoachingStage.ADMISI_ORIENTASI

    @property
    def stage(self) -> str | None:
        return self.stage_on()

    def get_stage_display(self):
        stage = self.stage
        return CoachingStage(stage).label if stage else _("— (belum berputusan)")

    def clean(self):
        errors = {}
        is_detainee = self.register_type in DETAINEE_REGISTERS
        if self.register_type and self.legal_status:
            expected = LegalStatus.TAHANAN if is_detainee else LegalStatus.NARAPIDANA
            if self.legal_status != expected:
                errors["legal_status"] = _(
                    "Register %(register)s berarti status hukum %(status)s."
                ) % {"register": self.register_type, "status": expected.label}
        if self.legal_status == LegalStatus.NARAPIDANA:
            if not self.sentence_start:
                errors["sentence_start"] = _("Narapidana harus memiliki tanggal mulai pidana.")
            elif not (self.sentence_years or self.sentence_months or self.sentence_days):
                errors["sentence_years"] = _("Lama pidana harus lebih dari nol.")
        if self.birth_date and self.admission_date and self.birth_date >= self.admission_date:
            errors["birth_date"] = _("Tanggal lahir harus sebelum tanggal masuk.")
        if self.admission_date and self.facility_id and self.admission_date > self.facility.today():
            errors["admission_date"] = _("Tanggal masuk tidak boleh di masa depan.")
        if self.has_sentence and self.admission_date:
            release = self.compute_expected_release()
            if release and release < self.admission_date:
                errors["remission_days"] = _(
                    "Perkiraan bebas (%(date)s) jatuh sebelum tanggal masuk; periksa lama "
                    "pidana dan remisi."
                ) % {"date": release.strftime("%d-%m-%Y")}
        if self.block_id and self.facility_id and self.block.facility_id != self.facility_id:
            errors["block"] = _("Blok ini bukan milik UPT tersebut.")
        if self.block_id and self.sex and self.block.sex not in (BlockSex.MIXED, self.sex):
            errors["block"] = _("Blok ini untuk %(sex)s.") % {
                "sex": BlockSex(self.block.sex).label.lower()
            }
        if errors:
            raise ValidationError(errors)


class Placement(TimeStampedModel):
    """Where an inmate was held from `start_date` until the day before `end_date`."""

    inmate = models.ForeignKey(
        Inmate, verbose_name=_("WBP"), on_delete=models.CASCADE, related_name="placements"
    )
    facility = models.ForeignKey(
        Facility, verbose_name=_("UPT"), on_delete=models.PROTECT, related_name="placements"
    )
    block = models.ForeignKey(
        Block, verbose_name=_("blok"), null=True, blank=True, on_delete=models.PROTECT
    )
    start_date = models.DateField(_("mulai"))
    start_reason = models.CharField(
        _("alasan mulai"), max_length=20, choices=PlacementStart.choices
    )
    end_date = models.DateField(_("selesai"), null=True, blank=True)
    end_reason = models.CharField(
        _("alasan selesai"), max_length=20, choices=PlacementEnd.choices, blank=True
    )
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "inmate__facility"

    class Meta:
        verbose_name = _("penempatan")
        verbose_name_plural = _("riwayat penempatan")
        ordering = ["inmate", "start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="placement_dates_in_order",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
            models.UniqueConstraint(
                fields=["inmate"],
                condition=Q(end_date__isnull=True),
                name="placement_one_open",
                violation_error_message=_("WBP hanya boleh memiliki satu penempatan berjalan."),
            ),
        ]

    def __str__(self):
        where = f"{self.facility} / {self.block}" if self.block_id else str(self.facility)
        return f"{self.inmate.name}: {where} ({self.start_date} – {self.end_date or '…'})"


class DisciplinaryEntry(TimeStampedModel):
    """A Register F entry: a breach of discipline and its sanction."""

    inmate = models.ForeignKey(
        Inmate,
        verbose_name=_("WBP"),
        on_delete=models.CASCADE,
        related_name="disciplinary_entries",
    )
    facility = models.ForeignKey(
        Facility, verbose_name=_("UPT tempat kejadian"), on_delete=models.PROTECT, related_name="+"
    )
    occurred_on = models.DateField(_("tanggal kejadian"))
    offence = models.TextField(_("pelanggaran"))
    sanction = models.CharField(_("hukuman disiplin"), max_length=200)
    sanction_until = models.DateField(_("hukuman berakhir"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DisciplinaryStatus.choices,
        default=DisciplinaryStatus.OPEN,
    )
    closed_on = models.DateField(_("ditutup"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "inmate__facility"

    class Meta:
        verbose_name = _("register F")
        verbose_name_plural = _("register F")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sanction_until__isnull=True) | Q(sanction_until__gte=F("occurred_on")),
                name="discipline_dates_in_order",
                violation_error_message=_("Akhir hukuman tidak boleh sebelum tanggal kejadian."),
            ),
        ]

    def __str__(self):
        return f"{self.inmate.name}: {self.sanction} ({self.occurred_on})"
