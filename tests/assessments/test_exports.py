import datetime

from django.urls import reverse

from assessments import services
from rutan.core.models import AuditEntry
from tests.exports import csv_rows, xlsx_rows
from tests.factories import LiteracyAssessmentFactory

LIST = reverse("assessments:list")


def test_sppn_export_has_the_aspects_and_honours_filters(
    client, pembina, balikpapan, ruteng, make_inmate, sppn, national_admin
):
    sppn(make_inmate(balikpapan, name="-Budi"), months=2, score=80)
    sppn(make_inmate(balikpapan, name="Sari"), months=1, score=60)
    other = make_inmate(ruteng, name="Di Ruteng")
    services.behaviour_score_create(
        inmate=other,
        month=datetime.date(2026, 1, 1),
        by=national_admin,
        kepribadian=70,
        kemandirian=70,
        sikap=70,
        kondisi_mental=70,
    )
    client.force_login(pembina)
    header, *rows = csv_rows(client.get(LIST, {"kind": "sppn", "q": "budi", "unduh": "csv"}))
    assert header[:2] == ["Bulan", "WBP"] and "Rata-rata" in header
    assert [r[1] for r in rows] == ["'-Budi", "'-Budi"]
    assert rows[0][5] == "80.0" and rows[0][6:10] == ["80", "80", "80", "80"]
    every = [r[1] for r in xlsx_rows(client.get(LIST, {"kind": "sppn", "unduh": "xlsx"}))[1:]]
    assert "Di Ruteng" not in every and len(every) == 3
    entry = AuditEntry.objects.filter(via="export").order_by("id").first()
    assert entry.object_type == "assessments.behaviourscore"
    assert entry.after == {"format": "csv", "filters": {"q": "budi", "kind": "sppn"}, "rows": 2}


def test_literacy_export_and_bad_dates(client, pembina, balikpapan, make_inmate):
    LiteracyAssessmentFactory(
        inmate=make_inmate(balikpapan, name="Andi"),
        assessor=pembina,
        assessed_on=datetime.date(2026, 3, 4),
    )
    client.force_login(pembina)
    rows = csv_rows(client.get(LIST, {"kind": "literasi", "unduh": "csv"}))
    assert rows[1][:2] == ["04-03-2026", "Andi"]
    response = client.get(LIST, {"kind": "literasi", "date_from": "kemarin", "unduh": "csv"})
    assert response.status_code == 400 and not response.streaming


def test_psychological_export_keeps_findings_out(client, psikolog, balikpapan, make_inmate):
    services.psych_create(
        inmate=make_inmate(balikpapan),
        by=psikolog,
        assessed_on=datetime.date(2026, 3, 4),
        instrument="MMPI",
        findings="Rahasia sekali",
    )
    client.force_login(psikolog)
    data = b"".join(client.get(LIST, {"kind": "psikologis", "unduh": "csv"}).streaming_content)
    assert b"MMPI" in data and b"Rahasia sekali" not in data


def test_assessment_export_queries_do_not_grow(
    client, pembina, balikpapan, make_inmate, django_assert_max_num_queries
):
    client.force_login(pembina)
    counts = []
    for total in (5, 30):
        for _n in range(len(counts) and 5, total):
            LiteracyAssessmentFactory(inmate=make_inmate(balikpapan), assessor=pembina)
        with django_assert_max_num_queries(14) as captured:
            response = client.get(LIST, {"kind": "literasi", "unduh": "xlsx"})
            assert len(xlsx_rows(response)) == total + 1
        counts.append(len(captured))
    assert counts[0] == counts[1]
