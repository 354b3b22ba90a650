import datetime

import pytest
from django.utils import timezone

from assessments import services
from rutan.core.roles import Role
from tests.factories import member


@pytest.fixture
def psikolog(balikpapan):
    return member(Role.PSYCHOLOGIST, facility=balikpapan, username="psikolog")


@pytest.fixture
def psikolog_ruteng(ruteng):
    return member(Role.PSYCHOLOGIST, facility=ruteng, username="psikolog_ruteng")


@pytest.fixture
def magang2(balikpapan):
    return member(Role.INTERN, facility=balikpapan, username="magang2")


@pytest.fixture
def wanita(balikpapan, make_inmate):
    """A woman in Blok Wanita, sentenced 2 years from a year ago (asimilasi about now)."""
    today = timezone.localdate()
    return make_inmate(
        balikpapan,
        name="Sari Wulandari",
        sex="P",
        sentence_start=today - datetime.timedelta(days=400),
        admission_date=today - datetime.timedelta(days=390),
        sentence_years=2,
        remission_days=0,
    )


@pytest.fixture
def sppn(pembina):
    """Give an inmate final SPPN scores for the `count` months before `on`."""

    def give(inmate, *, months, score=75, on=None):
        on = on or timezone.localdate()
        first = on.replace(day=1)
        from dateutil.relativedelta import relativedelta

        for k in range(1, months + 1):
            services.behaviour_score_create(
                inmate=inmate,
                month=first - relativedelta(months=k),
                by=pembina,
                kepribadian=score,
                kemandirian=score,
                sikap=score,
                kondisi_mental=score,
            )

    return give
