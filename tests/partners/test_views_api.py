import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from partners import services
from partners.models import Contribution
from partners.selectors import agreements_expiring
from rutan.core.roles import Role
from tests.factories import member


def _many_partners(facility, by, n):
    for i in range(n):
        partner = services.partner_create(
            facility=facility, by=by, name=f"Mitra Uji {i:02d}", partner_type="usaha"
        )
        services.part_save(
            instance=partner.contacts.model(partner=partner, name=f"Kontak {i}"), by=by
        )


def test_directory_lists_paginates_and_counts_queries(
    client, kepala, balikpapan, pembina, django_assert_max_num_queries
):
    _many_partners(balikpapan, kepala, 1)
    client.force_login(pembina)
    client.get(reverse("partners:list"))
    with django_assert_max_num_queries(15) as few:
        response = client.get(reverse("partners:list"))
    assert "Mitra Uji 00" in response.content.decode()
    _many_partners_from = 1
    for i in range(_many_partners_from, 30):
        services.partner_create(
            facility=balikpapan, by=kepala, name=f"Mitra Uji {i:02d}", partner_type="usaha"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("partners:list"))
    assert len(response.context["page_obj"]) == 25
    found = client.get(reverse("partners:list"), {"q": "uji 07"})
    assert [p.name for p in found.context["page_obj"]] == ["Mitra Uji 07"]


def test_intern_and_other_facility_get_404(client, magang, kepala_ruteng, sekata):
    client.force_login(magang)
    assert client.get(reverse("partners:list")).status_code == 404
    client.force_login(kepala_ruteng)
    assert client.get(reverse("partners:detail", args=[sekata.pk])).status_code == 404


def test_agreement_detail_for_read_only_role(client, kanwil, active_agreement, kepala):
    services.part_save(
        instance=Contribution(
            agreement=active_agreement,
            given_on=timezone.localdate(),
            kind="trainer",
            description="Konselor adiksi",
            hours=6,
            value_idr=900000,
        ),
        by=kepala,
    )
    client.force_login(kanwil)
    html = client.get(reverse("partners:agreement_detail", args=[active_agreement.pk])).content
    html = html.decode()
    assert "Hendra Wirawan" in html and "Konselor adiksi" in html and "Rp900.000" in html
    assert "Kelola di administrasi" not in html
    assert (
        client.get(reverse("partners:detail", args=[active_agreement.partner_id])).status_code
        == 200
    )


def test_document_download_404_without_file_or_scope(client, kepala, magang, active_agreement):
    url = reverse("partners:agreement_document", args=[active_agreement.pk])
    client.force_login(kepala)
    assert client.get(url).status_code == 404  # no file yet
    client.force_login(magang)
    assert client.get(url).status_code == 404


def test_guarantee_letter_download_is_scoped(
    client, kepala, kanwil, kepala_ruteng, sekata, balikpapan, make_inmate
):
    from tests.partners.conftest import pdf_upload

    guarantee = services.guarantee_create(
        partner=sekata,
        inmate=make_inmate(balikpapan),
        by=kepala,
        letter_number="5/SKT",
        valid_from=datetime.date(2025, 11, 10),
        letter=pdf_upload(),
    )
    url = reverse("partners:guarantee_letter", args=[guarantee.pk])
    client.force_login(kanwil)
    letter = client.get(url)
    assert letter.status_code == 200 and letter["Cache-Control"] == "no-store, private"
    client.force_login(kepala_ruteng)
    assert client.get(url).status_code == 404


def test_agreements_expiring_selector(kepala, kanwil, kepala_ruteng, active_agreement):
    from partners.models import Agreement

    Agreement.objects.filter(pk=active_agreement.pk).update(
        valid_to=timezone.localdate() + datetime.timedelta(days=40)
    )
    assert [a.pk for a in agreements_expiring(user=kepala, within_days=60)] == [active_agreement.pk]
    assert agreements_expiring(user=kepala, within_days=60)[0].days_left_today == 40
    assert agreements_expiring(user=kepala, within_days=30) == []
    assert len(agreements_expiring(user=kanwil, within_days=60)) == 1
    assert agreements_expiring(user=kepala_ruteng, within_days=60) == []


@pytest.fixture
def api():
    return APIClient()


def test_api_lists_are_scoped_and_query_bounded(
    api, kepala, kepala_ruteng, balikpapan, active_agreement, skb, django_assert_max_num_queries
):
    api.force_authenticate(kepala)
    for url in ("/api/v1/partners/", "/api/v1/agreements/", "/api/v1/contributions/"):
        assert api.get(url).status_code == 200
    body = api.get("/api/v1/agreements/").json()
    assert body["count"] == 1
    assert body["results"][0]["partner_name"].startswith("Yayasan SEKATA")
    assert len(body["results"][0]["signatories"]) == 2
    assert api.get("/api/v1/partners/").json()["count"] == 1  # not SKB Randong
    assert api.get(f"/api/v1/partners/{skb.pk}/").status_code == 404
    assert api.get("/api/v1/agreements/?partner=abc").status_code == 400

    with django_assert_max_num_queries(12) as few:
        api.get("/api/v1/agreements/")
    for i in range(25):
        services.agreement_create(
            facility=balikpapan,
            partner=active_agreement.partner,
            by=kepala,
            kind="mou",
            number=f"MOU/{i}",
            title="Uji",
            valid_from=datetime.date(2025, 1, 1),
            valid_to=datetime.date(2026, 1, 1),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api.get("/api/v1/agreements/").json()["count"] == 26
    with django_assert_max_num_queries(len(few.captured_queries)):
        api.get("/api/v1/partners/")


def test_api_intern_sees_nothing(api, balikpapan, active_agreement):
    intern = member(Role.INTERN, facility=balikpapan)
    api.force_authenticate(intern)
    assert api.get("/api/v1/agreements/").json()["count"] == 0
    assert api.get(f"/api/v1/agreements/{active_agreement.pk}/").status_code == 404


def test_schema_has_partner_endpoints(api, kepala):
    api.force_authenticate(kepala)
    schema = api.get("/api/schema/").content.decode()
    for path in ("/api/v1/partners/", "/api/v1/agreements/", "/api/v1/contributions/"):
        assert path in schema


def test_agreement_list_filters_in_force_and_expiring_at_fixed_queries(
    client, kepala, make_agreement, sekata, django_assert_max_num_queries
):
    def active(days_left):
        agreement = services.agreement_activate(agreement=make_agreement(sekata), by=kepala)
        agreement.valid_to = agreement.facility.today() + datetime.timedelta(days=days_left)
        agreement.save()
        return agreement

    soon = active(20)
    make_agreement(sekata)  # a draft: neither in force nor expiring
    client.force_login(kepala)
    url = reverse("partners:agreement_list")
    client.get(url)
    with django_assert_max_num_queries(15) as few:
        response = client.get(url, {"in_force": 1})
    assert [a.pk for a in response.context["page_obj"]] == [soon.pk]
    for days in range(100, 130):
        active(days)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"in_force": 1})
    assert response.context["page_obj"].paginator.count == 31
    expiring = client.get(url, {"expiring_within": 60})
    assert [a.pk for a in expiring.context["page_obj"]] == [soon.pk]
    assert client.get(url).context["page_obj"].paginator.count == 32
    assert client.get("/api/v1/agreements/", {"in_force": "true"}).json()["count"] == 31


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/agreements/?expiring_within=3000000", "expiring_within"),
        ("/api/v1/agreements/?expiring_within=0", "expiring_within"),
        ("/api/v1/agreements/?partner=123456789012345678901234567890", "partner"),
        ("/api/v1/agreements/?status=x", "status"),
        ("/api/v1/partners/?facility=abc", "facility"),
        ("/api/v1/partners/?active=2", "active"),
        ("/api/v1/contributions/?agreement=-3", "agreement"),
        ("/api/v1/guarantees/?inmate=1e9", "inmate"),
    ],
)
def test_api_bad_filter_is_a_400_in_indonesian(api, kepala, url, field):
    api.force_authenticate(kepala)
    response = api.get(url)
    assert response.status_code == 400
    message = " ".join(response.json()["errors"][field])
    assert any(word in message for word in ("Masukkan", "Pastikan", "Pilih")), message


def test_partner_filters_are_documented_with_bounds(api, kepala):
    api.force_authenticate(kepala)
    paths = api.get("/api/schema/?format=json").json()["paths"]
    params = {p["name"]: p for p in paths["/api/v1/agreements/"]["get"]["parameters"]}
    assert params["expiring_within"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 366}
    assert params["in_force"]["schema"]["type"] == "boolean"
    assert {"search", "status", "kind", "partner", "facility"} <= set(params)
    names = {p["name"] for p in paths["/api/v1/contributions/"]["get"]["parameters"]}
    assert {"agreement", "partner", "facility", "kind"} <= names
