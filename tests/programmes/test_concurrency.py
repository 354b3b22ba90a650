import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from programmes import services
from programmes.models import Enrolment
from rutan.inmates.models import StageRule

NATIONAL_RULES = [("lanjutan", 1, 3), ("asimilasi", 1, 2), ("integrasi", 2, 3)]


def _restore_national_rules():
    for stage, numerator, denominator in NATIONAL_RULES:
        StageRule.objects.get_or_create(
            facility=None,
            stage=stage,
            defaults={"numerator": numerator, "denominator": denominator},
        )


@pytest.fixture
def stage_rules_kept(django_db_blocker):
    """Committed tests end with a flushed database; put the migration's national stage rules
    back before and after, so later runs on a reused database still have them. Request this
    fixture before `transactional_db` so its teardown runs after the flush."""
    with django_db_blocker.unblock():
        _restore_national_rules()
    yield
    with django_db_blocker.unblock():
        _restore_national_rules()


def test_two_officers_take_the_last_place_at_once(
    stage_rules_kept, transactional_db, balikpapan, pembina, kepala, make_programme, make_inmate
):
    programme = make_programme(balikpapan, capacity=2)
    services.enrolment_create(programme=programme, inmate=make_inmate(balikpapan), by=pembina)
    a, b = make_inmate(balikpapan), make_inmate(balikpapan)
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def enrol(inmate, user):
        try:
            barrier.wait()
            outcomes.append(
                services.enrolment_create(programme=programme, inmate=inmate, by=user).status
            )
        except ValidationError as exc:  # pragma: no cover - would fail the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=enrol, args=(a, pembina)),
        threading.Thread(target=enrol, args=(b, kepala)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(outcomes) == ["active", "waitlisted"]
    assert Enrolment.objects.filter(programme=programme, status="active").count() == 2
    assert Enrolment.objects.get(programme=programme, status="waitlisted").waitlist_position == 1


def test_same_inmate_enrolled_twice_at_once_yields_one_enrolment(
    stage_rules_kept, transactional_db, balikpapan, pembina, kepala, make_programme, make_inmate
):
    programme = make_programme(balikpapan)
    inmate = make_inmate(balikpapan)
    barrier = threading.Barrier(2)
    outcomes = []

    def enrol(user):
        try:
            barrier.wait()
            services.enrolment_create(programme=programme, inmate=inmate, by=user)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=enrol, args=(u,)) for u in (pembina, kepala)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1
    assert Enrolment.objects.filter(programme=programme, inmate=inmate).count() == 1
