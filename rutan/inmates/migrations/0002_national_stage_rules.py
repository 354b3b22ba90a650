from django.db import migrations

LEGAL_BASIS = (
    "PP No. 31 Tahun 1999 tentang Pembinaan dan Pembimbingan Warga Binaan Pemasyarakatan, "
    "Pasal 7 ayat (2) dan Pasal 9–10: tahap awal (admisi-orientasi) sampai 1/3 masa pidana; "
    "tahap lanjutan 1/3 sampai 1/2 dan asimilasi 1/2 sampai 2/3; tahap akhir (integrasi) "
    "2/3 sampai bebas"
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
