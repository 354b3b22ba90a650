"""Messages that no call site names, listed here (never called) for `makemessages`.

Third-party packages that ship no Indonesian translation: in our catalogues `locale/id`
gives them Indonesian text; Django prefers LOCALE_PATHS over package catalogues. Texts of
seeded data: `locale/en` gives them English, shown through the model's `display_*`.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# django-import-export (admin export/import pages of partner agreements)
IMPORT_EXPORT = [
    gettext_noop("Export"),
    gettext_noop("Import"),
    gettext_noop("Select all"),
    gettext_noop("Submit"),
    gettext_noop("This exporter will export the following fields: "),
    gettext_noop("Resource"),
    gettext_noop("Format"),
    gettext_noop("File to import"),
    gettext_noop("Export selected %(verbose_name_plural)s"),
    gettext_noop('Select at least 1 field for "%(resource_name)s" to export'),
    ngettext_lazy("Export %(len)s selected item.", "Export %(len)s selected items.", "len"),
]

# Literacy levels seeded by migration core/0004 (LiteracyLevel.display_label and friends)
LITERACY_LEVELS = [
    gettext_noop("Buta aksara"),
    gettext_noop(
        "Belum dapat membaca, menulis dan berhitung dalam aksara Latin dan bahasa Indonesia."
    ),
    gettext_noop("Kelas Literasi (keaksaraan dasar)"),
    gettext_noop("Keaksaraan dasar"),
    gettext_noop(
        "Dapat membaca, menulis, berhitung dan berkomunikasi sederhana dalam bahasa Indonesia."
    ),
    gettext_noop("Kelas keaksaraan usaha mandiri"),
    gettext_noop("Keaksaraan usaha mandiri"),
    gettext_noop(
        "Keaksaraan lanjutan: memakai baca-tulis-hitung untuk keterampilan dan usaha mandiri."
    ),
    gettext_noop("Kelas multikeaksaraan atau Paket A"),
    gettext_noop("Multikeaksaraan"),
    gettext_noop(
        "Keaksaraan lanjutan: memakai keaksaraan dalam beragam konteks "
        "(pekerjaan, budaya, sosial, teknologi)."
    ),
    gettext_noop("Kelas kesetaraan Paket A"),
    gettext_noop("Paket A"),
    gettext_noop("Pendidikan kesetaraan setara SD/MI."),
    gettext_noop("Kelas kesetaraan Paket B"),
    gettext_noop("Paket B"),
    gettext_noop("Pendidikan kesetaraan setara SMP/MTs."),
    gettext_noop("Kelas kesetaraan Paket C"),
    gettext_noop("Paket C"),
    gettext_noop("Pendidikan kesetaraan setara SMA/MA."),
    gettext_noop("Buta aksara Al-Qur'an"),
    gettext_noop("Belum mengenal huruf hijaiyah."),
    gettext_noop("Kelas Iqra (Baca Tulis Al-Qur'an dasar)"),
    gettext_noop("Mengenal huruf hijaiyah (Iqra jilid 1–3)"),
    gettext_noop(
        "Mengenal dan melafalkan huruf hijaiyah tunggal dan bersambung berharakat; "
        "belum membaca mushaf."
    ),
    gettext_noop("Kelas Iqra lanjutan (jilid 4–6)"),
    gettext_noop("Membaca terbata-bata (Iqra jilid 4–6)"),
    gettext_noop(
        "Membaca ayat dengan terbata-bata; mulai mengenal tanwin, mad, sukun dan tasydid."
    ),
    gettext_noop("Kelas tadarus Al-Qur'an"),
    gettext_noop("Lancar membaca Al-Qur'an"),
    gettext_noop("Membaca mushaf dengan lancar; hukum tajwid belum diterapkan dengan tepat."),
    gettext_noop("Kelas tahsin dan tajwid"),
    gettext_noop("Tartil (dengan tajwid)"),
    gettext_noop(
        "Membaca Al-Qur'an dengan tartil: makhraj, panjang pendek dan hukum tajwid tepat."
    ),
]
