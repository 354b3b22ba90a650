import datetime

import pytest
from django.core.exceptions import ValidationError

from partners import services
from partners.models import Guarantee
from partners.selectors import guarantee_for_inmate, guarantees_for_inmates
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


def test_bulk_and_single_guarantee_selectors_agree(sekata, kepala, balikpapan, make_inmate):
    """`guarantees_for_inmates` applies exactly the rules of `guarantee_for_inmate`:
    revoked, expired, not yet valid and inactive-partner guarantees do not count; of
    overlapping ones the newest wins."""
    on = datetime.date(2026, 3, 1)
    other_partner = services.partner_create(
        facility=balikpapan,
        by=kepala,
        name="Gereja Kemah Injil Balikpapan",
        partner_type="keagamaan",
    )
    inmates = {
        key: make_inmate(balikpapan)
        for key in (
            "none",
            "open",
            "revoked",
            "expired",
            "future",
            "inactive",
            "overlap",
            "same_day",
            "newest_revoked",
        )
    }
    n = iter(range(1, 100))

    def give(key, *, partner=sekata, **dates):
        return services.guarantee_create(
            partner=partner,
            inmate=inmates[key],
            by=kepala,
            letter_number=f"{next(n):02d}/JAMINAN",
            **dates,
        )

    expected = {"open": give("open", valid_from=datetime.date(2025, 1, 1))}
    revoked = give("revoked", valid_from=datetime.date(2025, 1, 1))
    services.guarantee_revoke(guarantee=revoked, reason="Mitra menarik jaminan", by=kepala)
    give("expired", valid_from=datetime.date(2025, 1, 1), valid_until=datetime.date(2026, 2, 28))
    give("future", valid_from=datetime.date(2026, 3, 2))
    inactive = give("inactive", partner=other_partner, valid_from=datetime.date(2025, 1, 1))
    give("overlap", valid_from=datetime.date(2025, 1, 1))
    expected["overlap"] = give(
        "overlap",
        partner=other_partner,
        valid_from=datetime.date(2025, 6, 1),
        valid_until=datetime.date(2026, 3, 1),
    )
    give("same_day", valid_from=datetime.date(2025, 6, 1))
    expected["same_day"] = give("same_day", valid_from=datetime.date(2025, 6, 1))
    expected["newest_revoked"] = give("newest_revoked", valid_from=datetime.date(2025, 1, 1))
    services.guarantee_revoke(
        guarantee=give("newest_revoked", valid_from=datetime.date(2025, 6, 1)),
        reason="Dicatat keliru",
        by=kepala,
    )
    # While the other partner is active its letters count (and its newer one wins the
    # overlap); once it is inactive they do not, and the older letter of SEKATA wins.
    before = guarantees_for_inmates(inmates=inmates.values(), on=on)
    assert before == {inmates[key].pk: g for key, g in expected.items()} | {
        inmates["inactive"].pk: inactive
    }
    services.partner_update(partner=other_partner, by=kepala, is_active=False)
    expected["overlap"] = Guarantee.objects.get(inmate=inmates["overlap"], partner=sekata)

    bulk = guarantees_for_inmates(inmates=inmates.values(), on=on)
    assert bulk == {inmates[key].pk: g for key, g in expected.items()}
    assert guarantees_for_inmates(inmates=[i.pk for i in inmates.values()], on=on) == bulk
    assert guarantees_for_inmates(inmates=[], on=on) == {}
    for day in (on, datetime.date(2024, 12, 31), datetime.date(2025, 6, 1), on.replace(day=2)):
        bulk = guarantees_for_inmates(inmates=inmates.values(), on=day)
        for inmate in inmates.values():
            assert guarantee_for_inmate(inmate=inmate, on=day) == bulk.get(inmate.pk), (
                inmate,
                day,
            )
