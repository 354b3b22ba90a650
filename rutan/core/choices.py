"""Choices shared by several apps (programmes, assessments, interns, reports)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Pillar(models.TextChoices):
    KEPRIBADIAN = "kepribadian", _("Pembinaan kepribadian")
    KEMANDIRIAN = "kemandirian", _("Pembinaan kemandirian")
    REHABILITASI = "rehabilitasi", _("Rehabilitasi NAPZA")
    ASIMILASI = "asimilasi", _("Asimilasi")


class ProgrammeArea(models.TextChoices):
    KEAGAMAAN = "keagamaan", _("Keagamaan")
    KEBANGSAAN = "kebangsaan", _("Kebangsaan")
    LITERASI = "literasi", _("Literasi / intelektual")
    KESADARAN_HUKUM = "kesadaran_hukum", _("Kesadaran hukum")
    BARBERSHOP = "barbershop", _("Barbershop")
    TATA_RIAS = "tata_rias", _("Tata rias")
    YOGA = "yoga", _("Yoga")
    MEUBEL = "meubel", _("Pertukangan / meubel")
    KAFE = "kafe", _("Kafe / tata boga")
    PERTANIAN = "pertanian", _("Pertanian")
    NAPZA = "napza", _("Rehabilitasi NAPZA")
    LAINNYA = "lainnya", _("Lainnya")


AREA_PILLAR = {
    ProgrammeArea.KEAGAMAAN: Pillar.KEPRIBADIAN,
    ProgrammeArea.KEBANGSAAN: Pillar.KEPRIBADIAN,
    ProgrammeArea.LITERASI: Pillar.KEPRIBADIAN,
    ProgrammeArea.KESADARAN_HUKUM: Pillar.KEPRIBADIAN,
    ProgrammeArea.BARBERSHOP: Pillar.KEMANDIRIAN,
    ProgrammeArea.TATA_RIAS: Pillar.KEMANDIRIAN,
    ProgrammeArea.YOGA: Pillar.KEPRIBADIAN,
    ProgrammeArea.MEUBEL: Pillar.KEMANDIRIAN,
    ProgrammeArea.KAFE: Pillar.KEMANDIRIAN,
    ProgrammeArea.PERTANIAN: Pillar.KEMANDIRIAN,
    ProgrammeArea.NAPZA: Pillar.REHABILITASI,
}


class Script(models.TextChoices):
    """The scripts literacy is assessed in; each has its own track of levels (LiteracyLevel)."""

    LATIN = "latin", _("Latin")
    ARAB_QURAN = "arab_quran", _("Arab / Al-Qur'an")
