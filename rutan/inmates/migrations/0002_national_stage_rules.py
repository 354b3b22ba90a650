from django.db import migrations

LEGAL_BASIS = (
    "UU No. 22 Tahun 2022 tentang Pemasyarakatan; Permenkumham No. 7 Tahun 2022 "
    "(tahapan pembinaan: admisi-orientasi s.d. 1/3, lanjutan 1/3–1/2, asimilasi 1/2–2/3, "
    "integrasi 2/3 s.d. bebas)"
)

NATIONAL = [("lanjutan", 1, 3), ("asimilasi", 1, 2), ("integrasi", 2, 3)]


def forwards(apps, schema_editor):
    StageRule = apps.get_model("inmates", "StageRule")
    for stage, numerator, denominator in NATIONAL:
        StageRule.objects.get_or_create(
            facility=None,
            stage=stage,
            defaults={"numerator": numerator, "denominator": denominator,
                      "legal_basis": LEGAL_BASIS},
        )


def backwards(apps, schema_editor):
    StageRule = apps.get_model("inmates", "StageRule")
    StageRule.objects.filter(facility=None, stage__in=[s for s, _, _ in NATIONAL]).delete()


class Migration(migrations.Migration):
    dependencies = [("inmates", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
