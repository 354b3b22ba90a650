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


class DetentionAuthority(models.TextChoices):
    """The stage of proceedings a detention belongs to (it sets register A.I–A.V)."""

    PENYIDIK = "penyidik", _("Penyidik")
    PENUNTUT_UMUM = "penuntut_umum", _("Penuntut umum")
    PN = "pengadilan_negeri", _("Pengadilan Negeri")
    PT = "pengadilan_tinggi", _("Pengadilan Tinggi")
    MA = "mahkamah_agung", _("Mahkamah Agung")


AUTHORITY_REGISTER = {
    DetentionAuthority.PENYIDIK: RegisterType.A_I,
    DetentionAuthority.PENUNTUT_UMUM: RegisterType.A_II,
    DetentionAuthority.PN: RegisterType.A_III,
    DetentionAuthority.PT: RegisterType.A_IV,
    DetentionAuthority.MA: RegisterType.A_V,
}


class DetentionOrder(models.TextChoices):
    PENAHANAN = "penahanan", _("Penahanan")
    PERPANJANGAN = "perpanjangan", _("Perpanjangan")
    PERPANJANGAN_29 = "perpanjangan_29", _("Perpanjangan (KUHAP Pasal 29)")


class DetentionKind(models.TextChoices):
    RUTAN = "rutan", _("Penahanan rutan")
    RUMAH = "rumah", _("Penahanan rumah")
    KOTA = "kota", _("Penahanan kota")


class SentenceKind(models.TextChoices):
    PENJARA = "penjara", _("Pidana penjara")
    KURUNGAN = "kurungan", _("Pidana kurungan")
    SEUMUR_HIDUP = "seumur_hidup", _("Pidana penjara seumur hidup")
    MATI = "mati", _("Pidana mati")


TERM_SENTENCES = {SentenceKind.PENJARA, SentenceKind.KURUNGAN}


class VerdictCourt(models.TextChoices):
    PN = "pengadilan_negeri", _("Pengadilan Negeri")
    PT = "pengadilan_tinggi", _("Pengadilan Tinggi")
    MA = "mahkamah_agung", _("Mahkamah Agung")


class RemisiKind(models.TextChoices):
    UMUM = "umum", _("Remisi umum (17 Agustus)")
    KHUSUS = "khusus", _("Remisi khusus (hari besar keagamaan)")
    DASAWARSA = "dasawarsa", _("Remisi dasawarsa")
    TAMBAHAN = "tambahan", _("Remisi tambahan")
    KEMANUSIAAN = "kemanusiaan", _("Remisi kemanusiaan")
    SUSULAN = "susulan", _("Remisi susulan")


class RemisiReading(models.TextChoices):
    """How remisi enters the fraction dates (readings differ in practice)."""

    OFF_BASE = "off_base", _("Pecahan dari masa pidana setelah dikurangi remisi")
    AS_SERVED = "as_served", _("Remisi dihitung sebagai telah dijalani (pecahan dari pidana penuh)")


class MonthReading(models.TextChoices):
    """How a month of remisi or of a 'paling sedikit N bulan' condition is counted."""

    THIRTY_DAYS = "30_days", _("1 bulan = 30 hari")
    CALENDAR = "calendar", _("Bulan kalender")
