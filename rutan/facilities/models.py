import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rutan.core.models import TimeStampedModel
from rutan.core.scoping import ScopedQuerySet


class FacilityKind(models.TextChoices):
    RUTAN = "rutan", _("Rutan")
    LAPAS = "lapas", _("Lapas")
    LPKA = "lpka", _("LPKA")
    LPP = "lpp", _("LPP")


class FacilityClass(models.TextChoices):
    I = "I", _("Kelas I")  # noqa: E741
    IIA = "IIA", _("Kelas IIA")
    IIB = "IIB", _("Kelas IIB")
    III = "III", _("Kelas III")


class Timezone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (Asia/Jakarta)")
    WITA = "Asia/Makassar", _("WITA (Asia/Makassar)")
    WIT = "Asia/Jayapura", _("WIT (Asia/Jayapura)")


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class BlockSex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")
    MIXED = "C", _("Campuran")


class RegionalOffice(TimeStampedModel):
    """A Kanwil Ditjenpas: the regional office that oversees a province's facilities."""

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=200, unique=True)
    province = models.CharField(_("provinsi"), max_length=100, blank=True)
    address = models.TextField(_("alamat"), blank=True)
    city = models.CharField(
        _("kota"), max_length=100, blank=True, help_text=_("Tempat penandatanganan laporan.")
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "facilities"

    class Meta:
        verbose_name = _("Kanwil")
        verbose_name_plural = _("Kanwil")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def long_name(self) -> str:
        """The office's full name, as a letterhead writes it."""
        if self.province:
            return _("Kantor Wilayah Direktorat Jenderal Pemasyarakatan %(province)s") % {
                "province": self.province
            }
        return self.name


class Facility(TimeStampedModel):
    """A Rutan, Lapas, LPKA or LPP (an UPT, unit pelaksana teknis)."""

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=FacilityKind.choices)
    facility_class = models.CharField(_("kelas"), max_length=5, choices=FacilityClass.choices)
    regional_office = models.ForeignKey(
        RegionalOffice,
        verbose_name=_("Kanwil"),
        on_delete=models.PROTECT,
        related_name="facilities",
    )
    address = models.TextField(_("alamat"), blank=True)
    city = models.CharField(_("kota"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("kapasitas"), default=0)
    timezone = models.CharField(
        _("zona waktu"), max_length=40, choices=Timezone.choices, default=Timezone.WITA
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "pk"

    class Meta:
        verbose_name = _("UPT")
        verbose_name_plural = _("UPT")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValidationError({"timezone": _("Zona waktu tidak dikenal.")}) from exc

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)

    def today(self) -> datetime.date:
        """Today's date where the facility is (WIB, WITA or WIT), not on the server."""
        return timezone.localdate(timezone=self.tzinfo)


class Block(TimeStampedModel):
    """A housing block of a facility, e.g. "Blok Wanita"."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("UPT"), on_delete=models.CASCADE, related_name="blocks"
    )
    name = models.CharField(_("nama"), max_length=100)
    sex = models.CharField(_("untuk"), max_length=1, choices=BlockSex.choices)
    capacity = models.PositiveIntegerField(_("kapasitas"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_path = "facility"

    class Meta:
        verbose_name = _("blok")
        verbose_name_plural = _("blok")
        ordering = ["facility", "name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "name"], name="block_unique_name"),
        ]

    def __str__(self):
        return self.name


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    IN_PROGRESS = "in_progress", _("Dikerjakan")
    DONE = "done", _("Selesai")


class FollowUpSource(models.TextChoices):
    SURVEY = "survey", _("Survei / asesmen fasilitas")
    INTERN_LOG = "intern_log", _("Temuan peserta magang")
    OTHER = "other", _("Lainnya")


class FollowUpQuerySet(ScopedQuerySet):
    def open_on(self, day: datetime.date):
        """Items found by `day` and not yet done on `day` (what a report of that day lists)."""
        return self.filter(found_on__lte=day).filter(
            ~models.Q(status=FollowUpStatus.DONE) | models.Q(done_on__gt=day)
        )


class FollowUpItem(TimeStampedModel):
    """A finding the facility tracks to done (a damaged panel, a kitchen nutrition gap).

    Any app may raise one; `source_type`/`source_id` point back at what raised it.
    `found_on` is the facility-local date of the finding (the survey or log date), by which
    reports count it.
    """

    facility = models.ForeignKey(
        Facility, verbose_name=_("UPT"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    source = models.CharField(
        _("sumber"), max_length=20, choices=FollowUpSource.choices, default=FollowUpSource.OTHER
    )
    source_type = models.CharField(_("jenis sumber"), max_length=100, blank=True)
    source_id = models.CharField(_("ID sumber"), max_length=64, blank=True)
    place = models.CharField(_("lokasi"), max_length=200, blank=True)
    found_on = models.DateField(
        _("tanggal temuan"), blank=True, help_text=_("Kosongkan untuk hari ini di UPT.")
    )
    owner = models.ForeignKey(
        "accounts.User",
        verbose_name=_("penanggung jawab"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    due_on = models.DateField(_("tenggat"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    done_on = models.DateField(_("selesai pada"), null=True, blank=True)
    resolution = models.TextField(_("penyelesaian"), blank=True)

    objects = FollowUpQuerySet.as_manager()
    scope_path = "facility"

    class Meta:
        verbose_name = _("tindak lanjut temuan")
        verbose_name_plural = _("tindak lanjut temuan")
        ordering = ["status", "due_on", "-id"]
        indexes = [models.Index(fields=["facility", "status"])]

    def __str__(self):
        return self.title
