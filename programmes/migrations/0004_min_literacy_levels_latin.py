"""A programme's minimum literacy becomes a level of one script's track (core.LiteracyLevel).

The old codes were all of the one shared scale, which is the Latin track, so each minimum
becomes that Latin level. Going back, a Qur'an minimum returns to the Latin code of the same
position (the shared scale could not say "Qur'an").

Data only: the schema changes are in 0003 and 0005, each in its own transaction, because
PostgreSQL will not alter a table with pending foreign-key trigger events.
"""

from django.db import migrations

LATIN_FROM_QURAN = {
    "quran_buta_aksara": "buta_aksara",
    "quran_iqra": "keaksaraan_dasar",
    "quran_terbata": "keaksaraan_usaha_mandiri",
    "quran_lancar": "paket_a",
    "quran_tartil": "paket_c",
}


def to_levels(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    LiteracyLevel = apps.get_model("core", "LiteracyLevel")
    ids = dict(LiteracyLevel.objects.filter(script="latin").values_list("code", "id"))
    for code in (
        Programme.objects.exclude(min_literacy_level="")
        .values_list("min_literacy_level", flat=True)
        .distinct()
    ):
        Programme.objects.filter(min_literacy_level=code).update(min_level_ref_id=ids[code])


def to_codes(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    LiteracyLevel = apps.get_model("core", "LiteracyLevel")
    for level_id, code in LiteracyLevel.objects.values_list("id", "code"):
        Programme.objects.filter(min_level_ref_id=level_id).update(
            min_literacy_level=LATIN_FROM_QURAN.get(code, code)
        )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0003_programme_min_level_ref")]

    operations = [migrations.RunPython(to_levels, to_codes)]
