import datetime

import pytest
from django.urls import reverse

from rutan.core.models import AuditEntry
from rutan.inmates.models import Inmate
from tests.exports import csv_rows, xlsx_rows
from tests.factories import FacilityFactory

URL = reverse("inmates:list")


def test_csv_honours_the_filters_and_neutralises_formulas(client, kepala, balikpapan, make_inmate):
    make_inmate(balikpapan, name="=cmd|' /C calc'!A0", case_category="narkotika")
    make_inmate(balikpapan, name="Budi Santoso", case_category="pidana_umum")
    client.force_login(kepala)
    response = client.get(URL, {"case_category": "narkotika", "unduh": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="register-' in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:3] == ["Nama", "No. registrasi", "UPT"]
    assert [r[0] for r in rows] == ["'=cmd|' /C calc'!A0"]
    assert rows[0][8] == "10-01-2025"  # admission date, day first


def test_other_facility_never_appears(client, kepala, balikpapan, ruteng, make_inmate):
    make_inmate(balikpapan, name="Di Balikpapan")
    make_inmate(ruteng, name="Di Ruteng")
    client.force_login(kepala)
    names = [r[0] for r in csv_rows(client.get(URL, {"unduh": "csv"}))[1:]]
    assert names == ["Di Balikpapan"]
    # Asking for the other facility by id is not a way in either.
    names = [r[0] for r in csv_rows(client.get(URL, {"facility": ruteng.pk, "unduh": "csv"}))[1:]]
    assert names == ["Di Balikpapan"]


def test_regional_officer_cannot_name_another_region(client, kanwil, kaltim, ruteng, make_inmate):
    FacilityFactory(regional_office=kaltim)
    make_inmate(ruteng, name="Di Ruteng")
    client.force_login(kanwil)
    response = client.get(URL, {"facility": ruteng.pk, "unduh": "csv"})
    assert response.status_code == 400
    assert b"Di Ruteng" not in response.content


def test_xlsx_opens_with_header_rows_and_english_headers(client, kepala, balikpapan, make_inmate):
    make_inmate(balikpapan, name="Sari Wulandari", sex="P")
    client.force_login(kepala)
    client.cookies.load({"django_language": "en"})
    response = client.get(URL, {"unduh": "xlsx"})
    rows = xlsx_rows(response)
    assert rows[0][:2] == ["Name", "Registration no."]
    assert rows[1][0] == "Sari Wulandari"
    assert rows[1][8] == datetime.datetime(2025, 1, 10)


def test_export_is_audited_with_filters_and_count(client, kepala, balikpapan, make_inmate):
    make_inmate(balikpapan, name="Budi", sex="L")
    make_inmate(balikpapan, name="Sari", sex="P")
    client.force_login(kepala)
    csv_rows(client.get(URL, {"sex": "P", "q": "sa", "unduh": "csv"}))
    entry = AuditEntry.objects.get(via="export")
    assert entry.actor == kepala and entry.action == "read"
    assert entry.object_type == "inmates.inmate" and entry.facility_id == balikpapan.pk
    assert entry.after == {"format": "csv", "filters": {"q": "sa", "sex": "P"}, "rows": 1}


@pytest.mark.parametrize("query", [{"integrasi_within": "abc"}, {"block": "x"}, {"sex": "Q"}])
def test_bad_filter_values_give_a_clean_400(client, kepala, balikpapan, query):
    client.force_login(kepala)
    response = client.get(URL, {**query, "unduh": "csv"})
    assert response.status_code == 400
    assert "Saringan tidak valid" in response.content.decode()
    assert not AuditEntry.objects.filter(via="export").exists()


def test_query_count_does_not_grow_with_rows(
    client, kepala, balikpapan, make_inmate, django_assert_max_num_queries
):
    client.force_login(kepala)
    counts = []
    for total in (5, 30):
        while Inmate.objects.count() < total:
            make_inmate(balikpapan)
        for fmt in ("csv", "xlsx"):
            with django_assert_max_num_queries(12) as captured:
                response = client.get(URL, {"unduh": fmt})
                assert b"".join(response.streaming_content)
            counts.append(len(captured))
    assert counts[:2] == counts[2:]


def test_large_export_streams(client, kepala, balikpapan):
    block = balikpapan.blocks.get(name="Blok A")
    Inmate.objects.bulk_create(
        Inmate(
            facility=balikpapan,
            block=block,
            registration_number=f"AI.{n:05d}/2026",
            register_type="A.I",
            legal_status="tahanan",
            name=f"Warga {n:05d}",
            sex="L",
            birth_date=datetime.date(1990, 1, 1),
            religion="islam",
            education_level="sma",
            case_category="pidana_umum",
            admission_date=datetime.date(2026, 1, 5),
        )
        for n in range(5000)
    )
    client.force_login(kepala)
    for fmt in ("csv", "xlsx"):
        response = client.get(URL, {"unduh": fmt})
        assert response.streaming is True
        rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
        assert len(rows) == 5001
