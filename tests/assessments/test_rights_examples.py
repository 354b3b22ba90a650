"""Worked examples of the rights (Permenkumham 3/2018 jo. 7/2022), one or more per rule, with
the arithmetic in each docstring and every boundary on the day before, on and after.

Unless a test says otherwise the national readings apply: remisi comes off the base (the
fraction is of the term after remisi) and 1 bulan = 30 hari (`ReckoningSetting`). A
sentenced inmate made by `make_inmate` is held from `sentence_start` and the verdict is final
on that day, so the term runs from it; remisi are ledger grants.
"""

import datetime

import pytest

from assessments import eligibility, selectors
from partners import services as partner_services
from rutan.inmates import services as inmate_services
from rutan.inmates.models import ReckoningSetting

D = datetime.date
ONE = datetime.timedelta(days=1)


def _rule(result, code):
    return next(r for r in result.rules if r.code == code)


def _around(inmate, kind, day):
    """The results on the day before, on and after `day`."""
    return [eligibility.evaluate(inmate=inmate, kind=kind, on=day + k * ONE) for k in (-1, 0, 1)]


def _assert_boundary(inmate, kind, day, code="masa_pidana"):
    before, on, after = (_rule(r, code) for r in _around(inmate, kind, day))
    assert (before.passed, on.passed, after.passed) == (False, True, True)
    assert before.date == on.date == after.date == day
    assert f"Terpenuhi pada {day:%d-%m-%Y} (1 hari lagi)." in before.reason
    assert f"Terpenuhi sejak {day:%d-%m-%Y}." in on.reason


@pytest.fixture
def grant(national_admin):
    def give(inmate, on, *, months=0, days=0, kind="umum"):
        return inmate_services.remisi_grant_create(
            inmate=inmate,
            by=national_admin,
            kind=kind,
            decree_number=f"PAS-{inmate.pk}.{on:%Y%m%d}.{kind}",
            decree_date=on,
            months=months,
            days=days,
        )

    return give


@pytest.fixture
def sentenced(balikpapan, make_inmate, grant):
    """A sentenced inmate from `start` with the given sentence and remisi grants
    [(decree date, months, days, kind)], re-read after the grants."""

    def make(start, years=0, months=0, days=0, grants=(), **extra):
        inmate = make_inmate(
            balikpapan,
            sentence_start=start,
            admission_date=start,
            sentence_years=years,
            sentence_months=months,
            sentence_days=days,
            remission_days=0,
            **extra,
        )
        for on, m, d, kind in grants:
            grant(inmate, on, months=m, days=d, kind=kind)
        inmate.refresh_from_db()
        return inmate

    return make


@pytest.fixture
def reading(balikpapan):
    def use(*, remisi="off_base", month="30_days"):
        ReckoningSetting.objects.create(
            facility=balikpapan,
            remisi_reading=remisi,
            month_reading=month,
            legal_basis="Uji: cara perhitungan UPT",
        )

    return use


@pytest.fixture
def family(kepala):
    def give(inmate, valid_from, relationship="istri"):
        return partner_services.guarantee_create(
            inmate=inmate,
            by=kepala,
            guarantor_kind="keluarga",
            name="Siti Aminah",
            relationship=relationship,
            nik="6471054501900001",
            letter_number=f"{inmate.pk}/SJ-KEL",
            valid_from=valid_from,
        )

    return give


# Asimilasi ---------------------------------------------------------------------------------


def test_asimilasi_half_after_several_remisi(sentenced, sppn):
    """A 2-year sentence from 9 May 2017 ends on 9 May 2019; remisi 17-08-2017 of 2 months
    (60 days) and 25-12-2017 of 45 days = 105 days, so it ends on 24 January 2019. The term
    is 625 days; ½ = 312.5, the first whole day served is day 313: 18 March 2018."""
    inmate = sentenced(
        D(2017, 5, 9),
        years=2,
        grants=[(D(2017, 8, 17), 2, 0, "umum"), (D(2017, 12, 25), 0, 45, "khusus")],
    )
    assert inmate.expected_release_date == D(2019, 1, 24)
    _assert_boundary(inmate, "asimilasi", D(2018, 3, 18))
    sppn(inmate, months=6, on=D(2018, 3, 18))
    result = eligibility.evaluate(inmate=inmate, kind="asimilasi", on=D(2018, 3, 18))
    assert result.eligible, [r.reason for r in result.failing]
    time = _rule(result, "masa_pidana")
    assert time.how == [
        "1/2 × 625 hari (mulai 09-05-2017 s.d. perkiraan bebas 24-01-2019) = 313 hari → 18-03-2018."
    ]
    assert "Pasal 44" in time.basis and "Pasal 44" in _rule(result, "register_f").basis
    assert any("Remisi 2 kali" in step for step in result.reckoning_steps)


def test_asimilasi_with_remisi_counted_as_served(reading, sentenced):
    """Reading "remisi dihitung telah dijalani": ½ of the full 730 days is 365; less the 105
    days of remisi counted as served, 260 days from 9 May 2017: 24 January 2018."""
    reading(remisi="as_served")
    inmate = sentenced(
        D(2017, 5, 9),
        years=2,
        grants=[(D(2017, 8, 17), 2, 0, "umum"), (D(2017, 12, 25), 0, 45, "khusus")],
    )
    _assert_boundary(inmate, "asimilasi", D(2018, 1, 24))


def test_narkotika_three_years_is_proposed_at_half(sentenced):
    """Narkotika, 3 years from 1 March 2022 (to 1 March 2025, 1 096 days, no remisi): under
    5 years the general rule applies (Permenkumham 7/2022), so ½ = 548 days: 31 August 2023."""
    inmate = sentenced(D(2022, 3, 1), years=3, case_category="narkotika")
    _assert_boundary(inmate, "asimilasi", D(2023, 8, 31))
    result = eligibility.evaluate(inmate=inmate, kind="asimilasi", on=D(2023, 8, 31))
    assert not result.special
    assert "Narkotika dengan pidana 3 tahun 0 bulan 0 hari < 5 tahun: ketentuan umum" in (
        _rule(result, "masa_pidana").reason
    )
    assert "6 bulan" in _rule(result, "register_f").label


def test_narkotika_six_years_is_proposed_at_two_thirds(sentenced, sppn):
    """Narkotika, 6 years from 15 January 2020 (to 15 January 2026, 2 192 days): 5 years or
    more, so the special rule (Pasal 45 ayat (1) huruf b): ⅔ = 1 461.3, day 1 462: 16 January
    2024, and 9 months of good behaviour."""
    inmate = sentenced(D(2020, 1, 15), years=6, case_category="narkotika")
    _assert_boundary(inmate, "asimilasi", D(2024, 1, 16))
    result = eligibility.evaluate(inmate=inmate, kind="asimilasi", on=D(2024, 1, 16))
    time = _rule(result, "masa_pidana")
    assert result.special and "Ketentuan tindak pidana khusus berlaku." in time.reason
    assert "huruf b" in time.reason and "Pasal 45 ayat (1)" in time.basis
    assert "9 bulan" in _rule(result, "sppn").label
    sppn(inmate, months=9, on=D(2024, 1, 16))
    assert eligibility.evaluate(inmate=inmate, kind="asimilasi", on=D(2024, 1, 16)).eligible


@pytest.mark.parametrize(
    "years, months, days, special",
    [(4, 11, 0, False), (5, 0, 0, True), (5, 0, 1, True)],
)
def test_narkotika_special_from_five_years(sentenced, years, months, days, special):
    """The category's minimum is 60 months: 4 years 11 months is general (½), 5 years and
    5 years 1 day are special (⅔)."""
    inmate = sentenced(
        D(2020, 1, 15), years=years, months=months, days=days, case_category="narkotika"
    )
    result = eligibility.evaluate(inmate=inmate, kind="asimilasi", on=D(2020, 1, 15))
    assert result.special is special
    assert _rule(result, "masa_pidana").label.startswith(
        "Telah menjalani 2/3" if special else "Telah menjalani 1/2"
    )


def test_tipikor_is_special_whatever_the_length(sentenced):
    """Korupsi, 1 year from 10 January 2024 (366 days): special at any length, ⅔ = 244 days:
    10 September 2024."""
    inmate = sentenced(D(2024, 1, 10), years=1, case_category="tipikor")
    _assert_boundary(inmate, "asimilasi", D(2024, 9, 10))


def test_worklist_proposes_narkotika_at_half_or_two_thirds(kepala, sentenced):
    """On 1 August 2023 (60 days ahead: to 30 September 2023) the 3-year narkotika inmate
    (½ on 31 August 2023) is on the asimilasi worklist; the 6-year one (⅔ on 16 January
    2024) is not yet, though its ½ (16 January 2023) has passed."""
    three = sentenced(D(2022, 3, 1), years=3, case_category="narkotika")
    six = sentenced(D(2020, 1, 15), years=6, case_category="narkotika")
    results = selectors.eligibility_worklist(user=kepala, kind="asimilasi", on=D(2023, 8, 1))
    assert [r.inmate for r in results] == [three]
    results = selectors.eligibility_worklist(user=kepala, kind="asimilasi", on=D(2023, 12, 1))
    assert six in [r.inmate for r in results]


# Pembebasan bersyarat ----------------------------------------------------------------------


def test_pembebasan_bersyarat_with_a_family_guarantor(sentenced, sppn, family, registrasi):
    """2 years from 1 June 2022 (to 1 June 2024); remisi 17-08-2022 of 2 months and
    25-12-2022 of 1 month = 90 days (30-day months): release 3 March 2024, term 641 days.
    ⅔ = 427.3, day 428: 3 August 2023; ⅔ is 428 days ≥ 9 months (270 days), so PB applies
    (Pasal 82 huruf a). Good behaviour is counted back from the ⅔ date (Pasal 82 huruf b):
    SPPN for 11/2022–07/2023, register F from 6 November 2022 (270 days before). The wife
    guarantees: a family guarantor satisfies PB."""
    inmate = sentenced(
        D(2022, 6, 1),
        years=2,
        grants=[(D(2022, 8, 17), 2, 0, "umum"), (D(2022, 12, 25), 1, 0, "khusus")],
    )
    assert inmate.expected_release_date == D(2024, 3, 3)
    two_thirds = D(2023, 8, 3)
    _assert_boundary(inmate, "pembebasan_bersyarat", two_thirds)
    sppn(inmate, months=9, on=two_thirds)
    family(inmate, D(2023, 7, 1))
    result = eligibility.evaluate(inmate=inmate, kind="pembebasan_bersyarat", on=two_thirds)
    assert result.eligible, [r.reason for r in result.failing]
    assert _rule(result, "penjamin").reason == "Dijamin oleh Siti Aminah (keluarga, istri)."
    assert _rule(result, "sppn").label == (
        "Nilai SPPN 9 bulan sebelum tanggal 2/3 masa pidana rata-rata ≥ 60"
    )
    assert "Pasal 82 huruf a" in _rule(result, "masa_pidana").basis
    assert "Pasal 82 huruf b" in _rule(result, "register_f").basis
    assert (
        "2/3 masa pidana = 428 hari = 14 bulan 8 hari (1 bulan = 30 hari) ≥ 9 bulan."
        in _rule(result, "masa_pidana").how
    )
    # Assessed three months later, the window still ends at the ⅔ date: no new SPPN needed.
    later = eligibility.evaluate(inmate=inmate, kind="pembebasan_bersyarat", on=D(2023, 11, 1))
    assert later.eligible, [r.reason for r in later.failing]
    # A penalty inside the window before ⅔ blocks it, though 9 months before the assessed
    # date (270 days before 1 November 2023: 4 February 2023) would be clean.
    entry = inmate_services.disciplinary_create(
        inmate=inmate,
        occurred_on=D(2023, 1, 5),
        offence="Berkelahi",
        sanction="Teguran tertulis",
        sanction_until=D(2023, 1, 10),
        by=registrasi,
    )
    inmate_services.disciplinary_close(entry=entry, on=D(2023, 1, 10), by=registrasi)
    blocked = eligibility.evaluate(inmate=inmate, kind="pembebasan_bersyarat", on=D(2023, 11, 1))
    assert not _rule(blocked, "register_f").passed
    assert eligibility.evaluate(inmate=inmate, kind="asimilasi", on=D(2023, 11, 1)).rules[2].passed


@pytest.mark.parametrize(
    "days, applies",
    [(7, False), (8, True), (9, True)],
)
def test_pembebasan_bersyarat_two_thirds_at_least_nine_months(sentenced, days, applies):
    """From 1 January 2023: 1 year 1 month 7 days = 403 days, ⅔ = 268.7 → 269 days = 8 months
    29 days < 9 months: PB does not apply (see CB). 1 year 1 month 8 days = 404 days, ⅔ =
    269.3 → 270 days = 9 months: PB applies, on 28 September 2023; 9 days: 405 → 270 too."""
    inmate = sentenced(D(2023, 1, 1), years=1, months=1, days=days)
    result = eligibility.evaluate(inmate=inmate, kind="pembebasan_bersyarat", on=D(2023, 9, 28))
    time = _rule(result, "masa_pidana")
    assert result.applies is applies
    if applies:
        assert time.date == D(2023, 9, 28) and time.passed
    else:
        assert (
            time.reason
            == "2/3 masa pidana = 8 bulan 29 hari < 9 bulan: PB tidak berlaku; lihat CB."
        )
        assert time.date is None and not result.eligible
        assert eligibility.evaluate(inmate=inmate, kind="cuti_bersyarat", on=D(2023, 9, 28)).applies


def test_month_end_start_with_calendar_months(reading, sentenced):
    """Start 31 January 2024, 1 year 1 month 14 days (to 14 March 2025): 408 days, ⅔ = 272
    days. With 30-day months that is ≥ 270 days and PB applies; with calendar months 9 months
    from 31 January 2024 is 31 October 2024 (274 days), and 272 days reach only 29 October:
    8 months 29 days < 9 months, PB does not apply."""
    thirty = sentenced(D(2024, 1, 31), years=1, months=1, days=14)
    assert eligibility.evaluate(
        inmate=thirty, kind="pembebasan_bersyarat", on=D(2024, 10, 29)
    ).applies
    reading(month="calendar")
    calendar = sentenced(D(2024, 1, 31), years=1, months=1, days=14)
    result = eligibility.evaluate(inmate=calendar, kind="pembebasan_bersyarat", on=D(2024, 10, 29))
    assert not result.applies
    assert _rule(result, "masa_pidana").reason.startswith(
        "2/3 masa pidana = 8 bulan 29 hari < 9 bulan"
    )


def test_pembebasan_bersyarat_narkotika_five_years_has_the_remaining_half_step(sentenced):
    """Narkotika 6 years from 15 January 2020: PB at ⅔ (16 January 2024, Pasal 85), and the
    proposal must show asimilasi for ½ of the remaining term: from 16 January 2024 to the
    release on 15 January 2026 is 730 days, half is 365: at the earliest 15 January 2025."""
    inmate = sentenced(D(2020, 1, 15), years=6, case_category="narkotika")
    result = eligibility.evaluate(inmate=inmate, kind="pembebasan_bersyarat", on=D(2024, 1, 16))
    assert "Pasal 85" in _rule(result, "masa_pidana").basis
    step = next(s for s in result.steps if s.code == "asimilasi_setengah_sisa")
    assert not step.done and "Paling cepat 15-01-2025" in step.hint and "730 hari" in step.hint
    general = sentenced(D(2020, 1, 15), years=6)
    plain = eligibility.evaluate(inmate=general, kind="pembebasan_bersyarat", on=D(2024, 1, 16))
    assert "asimilasi_setengah_sisa" not in [s.code for s in plain.steps]


# Cuti bersyarat ----------------------------------------------------------------------------


def test_cuti_bersyarat_two_thirds(sentenced, sppn, kepala, balikpapan):
    """1 year from 10 January 2024 (to 10 January 2025, 366 days, no remisi): ⅔ = 244 days
    (≥ 6 months = 180 days): 10 September 2024; sentence 1 year ≤ 1 year 3 months (Pasal
    103); good behaviour 6 months before the assessed date; a partner guarantees."""
    inmate = sentenced(D(2024, 1, 10), years=1)
    day = D(2024, 9, 10)
    _assert_boundary(inmate, "cuti_bersyarat", day)
    sppn(inmate, months=6, on=day)
    partner = partner_services.partner_create(
        facility=balikpapan, by=kepala, name="Yayasan Bina Insani", partner_type="yayasan"
    )
    partner_services.guarantee_create(
        partner=partner, inmate=inmate, by=kepala, letter_number="01/BI", valid_from=D(2024, 8, 1)
    )
    result = eligibility.evaluate(inmate=inmate, kind="cuti_bersyarat", on=day)
    assert result.eligible, [r.reason for r in result.failing]
    assert [r.code for r in result.rules] == [
        "status",
        "masa_pidana",
        "lama_pidana",
        "register_f",
        "sppn",
        "penjamin",
    ]
    assert "Pasal 103" in _rule(result, "lama_pidana").basis


@pytest.mark.parametrize("days, within", [(0, True), (1, False)])
def test_cuti_bersyarat_sentence_at_most_fifteen_months(sentenced, days, within):
    """1 year 3 months is within "paling lama 1 tahun 3 bulan"; one day more is not, and CB
    does not apply."""
    inmate = sentenced(D(2024, 1, 10), years=1, months=3, days=days)
    result = eligibility.evaluate(inmate=inmate, kind="cuti_bersyarat", on=D(2024, 12, 1))
    assert _rule(result, "lama_pidana").passed is within and result.applies is within


@pytest.mark.parametrize("days, applies", [(23, False), (24, True), (25, True)])
def test_cuti_bersyarat_two_thirds_at_least_six_months(sentenced, days, applies):
    """From 1 March 2023: 8 months 23 days = 268 days, ⅔ = 178.7 → 179 days < 180 (6 months):
    CB does not apply; 8 months 24 days = 269, ⅔ → 180 days: it does; 25 days: 270 → 180."""
    inmate = sentenced(D(2023, 3, 1), months=8, days=days)
    result = eligibility.evaluate(inmate=inmate, kind="cuti_bersyarat", on=D(2023, 9, 1))
    assert result.applies is applies


def test_twenty_ninth_of_february_start(sentenced):
    """1 year from 29 February 2024 ends on 28 February 2025 (365 days): ½ = 182.5 → day 183:
    30 August 2024 (asimilasi); ⅔ = 243.3 → day 244: 30 October 2024 (CB)."""
    inmate = sentenced(D(2024, 2, 29), years=1)
    assert inmate.expected_release_date == D(2025, 2, 28)
    _assert_boundary(inmate, "asimilasi", D(2024, 8, 30))
    _assert_boundary(inmate, "cuti_bersyarat", D(2024, 10, 30))


def test_sentence_under_a_year(sentenced):
    """10 months from 10 January 2024 (to 10 November 2024, 305 days): asimilasi at ½ (day
    153: 11 June 2024) and CB at ⅔ (day 204: 1 August 2024, 204 ≥ 180 days) apply; PB and CMB
    do not (⅔ = 204 days < 270), nor CMK (under 12 months)."""
    inmate = sentenced(D(2024, 1, 10), months=10)
    results = {r.kind: r for r in eligibility.evaluate_all(inmate=inmate, on=D(2024, 8, 1))}
    assert results["asimilasi"].time_date == D(2024, 6, 11)
    assert results["cuti_bersyarat"].time_date == D(2024, 8, 1)
    assert results["cuti_bersyarat"].applies
    for kind in ("pembebasan_bersyarat", "cuti_menjelang_bebas", "cuti_mengunjungi_keluarga"):
        assert not results[kind].applies, kind


# Cuti menjelang bebas ----------------------------------------------------------------------


def test_cuti_menjelang_bebas_lasts_the_latest_remisi(sentenced):
    """3 years from 1 January 2021 (to 1 January 2024); remisi 17-08-2021 of 2 months and then
    25-12-2021 of 15 days (the latest): 75 days in all, release 18 October 2023. CMB lasts as
    long as the latest remisi (15 days, not the larger 2 months): from 3 October 2023. ⅔ of the
    1 020-day term (day 680: 12 November 2022) is well before."""
    inmate = sentenced(
        D(2021, 1, 1),
        years=3,
        grants=[(D(2021, 8, 17), 2, 0, "umum"), (D(2021, 12, 25), 0, 15, "khusus")],
    )
    assert inmate.expected_release_date == D(2023, 10, 18)
    assert eligibility.latest_grant(inmate) == inmate_services.latest_remisi(inmate)
    _assert_boundary(inmate, "cuti_menjelang_bebas", D(2023, 10, 3), code="lama_cuti")
    result = eligibility.evaluate(inmate=inmate, kind="cuti_menjelang_bebas", on=D(2023, 10, 3))
    assert result.time_date == D(2023, 10, 3)
    assert _rule(result, "masa_pidana").date == D(2022, 11, 12)
    assert _rule(result, "lama_cuti").how[-1] == "CMB mulai 03-10-2023."
    # Good behaviour is counted back from the ⅔ date, not from the leave.
    assert _rule(result, "sppn").how[0].startswith("Bulan yang dinilai: 02/2022–10/2022")


def test_cuti_menjelang_bebas_calendar_months(reading, sentenced):
    """The same with calendar months: release 1 January 2024 − 2 months 15 days = 17 October
    2023; CMB 15 days before: 2 October 2023."""
    reading(month="calendar")
    inmate = sentenced(
        D(2021, 1, 1),
        years=3,
        grants=[(D(2021, 8, 17), 2, 0, "umum"), (D(2021, 12, 25), 0, 15, "khusus")],
    )
    assert inmate.expected_release_date == D(2023, 10, 17)
    _assert_boundary(inmate, "cuti_menjelang_bebas", D(2023, 10, 2), code="lama_cuti")


def test_cuti_menjelang_bebas_at_most_six_months(sentenced):
    """3 years from 1 January 2021; remisi 1 month, then a remisi kemanusiaan of 7 months (the
    latest): 240 days, release 6 May 2023. The leave is capped at 6 months (180 days): from
    7 November 2022, not 8 October 2022 (210 days before)."""
    inmate = sentenced(
        D(2021, 1, 1),
        years=3,
        grants=[(D(2021, 8, 17), 1, 0, "umum"), (D(2022, 8, 17), 7, 0, "kemanusiaan")],
    )
    assert inmate.expected_release_date == D(2023, 5, 6)
    _assert_boundary(inmate, "cuti_menjelang_bebas", D(2022, 11, 7), code="lama_cuti")


def test_cuti_menjelang_bebas_never_before_two_thirds(sentenced):
    """1 year 8 months 22 days from 1 January 2022 (to 23 September 2023, 630 days); remisi
    17-08-2022 of 6 months (180 days): release 27 March 2023, term 450 days, ⅔ = day 300:
    28 October 2022 (300 ≥ 270). Release − 6 months is 28 September 2022, before ⅔, so the
    CMB starts on the ⅔ date."""
    inmate = sentenced(
        D(2022, 1, 1), years=1, months=8, days=22, grants=[(D(2022, 8, 17), 6, 0, "umum")]
    )
    assert inmate.expected_release_date == D(2023, 3, 27)
    _assert_boundary(inmate, "cuti_menjelang_bebas", D(2022, 10, 28), code="lama_cuti")
    result = eligibility.evaluate(inmate=inmate, kind="cuti_menjelang_bebas", on=D(2022, 10, 28))
    assert "Tidak sebelum tanggal pecahan masa pidana 28-10-2022." in _rule(result, "lama_cuti").how


def test_no_remisi_no_cuti_menjelang_bebas(sentenced, kepala):
    inmate = sentenced(D(2021, 1, 1), years=3)
    result = eligibility.evaluate(inmate=inmate, kind="cuti_menjelang_bebas", on=D(2023, 6, 1))
    assert not result.applies and not _rule(result, "lama_cuti").passed
    assert (
        selectors.eligibility_worklist(
            user=kepala, kind="cuti_menjelang_bebas", on=D(2023, 6, 1), within_days=400
        )
        == []
    )


# Cuti mengunjungi keluarga -----------------------------------------------------------------


def test_cuti_mengunjungi_keluarga(sentenced, sppn, family, kepala, balikpapan, registrasi):
    """CMK (Pasal 67): 2 years from 1 March 2024 (to 1 March 2026, 730 days) ≥ 12 months;
    ½ = 365 days: 1 March 2025; good behaviour in the running year (SPPN January–February
    2025, no register F since 1 January 2025); a security guarantee from the family."""
    inmate = sentenced(D(2024, 3, 1), years=2)
    day = D(2025, 3, 1)
    _assert_boundary(inmate, "cuti_mengunjungi_keluarga", day)
    sppn(inmate, months=2, on=day)
    partner = partner_services.partner_create(
        facility=balikpapan, by=kepala, name="Yayasan Bina Insani", partner_type="yayasan"
    )
    partner_services.guarantee_create(
        partner=partner, inmate=inmate, by=kepala, letter_number="01/BI", valid_from=D(2025, 2, 1)
    )
    result = eligibility.evaluate(inmate=inmate, kind="cuti_mengunjungi_keluarga", on=day)
    guarantor = _rule(result, "penjamin")
    assert not guarantor.passed and "memerlukan penjamin keluarga" in guarantor.reason
    family(inmate, D(2025, 2, 1), relationship="ibu kandung")
    result = eligibility.evaluate(inmate=inmate, kind="cuti_mengunjungi_keluarga", on=day)
    assert result.eligible, [r.reason for r in result.failing]
    assert _rule(result, "sppn").label == "Nilai SPPN tahun berjalan rata-rata ≥ 60"
    assert "Pasal 67" in _rule(result, "penjamin").basis
    # A penalty last year does not count; one this year does, until 1 January next year.
    entry = inmate_services.disciplinary_create(
        inmate=inmate,
        occurred_on=D(2024, 11, 1),
        offence="Membawa telepon genggam",
        sanction="Teguran",
        sanction_until=D(2024, 11, 3),
        by=registrasi,
    )
    inmate_services.disciplinary_close(entry=entry, on=D(2024, 11, 3), by=registrasi)
    assert eligibility.evaluate(inmate=inmate, kind="cuti_mengunjungi_keluarga", on=day).eligible
    entry = inmate_services.disciplinary_create(
        inmate=inmate,
        occurred_on=D(2025, 1, 20),
        offence="Berkelahi",
        sanction="Teguran",
        sanction_until=D(2025, 1, 21),
        by=registrasi,
    )
    inmate_services.disciplinary_close(entry=entry, on=D(2025, 1, 21), by=registrasi)
    register = _rule(
        eligibility.evaluate(inmate=inmate, kind="cuti_mengunjungi_keluarga", on=day), "register_f"
    )
    assert not register.passed and register.date == D(2026, 1, 1)


@pytest.mark.parametrize(
    "years, months, days, applies",
    [(0, 11, 27, False), (1, 0, 0, True), (1, 0, 1, True)],
)
def test_cuti_mengunjungi_keluarga_sentence_at_least_twelve_months(
    sentenced, years, months, days, applies
):
    """From 1 March 2024, 12 months end on 1 March 2025: 11 months 27 days (to 28 February
    2025) is shorter, CMK does not apply; 1 year and 1 year 1 day do."""
    inmate = sentenced(D(2024, 3, 1), years=years, months=months, days=days)
    result = eligibility.evaluate(inmate=inmate, kind="cuti_mengunjungi_keluarga", on=D(2024, 9, 1))
    assert result.applies is applies
    assert _rule(result, "lama_pidana_min").passed is applies


# Custody -----------------------------------------------------------------------------------


def test_verdict_after_long_pre_trial_detention(balikpapan, make_inmate, registrasi):
    """Held from 1 March 2024: penyidik 20 days + extension 40, penuntut umum 20 + 30, PN 30 +
    60 = 200 days to 16 September 2024; the verdict (1 year 6 months) is final on 17 September
    2024, so all 200 days are deducted and the term runs from 1 March 2024 to 1 September
    2025 (549 days): ½ = day 275, 1 December 2024 — 75 days after the verdict; ⅔ = day 366,
    2 March 2025 (366 ≥ 270: PB applies)."""
    inmate = make_inmate(
        balikpapan,
        register_type="A.I",
        legal_status="tahanan",
        admission_date=D(2024, 3, 1),
        sentence_start=None,
        sentence_years=0,
        remission_days=0,
    )
    day = D(2024, 3, 21)
    for authority, order, length in [
        ("penyidik", "perpanjangan", 40),
        ("penuntut_umum", "penahanan", 20),
        ("penuntut_umum", "perpanjangan", 30),
        ("pengadilan_negeri", "penahanan", 30),
        ("pengadilan_negeri", "perpanjangan", 60),
    ]:
        inmate_services.detention_add(
            inmate=inmate,
            by=registrasi,
            authority=authority,
            order=order,
            warrant_number=f"{authority}/{order}/2024",
            start=day,
            end=day + (length - 1) * ONE,
        )
        day += length * ONE
    assert day == D(2024, 9, 17)
    inmate_services.verdict_record(
        inmate=inmate,
        by=registrasi,
        court="pengadilan_negeri",
        court_name="Pengadilan Negeri Balikpapan",
        number="123/Pid.B/2024/PN Bpp",
        decided_on=D(2024, 9, 10),
        final_on=D(2024, 9, 17),
        sentence_kind="penjara",
        years=1,
        months=6,
    )
    inmate.refresh_from_db()
    assert inmate.sentence_start == D(2024, 3, 1)
    _assert_boundary(inmate, "asimilasi", D(2024, 12, 1))
    result = eligibility.evaluate(inmate=inmate, kind="pembebasan_bersyarat", on=D(2025, 3, 2))
    assert result.applies and _rule(result, "masa_pidana").date == D(2025, 3, 2)
    assert result.reckoning_steps == inmate_services.reckon_inmate(inmate).steps
    assert result.reckoning_steps[0].startswith("Hari pertama penahanan: 01-03-2024")
    assert any("200 hari" in step for step in result.reckoning_steps)


@pytest.mark.parametrize(
    "overrides, reason",
    [
        (
            {"register_type": "A.II", "legal_status": "tahanan", "sentence_start": None},
            "Masih tahanan; belum ada putusan pidana.",
        ),
        ({"sentence_kind": "seumur_hidup"}, "Pidana seumur hidup: tidak ada tanggal pecahan"),
        ({"sentence_kind": "mati"}, "Pidana mati: tidak ada tanggal pecahan"),
    ],
)
def test_detainees_life_and_death_have_no_rights_dates(
    balikpapan, make_inmate, kepala, overrides, reason
):
    data = {
        "admission_date": D(2024, 1, 10),
        "sentence_start": D(2024, 1, 10),
        "sentence_years": 0,
        "remission_days": 0,
    }
    inmate = make_inmate(balikpapan, **{**data, **overrides})
    for result in eligibility.evaluate_all(inmate=inmate, on=D(2026, 1, 1)):
        assert [r.code for r in result.rules] == ["status"]
        assert result.rules[0].reason.startswith(reason)
        assert not result.applies and not result.eligible and result.time_date is None
    for kind in ("asimilasi", "pembebasan_bersyarat"):
        assert selectors.eligibility_worklist(user=kepala, kind=kind, on=D(2026, 1, 1)) == []
