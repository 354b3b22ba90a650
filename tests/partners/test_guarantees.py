import datetime

import pytest
from django.core.exceptions import ValidationError

from partners import services
from partners.models import Guarantee
from partners.selectors import guarantee_for_inmate
from tests.partners.conftest import pdf_upload


def test_guarantee_for_inmate_on_a_date(sekata, kepala, balikpapan, make_inmate):
    inmate = make_inmate(balikpapan)
    other = make_inmate(balikpapan)
    guarantee = services.guarantee_create(
        partner=sekata,
        inmate=inmate,
        by=kepala,
        letter_number="01/SEKATA/XI/2025",
        valid_from=datetime.date(2025, 11, 10),
        valid_until=datetime.date(2026, 11, 9),
        letter=pdf_upload(),
    )
    assert guarantee.letter.name.endswith(".pdf")
    assert guarantee_for_inmate(inmate=inmate, on=datetime.date(2026, 1, 1)) == guarantee
    assert guarantee_for_inmate(inmate=inmate, on=datetime.date(2025, 11, 9)) is None
    assert guarantee_for_inmate(inmate=inmate, on=datetime.date(2026, 11, 10)) is None
    assert guarantee_for_inmate(inmate=other, on=datetime.date(2026, 1, 1)) is None

    services.guarantee_revoke(guarantee=guarantee, reason="Mitra menarik jaminan", by=kepala)
    assert guarantee_for_inmate(inmate=inmate, on=datetime.date(2026, 1, 1)) is None


def test_inactive_partner_guarantee_does_not_count(sekata, kepala, balikpapan, make_inmate):
    inmate = make_inmate(balikpapan)
    services.guarantee_create(
        partner=sekata,
        inmate=inmate,
        by=kepala,
        letter_number="02/SEKATA",
        valid_from=datetime.date(2025, 1, 1),
    )
    assert guarantee_for_inmate(inmate=inmate, on=datetime.date(2030, 1, 1)) is not None
    services.partner_update(partner=sekata, by=kepala, is_active=False)
    assert guarantee_for_inmate(inmate=inmate, on=datetime.date(2030, 1, 1)) is None


def test_guarantor_must_be_partner_of_the_inmates_facility(
    skb, kepala, national_admin, balikpapan, make_inmate
):
    inmate = make_inmate(balikpapan)
    with pytest.raises(ValidationError) as exc:
        services.guarantee_create(
            partner=skb,
            inmate=inmate,
            by=national_admin,
            letter_number="X",
            valid_from=datetime.date(2025, 1, 1),
        )
    assert "Penjamin harus mitra UPT" in str(exc.value)
    assert not Guarantee.objects.exists()


def test_guarantee_letter_must_be_pdf(sekata, kepala, balikpapan, make_inmate):
    inmate = make_inmate(balikpapan)
    with pytest.raises(ValidationError) as exc:
        services.guarantee_create(
            partner=sekata,
            inmate=inmate,
            by=kepala,
            letter_number="03/SEKATA",
            valid_from=datetime.date(2025, 1, 1),
            letter=pdf_upload("surat.pdf", b"MZ\x90\x00 not a pdf"),
        )
    assert "bukan PDF" in str(exc.value)
    assert not Guarantee.objects.exists()
