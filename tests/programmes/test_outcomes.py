import datetime
import math

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError

from programmes import services
from programmes.models import AssimilationPlacement, Certificate, holder_initials
from rutan.core.models import AuditEntry
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


def _half_term_date(inmate) -> datetime.date:
    """½ of the sentence after remission, counted from its start (the asimilasi time rule)."""
    term = (inmate.expected_release_date - inmate.sentence_start).days
    return inmate.sentence_start + D(days=math.ceil(term / 2))


def _nothing_placed(inmate):
    assert not AssimilationPlacement.objects.filter(inmate=inmate).exists()
    assert not AuditEntry.objects.filter(
        object_type="programmes.assimilationplacement", action="create"
    ).exists()


def test_assimilation_refused_before_half_the_sentence(early_inmate, pembina, sppn, today):
    sppn(early_inmate, months=6)
    with pytest.raises(ValidationError) as exc:
        _place(early_inmate, pembina, today)
    errors = exc.value.error_dict["inmate"]
    assert [e.code for e in errors] == ["ineligible_masa_pidana"]
    due = _half_term_date(early_inmate)
    assert exc.value.messages == [
        f"Telah menjalani 1/2 masa pidana: Terpenuhi pada {due:%d-%m-%Y} "
        f"({(due - today).days} hari lagi)."
    ]
    _nothing_placed(early_inmate)


def test_assimilation_needs_six_months_of_sppn(make_inmate, balikpapan, pembina, sppn, today):
    inmate = make_inmate(
        balikpapan, sentence_start=today - D(days=600), admission_date=today - D(days=590)
    )
    sppn(inmate, months=4)
    with pytest.raises(ValidationError) as exc:
        _place(inmate, pembina, today)
    assert [e.code for e in exc.value.error_dict["inmate"]] == ["ineligible_sppn"]
    missing = [today.replace(day=1) - relativedelta(months=k) for k in (6, 5)]
    assert exc.value.messages == [
        "Nilai SPPN 6 bulan terakhir rata-rata ≥ 60: SPPN: belum ada nilai untuk "
        + ", ".join(f"{m:%m/%Y}" for m in missing)
        + "."
    ]
    _nothing_placed(inmate)
    # The rule is the average: 4 months at 75 and 2 at 20 make (300 + 40) / 6 = 56.7 < 60.
    sppn(inmate, months=6, score=20)
    with pytest.raises(ValidationError, match="di bawah 60"):
        _place(inmate, pembina, today)
    _nothing_placed(inmate)


def test_special_crimes_need_two_thirds_and_nine_months_of_sppn(
    make_inmate, balikpapan, pembina, sppn, today
):
    # Narkotika is a special crime from a 5-year sentence (Permenkumham 7/2022): 6 years, so
    # ⅔ of about 2 187 days is day 1 458.
    inmate = make_inmate(
        balikpapan,
        case_category="narkotika",
        sentence_years=6,
        sentence_start=today - D(days=600),
        admission_date=today - D(days=590),
    )
    sppn(inmate, months=9)
    with pytest.raises(ValidationError) as exc:
        _place(inmate, pembina, today)
    assert [e.code for e in exc.value.error_dict["inmate"]] == ["ineligible_masa_pidana"]
    assert "Telah menjalani 2/3 masa pidana" in exc.value.messages[0]
    assert "Ketentuan tindak pidana khusus berlaku." in exc.value.messages[0]
    longer = make_inmate(
        balikpapan,
        case_category="narkotika",
        sentence_years=6,
        sentence_start=today - D(days=1500),
        admission_date=today - D(days=1490),
    )
    sppn(longer, months=6)
    with pytest.raises(ValidationError) as exc:
        _place(longer, pembina, today)
    assert [e.code for e in exc.value.error_dict["inmate"]] == ["ineligible_sppn"]
    assert "Nilai SPPN 9 bulan terakhir" in exc.value.messages[0]
    assert not AssimilationPlacement.objects.exists()
    sppn(longer, months=9)
    assert _place(longer, pembina, today).inmate == longer


def test_assimilation_needs_six_clean_months_of_register_f(
    assimilation_inmate, make_inmate, balikpapan, pembina, national_admin, sppn, today
):
    entry = inmate_services.disciplinary_create(
        inmate=assimilation_inmate,
        occurred_on=today - D(days=3),
        offence="Membawa telepon genggam",
        sanction="Tutupan sunyi",
        by=national_admin,
    )
    with pytest.raises(ValidationError) as exc:
        _place(assimilation_inmate, pembina, today)
    assert [e.code for e in exc.value.error_dict["inmate"]] == ["ineligible_register_f"]
    assert (
        f"Register F masih berjalan: Tutupan sunyi sejak {today - D(days=3):%d-%m-%Y}."
        in exc.value.messages[0]
    )
    _nothing_placed(assimilation_inmate)
    # Closing the entry is not enough: the last six months must be clean.
    inmate_services.disciplinary_close(entry=entry, on=today, by=national_admin)
    with pytest.raises(ValidationError) as exc:
        _place(assimilation_inmate, pembina, today)
    # National reading: 1 bulan = 30 hari, so six months are 180 days.
    clean_on = today + D(days=181)
    assert (
        f"Hukuman disiplin berakhir {today:%d-%m-%Y}; bersih 6 bulan pada {clean_on:%d-%m-%Y}."
        in exc.value.messages[0]
    )
    _nothing_placed(assimilation_inmate)
    # An entry closed more than six months ago no longer counts.
    reformed = make_inmate(
        balikpapan, sentence_start=today - D(days=600), admission_date=today - D(days=590)
    )
    sppn(reformed, months=6)
    old = inmate_services.disciplinary_create(
        inmate=reformed,
        occurred_on=today - D(days=300),
        offence="Berkelahi",
        sanction="Teguran tertulis",
        by=national_admin,
    )
    inmate_services.disciplinary_close(entry=old, on=today - D(days=290), by=national_admin)
    placement = _place(reformed, pembina, today)
    assert [c["rule"] for c in placement.checks] == ["status", "masa_pidana", "register_f", "sppn"]
    assert all(c["passed"] for c in placement.checks)


def test_assimilation_placement_keeps_the_checks(assimilation_inmate, pembina, today):
    placement = _place(assimilation_inmate, pembina, today)
    assert [c["rule"] for c in placement.checks] == ["status", "masa_pidana", "register_f", "sppn"]
    assert all(c["passed"] for c in placement.checks)
    time_check = placement.checks[1]
    assert time_check["reason"] == (
        f"Terpenuhi sejak {_half_term_date(assimilation_inmate):%d-%m-%Y}."
    )
    with pytest.raises(ValidationError, match="sudah punya"):
        _place(assimilation_inmate, pembina, today)
    assert AssimilationPlacement.objects.filter(inmate=assimilation_inmate).count() == 1


def test_daily_check_out_and_in(assimilation_inmate, pembina, sppn, today):
    start = today - D(days=2)
    sppn(assimilation_inmate, months=6, on=start)  # the SPPN window of the start date
    placement = _place(assimilation_inmate, pembina, start)
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
