import datetime
import zoneinfo
from types import SimpleNamespace

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import BehaviourScore
from programmes import services
from rutan.core.roles import Role
from tests.factories import member

D = datetime.timedelta


@pytest.fixture(autouse=True)
def evening_at_the_facilities():
    """The programmes' tests run at 20:30 in Balikpapan, today: the day's 09:00 sessions
    have started (attendance is refused before a session starts), whatever the hour of the
    run. The clock keeps ticking from there."""
    import time_machine

    zone = zoneinfo.ZoneInfo("Asia/Makassar")
    evening = datetime.datetime.combine(
        timezone.localdate(timezone=zone), datetime.time(20, 30), tzinfo=zone
    )
    with time_machine.travel(evening, tick=True):
        yield evening


@pytest.fixture
def today():
    """Today where the test facilities are (their dates drive sessions and attendance)."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo("Asia/Makassar"))


@pytest.fixture
def make_programme(national_admin, today):
    """Create a programme through the service; running from 60 days ago by default."""

    def make(facility, **overrides):
        data = {
            "title": "Kelas Literasi",
            "pillar": "kepribadian",
            "area": "literasi",
            "capacity": 10,
            "start_date": today - D(days=60),
            "facilitator": "Petugas Uji",
            "status": "running",
        }
        data.update(overrides)
        return services.programme_create(facility=facility, by=national_admin, **data)

    return make


@pytest.fixture
def sppn(pembina, today):
    """Give an inmate final SPPN scores (through the assessments service) for the `months`
    complete months before `on`'s month; months already scored are left as they are."""

    def give(inmate, *, months=6, score=75, on=None):
        first = (on or today).replace(day=1)
        scored = set(BehaviourScore.objects.filter(inmate=inmate).values_list("month", flat=True))
        for k in range(1, months + 1):
            month = first - relativedelta(months=k)
            if month in scored:
                continue
            assessment_services.behaviour_score_create(
                inmate=inmate,
                month=month,
                by=pembina,
                kepribadian=score,
                kemandirian=score,
                sikap=score,
                kondisi_mental=score,
            )

    return give


@pytest.fixture
def assimilation_inmate(make_inmate, balikpapan, today, sppn):
    """A sentenced man (pidana umum, 3 years) who meets the real asimilasi rules today:
    600 days served (½ is about 548), no Register F, SPPN 75 for the last six months."""
    inmate = make_inmate(
        balikpapan,
        name="Rudi Asimilasi",
        sentence_start=today - D(days=600),
        admission_date=today - D(days=590),
    )
    sppn(inmate, months=6)
    return inmate


@pytest.fixture
def early_inmate(make_inmate, balikpapan, today):
    """A sentenced man in admisi-orientasi (30 days served of 3 years)."""
    return make_inmate(
        balikpapan,
        name="Eko Baru",
        sentence_start=today - D(days=30),
        admission_date=today - D(days=25),
    )


@pytest.fixture
def pembina_ruteng(ruteng):
    return member(Role.PROGRAMME_OFFICER, facility=ruteng, username="pembina_ruteng")


@pytest.fixture
def assess(pembina, today):
    """Record final literacy and interest assessments through the assessments services."""

    def literacy(inmate, level, *, on=None, finalise=True, script="latin"):
        return assessment_services.literacy_create(
            inmate=inmate,
            by=pembina,
            assessed_on=on or today,
            instrument="Asesmen buta aksara" if script == "latin" else "Tes baca Al-Qur'an",
            script=script,
            level=level,
            reading_score=60,
            writing_score=55,
            numeracy_score=65,
            finalise=finalise,
        )

    def interest(inmate, areas, *, on=None, finalise=True):
        return assessment_services.interest_create(
            inmate=inmate,
            by=pembina,
            assessed_on=on or today,
            instrument="Asesmen minat dan bakat",
            areas=areas,
            finalise=finalise,
        )

    return SimpleNamespace(literacy=literacy, interest=interest)
