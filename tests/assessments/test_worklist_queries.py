"""The eligibility worklist page costs the same number of queries at 2 inmates as at 20,
for asimilasi and for the integration kinds (whose guarantor rule reads guarantees loaded
at once, not one query per inmate)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners import services as partner_services

KINDS = ["asimilasi", "pembebasan_bersyarat", "cuti_bersyarat", "cuti_menjelang_bebas"]
GUARANTOR = "Yayasan Bina Insani Balikpapan"


@pytest.fixture
def add_candidates(balikpapan, kepala, make_inmate):
    """Add inmates on every kind's worklist today (1-year sentence begun 250 days ago:
    half and two thirds are behind them, nine months 24 days ahead); every other one has
    a guarantee."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=250)
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
                remission_days=0,
            )
            if len(made) % 2 == 0:
                partner_services.guarantee_create(
                    partner=partner,
                    inmate=inmate,
                    by=kepala,
                    letter_number=f"{len(made) + 1:02d}/BINA-INSANI/2026",
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
    with django_assert_max_num_queries(40) as few:
        response = client.get(url, {"kind": kind})
    assert response.status_code == 200
    results = list(response.context["page_obj"])
    assert {r.inmate.pk for r in results} == {i.pk for i in inmates}
    assert _guarantee_queries(few.captured_queries) == (1 if needs_guarantor else 0)
    if needs_guarantor:
        guarantor = {r.inmate.pk: next(x for x in r.rules if x.code == "penjamin") for r in results}
        assert guarantor[inmates[0].pk].passed
        assert guarantor[inmates[0].pk].reason == f"Dijamin oleh {GUARANTOR}."
        assert not guarantor[inmates[1].pk].passed
        assert f"Dijamin oleh {GUARANTOR}." in response.content.decode()

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
        assert passed == {i.pk for i in inmates[::2]}
