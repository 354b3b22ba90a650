"""The eligibility worklist page costs the same number of queries at 2 inmates as at 20,
for asimilasi and for the integration kinds (whose guarantor rule reads guarantees loaded
at once, not one query per inmate), with the custody arithmetic and the proposal steps."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners import services as partner_services

KINDS = [
    "asimilasi",
    "pembebasan_bersyarat",
    "cuti_bersyarat",
    "cuti_menjelang_bebas",
    "cuti_mengunjungi_keluarga",
]
GUARANTOR = "Yayasan Bina Insani Balikpapan"
FAMILY = "Siti Aminah"


@pytest.fixture
def add_candidates(balikpapan, kepala, make_inmate):
    """Add inmates on every kind's worklist today: 1 year 3 months begun 350 days ago with
    30 days of remisi (1 bulan = 30 hari, remisi off the base). The term is about 426 days:
    1/2 (213) and 2/3 (284 ≥ 270 days = 9 bulan) are behind them; CMB (release − 30 days of
    the latest remisi, about day 396) is some 46 days ahead; the sentence is within CB's
    15 months and CMK's 12. Of every four, the first has a family guarantee, the third a
    partner's."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=350)
    partner = partner_services.partner_create(
        facility=balikpapan, by=kepala, name=GUARANTOR, partner_type="yayasan"
    )
    made = []

    def add(count):
        for _ in range(count):
            inmate = make_inmate(
                balikpapan,
                sentence_start=start,
                admission_date=start,
                sentence_years=1,
                sentence_months=3,
                remission_days=30,
            )
            number = f"{len(made) + 1:02d}/JAMINAN/2026"
            if len(made) % 4 == 0:
                partner_services.guarantee_create(
                    inmate=inmate,
                    by=kepala,
                    guarantor_kind="keluarga",
                    name=FAMILY,
                    relationship="istri",
                    nik="6471054501900001",
                    letter_number=number,
                    valid_from=start,
                )
            elif len(made) % 4 == 2:
                partner_services.guarantee_create(
                    partner=partner,
                    inmate=inmate,
                    by=kepala,
                    letter_number=number,
                    valid_from=start,
                )
            made.append(inmate)
        return made

    return add


def _guarantee_queries(captured) -> int:
    return sum('"partners_guarantee"' in q["sql"] for q in captured)


@pytest.mark.parametrize("kind", KINDS)
def test_worklist_page_queries_do_not_grow_with_inmates(
    kind, client, kepala, add_candidates, django_assert_max_num_queries
):
    client.force_login(kepala)
    url = reverse("assessments:worklist")
    needs_guarantor = kind != "asimilasi"

    inmates = add_candidates(2)
    with django_assert_max_num_queries(45) as few:
        response = client.get(url, {"kind": kind})
    assert response.status_code == 200
    results = list(response.context["page_obj"])
    assert {r.inmate.pk for r in results} == {i.pk for i in inmates}
    assert _guarantee_queries(few.captured_queries) == (1 if needs_guarantor else 0)
    html = response.content.decode()
    assert "Cara menghitung" in html and "Hari pertama penahanan" in html
    assert "Langkah usulan" in html
    if needs_guarantor:
        guarantor = {r.inmate.pk: next(x for x in r.rules if x.code == "penjamin") for r in results}
        assert guarantor[inmates[0].pk].passed
        assert guarantor[inmates[0].pk].reason == f"Dijamin oleh {FAMILY} (keluarga, istri)."
        assert not guarantor[inmates[1].pk].passed
        assert f"Dijamin oleh {FAMILY} (keluarga, istri)." in html

    inmates = add_candidates(18)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(url, {"kind": kind})
    assert response.status_code == 200
    results = list(response.context["page_obj"])
    assert {r.inmate.pk for r in results} == {i.pk for i in inmates}
    assert len(many.captured_queries) == len(few.captured_queries)
    assert _guarantee_queries(many.captured_queries) == (1 if needs_guarantor else 0)
    if needs_guarantor:
        passed = {
            r.inmate.pk for r in results if next(x for x in r.rules if x.code == "penjamin").passed
        }
        accepted = inmates[::4] if kind == "cuti_mengunjungi_keluarga" else inmates[::2]
        assert passed == {i.pk for i in accepted}
        if kind != "cuti_mengunjungi_keluarga":
            assert {r.inmate.pk: r for r in results}[inmates[2].pk].rules[-1].reason == (
                f"Dijamin oleh {GUARANTOR}."
            )
