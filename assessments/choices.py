from django.db import models
from django.utils.translation import gettext_lazy as _


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    FINAL = "final", _("Final")


class AssessmentKind(models.TextChoices):
    """The kinds of inmate assessment, as used in URLs, filters and the timeline."""

    PSIKOLOGIS = "psikologis", _("Asesmen psikologis")
    LITERASI = "literasi", _("Asesmen literasi")
    MINAT = "minat", _("Asesmen minat")
    SPPN = "sppn", _("Penilaian perilaku (SPPN)")
    KONSELING = "konseling", _("Sesi konseling")


class EligibilityKind(models.TextChoices):
    ASIMILASI = "asimilasi", _("Asimilasi")
    PEMBEBASAN_BERSYARAT = "pembebasan_bersyarat", _("Pembebasan bersyarat")
    CUTI_BERSYARAT = "cuti_bersyarat", _("Cuti bersyarat")
    CUTI_MENJELANG_BEBAS = "cuti_menjelang_bebas", _("Cuti menjelang bebas")


class SurveyKind(models.TextChoices):
    GIZI_DAPUR = "survei_gizi_dapur", _("Survei gizi dapur")
    LISTRIK = "pemeriksaan_listrik", _("Pemeriksaan kelistrikan")
    SANITASI = "sanitasi", _("Sanitasi dan air bersih")
    LAINNYA = "lainnya", _("Lainnya")


class FindingSeverity(models.TextChoices):
    LOW = "rendah", _("Rendah")
    MEDIUM = "sedang", _("Sedang")
    HIGH = "tinggi", _("Tinggi")
