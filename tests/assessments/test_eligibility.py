import datetime
import math

import pytest
from django.core.exceptions import ValidationError

from assessments import eligibility, selectors, services
from assessments.models import EligibilityCondition, EligibilityRule
from rutan.inmates import services as inmate_services

START = datetime.date(2024, 1, 10)


@pytest.fixture
def napi(balikpapan, make_inmate):
    """Two years from START, no remission: release 2026-01-10."""
    return make_inmate(
        balikpapan,
        name="Rina Kusuma",
        sex="P",
        sentence_start=START,
        admission_date=START,
        sentence_years=2,
        remission_days=0,
    )


def _half(inmate):
    term = (inmate.expected_release_date - inmate.sentence_start).days
    return inmate.sentence_start + datetime.timedelta(days=math.ceil(term / 2))


def _rule(result, code):
    return next(r for r in result.rules if r.code == code)


def test_national_rules_exist_with_legal_basis(db):
    kinds = set(EligibilityRule.objects.filter(facility=None).values_list("kind", flat=True))
    assert kinds == {
        "asimilasi",
        "pembebasan_bersyarat",
        "cuti_bersyarat",
        "cuti_menjelang_bebas",
        "cuti_mengunjungi_keluarga",
    }
    assert all("Permenkumham" in r.legal_basis for r in EligibilityRule.objects.all())
    for condition in EligibilityCondition.objects.all():
        assert condition.regulation.startswith("Permenkumham No. 3 Tahun 2018")
        assert condition.article or condition.basis_note, condition


def test_asimilasi_time_rule_boundary(napi, sppn):
    half = _half(napi)
    assert half == datetime.date(2025, 1, 10)
    before = eligibility.evaluate(inmate=napi, kind="asimilasi", on=half - datetime.timedelta(1))
    time = _rule(before, "masa_pidana")
    assert not time.passed and time.date == half and "1 hari lagi" in time.reason
    assert time.label == "Telah menjalani 1/2 masa pidana"
    sppn(napi, months=6, on=half)
    at = eligibility.evaluate(inmate=napi, kind="asimilasi", on=half)
    assert (
        _rule(at, "masa_pidana").passed
        and "Terpenuhi sejak 10-01-2025" in _rule(at, "masa_pidana").reason
    )
    assert at.eligible, [r.reason for r in at.failing]
    assert [r.code for r in at.rules] == ["status", "masa_pidana", "register_f", "sppn"]
    assert all(r.reason for r in at.rules)


def test_special_crime_uses_two_thirds_and_nine_months(balikpapan, make_inmate, sppn):
    inmate = make_inmate(
        balikpapan,
        case_category="tipikor",
        sentence_start=START,
        admission_date=START,
        sentence_years=3,
        remission_days=0,
    )
    term = (inmate.expected_release_date - START).days
    two_thirds = START + datetime.timedelta(days=math.ceil(term * 2 / 3))
    result = eligibility.evaluate(inmate=inmate, kind="asimilasi", on=two_thirds)
    assert _rule(result, "masa_pidana").passed
    assert "khusus" in _rule(result, "masa_pidana").reason
    sppn_rule = _rule(result, "sppn")
    assert not sppn_rule.passed and "9 bulan" in sppn_rule.label
    sppn(inmate, months=9, on=two_thirds)
    assert eligibility.evaluate(inmate=inmate, kind="asimilasi", on=two_thirds).eligible
    assert not _rule(
        eligibility.evaluate(
            inmate=inmate, kind="asimilasi", on=two_thirds - datetime.timedelta(1)
        ),
        "masa_pidana",
    ).passed


def test_sppn_rule_is_the_average_and_missing_months_fail(napi, pembina, sppn):
    """The label says "rata-rata ≥ 60", so one month below 60 does not fail the rule when the
    average over the window reaches 60; a missing month does fail, and says which."""
    on = datetime.date(2025, 3, 15)
    sppn(napi, months=5, on=on)
    result = eligibility.evaluate(inmate=napi, kind="asimilasi", on=on)
    rule = _rule(result, "sppn")
    assert not rule.passed and rule.reason == "SPPN: belum ada nilai untuk 09/2024."

    def give(score):
        services.behaviour_score_create(
            inmate=napi,
            month=datetime.date(2024, 9, 1),
            by=pembina,
            kepribadian=score,
            kemandirian=score,
            sikap=score,
            kondisi_mental=score,
        )

    give(55)
    rule = _rule(eligibility.evaluate(inmate=napi, kind="asimilasi", on=on), "sppn")
    # (55 + 5 × 75) / 6 = 71.7
    assert rule.passed, rule.reason
    assert rule.reason == "Rata-rata 09/2024–02/2025 71,7 ≥ 60."
    assert "Rata-rata: (55,0 + 75,0 + 75,0 + 75,0 + 75,0 + 75,0) / 6 = 71,7." in rule.how


def test_sppn_average_below_the_minimum_fails(napi, sppn):
    on = datetime.date(2025, 3, 15)
    sppn(napi, months=6, on=on, score=59)
    rule = _rule(eligibility.evaluate(inmate=napi, kind="asimilasi", on=on), "sppn")
    assert not rule.passed
    assert rule.reason == "SPPN: rata-rata 09/2024–02/2025 59,0 di bawah 60."


def test_register_f_open_blocks_and_closed_counts_six_months(napi, registrasi, sppn):
    """Reading: 1 bulan = 30 hari (national default). Closed on 07-11-2024, so the six
    months (180 days) run to 06-05-2025 and the window is clean from 07-05-2025."""
    half = _half(napi)
    sppn(napi, months=6, on=half + datetime.timedelta(days=400))
    entry = inmate_services.disciplinary_create(
        inmate=napi,
        occurred_on=datetime.date(2024, 11, 1),
        offence="Membawa telepon genggam",
        sanction="Tutup sunyi 6 hari",
        sanction_until=datetime.date(2024, 11, 7),
        by=registrasi,
    )
    rule = _rule(eligibility.evaluate(inmate=napi, kind="asimilasi", on=half), "register_f")
    assert not rule.passed and "masih berjalan" in rule.reason
    inmate_services.disciplinary_close(entry=entry, on=datetime.date(2024, 11, 7), by=registrasi)
    clean_on = datetime.date(2025, 5, 7)
    rule = _rule(
        eligibility.evaluate(inmate=napi, kind="asimilasi", on=clean_on - datetime.timedelta(1)),
        "register_f",
    )
    assert not rule.passed and rule.date == clean_on and "07-05-2025" in rule.reason
    rule = _rule(eligibility.evaluate(inmate=napi, kind="asimilasi", on=clean_on), "register_f")
    assert rule.passed


def test_pembebasan_bersyarat_does_not_apply_when_two_thirds_is_under_nine_months(
    balikpapan, make_inmate
):
    """1 year from 10-01-2024 (366 days, no remisi; 1 bulan = 30 hari): 2/3 = 244 days =
    8 bulan 4 hari < 9 bulan, so PB does not apply at all (CB does)."""
    inmate = make_inmate(
        balikpapan, sentence_start=START, admission_date=START, sentence_years=1, remission_days=0
    )
    result = eligibility.evaluate(inmate=inmate, kind="pembebasan_bersyarat", on=START)
    time = _rule(result, "masa_pidana")
    assert not result.applies and not result.eligible and time.date is None
    assert "paling sedikit 9 bulan" in time.label
    assert time.reason == (
        "2/3 masa pidana = 8 bulan 4 hari < 9 bulan: PB tidak berlaku; lihat CB."
    )
    guarantor = _rule(result, "penjamin")
    assert not guarantor.passed and guarantor.reason == "Belum ada penjamin tercatat."
    assert eligibility.evaluate(inmate=inmate, kind="cuti_bersyarat", on=START).applies


def test_cuti_bersyarat_sentence_length(balikpapan, make_inmate):
    short = make_inmate(
        balikpapan,
        sentence_start=START,
        admission_date=START,
        sentence_years=1,
        sentence_months=3,
        remission_days=0,
    )
    long = make_inmate(
        balikpapan,
        sentence_start=START,
        admission_date=START,
        sentence_years=1,
        sentence_months=3,
        sentence_days=1,
        remission_days=0,
    )
    on = datetime.date(2024, 12, 1)
    assert _rule(
        eligibility.evaluate(inmate=short, kind="cuti_bersyarat", on=on), "lama_pidana"
    ).passed
    assert not _rule(
        eligibility.evaluate(inmate=long, kind="cuti_bersyarat", on=on), "lama_pidana"
    ).passed


def test_cuti_menjelang_bebas_needs_a_remisi(balikpapan, make_inmate):
    """No remisi, no CMB: its length is the latest remisi."""
    inmate = make_inmate(
        balikpapan, sentence_start=START, admission_date=START, sentence_years=3, remission_days=0
    )
    result = eligibility.evaluate(inmate=inmate, kind="cuti_menjelang_bebas", on=START)
    leave = _rule(result, "lama_cuti")
    assert not result.applies and not leave.passed and result.time_date is None
    assert leave.reason.startswith("Belum ada remisi")


def test_facility_override_replaces_national(napi, kepala, balikpapan, ruteng, national_admin):
    services.eligibility_rule_set(
        facility=balikpapan,
        kind="asimilasi",
        by=kepala,
        legal_basis="Uji: ketentuan khusus UPT",
        conditions=[{"code": "masa_pidana", "variant": "umum", "numerator": 1, "denominator": 3}],
    )
    result = eligibility.evaluate(inmate=napi, kind="asimilasi", on=START)
    assert _rule(result, "masa_pidana").label == "Telah menjalani 1/3 masa pidana"
    assert result.legal_basis == "Uji: ketentuan khusus UPT"
    own = EligibilityRule.objects.get(facility=balikpapan)
    national = EligibilityRule.objects.get(facility=None, kind="asimilasi")
    # The facility rule started as a copy of every condition, category and step.
    assert own.conditions.count() == national.conditions.count()
    assert own.special_categories.count() == national.special_categories.count()
    assert own.steps.count() == national.steps.count()
    with pytest.raises(ValidationError, match="tidak berwenang"):
        services.eligibility_rule_set(facility=None, kind="asimilasi", by=kepala)
    with pytest.raises(ValidationError):
        services.eligibility_rule_set(
            facility=balikpapan,
            kind="asimilasi",
            by=kepala,
            conditions=[
                {"code": "masa_pidana", "variant": "umum", "numerator": 4, "denominator": 3}
            ],
        )
    condition = own.conditions.get(code="masa_pidana", variant="umum")
    assert (condition.numerator, condition.denominator) == (1, 3)


def test_detainee_fails_status(balikpapan, make_inmate):
    detainee = make_inmate(
        balikpapan,
        register_type="A.II",
        legal_status="tahanan",
        sentence_start=None,
        sentence_years=0,
        remission_days=0,
    )
    result = eligibility.evaluate(inmate=detainee, kind="asimilasi")
    assert not result.eligible and [r.code for r in result.rules] == ["status"]


def test_worklist_within_sixty_days(kepala, balikpapan, make_inmate, django_assert_max_num_queries):
    today = datetime.date.today()

    def with_half_in(days):
        # 2-year sentence without remission: half falls ~365 days after the start.
        start = today + datetime.timedelta(days=days) - datetime.timedelta(days=365)
        return make_inmate(
            balikpapan,
            sentence_start=start,
            admission_date=start,
            sentence_years=2,
            remission_days=0,
        )

    soon = with_half_in(30)
    already = with_half_in(-10)
    with_half_in(90)
    results = selectors.eligibility_worklist(user=kepala, kind="asimilasi", on=today)
    ids = [r.inmate.pk for r in results]
    assert ids == [already.pk, soon.pk]
    with django_assert_max_num_queries(20) as few:
        selectors.eligibility_worklist(user=kepala, kind="asimilasi", on=today)
    for _ in range(20):
        with_half_in(5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(selectors.eligibility_worklist(user=kepala, kind="asimilasi", on=today)) == 22


def test_sppn_months_before_the_detention_are_not_asked_for():
    """Held since 22 August 2026: a window of six months before 1 December has June and July
    before the detention, which no score can cover; August to November are asked for."""
    import datetime
    from types import SimpleNamespace

    from assessments.eligibility.conditions import sppn_rule

    condition = SimpleNamespace(
        window_anchor="assessed", months=6, min_average=60, basis_display="Permenkumham 7/2022"
    )
    on = datetime.date(2026, 12, 1)
    scored = {datetime.date(2026, 8, 1): SimpleNamespace(average=70)}
    rule = sppn_rule(condition, on, None, "", scored, custody_start=datetime.date(2026, 8, 22))
    assert not rule.passed
    assert rule.reason == (
        "SPPN: 06/2026, 07/2026 sebelum penahanan (sejak 22-08-2026), tidak ada nilai; baru "
        "4 dari 6 bulan dalam tahanan. Belum ada nilai untuk 09/2026, 10/2026, 11/2026."
    )
