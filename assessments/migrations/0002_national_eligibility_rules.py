from django.db import migrations

SPECIAL = ["narkotika", "tipikor", "terorisme"]
BASE = (
    "UU No. 22 Tahun 2022 tentang Pemasyarakatan; Permenkumham No. 3 Tahun 2018 "
    "sebagaimana diubah Permenkumham No. 7 Tahun 2022"
)

NATIONAL = [
    {
        "kind": "asimilasi",
        "numerator": 1, "denominator": 2, "special_numerator": 2, "special_denominator": 3,
        "behaviour_months": 6, "behaviour_months_special": 9, "requires_guarantor": False,
        "legal_basis": BASE + ", Pasal 45: telah menjalani 1/2 masa pidana (2/3 bagi tindak "
        "pidana tertentu), berkelakuan baik tanpa hukuman disiplin 6 bulan terakhir (9 bulan "
        "bagi tindak pidana tertentu), aktif mengikuti program pembinaan.",
    },
    {
        "kind": "pembebasan_bersyarat",
        "numerator": 2, "denominator": 3, "special_numerator": 2, "special_denominator": 3,
        "min_served_months": 9, "behaviour_months": 9, "behaviour_months_special": 9,
        "requires_guarantor": True,
        "legal_basis": BASE + ", Pasal 82–83: telah menjalani 2/3 masa pidana dan paling "
        "sedikit 9 bulan, berkelakuan baik 9 bulan terakhir, ada penjamin.",
    },
    {
        "kind": "cuti_bersyarat",
        "numerator": 2, "denominator": 3, "special_numerator": 2, "special_denominator": 3,
        "min_served_months": 6, "max_sentence_months": 15, "behaviour_months": 6,
        "behaviour_months_special": 9, "requires_guarantor": True,
        "legal_basis": BASE + ", Pasal 103: pidana paling lama 1 tahun 3 bulan, telah "
        "menjalani 2/3 masa pidana dan paling sedikit 6 bulan, berkelakuan baik 6 bulan "
        "terakhir, ada penjamin.",
    },
    {
        "kind": "cuti_menjelang_bebas",
        "numerator": 2, "denominator": 3, "special_numerator": 2, "special_denominator": 3,
        "min_served_months": 9, "before_release_months": 6, "behaviour_months": 9,
        "behaviour_months_special": 9, "requires_guarantor": True,
        "legal_basis": BASE + ", Pasal 94: telah menjalani 2/3 masa pidana dan paling sedikit "
        "9 bulan, berkelakuan baik 9 bulan terakhir; cuti paling lama sebesar remisi terakhir "
        "dan paling lama 6 bulan sebelum bebas, ada penjamin.",
    },
]


def forwards(apps, schema_editor):
    EligibilityRule = apps.get_model("assessments", "EligibilityRule")
    for spec in NATIONAL:
        spec = dict(spec)
        kind = spec.pop("kind")
        EligibilityRule.objects.get_or_create(
            facility=None,
            kind=kind,
            defaults={"special_case_categories": SPECIAL, "sppn_min_average": 60, **spec},
        )


def backwards(apps, schema_editor):
    EligibilityRule = apps.get_model("assessments", "EligibilityRule")
    EligibilityRule.objects.filter(facility=None, kind__in=[s["kind"] for s in NATIONAL]).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
