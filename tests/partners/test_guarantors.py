"""Guarantors are usually family: a guarantee names a family member, another person or a
partner organisation. A person's NIK is validated and shown in full only on the inmate's
page; the admin, the API and the audit log show it masked."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners import services
from partners.models import Guarantee
from partners.selectors import guarantees_by_inmate, guarantees_for_inmates
from partners.validators import mask_nik, validate_nik
from rutan.core.models import AuditEntry
from tests.html import assert_valid_html
from tests.partners.conftest import pdf_upload

NIK = "6471054501900001"  # Balikpapan, a woman born 05-01-1990 (day + 40)
MASKED = "••••••••••••0001"
FROM = datetime.date(2025, 11, 10)


def _family(inmate, by, **overrides):
    data = {
        "guarantor_kind": "keluarga",
        "name": "Siti Aminah",
        "relationship": "istri",
        "nik": NIK,
        "address": "Jl. Mulawarman RT 12, Balikpapan",
        "phone": "0812-5555-0101",
        "letter_number": "01/SJ-KEL/XI/2025",
        "valid_from": FROM,
    }
    data.update(overrides)
    return services.guarantee_create(inmate=inmate, by=by, **data)


@pytest.mark.parametrize(
    "value, ok",
    [
        (NIK, True),
        ("6471 0545 0190 0001", True),
        ("3171011201850002", True),  # a man born 12-01-1985
        ("647105450190000", False),  # 15 digits
        ("64710545019000011", False),  # 17 digits
        ("6471054501900000", False),  # serial 0000
        ("6471053201900001", False),  # day 32
        ("6471054513900001", False),  # month 13
        ("0471054501900001", False),  # no region 0…
        ("64710545019000AB", False),
    ],
)
def test_nik_validation(value, ok):
    if ok:
        validate_nik(value)
    else:
        with pytest.raises(ValidationError):
            validate_nik(value)


def test_mask_shows_only_the_last_four_digits():
    assert mask_nik(NIK) == MASKED
    assert mask_nik("") == ""


def test_family_guarantee_through_the_service(kepala, balikpapan, make_inmate):
    inmate = make_inmate(balikpapan)
    guarantee = _family(inmate, kepala, nik="6471 0545 0190 0001", letter=pdf_upload())
    assert guarantee.partner is None and guarantee.guarantor_kind == "keluarga"
    assert guarantee.nik == NIK and guarantee.guarantor_name == "Siti Aminah"
    assert str(guarantee).startswith("Siti Aminah → ")
    assert guarantees_for_inmates(inmates=[inmate], on=FROM) == {inmate.pk: guarantee}
    created = AuditEntry.objects.filter(
        object_type="partners.guarantee", action="create", object_id=str(guarantee.pk)
    ).get()
    assert created.after["nik"] == MASKED and NIK not in str(created.after)
    # The change history keeps no copy of the NIK either.
    assert not hasattr(guarantee.history.first(), "nik")


def test_another_person_needs_name_and_nik_but_no_relationship(kepala, balikpapan, make_inmate):
    inmate = make_inmate(balikpapan)
    guarantee = _family(
        inmate, kepala, guarantor_kind="perorangan", name="Pdt. Yohanes", relationship=""
    )
    assert guarantee.guarantor_kind == "perorangan"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"nik": "12345"}, "nik"),
        ({"nik": ""}, "nik"),
        ({"name": "  "}, "name"),
        ({"relationship": ""}, "relationship"),
        ({"guarantor_kind": "bogus"}, "guarantor_kind"),
    ],
)
def test_bad_person_guarantee_saves_nothing(kepala, balikpapan, make_inmate, overrides, field):
    inmate = make_inmate(balikpapan)
    with pytest.raises(ValidationError) as exc:
        _family(inmate, kepala, **overrides)
    assert field in exc.value.message_dict
    assert not Guarantee.objects.exists()


def test_partner_kind_needs_a_partner_and_a_person_none(kepala, balikpapan, make_inmate, sekata):
    inmate = make_inmate(balikpapan)
    with pytest.raises(ValidationError) as exc:
        services.guarantee_create(
            inmate=inmate, by=kepala, guarantor_kind="mitra", letter_number="X", valid_from=FROM
        )
    assert "partner" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _family(inmate, kepala, partner=sekata)
    assert "partner" in exc.value.message_dict
    assert not Guarantee.objects.exists()


def test_several_guarantees_newest_first(kepala, balikpapan, make_inmate, sekata):
    inmate = make_inmate(balikpapan)
    family = _family(inmate, kepala)
    partner = services.guarantee_create(
        partner=sekata,
        inmate=inmate,
        by=kepala,
        letter_number="02/SEKATA",
        valid_from=FROM + datetime.timedelta(days=1),
    )
    on = FROM + datetime.timedelta(days=2)
    assert guarantees_by_inmate(inmates=[inmate], on=on) == {inmate.pk: [partner, family]}
    assert guarantees_by_inmate(inmates=[inmate], on=FROM) == {inmate.pk: [family]}


def test_page_records_a_family_guarantee(client, kepala, balikpapan, make_inmate):
    inmate = make_inmate(balikpapan)
    client.force_login(kepala)
    url = reverse("partners:guarantee_create", args=[inmate.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Keluarga" in page.content.decode()
    assert_valid_html(page.content.decode())
    bad = client.post(
        url,
        {
            "guarantor_kind": "keluarga",
            "name": "Siti Aminah",
            "relationship": "istri",
            "nik": "1234",
            "letter_number": "01/SJ",
            "valid_from": "2025-11-10",
        },
    )
    assert bad.status_code == 200
    assert "NIK terdiri atas 16 angka" in bad.content.decode()
    assert not Guarantee.objects.exists()
    done = client.post(
        url,
        {
            "guarantor_kind": "keluarga",
            "name": "Siti Aminah",
            "relationship": "istri",
            "nik": "6471 0545 0190 0001",
            "phone": "0812-5555-0101",
            "letter_number": "01/SJ",
            "valid_from": "2025-11-10",
            "letter": pdf_upload("surat.pdf"),
        },
    )
    assert done.status_code == 302 and done["Location"] == reverse(
        "inmates:detail", args=[inmate.pk]
    )
    guarantee = Guarantee.objects.get()
    assert guarantee.nik == NIK and guarantee.letter
    # The inmate's own page is the one place that shows the NIK in full.
    detail = client.get(reverse("inmates:detail", args=[inmate.pk])).content.decode()
    assert_valid_html(detail)
    assert "Siti Aminah" in detail and NIK in detail and "istri" in detail


def test_page_is_scoped_and_needs_partner_manage(
    client, kepala_ruteng, pembina, balikpapan, make_inmate
):
    inmate = make_inmate(balikpapan)
    url = reverse("partners:guarantee_create", args=[inmate.pk])
    client.force_login(kepala_ruteng)
    assert client.get(url).status_code == 404
    client.force_login(pembina)
    assert client.get(url).status_code == 404


def test_admin_and_api_show_the_nik_masked(client, kepala, balikpapan, make_inmate):
    inmate = make_inmate(balikpapan)
    guarantee = _family(inmate, kepala)
    client.force_login(kepala)
    changelist = client.get(reverse("admin:partners_guarantee_changelist")).content.decode()
    assert "Siti Aminah" in changelist and NIK not in changelist
    change = client.get(reverse("admin:partners_guarantee_change", args=[guarantee.pk]))
    html = change.content.decode()
    assert change.status_code == 200 and MASKED in html and NIK not in html
    body = client.get("/api/v1/guarantees/", {"inmate": inmate.pk}).json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [r["nik_masked"] for r in rows] == [MASKED]
    assert "nik" not in rows[0] and NIK not in str(body)


def test_api_creates_a_family_guarantee(client, kepala, balikpapan, make_inmate):
    inmate = make_inmate(balikpapan)
    client.force_login(kepala)
    response = client.post(
        "/api/v1/guarantees/",
        {
            "inmate": inmate.pk,
            "guarantor_kind": "keluarga",
            "name": "Siti Aminah",
            "relationship": "istri",
            "nik": NIK,
            "letter_number": "01/SJ",
            "valid_from": "2025-11-10",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["nik_masked"] == MASKED and "nik" not in response.json()
    bad = client.post(
        "/api/v1/guarantees/",
        {
            "inmate": inmate.pk,
            "guarantor_kind": "keluarga",
            "name": "Siti",
            "relationship": "istri",
            "nik": "1",
            "letter_number": "02/SJ",
            "valid_from": "2025-11-10",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "nik" in bad.json()["errors"]
    assert Guarantee.objects.count() == 1
