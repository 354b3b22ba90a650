import pytest
from django.urls import reverse

from partners import services
from rutan.core.models import AuditEntry
from tests.exports import csv_rows, xlsx_rows

PARTNERS = reverse("partners:list")
AGREEMENTS = reverse("partners:agreement_list")


def _partner(facility, by, name, **data):
    return services.partner_create(
        facility=facility,
        by=by,
        name=name,
        partner_type=data.pop("partner_type", "yayasan"),
        **data,
    )


def test_partner_csv_honours_filters_scope_and_neutralises(client, kepala, balikpapan, sekata, skb):
    _partner(balikpapan, kepala, "@SUM(1+1)*cmd|' /C calc'!A0", city="Balikpapan")
    _partner(balikpapan, kepala, "Koperasi Maju", partner_type="usaha", city="Samarinda")
    client.force_login(kepala)
    header, *rows = csv_rows(client.get(PARTNERS, {"q": "balikpapan", "unduh": "csv"}))
    assert header[0] == "Nama"
    assert sorted(r[0] for r in rows) == [
        "'@SUM(1+1)*cmd|' /C calc'!A0",
        "Yayasan SEKATA (Selamatkan Anak Kita) Balikpapan",
    ]
    every = [r[0] for r in csv_rows(client.get(PARTNERS, {"unduh": "csv"}))[1:]]
    assert skb.name not in every and len(every) == 3
    entry = AuditEntry.objects.filter(via="export").first()
    assert entry.object_type == "partners.partner"
    assert entry.after == {"format": "csv", "filters": {}, "rows": 3}


def test_agreement_exports_follow_the_page_filters(
    client, kepala, kepala_ruteng, sekata, skb, make_agreement, active_agreement
):
    make_agreement(sekata, number="=1+2", title="Draf")
    make_agreement(skb, by=kepala_ruteng, number="RUTENG-1")
    client.force_login(kepala)
    rows = csv_rows(client.get(AGREEMENTS, {"status": "active", "unduh": "csv"}))
    assert [r[1] for r in rows[1:]] == [active_agreement.number]
    assert rows[1][6] == active_agreement.valid_from.strftime("%d-%m-%Y")
    sheet = xlsx_rows(client.get(AGREEMENTS, {"unduh": "xlsx"}))
    assert sheet[0][:3] == ["Jenis", "Nomor", "Judul"]
    assert sorted(r[1] for r in sheet[1:]) == ["'=1+2", active_agreement.number]
    entry = AuditEntry.objects.filter(via="export").order_by("id").first()
    assert entry.after == {"format": "csv", "filters": {"status": "active"}, "rows": 1}
    assert entry.facility_id == sekata.facility_id


@pytest.mark.parametrize(
    ("url", "query"),
    [(AGREEMENTS, {"expiring_within": "x"}), (PARTNERS, {"partner_type": "nope"})],
)
def test_bad_filters_are_a_clean_400(client, kepala, sekata, url, query):
    client.force_login(kepala)
    response = client.get(url, {**query, "unduh": "xlsx"})
    assert response.status_code == 400 and not response.streaming


def test_agreement_export_queries_do_not_grow(
    client, kepala, sekata, make_agreement, django_assert_max_num_queries
):
    client.force_login(kepala)
    counts = []
    for total in (5, 30):
        for n in range(len(counts) and 5, total):
            make_agreement(sekata, number=f"PKS-{n:03d}", signatories=False)
        with django_assert_max_num_queries(12) as captured:
            response = client.get(AGREEMENTS, {"unduh": "csv"})
            assert len(csv_rows(response)) == total + 1
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_partner_export_queries_do_not_grow(
    client, kepala, balikpapan, django_assert_max_num_queries
):
    client.force_login(kepala)
    counts = []
    for total in (5, 30):
        for n in range(len(counts) and 5, total):
            _partner(balikpapan, kepala, f"Mitra {n:03d}")
        with django_assert_max_num_queries(12) as captured:
            assert len(xlsx_rows(client.get(PARTNERS, {"unduh": "xlsx"}))) == total + 1
        counts.append(len(captured))
    assert counts[0] == counts[1]
