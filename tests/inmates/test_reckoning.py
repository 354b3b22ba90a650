"""Worked examples of the custody arithmetic, each reproducing the law's reckoning.

Unless a test says otherwise the national readings apply: fractions of the term after
remisi (remisi_reading = off_base) and a month of remisi = 30 days (month_reading =
30_days, KUHP Pasal 97 / Keppres 174/1999 Pasal 7 ayat (4)); the sentence itself is
counted in calendar years and months, as the court does.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from rutan.inmates import services
from rutan.inmates.models import ReckoningSetting, RemisiGrant, Verdict
from rutan.reports import metrics
from tests.factories import identity_data

D = datetime.date


def _warrant(authority, start, end, order="penahanan", kind="rutan", number=None):
    return {
        "authority": authority,
        "order": order,
        "kind": kind,
        "warrant_number": number or f"SP/{authority}/{start:%Y%m%d}",
        "start": start,
        "end": end,
    }


def _verdict(decided, final, years=0, months=0, days=0, kind="penjara", **extra):
    return {
        "court": "pengadilan_negeri",
        "court_name": "Pengadilan Negeri Balikpapan",
        "number": f"{decided:%j}/Pid.B/{decided.year}/PN Bpp",
        "decided_on": decided,
        "final_on": final,
        "sentence_kind": kind,
        "years": years,
        "months": months,
        "days": days,
        **extra,
    }


@pytest.fixture
def record(balikpapan, registrasi):
    """Register a detainee with `warrants`, then (optionally) the verdict and remisi."""

    def make(warrants, verdict=None, grants=(), **identity):
        identity.setdefault("admission_date", warrants[0]["start"])
        inmate = services.inmate_create(
            facility=balikpapan,
            by=registrasi,
            detention=warrants[0],
            **identity_data(**identity),
        )
        for warrant in warrants[1:]:
            services.detention_add(inmate=inmate, by=registrasi, **warrant)
        if verdict:
            services.verdict_record(inmate=inmate, by=registrasi, **verdict)
        for grant in grants:
            services.remisi_grant_create(inmate=inmate, by=registrasi, **grant)
        inmate.refresh_from_db()
        return inmate

    return make


def _remisi(day, months=0, days=0, kind="umum"):
    return {
        "kind": kind,
        "decree_number": f"PAS-{day:%Y%m%d}-{kind}",
        "decree_date": day,
        "months": months,
        "days": days,
    }


def _two_years_from_9_may_2017(record, **kwargs):
    return record(
        [
            _warrant("penyidik", D(2017, 5, 9), D(2017, 5, 28)),
            _warrant("penyidik", D(2017, 5, 29), D(2017, 7, 7), order="perpanjangan"),
        ],
        _verdict(D(2017, 6, 20), D(2017, 7, 1), years=2),
        # Several grants: 2 months of remisi umum and 1 month 15 days of remisi khusus.
        [_remisi(D(2018, 6, 15), 1, 15, "khusus"), _remisi(D(2018, 8, 17), 2)],
        **kwargs,
    )


def test_two_years_from_9_may_2017_with_105_days_of_remisi(record):
    """2 years from 9 May 2017 end on 9 May 2019; 105 days of remisi (2 grants: 2 months
    + 1 month 15 days, a month = 30 days) bring it to 24 January 2019.

    Detention in the rutan ran unbroken from 9 May 2017 to the verdict becoming final on
    1 July 2017, so all 53 days are deducted and the term counts from 9 May 2017.
    Term after remisi: 9 May 2017 → 24 Jan 2019 = 625 days; ½ = 312.5 → day 313 →
    18 March 2018 (asimilasi); ⅔ = 416.7 → day 417 → 30 June 2018 (integrasi);
    ⅓ = 208.3 → day 209 → 4 December 2017 (lanjutan)."""
    inmate = _two_years_from_9_may_2017(record)
    assert inmate.custody_start == D(2017, 5, 9)
    assert inmate.sentence_start == D(2017, 5, 9)
    assert inmate.full_term_end() == D(2019, 5, 9)
    assert (inmate.remission_days, inmate.expected_release_date) == (105, D(2019, 1, 24))
    assert inmate.lanjutan_from == D(2017, 12, 4)
    assert inmate.asimilasi_from == D(2018, 3, 18)
    assert inmate.integrasi_from == D(2018, 6, 30)
    # The stage changes on the day itself, not the day before.
    assert inmate.stage_on(D(2018, 3, 17)) == "lanjutan"
    assert inmate.stage_on(D(2018, 3, 18)) == "asimilasi"
    assert inmate.stage_on(D(2018, 3, 19)) == "asimilasi"
    assert services.latest_remisi(inmate).decree_date == D(2018, 8, 17)


def test_calendar_month_reading_of_remisi(record, balikpapan):
    """With month_reading = calendar, 3 months 15 days of remisi before 9 May 2019 is
    9 February 2019 less 15 days = 25 January 2019 (one day later than 30-day months)."""
    ReckoningSetting.objects.create(
        facility=balikpapan, month_reading="calendar", legal_basis="uji: bulan kalender"
    )
    inmate = _two_years_from_9_may_2017(record)
    assert inmate.expected_release_date == D(2019, 1, 25)


def test_remisi_counted_as_served_reading(record, balikpapan):
    """With remisi_reading = as_served the fraction is of the full 2 years (730 days) and
    the 105 days of remisi count as served: ½ = 365 days → 9 May 2018 − 105 days =
    24 January 2018 (instead of 18 March 2018 off the base)."""
    ReckoningSetting.objects.create(
        facility=balikpapan, remisi_reading="as_served", legal_basis="uji: remisi dijalani"
    )
    inmate = _two_years_from_9_may_2017(record)
    assert inmate.expected_release_date == D(2019, 1, 24)
    assert inmate.asimilasi_from == D(2018, 1, 24)


def test_house_and_city_arrest_are_deducted_by_a_third_and_a_fifth(record):
    """Detention from 1 March 2025: 60 days of house arrest (20 + an extension of 40) count
    ⅓ = 20 days, 20 days of city arrest count ⅕ = 4 days, and 21 days in the rutan until
    the verdict became final on 10 June 2025 count fully: 45 days deducted, so the term
    counts from 10 June − 45 days = 26 April 2025; 1 year → 26 April 2026."""
    inmate = record(
        [
            _warrant("penyidik", D(2025, 3, 1), D(2025, 3, 20), kind="rumah"),
            _warrant("penyidik", D(2025, 3, 21), D(2025, 4, 29), "perpanjangan", "rumah"),
            _warrant("penuntut_umum", D(2025, 4, 30), D(2025, 5, 19), kind="kota"),
            _warrant("pengadilan_negeri", D(2025, 5, 20), D(2025, 6, 18)),
        ],
        _verdict(D(2025, 6, 2), D(2025, 6, 10), years=1),
    )
    assert inmate.custody_start == D(2025, 3, 1)
    assert inmate.sentence_start == D(2025, 4, 26)
    assert inmate.expected_release_date == D(2026, 4, 26)
    steps = services.reckon_inmate(inmate).steps
    assert any("dikurangkan 1/3 = 20 hari" in s for s in steps)
    assert any("dikurangkan 1/5 = 4 hari" in s for s in steps)


def test_interrupted_detention_counts_only_the_days_held(record):
    """Held 1–20 January 2025, suspended, held again from 1 March; final on 20 March:
    20 + 19 days deducted = 39, the 39 days between are not, so the term counts from
    20 March − 39 days = 9 February 2025."""
    inmate = record(
        [
            _warrant("penyidik", D(2025, 1, 1), D(2025, 1, 20)),
            _warrant("pengadilan_negeri", D(2025, 3, 1), D(2025, 3, 30)),
        ],
        _verdict(D(2025, 3, 13), D(2025, 3, 20), months=8),
    )
    assert inmate.custody_start == D(2025, 1, 1)
    assert inmate.sentence_start == D(2025, 2, 9)
    assert inmate.expected_release_date == D(2025, 10, 9)
    assert any("terputus 39 hari" in s for s in services.reckon_inmate(inmate).steps)


def test_verdict_after_long_pretrial_detention_is_over_detention(record, registrasi):
    """Ten months of sentence after eleven months of detention: the term, counted from the
    first day of detention, ended before the verdict became final — the inmate is held
    past the expected release and the custody alerts say so in red."""
    start = D(2025, 1, 1)
    warrants, day = [], start
    for authority, order, days in [
        ("penyidik", "penahanan", 20),
        ("penyidik", "perpanjangan", 40),
        ("penuntut_umum", "penahanan", 20),
        ("penuntut_umum", "perpanjangan", 30),
        ("pengadilan_negeri", "penahanan", 30),
        ("pengadilan_negeri", "perpanjangan", 60),
        ("pengadilan_tinggi", "penahanan", 30),
        ("pengadilan_tinggi", "perpanjangan", 60),
        ("mahkamah_agung", "penahanan", 50),
    ]:
        end = day + datetime.timedelta(days=days - 1)
        warrants.append(_warrant(authority, day, end, order=order))
        day = end + datetime.timedelta(days=1)
    inmate = record(warrants, _verdict(D(2025, 11, 20), D(2025, 12, 1), months=10))
    assert inmate.sentence_start == start
    assert inmate.expected_release_date == D(2025, 11, 1)
    from rutan.inmates.selectors import custody_alerts

    alerts = custody_alerts(user=registrasi)
    assert [(a.inmate, a.level, a.red) for a in alerts] == [(inmate, "lewat_bebas", True)]


def test_month_end_and_29_february_starts(record):
    """1 year 1 month from 31 January 2023 ends on the last day of February 2024
    (29 February, a leap year); 1 year from 29 February 2024 ends on 28 February 2025."""
    a = record(
        [_warrant("pengadilan_negeri", D(2023, 1, 31), D(2023, 1, 31))],
        _verdict(D(2023, 1, 31), D(2023, 1, 31), years=1, months=1),
        registration_number="B.1/2023",
    )
    b = record(
        [_warrant("pengadilan_negeri", D(2024, 2, 29), D(2024, 2, 29))],
        _verdict(D(2024, 2, 29), D(2024, 2, 29), years=1),
        registration_number="B.2/2024",
    )
    assert a.expected_release_date == D(2024, 2, 29)
    assert b.expected_release_date == D(2025, 2, 28)


@pytest.mark.parametrize(
    ("months", "days", "register"),
    [
        (2, 0, "B.IIb"),
        (3, 0, "B.IIb"),  # "sampai 3 bulan" includes 3 months
        (3, 1, "B.IIa"),
        (12, 0, "B.IIa"),  # "3 bulan – 1 tahun" includes the year
        (12, 1, "B.I"),
    ],
)
def test_register_follows_the_sentence_on_each_boundary(record, months, days, register):
    years, months = divmod(months, 12)
    inmate = record(
        [_warrant("pengadilan_negeri", D(2025, 1, 1), D(2025, 1, 30))],
        _verdict(D(2025, 1, 20), D(2025, 1, 25), years=years, months=months, days=days),
    )
    assert inmate.register_type == register


@pytest.mark.parametrize("kind", ["seumur_hidup", "mati"])
def test_life_and_death_have_no_fraction_dates_and_no_remisi(record, registrasi, kind):
    inmate = record(
        [_warrant("pengadilan_negeri", D(2025, 1, 1), D(2025, 1, 30))],
        _verdict(D(2025, 1, 20), D(2025, 1, 25), kind=kind),
        case_category="narkotika",
    )
    assert (inmate.legal_status, inmate.register_type) == ("narapidana", "B.I")
    assert not inmate.has_sentence and inmate.expected_release_date is None
    assert inmate.stage is None and inmate.asimilasi_from is None
    assert "tanpa tanggal pecahan" in str(inmate.get_stage_display())
    with pytest.raises(ValidationError, match="tidak mendapat remisi"):
        services.remisi_grant_create(inmate=inmate, by=registrasi, **_remisi(D(2025, 8, 17), 1))


def test_detainees_have_no_stage_and_are_not_in_the_stage_mix(record, balikpapan):
    detainee = record([_warrant("penyidik", D(2026, 11, 20), D(2026, 12, 9))])
    sentenced = _two_years_from_9_may_2017(record, registration_number="B.9/2017")
    assert detainee.stage is None and detainee.expected_release_date is None
    population = metrics.population([balikpapan.pk], D(2018, 4, 1))[balikpapan.pk]
    assert population["stages"]["asimilasi"] == 1
    assert sum(population["stages"].values()) == 1
    assert sentenced.stage_on(D(2018, 4, 1)) == "asimilasi"


def test_remisi_can_never_reach_the_sentence(record, registrasi):
    inmate = record(
        [_warrant("pengadilan_negeri", D(2025, 1, 1), D(2025, 1, 30))],
        _verdict(D(2025, 1, 20), D(2025, 1, 25), months=2),
    )
    with pytest.raises(ValidationError) as exc:
        services.remisi_grant_create(inmate=inmate, by=registrasi, **_remisi(D(2025, 2, 1), 2))
    assert "mencapai seluruh masa pidana" in exc.value.messages[0]
    inmate.refresh_from_db()
    assert not RemisiGrant.objects.exists() and inmate.remission_days == 0


def test_remisi_needs_a_verdict_and_a_decree_after_it(record, registrasi):
    detainee = record([_warrant("pengadilan_negeri", D(2025, 1, 1), D(2025, 1, 30))])
    with pytest.raises(ValidationError, match="catat putusannya"):
        services.remisi_grant_create(inmate=detainee, by=registrasi, **_remisi(D(2025, 1, 5), 1))
    services.verdict_record(
        inmate=detainee, by=registrasi, **_verdict(D(2025, 1, 20), D(2025, 1, 25), years=2)
    )
    with pytest.raises(ValidationError) as exc:
        services.remisi_grant_create(inmate=detainee, by=registrasi, **_remisi(D(2025, 1, 10), 1))
    assert "decree_date" in exc.value.message_dict


def test_extensions_follow_the_warrant_and_kuhap_limits(record, registrasi):
    inmate = record([_warrant("penyidik", D(2026, 10, 1), D(2026, 10, 20))])
    gap = _warrant("penyidik", D(2026, 10, 22), D(2026, 11, 30), order="perpanjangan")
    with pytest.raises(ValidationError) as exc:
        services.detention_add(inmate=inmate, by=registrasi, **gap)
    assert "21-10-2026" in exc.value.message_dict["start"][0]
    too_long = _warrant("penyidik", D(2026, 10, 21), D(2026, 12, 1), order="perpanjangan")
    with pytest.raises(ValidationError) as exc:
        services.detention_add(inmate=inmate, by=registrasi, **too_long)
    assert "paling lama 40 hari" in exc.value.message_dict["end"][0]
    overlap = _warrant("penuntut_umum", D(2026, 10, 15), D(2026, 11, 3))
    with pytest.raises(ValidationError, match="Bertumpuk"):
        services.detention_add(inmate=inmate, by=registrasi, **overlap)
    extension = _warrant("penyidik", D(2026, 10, 21), D(2026, 11, 29), order="perpanjangan")
    services.detention_add(inmate=inmate, by=registrasi, **extension)
    again = _warrant("penyidik", D(2026, 11, 30), D(2026, 12, 9), order="perpanjangan")
    with pytest.raises(ValidationError, match="paling banyak 1 kali"):
        services.detention_add(inmate=inmate, by=registrasi, **again)
    inmate.refresh_from_db()
    assert inmate.detention_periods.count() == 2 and inmate.register_type == "A.I"
    prosecutor = _warrant("penuntut_umum", D(2026, 11, 30), D(2026, 12, 19))
    services.detention_add(inmate=inmate, by=registrasi, **prosecutor)
    inmate.refresh_from_db()
    assert inmate.register_type == "A.II"


def test_verdict_is_one_event_and_cannot_be_recorded_twice(record, registrasi):
    inmate = record([_warrant("pengadilan_negeri", D(2025, 1, 1), D(2025, 1, 30))])
    verdict = _verdict(D(2025, 1, 20), D(2025, 1, 25), years=1, fine=1_000_000, substitute_months=2)
    services.verdict_record(inmate=inmate, by=registrasi, **verdict)
    inmate.refresh_from_db()
    # An unpaid fine adds its substitute imprisonment: 1 year + 2 months from 1 Jan 2025.
    assert inmate.expected_release_date == D(2026, 3, 1)
    with pytest.raises(ValidationError, match="sudah tercatat"):
        services.verdict_record(inmate=inmate, by=registrasi, **verdict)
    assert Verdict.objects.count() == 1


def test_verdict_refuses_contradictions(record, registrasi):
    inmate = record([_warrant("pengadilan_negeri", D(2025, 1, 1), D(2025, 1, 30))])
    with pytest.raises(ValidationError):
        services.verdict_record(
            inmate=inmate, by=registrasi, **_verdict(D(2025, 1, 20), D(2025, 1, 25))
        )
    with pytest.raises(ValidationError) as exc:
        services.verdict_record(
            inmate=inmate,
            by=registrasi,
            **_verdict(D(2024, 12, 20), D(2025, 1, 25), years=1),
        )
    assert "decided_on" in exc.value.message_dict
    inmate.refresh_from_db()
    assert inmate.legal_status == "tahanan" and not Verdict.objects.exists()


def test_corrections_are_audited_and_recompute(record, registrasi, client):
    """A remisi typed twice, then a verdict recorded on the wrong inmate: each is removed
    with a reason kept in the audit log, and the dates follow."""
    from rutan.core.models import AuditEntry

    inmate = _two_years_from_9_may_2017(record)
    grant = inmate.remisi_grants.latest("decree_date")
    with pytest.raises(ValidationError):
        services.remisi_grant_remove(grant=grant, by=registrasi, reason="")
    services.remisi_grant_remove(grant=grant, by=registrasi, reason="Salah ketik keputusan")
    inmate.refresh_from_db()
    assert inmate.remission_days == 45 and inmate.expected_release_date == D(2019, 3, 25)
    entry = AuditEntry.objects.get(action="delete", object_type="inmates.remisigrant")
    assert entry.before["reason"] == "Salah ketik keputusan" and entry.before["months"] == 2
    assert entry.facility_id == inmate.facility_id
    client.force_login(registrasi)
    page = client.post(
        f"/wbp/{inmate.pk}/putusan/batal/", {"reason": "Putusan milik WBP lain"}, follow=True
    )
    assert "putusan dibatalkan" in page.content.decode()
    inmate.refresh_from_db()
    assert (inmate.legal_status, inmate.register_type, inmate.expected_release_date) == (
        "tahanan",
        "A.I",
        None,
    )
    assert not inmate.remisi_grants.exists() and not Verdict.objects.exists()
    only = inmate.detention_periods.order_by("start").first()
    services.detention_remove(
        period=inmate.detention_periods.latest("start"), by=registrasi, reason="Dobel input"
    )
    with pytest.raises(ValidationError, match="satu-satunya"):
        services.detention_remove(period=only, by=registrasi, reason="Dobel input")
