import datetime
import uuid

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from rutan.core.models import TimeStampedModel
from rutan.core.scoping import ScopedQuerySet
from rutan.core.validators import validate_person_name
from rutan.facilities.models import Block, BlockSex, Facility, Sex

from .choices import (
    DETAINEE_REGISTERS,
    TERM_SENTENCES,
    CaseCategory,
    CoachingStage,
    DetentionAuthority,
    DetentionKind,
    DetentionOrder,
    DisciplinaryStatus,
    EducationLevel,
    InmateStatus,
    LegalStatus,
    MonthReading,
    PlacementEnd,
    PlacementStart,
    RegisterType,
    ReleaseKind,
    Religion,
    RemisiKind,
    RemisiReading,
    SentenceKind,
    VerdictCourt,
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


# The stored date each coaching stage starts on, in the order the stages follow each other.
STAGE_STARTS = {
    CoachingStage.ADMISI_ORIENTASI: "sentence_start",
    CoachingStage.LANJUTAN: "lanjutan_from",
    CoachingStage.ASIMILASI: "asimilasi_from",
    CoachingStage.INTEGRASI: "integrasi_from",
}


def stage_on_q(stage: str, on: datetime.date, *, prefix: str = "") -> Q:
    """The condition "the coaching stage on `on` is `stage`" on the stored stage dates, a
    plain condition that joins the caller's query (no subquery over every inmate).

    A stage holds from its start date until the day before the next stage starts (a missing
    next date, as for a detainee, matches nothing). `prefix` is the path to the inmate from
    the model queried, e.g. "inmate__" from a placement. An unknown stage matches nothing.
    """
    order = list(STAGE_STARTS)
    if stage not in STAGE_STARTS:
        return Q(pk__in=[])
    q = Q(**{f"{prefix}{STAGE_STARTS[stage]}__lte": on})
    following = order.index(stage) + 1
    if following < len(order):
        q &= Q(**{f"{prefix}{STAGE_STARTS[order[following]]}__gt": on})
    return q


class InmateQuerySet(ScopedQuerySet):
    def with_stage_on(self, stage: str, on: datetime.date):
        """Inmates whose coaching stage on `on` is `stage` (uses the stored stage dates)."""
        if stage not in STAGE_STARTS:
            return self.none()
        return self.filter(stage_on_q(stage, on))


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
    name = models.CharField(_("nama"), max_length=200, validators=[validate_person_name])
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
    # The custody and sentence fields below are copies kept by the services from the
    # detention periods, the verdict and the remisi ledger, so that lists filter in SQL.
    custody_start = models.DateField(_("hari pertama penahanan"), null=True, blank=True)
    sentence_kind = models.CharField(
        _("jenis pidana"), max_length=15, choices=SentenceKind.choices, blank=True
    )
    sentence_start = models.DateField(
        _("masa pidana dihitung mulai"),
        null=True,
        blank=True,
        help_text=_("Hari pertama penahanan, digeser oleh pengurangan penahanan rumah/kota."),
    )
    sentence_years = models.PositiveSmallIntegerField(_("pidana (tahun)"), default=0)
    sentence_months = models.PositiveSmallIntegerField(_("pidana (bulan)"), default=0)
    sentence_days = models.PositiveSmallIntegerField(_("pidana (hari)"), default=0)
    substitute_months = models.PositiveSmallIntegerField(
        _("kurungan pengganti denda (bulan)"), default=0
    )
    substitute_days = models.PositiveSmallIntegerField(
        _("kurungan pengganti denda (hari)"), default=0
    )
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
    # Set by `inmate_anonymise` when the retention period after release has passed: the
    # personal fields then read REDACTION_MARK and the record only counts in figures.
    anonymised_at = models.DateTimeField(_("dianonimkan pada"), null=True, blank=True)

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
            # The register's order (name, id) over active rows, national and per facility.
            models.Index(fields=["status", "name", "id"], name="inmate_status_name"),
            models.Index(fields=["name", "id"], name="inmate_name"),
            models.Index(
                fields=["facility", "status", "name", "id"], name="inmate_fac_status_name"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.registration_number})"

    @property
    def is_detainee(self) -> bool:
        return self.legal_status == LegalStatus.TAHANAN

    @property
    def has_sentence(self) -> bool:
        """A sentenced inmate with a term of years, months or days: the fraction dates exist.

        Detainees, life and death sentences have none."""
        return (
            self.legal_status == LegalStatus.NARAPIDANA
            and self.sentence_kind in TERM_SENTENCES
            and self.sentence_start is not None
            and bool(self.sentence_years or self.sentence_months or self.sentence_days)
        )

    def full_term_end(self) -> datetime.date | None:
        """The end of the term before remisi: start + sentence + unpaid-fine substitute."""
        if not self.has_sentence:
            return None
        return self.sentence_start + relativedelta(
            years=self.sentence_years,
            months=self.sentence_months + self.substitute_months,
            days=self.sentence_days + self.substitute_days,
        )

    def sentence_months_total(self) -> float:
        """The main sentence in months (days as 1/30), for conditions on sentence length."""
        return 12 * self.sentence_years + self.sentence_months + self.sentence_days / 30

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
        if stage:
            return CoachingStage(stage).label
        if self.sentence_kind == SentenceKind.SEUMUR_HIDUP:
            return _("— (seumur hidup: tanpa tanggal pecahan)")
        if self.sentence_kind == SentenceKind.MATI:
            return _("— (pidana mati: tanpa tanggal pecahan)")
        return _("— (belum berputusan)")

    def clean(self):
        errors = {}
        is_detainee = self.register_type in DETAINEE_REGISTERS
        if self.register_type and self.legal_status:
            expected = LegalStatus.TAHANAN if is_detainee else LegalStatus.NARAPIDANA
            if self.legal_status != expected:
                errors["legal_status"] = _(
                    "Register %(register)s berarti status hukum %(status)s."
                ) % {"register": self.register_type, "status": expected.label}
        if self.legal_status == LegalStatus.NARAPIDANA and not self.sentence_kind:
            errors["legal_status"] = _("Narapidana harus memiliki putusan; catat putusannya.")
        if self.legal_status == LegalStatus.TAHANAN and self.sentence_kind:
            errors["legal_status"] = _("Tahanan belum memiliki putusan pidana.")
        if self.birth_date and self.admission_date and self.birth_date >= self.admission_date:
            errors["birth_date"] = _("Tanggal lahir harus sebelum tanggal masuk.")
        if self.admission_date and self.facility_id and self.admission_date > self.facility.today():
            errors["admission_date"] = _("Tanggal masuk tidak boleh di masa depan.")
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


class InmateJob(models.TextChoices):
    """Kinds of the register's scheduled jobs, named as their Celery tasks."""

    CUSTODY_ALERTS = "inmates.custody_alerts", _("Peringatan masa penahanan")
    ANONYMISE_RELEASED = "inmates.anonymise_released", _("Anonimisasi WBP bebas")


class CustodyAlertDigest(models.Model):
    """That one facility's custody alerts of one day were e-mailed (the key stops repeats)."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("UPT"), on_delete=models.CASCADE, related_name="+"
    )
    on = models.DateField(_("tanggal"))
    alerts = models.PositiveIntegerField(_("jumlah peringatan"))
    recipients = models.TextField(_("penerima"))
    sent_at = models.DateTimeField(_("dikirim"), auto_now_add=True)

    class Meta:
        verbose_name = _("kiriman peringatan penahanan")
        verbose_name_plural = _("kiriman peringatan penahanan")
        constraints = [
            models.UniqueConstraint(fields=["facility", "on"], name="custody_digest_once_a_day")
        ]

    def __str__(self):
        return f"{self.facility} {self.on}"


class _LegalRule(TimeStampedModel):
    legal_basis = models.TextField(_("dasar hukum"))

    class Meta:
        abstract = True


class DetentionCredit(_LegalRule):
    """How much of a detention of one kind is deducted from the sentence (KUHAP 22(5))."""

    kind = models.CharField(
        _("jenis penahanan"), max_length=10, choices=DetentionKind.choices, unique=True
    )
    numerator = models.PositiveSmallIntegerField(_("pembilang"))
    denominator = models.PositiveSmallIntegerField(_("penyebut"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("pengurangan masa penahanan")
        verbose_name_plural = _("pengurangan masa penahanan")
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(numerator__lte=F("denominator")) & Q(denominator__gt=0),
                name="detentioncredit_fraction_le_one",
                violation_error_message=_("Pecahan harus antara 0 dan 1."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.numerator}/{self.denominator}"


class WarrantLimit(_LegalRule):
    """The longest detention one warrant of an authority may order (KUHAP Pasal 24–29)."""

    authority = models.CharField(
        _("instansi / tingkat pemeriksaan"), max_length=20, choices=DetentionAuthority.choices
    )
    order = models.CharField(_("jenis surat"), max_length=20, choices=DetentionOrder.choices)
    max_days = models.PositiveSmallIntegerField(_("paling lama (hari)"))
    max_count = models.PositiveSmallIntegerField(
        _("paling banyak (kali)"), default=1, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("batas masa penahanan")
        verbose_name_plural = _("batas masa penahanan")
        ordering = ["authority", "order"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "order"], name="warrantlimit_unique"),
        ]

    def __str__(self):
        return f"{self.get_authority_display()} – {self.get_order_display()}: {self.max_days}"


class RegisterRule(_LegalRule):
    """Which register B a sentence belongs to: the first rule whose limit the term fits."""

    register_type = models.CharField(
        _("jenis register"), max_length=6, choices=RegisterType.choices, unique=True
    )
    up_to_months = models.PositiveSmallIntegerField(
        _("pidana sampai (bulan)"),
        null=True,
        blank=True,
        help_text=_("Kosongkan untuk register tanpa batas atas (juga seumur hidup dan mati)."),
    )

    class Meta:
        verbose_name = _("ketentuan register narapidana")
        verbose_name_plural = _("ketentuan register narapidana")
        ordering = [F("up_to_months").asc(nulls_last=True)]

    def __str__(self):
        return self.get_register_type_display()


class ReckoningSetting(_LegalRule):
    """The readings used where practice differs; a facility row overrides the national one."""

    facility = models.OneToOneField(
        Facility,
        verbose_name=_("UPT"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reckoning_setting",
        help_text=_("Kosongkan untuk ketentuan nasional."),
    )
    remisi_reading = models.CharField(
        _("perhitungan remisi dalam pecahan"),
        max_length=12,
        choices=RemisiReading.choices,
        default=RemisiReading.OFF_BASE,
    )
    month_reading = models.CharField(
        _("perhitungan bulan"),
        max_length=10,
        choices=MonthReading.choices,
        default=MonthReading.THIRTY_DAYS,
    )

    scope_path = "facility"

    class Meta:
        verbose_name = _("cara perhitungan masa pidana")
        verbose_name_plural = _("cara perhitungan masa pidana")
        constraints = [
            models.UniqueConstraint(
                fields=["facility"], name="reckoning_one_per_scope", nulls_distinct=False
            ),
        ]

    def __str__(self):
        return str(self.facility or _("Nasional"))


class DetentionPeriod(TimeStampedModel):
    """One warrant (surat perintah / penetapan penahanan): who detains, where, from–to."""

    inmate = models.ForeignKey(
        Inmate, verbose_name=_("WBP"), on_delete=models.CASCADE, related_name="detention_periods"
    )
    authority = models.CharField(
        _("instansi / tingkat pemeriksaan"), max_length=20, choices=DetentionAuthority.choices
    )
    order = models.CharField(
        _("jenis surat"),
        max_length=20,
        choices=DetentionOrder.choices,
        default=DetentionOrder.PENAHANAN,
    )
    kind = models.CharField(
        _("jenis penahanan"),
        max_length=10,
        choices=DetentionKind.choices,
        default=DetentionKind.RUTAN,
    )
    warrant_number = models.CharField(_("nomor surat"), max_length=100)
    warrant_date = models.DateField(_("tanggal surat"), null=True, blank=True)
    start = models.DateField(_("mulai"))
    end = models.DateField(_("sampai"))
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "inmate__facility"

    class Meta:
        verbose_name = _("masa penahanan")
        verbose_name_plural = _("masa penahanan")
        ordering = ["inmate", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="detention_end_after_start",
                violation_error_message=_("Tanggal akhir penahanan tidak boleh sebelum mulai."),
            ),
        ]
        indexes = [models.Index(fields=["inmate", "end"])]

    def __str__(self):
        return f"{self.get_authority_display()} {self.warrant_number} ({self.start} – {self.end})"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class Verdict(TimeStampedModel):
    """The final court verdict (putusan berkekuatan hukum tetap) that makes a detainee a
    sentenced inmate."""

    inmate = models.OneToOneField(
        Inmate, verbose_name=_("WBP"), on_delete=models.CASCADE, related_name="verdict"
    )
    court = models.CharField(_("tingkat pengadilan"), max_length=20, choices=VerdictCourt.choices)
    court_name = models.CharField(_("nama pengadilan"), max_length=200)
    number = models.CharField(_("nomor putusan"), max_length=100)
    decided_on = models.DateField(_("tanggal putusan"))
    final_on = models.DateField(_("tanggal berkekuatan hukum tetap"))
    sentence_kind = models.CharField(_("jenis pidana"), max_length=15, choices=SentenceKind.choices)
    years = models.PositiveSmallIntegerField(_("tahun"), default=0)
    months = models.PositiveSmallIntegerField(_("bulan"), default=0)
    days = models.PositiveSmallIntegerField(_("hari"), default=0)
    fine = models.PositiveBigIntegerField(_("denda (Rp)"), default=0)
    substitute_months = models.PositiveSmallIntegerField(_("kurungan pengganti (bulan)"), default=0)
    substitute_days = models.PositiveSmallIntegerField(_("kurungan pengganti (hari)"), default=0)
    fine_paid = models.BooleanField(_("denda dibayar"), default=False)

    objects = ScopedQuerySet.as_manager()
    scope_path = "inmate__facility"

    class Meta:
        verbose_name = _("putusan")
        verbose_name_plural = _("putusan")
        constraints = [
            models.CheckConstraint(
                condition=Q(final_on__gte=F("decided_on")),
                name="verdict_final_after_decision",
                violation_error_message=_(
                    "Tanggal berkekuatan hukum tetap tidak boleh sebelum tanggal putusan."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(sentence_kind__in=sorted(TERM_SENTENCES))
                    & (Q(years__gt=0) | Q(months__gt=0) | Q(days__gt=0))
                )
                | (
                    Q(sentence_kind__in=[SentenceKind.SEUMUR_HIDUP, SentenceKind.MATI])
                    & Q(years=0, months=0, days=0)
                ),
                name="verdict_term_matches_kind",
                violation_error_message=_(
                    "Pidana penjara/kurungan memerlukan lama pidana; seumur hidup dan mati tidak."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.court_name} {self.number}"

    @property
    def has_term(self) -> bool:
        return self.sentence_kind in TERM_SENTENCES


class RemisiGrant(TimeStampedModel):
    """One remisi granted by decree; the ledger's sum shortens the sentence."""

    inmate = models.ForeignKey(
        Inmate, verbose_name=_("WBP"), on_delete=models.CASCADE, related_name="remisi_grants"
    )
    kind = models.CharField(_("jenis remisi"), max_length=15, choices=RemisiKind.choices)
    decree_number = models.CharField(_("nomor keputusan"), max_length=100)
    decree_date = models.DateField(_("tanggal keputusan"))
    months = models.PositiveSmallIntegerField(_("bulan"), default=0)
    days = models.PositiveSmallIntegerField(_("hari"), default=0)
    note = models.CharField(_("keterangan"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "inmate__facility"

    class Meta:
        verbose_name = _("remisi")
        verbose_name_plural = _("remisi")
        ordering = ["inmate", "decree_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(months__gt=0) | Q(days__gt=0),
                name="remisi_not_empty",
                violation_error_message=_("Remisi harus lebih dari nol."),
            ),
            models.UniqueConstraint(
                fields=["inmate", "decree_number", "kind"],
                name="remisi_unique_decree",
                violation_error_message=_("Remisi dengan keputusan ini sudah tercatat."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.decree_number}"


def register_import_path(instance, filename: str) -> str:
    # Only migration 0008 refers to this (imports now live in rutan.imports).
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return f"private/register-imports/{datetime.date.today():%Y/%m}/{uuid.uuid4().hex}{suffix}"
