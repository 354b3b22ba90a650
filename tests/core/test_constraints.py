"""Check constraints judged in one query (rutan.core.constraints): the same errors as
Django's one query per constraint, for failing, passing, NULL and excluded fields."""

import datetime

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from assessments.models import BehaviourScore, RightProposal

D = datetime.date


def _errors(call):
    try:
        call()
    except Exception as exc:  # noqa: BLE001 - the ValidationError is what is compared
        return type(exc), getattr(exc, "message_dict", None)
    return None


def _both(instance, exclude=None):
    ours = _errors(lambda: instance.validate_constraints(exclude))
    django = _errors(lambda: models.Model.validate_constraints(instance, exclude))
    return ours, django


@pytest.fixture
def inmate(balikpapan, make_inmate):
    return make_inmate(balikpapan)


@pytest.mark.parametrize(
    "month, sikap, failing",
    [
        (D(2026, 5, 1), 80, set()),
        (D(2026, 5, 2), 80, {"Bulan SPPN disimpan sebagai tanggal 1."}),
        (D(2026, 5, 1), 150, {"Nilai paling besar 100."}),
        (D(2026, 5, 9), 150, {"Bulan SPPN disimpan sebagai tanggal 1.", "Nilai paling besar 100."}),
    ],
)
def test_the_errors_are_djangos(inmate, month, sikap, failing):
    score = BehaviourScore(
        inmate=inmate,
        month=month,
        assessed_on=D(2026, 6, 2),
        kepribadian=70,
        kemandirian=70,
        sikap=sikap,
        kondisi_mental=70,
    )
    ours, django = _both(score)
    assert ours == django
    messages = set(ours[1]["__all__"]) if ours else set()
    assert messages == failing


def test_null_passes_and_an_excluded_field_is_not_judged(inmate):
    open_one = RightProposal(inmate=inmate, kind="asimilasi", opened_on=D(2026, 5, 1))
    assert _both(open_one) == (None, None)
    closed_before = RightProposal(
        inmate=inmate, kind="asimilasi", opened_on=D(2026, 5, 1), closed_on=D(2026, 4, 1)
    )
    ours, django = _both(closed_before)
    assert ours == django and "Tanggal selesai tidak boleh sebelum dibuka." in str(ours)
    assert _both(closed_before, exclude={"closed_on"}) == (None, None)


def test_every_check_of_a_row_costs_one_query(inmate):
    score = BehaviourScore(
        inmate=inmate,
        month=D(2026, 5, 1),
        assessed_on=D(2026, 6, 2),
        kepribadian=70,
        kemandirian=70,
        sikap=70,
        kondisi_mental=70,
    )
    checks = sum(isinstance(c, models.CheckConstraint) for c in BehaviourScore._meta.constraints)
    assert checks >= 2
    # Leaving the unique constraint out (its own query either way) by excluding its field.
    with CaptureQueriesContext(connection) as ours:
        score.validate_constraints(exclude={"inmate"})
    with CaptureQueriesContext(connection) as django:
        models.Model.validate_constraints(score, exclude={"inmate"})
    selects = [q for q in ours.captured_queries if q["sql"].startswith("SELECT")]
    assert len(selects) == 1
    assert len(django.captured_queries) == 3 * checks  # a savepoint, the check, its release
