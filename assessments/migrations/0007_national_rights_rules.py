"""Rights as data, step 2 of 3: the national rules of asimilasi, CMK, PB, CB and CMB as
conditions with their legal basis, special categories and proposal steps; facility rules
carried over from the old threshold columns.

Sources: Permenkumham No. 3 Tahun 2018 as amended by No. 7 Tahun 2022. Where an article is
given its number is stored; where the number is not certain the chapter is named in the note
instead of inventing one. `seed_rights` is idempotent (tests call it after a flush).
"""

from django.db import migrations

REG = "Permenkumham No. 3 Tahun 2018 jo. Permenkumham No. 7 Tahun 2022"
UU = "UU No. 22 Tahun 2022 tentang Pemasyarakatan; " + REG
SPPN_NOTE = (
    "berkelakuan baik dan aktif mengikuti program pembinaan, dibuktikan dengan nilai SPPN "
    "(ambang rata-rata 60 adalah ketentuan penilaian, dapat diubah)"
)
GUARANTEE_NOTE = (
    "kelengkapan usulan: surat jaminan kesanggupan dari keluarga, wali, atau lembaga/mitra"
)
NARKOTIKA_NOTE = (
    "narkotika, prekursor narkotika dan psikotropika dengan pidana 5 tahun atau lebih "
    "(Permenkumham 7/2022)"
)


def basis(article="", paragraph="", letter="", note=""):
    return {
        "regulation": REG,
        "article": article,
        "paragraph": paragraph,
        "letter": letter,
        "basis_note": note,
    }


def fraction(variant, n, d, months=None, **where):
    return {
        "code": "masa_pidana",
        "variant": variant,
        "numerator": n,
        "denominator": d,
        "months": months,
        **where,
    }


def behaviour(variant, months, anchor, article="", paragraph="", letter="", note="", chapter=""):
    """The good-behaviour pair: register F and SPPN over the same window."""
    window = {"variant": variant, "months": months, "window_anchor": anchor}
    sppn_note = "; ".join(part for part in (chapter, SPPN_NOTE) if part)
    return [
        {"code": "register_f", **window, **basis(article, paragraph, letter, chapter or note)},
        {"code": "sppn", **window, "min_average": 60, **basis(article, paragraph, letter, sppn_note)},
    ]


def step(position, code, label, variant="semua", categories=(), **where):
    return {
        "position": position,
        "code": code,
        "label": label,
        "variant": variant,
        "case_categories": list(categories),
        **(where or basis()),
    }


LITMAS = "Litmas (penelitian kemasyarakatan) dari Bapas"
TPP = "Sidang TPP (Tim Pengamat Pemasyarakatan)"
JAMINAN = "Surat jaminan dari penjamin"
USULAN = "Usulan ke Kanwil / Ditjen Pemasyarakatan"
SK = "Keputusan pemberian hak (SK)"

PB_CHAPTER = "Bab Pembebasan Bersyarat, tindak pidana tertentu (nomor pasal belum dicantumkan)"
CB_CHAPTER = "Bab Cuti Bersyarat, tindak pidana tertentu (nomor pasal belum dicantumkan)"
CMB_CHAPTER = "Bab Cuti Menjelang Bebas (nomor pasal belum dicantumkan)"

RIGHTS = {
    "asimilasi": {
        "instead_kind": "",
        "legal_basis": UU + ", Pasal 44 (umum) dan Pasal 45 ayat (1) (tindak pidana tertentu): "
        "berkelakuan baik tanpa hukuman disiplin 6 bulan terakhir (9 bulan bagi tindak pidana "
        "tertentu), aktif mengikuti program pembinaan, telah menjalani 1/2 masa pidana (2/3 "
        "bagi tindak pidana tertentu; narkotika hanya bila pidana 5 tahun atau lebih).",
        "special_categories": [
            {"case_category": "terorisme", "min_sentence_months": 0, **basis("45", "1")},
            {
                "case_category": "narkotika",
                "min_sentence_months": 60,
                **basis("45", "1", "b", NARKOTIKA_NOTE),
            },
            {"case_category": "tipikor", "min_sentence_months": 0, **basis("45", "1")},
        ],
        "conditions": [
            fraction("umum", 1, 2, **basis("44", note="telah menjalani 1/2 masa pidana")),
            fraction("khusus", 2, 3, **basis("45", "1", note="telah menjalani 2/3 masa pidana")),
            *behaviour(
                "umum", 6, "assessed", "44", note="tidak menjalani hukuman disiplin 6 bulan terakhir"
            ),
            *behaviour(
                "khusus",
                9,
                "assessed",
                "45",
                "1",
                note="tidak menjalani hukuman disiplin 9 bulan terakhir",
            ),
        ],
        "steps": [
            step(1, "litmas", LITMAS),
            step(2, "sidang_tpp", TPP),
            step(3, "sk", SK),
        ],
    },
    "cuti_mengunjungi_keluarga": {
        "instead_kind": "",
        "legal_basis": UU + ", Pasal 67: pidana paling singkat 12 bulan, telah menjalani 1/2 "
        "masa pidana, berkelakuan baik dan tidak melanggar tata tertib dalam tahun berjalan, "
        "ada jaminan keamanan dari keluarga.",
        "special_categories": [],
        "conditions": [
            {
                "code": "lama_pidana_min",
                "months": 12,
                **basis("67", note="pidana paling singkat 12 bulan"),
            },
            fraction("semua", 1, 2, **basis("67", note="telah menjalani 1/2 masa pidana")),
            *behaviour(
                "semua",
                None,
                "year",
                "67",
                note="berkelakuan baik dan tidak melanggar tata tertib dalam tahun berjalan",
            ),
            {
                "code": "penjamin",
                "guarantor_kinds": ["keluarga"],
                **basis("67", note="jaminan keamanan dari pihak keluarga"),
            },
        ],
        "steps": [
            step(1, "surat_jaminan", "Surat jaminan keamanan dari keluarga", **basis("67")),
            step(2, "litmas", LITMAS),
            step(3, "sidang_tpp", TPP),
            step(4, "sk", "Izin Kepala UPT"),
        ],
    },
    "pembebasan_bersyarat": {
        "instead_kind": "cuti_bersyarat",
        "legal_basis": UU + ", Pasal 82 (umum; narkotika 5 tahun atau lebih: Pasal 85): "
        "telah menjalani 2/3 masa pidana dan 2/3 itu paling sedikit 9 bulan, berkelakuan baik "
        "9 bulan terakhir dihitung sebelum tanggal 2/3 masa pidana, mengikuti program "
        "pembinaan, ada penjamin; narkotika 5 tahun atau lebih juga telah menjalani asimilasi "
        "paling sedikit 1/2 sisa masa pidana.",
        "special_categories": [
            {"case_category": "terorisme", "min_sentence_months": 0, **basis(note=PB_CHAPTER)},
            {
                "case_category": "narkotika",
                "min_sentence_months": 60,
                **basis("85", note=NARKOTIKA_NOTE),
            },
            {"case_category": "tipikor", "min_sentence_months": 0, **basis(note=PB_CHAPTER)},
        ],
        "conditions": [
            fraction("umum", 2, 3, 9, **basis("82", letter="a")),
            fraction("khusus", 2, 3, 9, **basis("85")),
            *behaviour(
                "umum",
                9,
                "fraction",
                "82",
                letter="b",
                note="berkelakuan baik 9 bulan terakhir dihitung sebelum tanggal 2/3 masa pidana",
            ),
            *behaviour(
                "khusus",
                9,
                "fraction",
                "85",
                note="berkelakuan baik 9 bulan terakhir dihitung sebelum tanggal 2/3 masa pidana",
            ),
            {"code": "penjamin", "guarantor_kinds": [], **basis(note=GUARANTEE_NOTE)},
        ],
        "steps": [
            step(1, "litmas", LITMAS),
            step(2, "sidang_tpp", TPP),
            step(3, "surat_jaminan", JAMINAN),
            step(
                4,
                "asimilasi_setengah_sisa",
                "Telah menjalani asimilasi paling sedikit 1/2 sisa masa pidana",
                "khusus",
                ["narkotika"],
                **basis("85"),
            ),
            step(5, "usulan", USULAN),
            step(6, "sk", SK),
        ],
    },
    "cuti_bersyarat": {
        "instead_kind": "",
        "legal_basis": UU + ", Pasal 103: pidana paling lama 1 tahun 3 bulan, telah menjalani "
        "2/3 masa pidana dan 2/3 itu paling sedikit 6 bulan, berkelakuan baik 6 bulan "
        "terakhir, ada penjamin.",
        "special_categories": [
            {"case_category": "terorisme", "min_sentence_months": 0, **basis(note=CB_CHAPTER)},
            {"case_category": "tipikor", "min_sentence_months": 0, **basis(note=CB_CHAPTER)},
        ],
        "conditions": [
            {
                "code": "lama_pidana",
                "months": 15,
                **basis("103", note="pidana penjara paling lama 1 tahun 3 bulan"),
            },
            fraction(
                "semua",
                2,
                3,
                6,
                **basis("103", note="telah menjalani 2/3 masa pidana, paling sedikit 6 bulan"),
            ),
            *behaviour(
                "umum", 6, "assessed", "103", note="berkelakuan baik dalam kurun waktu 6 bulan terakhir"
            ),
            *behaviour("khusus", 9, "assessed", chapter=CB_CHAPTER),
            {"code": "penjamin", "guarantor_kinds": [], **basis(note=GUARANTEE_NOTE)},
        ],
        "steps": [
            step(1, "litmas", LITMAS),
            step(2, "sidang_tpp", TPP),
            step(3, "surat_jaminan", JAMINAN),
            step(4, "usulan", USULAN),
            step(5, "sk", SK),
        ],
    },
    "cuti_menjelang_bebas": {
        "instead_kind": "cuti_bersyarat",
        "legal_basis": REG + ", Bab Cuti Menjelang Bebas: telah menjalani 2/3 masa pidana dan "
        "2/3 itu paling sedikit 9 bulan, berkelakuan baik 9 bulan terakhir dihitung sebelum "
        "tanggal 2/3 masa pidana; lamanya cuti sebesar remisi terakhir, paling lama 6 bulan; "
        "ada penjamin.",
        "special_categories": [],
        "conditions": [
            fraction("semua", 2, 3, 9, **basis(note=CMB_CHAPTER)),
            {
                "code": "lama_cuti",
                "months": 6,
                **basis(note=CMB_CHAPTER + "; lamanya sebesar remisi terakhir, paling lama 6 bulan"),
            },
            *behaviour("semua", 9, "fraction", chapter=CMB_CHAPTER),
            {"code": "penjamin", "guarantor_kinds": [], **basis(note=GUARANTEE_NOTE)},
        ],
        "steps": [
            step(1, "litmas", LITMAS),
            step(2, "sidang_tpp", TPP),
            step(3, "surat_jaminan", JAMINAN),
            step(4, "usulan", USULAN),
            step(5, "sk", SK),
        ],
    },
}
PARTS = {
    "conditions": "EligibilityCondition",
    "special_categories": "EligibilitySpecialCategory",
    "steps": "RightStep",
}
OLD_FIELDS = [
    "numerator",
    "denominator",
    "special_numerator",
    "special_denominator",
    "special_case_categories",
    "min_served_months",
    "max_sentence_months",
    "before_release_months",
    "behaviour_months",
    "behaviour_months_special",
    "sppn_min_average",
    "requires_guarantor",
]


def _fill(apps, rule, spec) -> None:
    for name, model_name in PARTS.items():
        model = apps.get_model("assessments", model_name)
        for values in spec[name]:
            model.objects.create(rule=rule, **values)


def _old_columns(model, spec) -> dict:
    """Values for the old NOT NULL threshold columns while they exist (until 0005)."""
    names = {f.name for f in model._meta.get_fields()}
    if "numerator" not in names:
        return {}
    time = next(c for c in spec["conditions"] if c["code"] == "masa_pidana")
    return {
        "numerator": time["numerator"],
        "denominator": time["denominator"],
        "special_numerator": time["numerator"],
        "special_denominator": time["denominator"],
    }


def seed_rights(apps, schema_editor):
    """Create (or complete) the national rule of every right with its parts."""
    EligibilityRule = apps.get_model("assessments", "EligibilityRule")
    for kind, spec in RIGHTS.items():
        rule, _created = EligibilityRule.objects.get_or_create(
            facility=None,
            kind=kind,
            defaults={
                "legal_basis": spec["legal_basis"],
                "instead_kind": spec["instead_kind"],
                **_old_columns(EligibilityRule, spec),
            },
        )
        if rule.conditions.exists():
            continue
        rule.legal_basis = spec["legal_basis"]
        rule.instead_kind = spec["instead_kind"]
        rule.save(update_fields=["legal_basis", "instead_kind"])
        _fill(apps, rule, spec)


def _carry_over(apps, rule) -> None:
    """A facility rule keeps its own thresholds, in the new conditions (with the national
    legal basis); what the old columns could not say comes from the national rule."""
    spec = RIGHTS.get(rule.kind)
    if spec is None or rule.conditions.exists():
        return
    _fill(apps, rule, spec)
    general = (rule.numerator, rule.denominator)
    special = (rule.special_numerator, rule.special_denominator)
    for condition in rule.conditions.all():
        variant = condition.variant
        national = [condition.numerator, condition.denominator, condition.months, condition.min_average]
        if condition.code == "masa_pidana":
            condition.numerator, condition.denominator = special if variant == "khusus" else general
            if rule.min_served_months:
                condition.months = rule.min_served_months
        elif condition.code in ("register_f", "sppn") and condition.window_anchor != "year":
            months = rule.behaviour_months_special if variant == "khusus" else rule.behaviour_months
            condition.months = months or condition.months
            if condition.code == "sppn":
                condition.min_average = rule.sppn_min_average
        elif condition.code == "lama_pidana" and rule.max_sentence_months:
            condition.months = rule.max_sentence_months
        elif condition.code == "lama_cuti" and rule.before_release_months:
            condition.months = rule.before_release_months
        if national != [
            condition.numerator,
            condition.denominator,
            condition.months,
            condition.min_average,
        ]:
            condition.basis_note = "; ".join(
                part for part in (condition.basis_note, "nilai diubah UPT") if part
            )
        condition.save()
    if not rule.requires_guarantor:
        rule.conditions.filter(code="penjamin").delete()
    elif not rule.conditions.filter(code="penjamin").exists():
        Condition = apps.get_model("assessments", "EligibilityCondition")
        Condition.objects.create(rule=rule, code="penjamin", **basis(note="ketentuan UPT"))
    categories = set(rule.special_case_categories or [])
    rule.special_categories.exclude(case_category__in=categories).delete()
    Category = apps.get_model("assessments", "EligibilitySpecialCategory")
    for category in categories - set(rule.special_categories.values_list("case_category", flat=True)):
        Category.objects.create(rule=rule, case_category=category, **basis(note="ketentuan UPT"))


def forwards(apps, schema_editor):
    seed_rights(apps, schema_editor)
    EligibilityRule = apps.get_model("assessments", "EligibilityRule")
    for rule in EligibilityRule.objects.filter(facility__isnull=False):
        _carry_over(apps, rule)


def backwards(apps, schema_editor):
    """Write the conditions back into the old columns, then drop the new rows."""
    EligibilityRule = apps.get_model("assessments", "EligibilityRule")
    EligibilityRule.objects.filter(kind="cuti_mengunjungi_keluarga").delete()
    for rule in EligibilityRule.objects.all():
        by_key = {(c.code, c.variant): c for c in rule.conditions.all()}

        def get(code, *variants):
            return next((by_key[(code, v)] for v in variants if (code, v) in by_key), None)

        general = get("masa_pidana", "umum", "semua")
        special = get("masa_pidana", "khusus", "semua") or general
        if general:
            rule.numerator, rule.denominator = general.numerator, general.denominator
            rule.min_served_months = general.months or 0
        if special:
            rule.special_numerator, rule.special_denominator = (
                special.numerator,
                special.denominator,
            )
        register = get("register_f", "umum", "semua")
        register_special = get("register_f", "khusus", "semua") or register
        rule.behaviour_months = (register.months if register else None) or 6
        rule.behaviour_months_special = (
            register_special.months if register_special else None
        ) or 9
        sppn = get("sppn", "umum", "semua")
        rule.sppn_min_average = sppn.min_average if sppn else 60
        length = get("lama_pidana", "semua", "umum")
        rule.max_sentence_months = length.months if length else None
        leave = get("lama_cuti", "semua", "umum")
        rule.before_release_months = leave.months if leave else None
        rule.requires_guarantor = any(code == "penjamin" for code, _v in by_key)
        rule.special_case_categories = list(
            rule.special_categories.values_list("case_category", flat=True)
        )
        rule.save()
        for model_name in PARTS.values():
            apps.get_model("assessments", model_name).objects.filter(rule=rule).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_rights_conditions_and_proposals")]

    operations = [migrations.RunPython(forwards, backwards)]
