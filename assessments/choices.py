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
    CUTI_MENGUNJUNGI_KELUARGA = "cuti_mengunjungi_keluarga", _("Cuti mengunjungi keluarga")


# The abbreviations staff write in proposals and registers (not translated: they are names).
KIND_SHORT = {
    EligibilityKind.ASIMILASI: "Asimilasi",
    EligibilityKind.PEMBEBASAN_BERSYARAT: "PB",
    EligibilityKind.CUTI_BERSYARAT: "CB",
    EligibilityKind.CUTI_MENJELANG_BEBAS: "CMB",
    EligibilityKind.CUTI_MENGUNJUNGI_KELUARGA: "CMK",
}


class ConditionCode(models.TextChoices):
    """The kinds of condition a right's rule may carry, in the order they are judged."""

    MASA_PIDANA = "masa_pidana", _("Telah menjalani sebagian masa pidana")
    LAMA_CUTI = "lama_cuti", _("Lamanya cuti sebesar remisi terakhir")
    LAMA_PIDANA = "lama_pidana", _("Pidana paling lama")
    LAMA_PIDANA_MIN = "lama_pidana_min", _("Pidana paling singkat")
    REGISTER_F = "register_f", _("Tidak menjalani hukuman disiplin (register F)")
    SPPN = "sppn", _("Rata-rata nilai SPPN")
    PENJAMIN = "penjamin", _("Ada penjamin")


class ConditionVariant(models.TextChoices):
    """To whom a condition (or a step) applies: everyone, or the general / special crimes."""

    SEMUA = "semua", _("Semua narapidana")
    UMUM = "umum", _("Tindak pidana umum")
    KHUSUS = "khusus", _("Tindak pidana khusus")


class WindowAnchor(models.TextChoices):
    """Where a good-behaviour window is counted back from."""

    ASSESSED = "assessed", _("Mundur dari tanggal penilaian")
    FRACTION = "fraction", _("Mundur dari tanggal pecahan masa pidana")
    YEAR = "year", _("Tahun berjalan (sejak 1 Januari)")


class SurveyKind(models.TextChoices):
    GIZI_DAPUR = "survei_gizi_dapur", _("Survei gizi dapur")
    LISTRIK = "pemeriksaan_listrik", _("Pemeriksaan kelistrikan")
    SANITASI = "sanitasi", _("Sanitasi dan air bersih")
    LAINNYA = "lainnya", _("Lainnya")


class FindingSeverity(models.TextChoices):
    LOW = "rendah", _("Rendah")
    MEDIUM = "sedang", _("Sedang")
    HIGH = "tinggi", _("Tinggi")
