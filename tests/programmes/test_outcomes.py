import datetime

import pytest
from django.core.exceptions import ValidationError

from programmes import services
from programmes.models import AssimilationPlacement, Certificate, holder_initials
from rutan.inmates import services as inmate_services

D = datetime.timedelta


@pytest.fixture
def completed(balikpapan, pembina, make_programme, make_inmate):
    programme = make_programme(balikpapan, title="Barbershop", area="barbershop")
    enrolment = services.enrolment_create(
        programme=programme, inmate=make_inmate(balikpapan, name="Sari Wulandari Putri"), by=pembina
    )
    return services.enrolment_complete(enrolment=enrolment, by=pembina)


def test_certificate_numbers_run_per_facility(
    completed, pembina, balikpapan, ruteng, make_programme, make_inmate, kepala_ruteng, today
):
    first = services.certificate_issue(
        enrolment=completed, competence="Potong rambut dasar", issuer="UPTD SKB Randong", by=pembina
    )
    assert first.number == f"0001/SERT/RUTAN-BALIKPAPAN/{today.year}"
    assert first.is_valid and first.holder_initials == "S. W. P."
    with pytest.raises(ValidationError, match="sudah punya sertifikat"):
        services.certificate_issue(enrolment=completed, competence="x", issuer="y", by=pembina)
    programme = make_programme(ruteng, title="Meubel")
    other = services.enrolment_create(
        programme=programme, inmate=make_inmate(ruteng), by=kepala_ruteng
    )
    services.enrolment_complete(enrolment=other, by=kepala_ruteng)
    ruteng_cert = services.certificate_issue(
        enrolment=other, competence="Meubel", issuer="Elite Jaya Meubel", by=kepala_ruteng
    )
    assert ruteng_cert.number.startswith("0001/SERT/RUTAN-RUTENG/")
    assert first.code != ruteng_cert.code and len(first.code) >= 16


def test_certificate_needs_a_completed_enrolment_and_text(
    balikpapan, pembina, make_programme, make_inmate, completed
):
    active = services.enrolment_create(
        programme=make_programme(balikpapan), inmate=make_inmate(balikpapan), by=pembina
    )
    with pytest.raises(ValidationError, match="sudah selesai"):
        services.certificate_issue(enrolment=active, competence="x", issuer="y", by=pembina)
    with pytest.raises(ValidationError) as exc:
        services.certificate_issue(enrolment=completed, competence=" ", issuer="", by=pembina)
    assert set(exc.value.error_dict) == {"competence", "issuer"}
    assert not Certificate.objects.exists()


def test_revoke(completed, pembina):
    cert = services.certificate_issue(
        enrolment=completed, competence="Potong rambut", issuer="SKB", by=pembina
    )
    services.certificate_revoke(certificate=cert, reason="Salah nama", by=pembina)
    assert not Certificate.objects.get().is_valid


def test_initials():
    assert holder_initials("budi santoso") == "B. S."
    assert holder_initials("Maria") == "M."


def test_products_have_a_rupiah_value(balikpapan, pembina, make_programme, today):
    programme = make_programme(balikpapan, title="Meubel", area="meubel")
    product = services.product_create(
        programme=programme,
        name="Kursi jati",
        made_on=today,
        quantity=4,
        unit="buah",
        unit_value=750000,
        by=pembina,
    )
    assert product.total_value == 3000000
    services.product_update(product=product, disposition="sold", by=pembina)
    with pytest.raises(ValidationError):
        services.product_create(
            programme=programme,
            name="Meja",
            made_on=today + D(days=3),
            quantity=1,
            unit_value=1,
            by=pembina,
        )
    with pytest.raises(ValidationError):
        services.product_create(
            programme=programme,
            name="Meja",
            made_on=today,
            quantity=0,
            unit_value=-5,
            by=pembina,
        )


def _place(inmate, by, today, **kw):
    data = {
        "inmate": inmate,
        "workplace": "Kafe asimilasi",
        "address": "Jl. Jenderal Sudirman No. 533, Balikpapan",
        "supervisor": "Pak Pengawas",
        "decree_reference": "W.18-PAS.PK.01/2026",
        "start_date": today,
        "by": by,
    }
    data.update(kw)
    return services.assimilation_placement_create(**data)


def test_assimilation_needs_stage_and_clean_register_f(
    assimilation_inmate, early_inmate, pembina, national_admin, today
):
    with pytest.raises(ValidationError) as exc:
        _place(early_inmate, pembina, today)
    assert exc.value.error_dict["inmate"][0].code == "ineligible_stage"
    assert "asimilasi mulai" in exc.value.messages[0]
    inmate_services.disciplinary_create(
        inmate=assimilation_inmate,
        occurred_on=today - D(days=3),
        offence="Membawa telepon genggam",
        sanction="Tutupan sunyi",
        by=national_admin,
    )
    with pytest.raises(ValidationError) as exc:
        _place(assimilation_inmate, pembina, today)
    assert "register F" in exc.value.messages[0]
    assert not AssimilationPlacement.objects.exists()
    entry = assimilation_inmate.disciplinary_entries.get()
    inmate_services.disciplinary_close(entry=entry, on=today, by=national_admin)
    placement = _place(assimilation_inmate, pembina, today)
    assert [c["rule"] for c in placement.checks] == ["active", "stage", "register_f"]
    assert all(c["passed"] for c in placement.checks)
    with pytest.raises(ValidationError, match="sudah punya"):
        _place(assimilation_inmate, pembina, today)


def test_daily_check_out_and_in(assimilation_inmate, pembina, today):
    placement = _place(assimilation_inmate, pembina, today - D(days=2))
    with pytest.raises(ValidationError, match="Tidak ada catatan keluar"):
        services.assimilation_check_in(placement=placement, by=pembina)
    log = services.assimilation_check_out(placement=placement, by=pembina)
    with pytest.raises(ValidationError, match="belum dicatat kembali"):
        services.assimilation_check_out(placement=placement, by=pembina)
    services.assimilation_check_in(placement=placement, by=pembina)
    log.refresh_from_db()
    assert log.checked_in_by == pembina and log.duration is not None
    with pytest.raises(ValidationError, match="sudah tercatat keluar"):
        services.assimilation_check_out(placement=placement, by=pembina)
    services.assimilation_placement_end(
        placement=placement, on=today, reason="Masa asimilasi selesai", by=pembina
    )
    with pytest.raises(ValidationError):
        services.assimilation_check_out(placement=placement, by=pembina)
