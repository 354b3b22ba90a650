"""'Today' on the dashboards and the lists they link to is the facility's date.

15:30 UTC on 30 November 2026 is 00:30 on 1 December in Jayapura (WIT) and still
30 November in Balikpapan (WITA) and on a server that runs in UTC.
"""

import datetime

import pytest

from programmes.models import Programme, Session
from rutan.core.roles import Role
from rutan.inmates.models import Inmate
from rutan.reports.models import ReportRun
from tests.dashboard.test_counts import figure, list_rows
from tests.factories import BlockFactory, FacilityFactory, member

NEAR_MIDNIGHT = datetime.datetime(2026, 11, 30, 15, 30, tzinfo=datetime.UTC)
DECEMBER_1 = datetime.date(2026, 12, 1)


@pytest.fixture
def jayapura(kaltim, settings, time_machine):
    settings.TIME_ZONE = "UTC"
    facility = FacilityFactory(
        code="lapas-jayapura",
        name="Lapas Jayapura",
        regional_office=kaltim,
        timezone="Asia/Jayapura",
    )
    BlockFactory(facility=facility, name="Blok A", sex="L")
    time_machine.move_to(NEAR_MIDNIGHT, tick=False)
    return facility


@pytest.fixture
def kepala_jayapura(jayapura):
    return member(Role.FACILITY_HEAD, facility=jayapura, username="kepala_jayapura")


def test_sessions_of_the_facility_day_on_dashboard_and_list(client, jayapura, kepala_jayapura):
    programme = Programme.objects.create(
        facility=jayapura,
        title="Pramuka",
        pillar="kepribadian",
        area="kebangsaan",
        start_date=datetime.date(2026, 11, 1),
        status="running",
    )
    for day in (datetime.date(2026, 11, 30), DECEMBER_1):
        Session.objects.create(
            programme=programme, date=day, start_time=datetime.time(8), end_time=datetime.time(10)
        )
    client.force_login(kepala_jayapura)
    response = client.get("/")
    assert response.context["today"] == DECEMBER_1
    shown, href = figure(response.content.decode(), "sessions_today")
    today_list = client.get(href)
    assert shown == list_rows(today_list) == 1
    assert today_list.context["sessions"][0].date == DECEMBER_1


def test_stage_on_the_facility_day_on_dashboard_and_register(
    client, jayapura, kepala_jayapura, make_inmate
):
    inmate = make_inmate(
        jayapura,
        name="Yakobus Wenda",
        admission_date=datetime.date(2025, 6, 1),
        sentence_start=datetime.date(2025, 6, 1),
    )
    Inmate.objects.filter(pk=inmate.pk).update(
        lanjutan_from=datetime.date(2026, 6, 1), asimilasi_from=DECEMBER_1
    )
    client.force_login(kepala_jayapura)
    shown, href = figure(client.get("/").content.decode(), "stage_asimilasi")
    assert shown == list_rows(client.get(href)) == 1
    api = client.get("/api/v1/inmates/", {"stage": "asimilasi"}).json()
    assert [row["name"] for row in api["results"]] == ["Yakobus Wenda"]


def test_regional_rows_read_each_facility_on_its_own_date(client, kanwil, balikpapan, jayapura):
    for facility, period in ((jayapura, "2026-11"), (balikpapan, "2026-10")):
        ReportRun.objects.create(
            scope="facility", facility=facility, period=period, status="done", progress=100
        )
    client.force_login(kanwil)
    rows = {row["facility"].pk: row for row in client.get("/").context["rows"]}
    # Jayapura's last month is already November; Balikpapan's still October.
    assert rows[jayapura.pk]["report"].period == "2026-11"
    assert rows[balikpapan.pk]["report"].period == "2026-10"
