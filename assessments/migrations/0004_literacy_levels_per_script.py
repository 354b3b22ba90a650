"""Each literacy assessment gets a level of its own script's track (core.LiteracyLevel).

Latin rows keep their level. Al-Qur'an rows were recorded on the one shared (Latin) scale;
each moves to the nearest Qur'an level by position on the scale. Going back, a Qur'an level
returns to the lowest Latin code that maps to it, so a row migrated forward and back keeps
its code whenever that code was the first of its group.

Data only: the schema changes are in 0003 and 0005, each in its own transaction, because
PostgreSQL will not alter a table with pending foreign-key trigger events.
"""

from django.db import migrations

QURAN_FROM_LATIN = {
    "buta_aksara": "quran_buta_aksara",
    "keaksaraan_dasar": "quran_iqra",
    "keaksaraan_usaha_mandiri": "quran_terbata",
    "multikeaksaraan": "quran_terbata",
    "paket_a": "quran_lancar",
    "paket_b": "quran_lancar",
    "paket_c": "quran_tartil",
}
LATIN_FROM_QURAN = {
    "quran_buta_aksara": "buta_aksara",
    "quran_iqra": "keaksaraan_dasar",
    "quran_terbata": "keaksaraan_usaha_mandiri",
    "quran_lancar": "paket_a",
    "quran_tartil": "paket_c",
}


def to_levels(apps, schema_editor):
    LiteracyAssessment = apps.get_model("assessments", "LiteracyAssessment")
    LiteracyLevel = apps.get_model("core", "LiteracyLevel")
    ids = dict(LiteracyLevel.objects.values_list("code", "id"))
    for code in LiteracyAssessment.objects.values_list("level", flat=True).distinct():
        LiteracyAssessment.objects.filter(script="latin", level=code).update(
            level_ref_id=ids[code]
        )
        LiteracyAssessment.objects.filter(script="arab_quran", level=code).update(
            level_ref_id=ids[QURAN_FROM_LATIN.get(code, code)]
        )


def to_codes(apps, schema_editor):
    LiteracyAssessment = apps.get_model("assessments", "LiteracyAssessment")
    LiteracyLevel = apps.get_model("core", "LiteracyLevel")
    for level_id, code in LiteracyLevel.objects.values_list("id", "code"):
        LiteracyAssessment.objects.filter(level_ref_id=level_id).update(
            level=LATIN_FROM_QURAN.get(code, code)
        )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0003_literacyassessment_level_ref")]

    operations = [migrations.RunPython(to_levels, to_codes)]
