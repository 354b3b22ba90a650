import datetime
import uuid

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rutan.core.models import TimeStampedModel
from rutan.core.scoping import ScopedQuerySet
from rutan.core.validators import validate_person_name
from rutan.facilities.models import Facility
from rutan.inmates.models import Inmate

from .validators import mask_nik, validate_nik


class PartnerType(models.TextChoices):
    YAYASAN = "yayasan", _("Yayasan / LSM")
    GOVERNMENT = "pemerintah", _("Instansi pemerintah")
    COMPANY = "usaha", _("Perusahaan / UMKM")
    SCHOOL = "pendidikan", _("Sekolah / lembaga pelatihan")
    RELIGIOUS = "keagamaan", _("Organisasi keagamaan")
    UNIVERSITY = "perguruan_tinggi", _("Perguruan tinggi")


class AgreementKind(models.TextChoices):
    MOU = "mou", _("MoU (nota kesepahaman)")
    PKS = "pks", _("PKS (perjanjian kerja sama)")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    ACTIVE = "active", _("Berlaku")
    EXPIRED = "expired", _("Berakhir")
    TERMINATED = "terminated", _("Diputus")


class Side(models.TextChoices):
    FACILITY = "facility", _("Pihak UPT")
    PARTNER = "partner", _("Pihak mitra")
    BOTH = "both", _("Kedua pihak")


class SignatoryRole(models.TextChoices):
    SIGNATORY = "signatory", _("Penandatangan")
    WITNESS = "witness", _("Saksi")


class ContributionKind(models.TextChoices):
    TRAINER = "trainer", _("Instruktur / narasumber")
    MATERIAL = "material", _("Bahan / peralatan")
    HOURS = "hours", _("Jam pendampingan")
    MONEY = "money", _("Dana")
    OTHER = "other", _("Lainnya")


class GuarantorKind(models.TextChoices):
    """Who guarantees: usually the family; another person, or a partner organisation."""

    KELUARGA = "keluarga", _("Keluarga")
    PERORANGAN = "perorangan", _("Perorangan lain")
    MITRA = "mitra", _("Mitra (organisasi)")


class GuaranteeStatus(models.TextChoices):
    ACTIVE = "active", _("Berlaku")
    REVOKED = "revoked", _("Dicabut")


class PartnerJob(models.TextChoices):
    """Kinds of the partners app's daily jobs, named as their Celery tasks."""

    EXPIRE_AGREEMENTS = "partners.expire_agreements", _("Kedaluwarsa PKS otomatis")
    SEND_EXPIRY_ALERTS = "partners.send_expiry_alerts", _("Pengingat PKS yang akan berakhir")


def _private_name(prefix: str, filename: str) -> str:
    # Never keep the uploader's file name: it may carry personal data or path tricks.
    return f"private/partners/{prefix}/{datetime.date.today():%Y/%m}/{uuid.uuid4().hex}.pdf"


def agreement_document_path(instance, filename: str) -> str:
    return _private_name("agreements", filename)


def guarantee_letter_path(instance, filename: str) -> str:
    return _private_name("guarantees", filename)


class Partner(TimeStampedModel):
    """An organisation that helps a facility run its coaching (foundation, unit, business…)."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("UPT"), on_delete=models.PROTECT, related_name="partners"
    )
    name = models.CharField(_("nama"), max_length=200)
    partner_type = models.CharField(_("jenis mitra"), max_length=20, choices=PartnerType.choices)
    address = models.TextField(_("alamat"), blank=True)
    city = models.CharField(_("kota/kabupaten"), max_length=100, blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("situs web"), blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_path = "facility"

    class Meta:
        verbose_name = _("mitra")
        verbose_name_plural = _("mitra")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "name"],
                name="partner_unique_name_per_facility",
                violation_error_message=_("Mitra dengan nama ini sudah terdaftar di UPT ini."),
            )
        ]

    def __str__(self):
        return self.name


class PartnerContact(TimeStampedModel):
    partner = models.ForeignKey(
        Partner, verbose_name=_("mitra"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("nama"), max_length=200, validators=[validate_person_name])
    role = models.CharField(_("jabatan"), max_length=150, blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "partner__facility"

    class Meta:
        verbose_name = _("kontak mitra")
        verbose_name_plural = _("kontak mitra")
        ordering = ["partner_id", "name", "id"]

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name


def in_force_q(day: datetime.date) -> Q:
    """Agreements in force on `day`: put into force, valid that day and not ended before it.

    Also true of an agreement that has expired or been terminated since, so a report of a
    past month counts what was in force then, not what is in force when it is built.
    """
    return Q(
        status__in=[AgreementStatus.ACTIVE, AgreementStatus.EXPIRED, AgreementStatus.TERMINATED],
        valid_from__lte=day,
        valid_to__gte=day,
    ) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def ending_q(day: datetime.date, within_days: int) -> Q:
    """In force on `day` and ending within `within_days` after it."""
    return in_force_q(day) & Q(valid_to__lte=day + datetime.timedelta(days=within_days))


def expiring_q(today: datetime.date, within_days: int) -> Q:
    """Active agreements whose last valid day falls in [today, today + within_days], unless
    a renewal of theirs is already in force (nothing is about to lapse)."""
    return Q(
        status=AgreementStatus.ACTIVE,
        valid_to__gte=today,
        valid_to__lte=today + datetime.timedelta(days=within_days),
    ) & ~Q(renewal__status=AgreementStatus.ACTIVE)


class AgreementQuerySet(ScopedQuerySet):
    def expiring(self, *, today: datetime.date, within_days: int):
        return self.filter(expiring_q(today, within_days))


class Agreement(TimeStampedModel):
    """An MoU or PKS between a facility and a partner, with its lifecycle.

    Status moves only through the services: draft → active → expired | terminated.
    A renewal is a new agreement whose `renewed_from` points at the old one.
    """

    facility = models.ForeignKey(
        Facility, verbose_name=_("UPT"), on_delete=models.PROTECT, related_name="agreements"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("mitra"), on_delete=models.PROTECT, related_name="agreements"
    )
    kind = models.CharField(_("jenis"), max_length=5, choices=AgreementKind.choices)
    number = models.CharField(_("nomor"), max_length=100)
    partner_number = models.CharField(_("nomor pihak mitra"), max_length=100, blank=True)
    title = models.CharField(_("judul"), max_length=300)
    purpose = models.TextField(_("maksud dan tujuan"), blank=True)
    signed_on = models.DateField(_("tanggal penandatanganan"), null=True, blank=True)
    signed_at_place = models.CharField(_("tempat penandatanganan"), max_length=150, blank=True)
    valid_from = models.DateField(_("berlaku mulai"))
    valid_to = models.DateField(_("berlaku sampai"))
    document = models.FileField(
        _("dokumen bertanda tangan (PDF)"),
        upload_to=agreement_document_path,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    activated_on = models.DateField(_("diaktifkan"), null=True, blank=True)
    ended_on = models.DateField(_("berakhir pada"), null=True, blank=True)
    termination_reason = models.TextField(_("alasan pemutusan"), blank=True)
    renewed_from = models.OneToOneField(
        "self",
        verbose_name=_("perpanjangan dari"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = AgreementQuerySet.as_manager()
    scope_path = "facility"

    class Meta:
        verbose_name = _("perjanjian kerja sama")
        verbose_name_plural = _("perjanjian kerja sama")
        ordering = ["-valid_to", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "number"],
                name="agreement_unique_number_per_facility",
                violation_error_message=_("Nomor perjanjian ini sudah dipakai di UPT ini."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__gte=F("valid_from")),
                name="agreement_valid_to_after_from",
                violation_error_message=_("Tanggal akhir berlaku tidak boleh sebelum mulai."),
            ),
            models.CheckConstraint(
                condition=~Q(status="terminated") | ~Q(termination_reason=""),
                name="agreement_terminated_has_reason",
                violation_error_message=_("Perjanjian yang diputus harus punya alasan."),
            ),
        ]
        indexes = [models.Index(fields=["facility", "status", "valid_to"])]

    def __str__(self):
        return f"{self.get_kind_display().split(' ')[0]} {self.number} — {self.partner.name}"

    def days_left(self, today: datetime.date) -> int:
        return (self.valid_to - today).days

    @property
    def renewed(self) -> bool:
        """Active, and its renewal is in force too (read with select_related("renewal"))."""
        if self.status != AgreementStatus.ACTIVE:
            return False
        try:
            return self.renewal.status == AgreementStatus.ACTIVE
        except ObjectDoesNotExist:
            return False

    @property
    def status_code(self) -> str:
        """The status as pages style it: "renewed" for an active agreement already renewed."""
        return "renewed" if self.renewed else self.status

    @property
    def status_label(self) -> str:
        """The status as staff read it: an active agreement whose renewal is in force says so,
        so the two versions do not both read "Berlaku"."""
        if self.renewed:
            return _("Berlaku, sudah diperpanjang (%(number)s)") % {"number": self.renewal.number}
        return self.get_status_display()


class ScopeItem(TimeStampedModel):
    """One item of the agreement's scope: what a side promised, and by when."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("perjanjian"),
        on_delete=models.CASCADE,
        related_name="scope_items",
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    description = models.TextField(_("uraian"))
    owner = models.CharField(
        _("dilaksanakan oleh"), max_length=10, choices=Side.choices, default=Side.PARTNER
    )
    due_on = models.DateField(_("tenggat"), null=True, blank=True)
    done_on = models.DateField(_("selesai"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "agreement__facility"

    class Meta:
        verbose_name = _("ruang lingkup / kewajiban")
        verbose_name_plural = _("ruang lingkup / kewajiban")
        ordering = ["agreement_id", "position", "id"]

    def __str__(self):
        return self.description[:80]


class Signatory(TimeStampedModel):
    """A person who signed or witnessed an agreement, for one side."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("perjanjian"),
        on_delete=models.CASCADE,
        related_name="signatories",
    )
    side = models.CharField(
        _("pihak"),
        max_length=10,
        choices=[c for c in Side.choices if c[0] != Side.BOTH],
    )
    role = models.CharField(
        _("peran"), max_length=10, choices=SignatoryRole.choices, default=SignatoryRole.SIGNATORY
    )
    name = models.CharField(_("nama"), max_length=200, validators=[validate_person_name])
    title = models.CharField(_("jabatan"), max_length=200)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_path = "agreement__facility"

    class Meta:
        verbose_name = _("penandatangan / saksi")
        verbose_name_plural = _("penandatangan dan saksi")
        ordering = ["agreement_id", "role", "side", "position", "id"]

    def __str__(self):
        return f"{self.name}, {self.title}"


class Contribution(TimeStampedModel):
    """What a partner actually gave under an agreement (trainers, material, hours, money)."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("perjanjian"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    given_on = models.DateField(_("tanggal"))
    kind = models.CharField(_("jenis"), max_length=10, choices=ContributionKind.choices)
    description = models.CharField(_("uraian"), max_length=300)
    quantity = models.DecimalField(
        _("jumlah"),
        max_digits=10,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(_("satuan"), max_length=40, blank=True)
    hours = models.DecimalField(
        _("jam"), max_digits=8, decimal_places=1, default=0, validators=[MinValueValidator(0)]
    )
    value_idr = models.DecimalField(
        _("nilai setara (Rp)"),
        max_digits=14,
        decimal_places=0,
        default=0,
        validators=[MinValueValidator(0)],
    )
    state_budget_idr = models.DecimalField(
        _("biaya dari anggaran negara (Rp)"),
        max_digits=14,
        decimal_places=0,
        default=0,
        validators=[MinValueValidator(0)],
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "agreement__facility"

    class Meta:
        verbose_name = _("kontribusi mitra")
        verbose_name_plural = _("kontribusi mitra")
        ordering = ["-given_on", "-id"]

    def __str__(self):
        return f"{self.given_on:%d-%m-%Y} {self.description}"


class Guarantee(TimeStampedModel):
    """A letter guaranteeing (menjamin) an inmate during asimilasi or integration: from a
    family member, another person, or a partner organisation.

    A person's NIK is personal data: it is shown in full only on the inmate's page and kept
    out of the change history and the audit log (which hold it masked)."""

    inmate = models.ForeignKey(
        Inmate, verbose_name=_("WBP"), on_delete=models.PROTECT, related_name="guarantees"
    )
    guarantor_kind = models.CharField(
        _("jenis penjamin"),
        max_length=12,
        choices=GuarantorKind.choices,
        default=GuarantorKind.MITRA,
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("mitra penjamin"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guarantees",
    )
    name = models.CharField(
        _("nama penjamin"), max_length=200, blank=True, validators=[validate_person_name]
    )
    relationship = models.CharField(
        _("hubungan dengan WBP"),
        max_length=100,
        blank=True,
        help_text=_("Mis. istri, ayah, kakak kandung."),
    )
    nik = models.CharField(_("NIK penjamin"), max_length=16, blank=True, validators=[validate_nik])
    address = models.TextField(_("alamat penjamin"), blank=True)
    phone = models.CharField(_("telepon penjamin"), max_length=40, blank=True)
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("dasar perjanjian"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guarantees",
    )
    letter_number = models.CharField(_("nomor surat jaminan"), max_length=100)
    letter = models.FileField(
        _("surat jaminan (PDF)"),
        upload_to=guarantee_letter_path,
        blank=True,
    )
    valid_from = models.DateField(_("berlaku mulai"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=GuaranteeStatus.choices,
        default=GuaranteeStatus.ACTIVE,
    )
    revoked_reason = models.TextField(_("alasan pencabutan"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "nik"])
    objects = ScopedQuerySet.as_manager()
    scope_path = "inmate__facility"

    class Meta:
        verbose_name = _("jaminan")
        verbose_name_plural = _("jaminan")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="guarantee_until_after_from",
                violation_error_message=_("Tanggal akhir jaminan tidak boleh sebelum mulai."),
            ),
            models.CheckConstraint(
                condition=(Q(guarantor_kind=GuarantorKind.MITRA) & Q(partner__isnull=False))
                | (
                    Q(guarantor_kind__in=[GuarantorKind.KELUARGA, GuarantorKind.PERORANGAN])
                    & Q(partner__isnull=True, agreement__isnull=True)
                    & ~Q(name="")
                    & ~Q(nik="")
                ),
                name="guarantee_guarantor_complete",
                violation_error_message=_(
                    "Penjamin mitra memerlukan mitra; penjamin perorangan memerlukan nama dan NIK."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.guarantor_name} → {self.inmate}"

    @property
    def guarantor_name(self) -> str:
        if self.guarantor_kind == GuarantorKind.MITRA and self.partner_id:
            return self.partner.name
        return self.name

    @property
    def nik_masked(self) -> str:
        return mask_nik(self.nik)

    @property
    def is_person(self) -> bool:
        return self.guarantor_kind != GuarantorKind.MITRA

    def clean(self):
        errors = {}
        if self.guarantor_kind == GuarantorKind.MITRA:
            if not self.partner_id:
                errors["partner"] = _("Pilih mitra penjamin.")
        else:
            if self.partner_id:
                errors["partner"] = _("Penjamin perorangan tidak memakai mitra; kosongkan mitra.")
            if self.agreement_id:
                errors["agreement"] = _("Dasar perjanjian hanya untuk penjamin mitra.")
            if not (self.name or "").strip():
                errors["name"] = _("Tuliskan nama penjamin.")
            if not self.nik:
                errors["nik"] = _("Tuliskan NIK penjamin (16 angka dari KTP).")
            if (
                self.guarantor_kind == GuarantorKind.KELUARGA
                and not (self.relationship or "").strip()
            ):
                errors["relationship"] = _("Tuliskan hubungan keluarga dengan WBP.")
        if errors:
            raise ValidationError(errors)


class AgreementAlert(models.Model):
    """That the expiry alert for one threshold was e-mailed; the unique key stops repeats."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("perjanjian"), on_delete=models.CASCADE, related_name="alerts"
    )
    threshold_days = models.PositiveSmallIntegerField(_("ambang (hari)"))
    sent_at = models.DateTimeField(_("dikirim"), auto_now_add=True)
    recipients = models.TextField(_("penerima"), blank=True)

    class Meta:
        verbose_name = _("peringatan masa berlaku")
        verbose_name_plural = _("peringatan masa berlaku")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "threshold_days"], name="agreementalert_once_per_threshold"
            )
        ]

    def __str__(self):
        return f"{self.agreement_id} H-{self.threshold_days}"
