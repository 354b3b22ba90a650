"""The two literacy tracks, each with its own levels (lowest rank first).

Latin: the Kemendikbud ladder of pendidikan keaksaraan (dasar, then the two kinds of
keaksaraan lanjutan) and pendidikan kesetaraan (Paket A, B, C).

Al-Qur'an: no regulation sets reading levels; these are the stages used across Indonesia by
TK/TPA Al-Qur'an and by the Baca Tulis Al-Qur'an (BTA) classes of pembinaan kepribadian:
the six jilid of the Iqra method (K.H. As'ad Humam, Tim Tadarus AMM Kotagede Yogyakarta,
1988), then reading the mushaf fluently and finally tartil with tajwid.
"""

from django.db import migrations

KEAKSARAAN_DASAR = (
    "Permendikbud No. 86 Tahun 2014 tentang Pedoman Penyelenggaraan Pendidikan Keaksaraan "
    "Dasar"
)
KEAKSARAAN_LANJUTAN = (
    "Permendikbud No. 42 Tahun 2015 tentang Penyelenggaraan Pendidikan Keaksaraan Lanjutan "
    "(keaksaraan usaha mandiri dan multikeaksaraan)"
)
KESETARAAN = (
    "UU No. 20 Tahun 2003 tentang Sistem Pendidikan Nasional, Pasal 26 ayat (3) dan "
    "penjelasannya: pendidikan kesetaraan Paket A setara SD/MI, Paket B setara SMP/MTs, "
    "Paket C setara SMA/MA"
)
QURAN = (
    "Jenjang metode Iqra (K.H. As'ad Humam, Tim Tadarus AMM Kotagede Yogyakarta, 1988; "
    "6 jilid) yang lazim dipakai TK/TPA Al-Qur'an dan kelas Baca Tulis Al-Qur'an pembinaan "
    "kepribadian, dilanjutkan tadarus, tahsin/tajwid dan tartil. Bukan ketentuan peraturan: "
    "sesuaikan dengan pembina keagamaan atau Kementerian Agama setempat."
)

LEVELS = [
    {
        "script": "latin",
        "code": "buta_aksara",
        "label": "Buta aksara",
        "rank": 1,
        "description": "Belum dapat membaca, menulis dan berhitung dalam aksara Latin dan "
        "bahasa Indonesia.",
        "basis": KEAKSARAAN_DASAR,
        "recommended_area": "literasi",
        "recommendation": "Kelas Literasi (keaksaraan dasar)",
    },
    {
        "script": "latin",
        "code": "keaksaraan_dasar",
        "label": "Keaksaraan dasar",
        "rank": 2,
        "description": "Dapat membaca, menulis, berhitung dan berkomunikasi sederhana dalam "
        "bahasa Indonesia.",
        "basis": KEAKSARAAN_DASAR,
        "recommended_area": "literasi",
        "recommendation": "Kelas keaksaraan usaha mandiri",
    },
    {
        "script": "latin",
        "code": "keaksaraan_usaha_mandiri",
        "label": "Keaksaraan usaha mandiri",
        "rank": 3,
        "description": "Keaksaraan lanjutan: memakai baca-tulis-hitung untuk keterampilan "
        "dan usaha mandiri.",
        "basis": KEAKSARAAN_LANJUTAN,
        "recommended_area": "literasi",
        "recommendation": "Kelas multikeaksaraan atau Paket A",
    },
    {
        "script": "latin",
        "code": "multikeaksaraan",
        "label": "Multikeaksaraan",
        "rank": 4,
        "description": "Keaksaraan lanjutan: memakai keaksaraan dalam beragam konteks "
        "(pekerjaan, budaya, sosial, teknologi).",
        "basis": KEAKSARAAN_LANJUTAN,
        "recommended_area": "literasi",
        "recommendation": "Kelas kesetaraan Paket A",
    },
    {
        "script": "latin",
        "code": "paket_a",
        "label": "Paket A",
        "rank": 5,
        "description": "Pendidikan kesetaraan setara SD/MI.",
        "basis": KESETARAAN,
        "recommended_area": "literasi",
        "recommendation": "Kelas kesetaraan Paket B",
    },
    {
        "script": "latin",
        "code": "paket_b",
        "label": "Paket B",
        "rank": 6,
        "description": "Pendidikan kesetaraan setara SMP/MTs.",
        "basis": KESETARAAN,
        "recommended_area": "literasi",
        "recommendation": "Kelas kesetaraan Paket C",
    },
    {
        "script": "latin",
        "code": "paket_c",
        "label": "Paket C",
        "rank": 7,
        "description": "Pendidikan kesetaraan setara SMA/MA.",
        "basis": KESETARAAN,
        "recommended_area": "",
        "recommendation": "",
    },
    {
        "script": "arab_quran",
        "code": "quran_buta_aksara",
        "label": "Buta aksara Al-Qur'an",
        "rank": 1,
        "description": "Belum mengenal huruf hijaiyah.",
        "basis": QURAN,
        "recommended_area": "keagamaan",
        "recommendation": "Kelas Iqra (Baca Tulis Al-Qur'an dasar)",
    },
    {
        "script": "arab_quran",
        "code": "quran_iqra",
        "label": "Mengenal huruf hijaiyah (Iqra jilid 1–3)",
        "rank": 2,
        "description": "Mengenal dan melafalkan huruf hijaiyah tunggal dan bersambung "
        "berharakat; belum membaca mushaf.",
        "basis": QURAN,
        "recommended_area": "keagamaan",
        "recommendation": "Kelas Iqra lanjutan (jilid 4–6)",
    },
    {
        "script": "arab_quran",
        "code": "quran_terbata",
        "label": "Membaca terbata-bata (Iqra jilid 4–6)",
        "rank": 3,
        "description": "Membaca ayat dengan terbata-bata; mulai mengenal tanwin, mad, sukun "
        "dan tasydid.",
        "basis": QURAN,
        "recommended_area": "keagamaan",
        "recommendation": "Kelas tadarus Al-Qur'an",
    },
    {
        "script": "arab_quran",
        "code": "quran_lancar",
        "label": "Lancar membaca Al-Qur'an",
        "rank": 4,
        "description": "Membaca mushaf dengan lancar; hukum tajwid belum diterapkan dengan "
        "tepat.",
        "basis": QURAN,
        "recommended_area": "keagamaan",
        "recommendation": "Kelas tahsin dan tajwid",
    },
    {
        "script": "arab_quran",
        "code": "quran_tartil",
        "label": "Tartil (dengan tajwid)",
        "rank": 5,
        "description": "Membaca Al-Qur'an dengan tartil: makhraj, panjang pendek dan hukum "
        "tajwid tepat.",
        "basis": QURAN,
        "recommended_area": "",
        "recommendation": "",
    },
]


def forwards(apps, schema_editor):
    LiteracyLevel = apps.get_model("core", "LiteracyLevel")
    have = set(LiteracyLevel.objects.values_list("code", flat=True))
    LiteracyLevel.objects.bulk_create(
        [LiteracyLevel(**spec) for spec in LEVELS if spec["code"] not in have]
    )


def backwards(apps, schema_editor):
    LiteracyLevel = apps.get_model("core", "LiteracyLevel")
    LiteracyLevel.objects.filter(code__in=[spec["code"] for spec in LEVELS]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_literacylevel")]

    operations = [migrations.RunPython(forwards, backwards)]
