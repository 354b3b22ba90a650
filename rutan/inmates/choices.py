from django.db import models
from django.utils.translation import gettext_lazy as _


class RegisterType(models.TextChoices):
    A_I = "A.I", _("A.I (tahanan penyidik)")
    A_II = "A.II", _("A.II (tahanan penuntut umum)")
    A_III = "A.III", _("A.III (tahanan pengadilan negeri)")
    A_IV = "A.IV", _("A.IV (tahanan pengadilan tinggi)")
    A_V = "A.V", _("A.V (tahanan Mahkamah Agung)")
    B_I = "B.I", _("B.I (pidana lebih dari 1 tahun)")
    B_IIA = "B.IIa", _("B.IIa (pidana 3 bulan – 1 tahun)")
    B_IIB = "B.IIb", _("B.IIb (pidana sampai 3 bulan)")
    B_III = "B.III", _("B.III (pidana kurungan pengganti denda)")


DETAINEE_REGISTERS = {
    RegisterType.A_I,
    RegisterType.A_II,
    RegisterType.A_III,
    RegisterType.A_IV,
    RegisterType.A_V,
}


class LegalStatus(models.TextChoices):
    TAHANAN = "tahanan", _("Tahanan")
    NARAPIDANA = "narapidana", _("Narapidana")


class Religion(models.TextChoices):
    ISLAM = "islam", _("Islam")
    KRISTEN = "kristen", _("Kristen")
    KATOLIK = "katolik", _("Katolik")
    HINDU = "hindu", _("Hindu")
    BUDDHA = "buddha", _("Buddha")
    KONGHUCU = "konghucu", _("Konghucu")
    LAINNYA = "lainnya", _("Kepercayaan lain")


class EducationLevel(models.TextChoices):
    NONE = "tidak_sekolah", _("Tidak sekolah")
    SD = "sd", _("SD / sederajat")
    SMP = "smp", _("SMP / sederajat")
    SMA = "sma", _("SMA / sederajat")
    DIPLOMA = "diploma", _("Diploma")
    SARJANA = "sarjana", _("Sarjana")
    PASCASARJANA = "pascasarjana", _("Pascasarjana")


class CaseCategory(models.TextChoices):
    PIDANA_UMUM = "pidana_umum", _("Pidana umum")
    NARKOTIKA = "narkotika", _("Narkotika")
    TIPIKOR = "tipikor", _("Tindak pidana korupsi")
    TERORISME = "terorisme", _("Terorisme")
    PIDSUS_LAIN = "pidsus_lain", _("Pidana khusus lainnya")


class InmateStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    TRANSFERRED = "transferred", _("Dipindahkan")
    RELEASED = "released", _("Bebas")


class CoachingStage(models.TextChoices):
    ADMISI_ORIENTASI = "admisi_orientasi", _("Admisi-orientasi")
    LANJUTAN = "lanjutan", _("Lanjutan")
    ASIMILASI = "asimilasi", _("Asimilasi")
    INTEGRASI = "integrasi", _("Integrasi")


STAGE_ORDER = [
    CoachingStage.ADMISI_ORIENTASI,
    CoachingStage.LANJUTAN,
    CoachingStage.ASIMILASI,
    CoachingStage.INTEGRASI,
]


class PlacementStart(models.TextChoices):
    ADMISSION = "admission", _("Penerimaan")
    BLOCK_MOVE = "block_move", _("Pindah blok")
    TRANSFER_IN = "transfer_in", _("Pindahan dari UPT lain")


class PlacementEnd(models.TextChoices):
    BLOCK_MOVE = "block_move", _("Pindah blok")
    TRANSFER_OUT = "transfer_out", _("Dipindahkan ke UPT lain")
    RELEASE = "release", _("Bebas")


class ReleaseKind(models.TextChoices):
    EXPIRY = "expiry", _("Bebas murni (habis masa pidana)")
    PAROLE = "pembebasan_bersyarat", _("Pembebasan bersyarat")
    CONDITIONAL_LEAVE = "cuti_bersyarat", _("Cuti bersyarat")
    PRE_RELEASE_LEAVE = "cuti_menjelang_bebas", _("Cuti menjelang bebas")
    COURT = "court", _("Putusan pengadilan / penangguhan")
    OTHER = "other", _("Lainnya")


class DisciplinaryStatus(models.TextChoices):
    OPEN = "open", _("Berjalan")
    CLOSED = "closed", _("Selesai")
