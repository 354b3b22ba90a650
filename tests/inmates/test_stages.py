"""Coaching stage and expected release at the boundaries, with fractions taken from data."""

import datetime

import pytest

from rutan.inmates import services
from rutan.inmates.choices import CoachingStage
from rutan.inmates.models import StageRule

START = datetime.date(2025, 1, 1)
D = datetime.timedelta


@pytest.fixture
def inmate(balikpapan, make_inmate):
    # 1 year from 2025-01-01 ends 2026-01-01 (365 days); remission 5 days -> a 360-day term,
    # so one third is day 120, one half day 180, two thirds day 240.
    return make_inmate(
        balikpapan,
        sentence_start=START,
        sentence_years=1,
        remission_days=5,
        admission_date=datetime.date(2025, 1, 2),
    )


def test_expected_release_subtracts_remission(inmate):
    assert inmate.expected_release_date == datetime.date(2025, 12, 27)


@pytest.mark.parametrize(
    ("day", "stage"),
    [
        (0, CoachingStage.ADMISI_ORIENTASI),
        (119, CoachingStage.ADMISI_ORIENTASI),
        (120, CoachingStage.LANJUTAN),  # exactly 1/3
        (179, CoachingStage.LANJUTAN),
        (180, CoachingStage.ASIMILASI),  # exactly 1/2
        (239, CoachingStage.ASIMILASI),
        (240, CoachingStage.INTEGRASI),  # exactly 2/3
        (359, CoachingStage.INTEGRASI),
    ],
)
def test_stage_at_boundaries(inmate, day, stage):
    assert inmate.stage_on(START + D(days=day)) == stage


def test_remission_brings_every_stage_forward(balikpapan, make_inmate):
    without = make_inmate(
        balikpapan,
        sentence_start=START,
        sentence_years=1,
        remission_days=0,
        admission_date=datetime.date(2025, 1, 2),
    )
    with_remission = make_inmate(
        balikpapan,
        sentence_start=START,
        sentence_years=1,
        remission_days=65,
        admission_date=datetime.date(2025, 1, 2),
    )
    # 365-day term: 1/2 is reached on day ceil(182.5) = 183; 300-day term: day 150.
    assert without.asimilasi_from == START + D(days=183)
    assert with_remission.asimilasi_from == START + D(days=150)
    assert with_remission.expected_release_date == datetime.date(2025, 10, 28)


def test_stage_filter_in_sql_matches_python(inmate, balikpapan, make_inmate):
    from rutan.inmates.models import Inmate

    other = make_inmate(
        balikpapan, sentence_start=START, sentence_years=3, admission_date=datetime.date(2025, 1, 2)
    )
    on = START + D(days=180)
    assert list(Inmate.objects.with_stage_on(CoachingStage.ASIMILASI, on)) == [inmate]
    assert list(Inmate.objects.with_stage_on(CoachingStage.ADMISI_ORIENTASI, on)) == [other]


def test_detainee_has_no_stage(balikpapan, make_inmate):
    detainee = make_inmate(
        balikpapan,
        register_type="A.III",
        legal_status="tahanan",
        sentence_start=None,
        sentence_years=0,
        remission_days=0,
    )
    assert detainee.stage is None
    assert detainee.expected_release_date is None


def test_fractions_are_data_and_a_facility_override_recomputes(
    inmate, balikpapan, kepala, django_capture_on_commit_callbacks
):
    assert StageRule.objects.filter(facility__isnull=True).count() == 3
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.stage_rule_set(
            facility=balikpapan,
            stage="asimilasi",
            numerator=3,
            denominator=5,
            legal_basis="Uji: ketentuan khusus UPT",
            by=kepala,
        )
    assert len(callbacks) == 1  # the recomputation is queued, after commit
    inmate.refresh_from_db()
    assert inmate.asimilasi_from == START + D(days=216)  # 3/5 of 360
    assert inmate.stage_on(START + D(days=215)) == CoachingStage.LANJUTAN


def test_national_rule_needs_national_admin(balikpapan, kepala):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.stage_rule_set(
            facility=None, stage="lanjutan", numerator=1, denominator=4, by=kepala
        )
    assert StageRule.objects.get(facility=None, stage="lanjutan").denominator == 3
