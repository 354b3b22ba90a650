"""National custody rules (KUHAP), register rules and readings; existing sentence data
becomes a verdict, a detention record and a remisi grant so that no date moves."""

from importlib import import_module

from django.db import migrations

KUHAP = "KUHAP (UU No. 8 Tahun 1981)"
CREDITS = [
    ("rutan", 1, 1, KUHAP + " Pasal 22 ayat (4): dikurangkan seluruhnya dari pidana"),
    ("rumah", 1, 3, KUHAP + " Pasal 22 ayat (5): penahanan rumah sepertiga dari lamanya"),
    ("kota", 1, 5, KUHAP + " Pasal 22 ayat (5): penahanan kota seperlima dari lamanya"),
]
LIMITS = [
    ("penyidik", "penahanan", 20, 1, "Pasal 24 ayat (1)"),
    ("penyidik", "perpanjangan", 40, 1, "Pasal 24 ayat (2), oleh penuntut umum"),
    ("penuntut_umum", "penahanan", 20, 1, "Pasal 25 ayat (1)"),
    ("penuntut_umum", "perpanjangan", 30, 1, "Pasal 25 ayat (2), oleh ketua pengadilan negeri"),
    ("pengadilan_negeri", "penahanan", 30, 1, "Pasal 26 ayat (1)"),
    ("pengadilan_negeri", "perpanjangan", 60, 1, "Pasal 26 ayat (2), oleh ketua pengadilan negeri"),
    ("pengadilan_tinggi", "penahanan", 30, 1, "Pasal 27 ayat (1)"),
    ("pengadilan_tinggi", "perpanjangan", 60, 1, "Pasal 27 ayat (2), oleh ketua pengadilan tinggi"),
    ("mahkamah_agung", "penahanan", 50, 1, "Pasal 28 ayat (1)"),
    ("mahkamah_agung", "perpanjangan", 60, 1, "Pasal 28 ayat (2), oleh Ketua Mahkamah Agung"),
]
ARTICLE_29 = "Pasal 29 ayat (1)–(2): tersangka/terdakwa ancaman 9 tahun atau lebih, 2 × 30 hari"
REGISTERS = [
    ("B.IIb", 3, "pidana sampai dengan 3 bulan"),
    ("B.IIa", 12, "pidana lebih dari 3 bulan sampai dengan 1 tahun"),
    ("B.I", None, "pidana lebih dari 1 tahun, termasuk seumur hidup dan pidana mati"),
]
REGISTER_BASIS = "Penggolongan register narapidana dalam registrasi UPT Pemasyarakatan: "
READING_BASIS = (
    "Remisi: pecahan (1/2, 2/3) dihitung dari masa pidana setelah dikurangi remisi, sejak "
    "tanggal penahanan — cara penghitungan hak integrasi menurut Permenkumham No. 3 Tahun "
    "2018 jo. No. 7 Tahun 2022. Bulan: 1 bulan = 30 hari (KUHP Pasal 97; Keppres No. 174 "
    "Tahun 1999 Pasal 7 ayat (4) untuk penghitungan remisi). Lama pidana dalam putusan "
    "dihitung menurut kalender."
)
OLD_STAGE_BASIS = (
    "UU No. 22 Tahun 2022 tentang Pemasyarakatan; Permenkumham No. 7 Tahun 2022 "
    "(tahapan pembinaan: admisi-orientasi s.d. 1/3, lanjutan 1/3–1/2, asimilasi 1/2–2/3, "
    "integrasi 2/3 s.d. bebas)"
)
LEGACY = "(data sebelum pencatatan putusan)"


def seed_rules(apps, schema_editor):
    DetentionCredit = apps.get_model("inmates", "DetentionCredit")
    WarrantLimit = apps.get_model("inmates", "WarrantLimit")
    RegisterRule = apps.get_model("inmates", "RegisterRule")
    ReckoningSetting = apps.get_model("inmates", "ReckoningSetting")
    for kind, numerator, denominator, basis in CREDITS:
        DetentionCredit.objects.get_or_create(
            kind=kind,
            defaults={"numerator": numerator, "denominator": denominator, "legal_basis": basis},
        )
    for authority, order, days, count, article in LIMITS:
        WarrantLimit.objects.get_or_create(
            authority=authority,
            order=order,
            defaults={"max_days": days, "max_count": count, "legal_basis": f"{KUHAP} {article}"},
        )
        if order == "penahanan":
            WarrantLimit.objects.get_or_create(
                authority=authority,
                order="perpanjangan_29",
                defaults={"max_days": 30, "max_count": 2, "legal_basis": f"{KUHAP} {ARTICLE_29}"},
            )
    for register, up_to, text in REGISTERS:
        RegisterRule.objects.get_or_create(
            register_type=register,
            defaults={"up_to_months": up_to, "legal_basis": REGISTER_BASIS + text},
        )
    ReckoningSetting.objects.get_or_create(
        facility=None,
        defaults={
            "remisi_reading": "off_base",
            "month_reading": "30_days",
            "legal_basis": READING_BASIS,
        },
    )


def convert_existing(apps, schema_editor):
    Inmate = apps.get_model("inmates", "Inmate")
    DetentionPeriod = apps.get_model("inmates", "DetentionPeriod")
    Verdict = apps.get_model("inmates", "Verdict")
    RemisiGrant = apps.get_model("inmates", "RemisiGrant")
    StageRule = apps.get_model("inmates", "StageRule")
    StageRule.objects.filter(legal_basis=OLD_STAGE_BASIS).update(
        legal_basis=import_module("rutan.inmates.migrations.0002_national_stage_rules").LEGAL_BASIS
    )
    for inmate in Inmate.objects.filter(legal_status="narapidana", sentence_start__isnull=False):
        start = inmate.sentence_start
        DetentionPeriod.objects.create(
            inmate=inmate,
            authority="pengadilan_negeri",
            order="penahanan",
            kind="rutan",
            warrant_number=LEGACY,
            start=start,
            end=start,
            note=LEGACY,
        )
        Verdict.objects.create(
            inmate=inmate,
            court="pengadilan_negeri",
            court_name=LEGACY,
            number=LEGACY,
            decided_on=start,
            final_on=start,
            sentence_kind="penjara",
            years=inmate.sentence_years,
            months=inmate.sentence_months,
            days=inmate.sentence_days,
        )
        if inmate.remission_days:
            RemisiGrant.objects.create(
                inmate=inmate,
                kind="umum",
                decree_number=LEGACY,
                decree_date=max(start, inmate.admission_date),
                days=inmate.remission_days,
                note=LEGACY,
            )
        inmate.custody_start = start
        inmate.sentence_kind = "penjara"
        inmate.save(update_fields=["custody_start", "sentence_kind"])
    # Detainees' sentence fields never counted; their stage dates must not either.
    Inmate.objects.filter(legal_status="tahanan").update(
        sentence_start=None,
        sentence_years=0,
        sentence_months=0,
        sentence_days=0,
        remission_days=0,
        expected_release_date=None,
        lanjutan_from=None,
        asimilasi_from=None,
        integrasi_from=None,
    )


def forwards(apps, schema_editor):
    seed_rules(apps, schema_editor)
    convert_existing(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("inmates", "0003_custody_verdict_remisi")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
