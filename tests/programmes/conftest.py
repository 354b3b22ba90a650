import datetime
import zoneinfo

import pytest
from django.utils import timezone

from programmes import services
from rutan.core.roles import Role
from tests.factories import member

D = datetime.timedelta


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
def assimilation_inmate(make_inmate, balikpapan, today):
    """A sentenced man well into the asimilasi stage (3 years, 600 days served)."""
    return make_inmate(
        balikpapan,
        name="Rudi Asimilasi",
        sentence_start=today - D(days=600),
        admission_date=today - D(days=590),
    )


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
def no_assessments(monkeypatch):
    """Literacy and interest as the assessments app would report them (set per test)."""
    state = {"level": None, "areas": []}
    monkeypatch.setattr(
        "programmes.eligibility.inmate_literacy_level", lambda inmate: state["level"]
    )
    monkeypatch.setattr(
        "programmes.eligibility.inmate_interest_areas", lambda inmate: state["areas"]
    )
    return state
