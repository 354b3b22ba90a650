"""Literacy levels are national data: read by staff, changed only by the directorate."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from rutan.core import services
from rutan.core.i18n_extra import LITERACY_LEVELS
from rutan.core.models import AuditEntry, LiteracyLevel
from tests.factories import literacy_level


def test_national_admin_changes_a_level_with_audit_but_not_its_script_or_code(national_admin):
    level = literacy_level("quran_iqra")
    saved = services.literacy_level_save(
        by=national_admin,
        level=level,
        script="latin",
        code="iqra",
        label="Iqra jilid 1–3",
        rank=2,
        description="Mengenal huruf hijaiyah.",
    )
    saved.refresh_from_db()
    assert (saved.script, saved.code, saved.label) == ("arab_quran", "quran_iqra", "Iqra jilid 1–3")
    entry = AuditEntry.objects.get(object_type="core.literacylevel", action="update")
    assert entry.after["label"] == "Iqra jilid 1–3" and "script" not in entry.after


def test_rank_stays_unique_per_script_and_others_may_not_write(national_admin, kepala):
    with pytest.raises(ValidationError, match="Urutan ini sudah dipakai"):
        services.literacy_level_save(
            by=national_admin, script="latin", code="paket_d", label="Paket D", rank=7
        )
    with pytest.raises(ValidationError, match="Hanya admin Ditjenpas"):
        services.literacy_level_save(
            by=kepala, script="latin", code="paket_d", label="Paket D", rank=8
        )
    assert not LiteracyLevel.objects.filter(code="paket_d").exists()
    assert not AuditEntry.objects.filter(object_type="core.literacylevel").exists()


def test_admin_reads_for_staff_and_writes_for_the_directorate(client, kepala, national_admin):
    level = literacy_level("paket_b")
    url = reverse("admin:core_literacylevel_change", args=[level.pk])
    client.force_login(kepala)
    listing = client.get(reverse("admin:core_literacylevel_changelist"))
    assert listing.status_code == 200 and "Paket B" in listing.content.decode()
    page = client.get(url).content.decode()
    assert 'name="label"' not in page and "UU No. 20 Tahun 2003" in page
    client.force_login(national_admin)
    page = client.get(url).content.decode()
    assert 'name="label"' in page and 'name="code"' not in page
    response = client.post(
        url,
        {
            "label": "Paket B (setara SMP)",
            "rank": 6,
            "description": level.description,
            "basis": level.basis,
            "recommended_area": "literasi",
            "recommendation": "Kelas kesetaraan Paket C",
        },
    )
    assert response.status_code == 302
    level.refresh_from_db()
    assert level.label == "Paket B (setara SMP)" and level.code == "paket_b"
    assert AuditEntry.objects.filter(
        object_type="core.literacylevel", actor=national_admin
    ).exists()


def test_seeded_texts_are_translated_and_edited_ones_show_as_typed(db):
    seed = importlib.import_module("rutan.core.migrations.0004_literacy_levels")
    seeded = {
        spec[key] for spec in seed.LEVELS for key in ("label", "description", "recommendation")
    } - {""}
    assert seeded == set(LITERACY_LEVELS)
    level = literacy_level("quran_iqra")
    with translation.override("en"):
        assert literacy_level("buta_aksara").display_label == "Illiterate"
        assert level.display_label == "Knows the hijaiyah letters (Iqra books 1–3)"
        assert str(level) == "Knows the hijaiyah letters (Iqra books 1–3) (Arabic / Qur'an)"
        level.label = "Iqra dasar"
        assert level.display_label == "Iqra dasar"
