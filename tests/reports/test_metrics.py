"""The report's figures at national size: the same numbers, a cost bounded by the facilities."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rutan.inmates.choices import STAGE_ORDER
from rutan.inmates.models import Inmate, Placement
from rutan.inmates.services import inmate_release, inmate_transfer
from rutan.reports import metrics, tasks
from rutan.reports.models import ReportRun, ReportScope, ReportStatus
from rutan.reports.selectors import facility_report_context, facility_rows, regional_report_context
from tests.factories import BlockFactory, FacilityFactory

D = datetime.date


@pytest.fixture
def mixed(balikpapan, ruteng, make_inmate, national_admin):
    """Inmates in every stage, detainees, a life sentence, a transfer and a release, plus a
    facility that is never asked about (its inmates must not count anywhere)."""
    elsewhere = FacilityFactory(code="lapas-jayapura", timezone="Asia/Jayapura")
    BlockFactory(facility=elsewhere, name="Blok A", sex="L")
    for facility, starts in [
        (balikpapan, [D(2024, 1, 1), D(2025, 1, 1), D(2025, 9, 1), D(2026, 6, 1)]),
        (ruteng, [D(2023, 6, 1), D(2025, 3, 1)]),
        (elsewhere, [D(2024, 1, 1), D(2025, 1, 1)]),
    ]:
        for n, start in enumerate(starts):
            make_inmate(
                facility,
                sentence_start=start,
                admission_date=start + datetime.timedelta(days=3),
                sentence_years=1 + n,
                sex="P" if n == 1 else "L",
            )
    make_inmate(
        balikpapan,
        register_type="A.II",
        legal_status="tahanan",
        sentence_start=None,
        sentence_years=0,
        admission_date=D(2026, 9, 5),
    )
    make_inmate(
        balikpapan,
        sentence_kind="seumur_hidup",
        sentence_start=D(2024, 4, 1),
        sentence_years=0,
        remission_days=0,
        admission_date=D(2024, 4, 3),
    )
    moved = make_inmate(
        balikpapan, sentence_start=D(2025, 2, 1), admission_date=D(2025, 2, 3), sentence_years=2
    )
    inmate_transfer(inmate=moved, to_facility=ruteng, on=D(2026, 3, 15), by=national_admin)
    freed = make_inmate(
        ruteng, sentence_start=D(2025, 5, 1), admission_date=D(2025, 5, 2), sentence_years=1
    )
    inmate_release(inmate=freed, on=D(2026, 2, 1), by=national_admin)
    return [balikpapan, ruteng]


DATES = [D(2024, 6, 30), D(2025, 6, 30), D(2026, 1, 31), D(2026, 2, 28), D(2026, 10, 31)]


def _held(facility, on):
    return Placement.objects.filter(facility=facility, start_date__lte=on).exclude(end_date__lte=on)


@pytest.mark.parametrize("on", DATES)
def test_population_stages_equal_the_per_inmate_stage_on(mixed, on):
    ids = [f.pk for f in mixed]
    figures = metrics.population(ids, on)
    for facility in mixed:
        held = set(_held(facility, on).values_list("inmate_id", flat=True))
        in_stage = {
            stage: set(Inmate.objects.with_stage_on(stage, on).values_list("pk", flat=True))
            for stage in STAGE_ORDER
        }
        expected = {stage: len(held & pks) for stage, pks in in_stage.items()}
        assert figures[facility.pk]["stages"] == expected
        assert figures[facility.pk]["population"] == len(held)
        assert figures[facility.pk]["no_stage"] == len(held) - sum(expected.values())
        in_python = [Inmate.objects.get(pk=pk).stage_on(on) for pk in held]
        assert expected == {stage: in_python.count(stage) for stage in STAGE_ORDER}


def test_population_sees_stages_move_on(mixed):
    balikpapan, ruteng = mixed
    ids = [balikpapan.pk, ruteng.pk]
    figures = {on: metrics.population(ids, on) for on in DATES}
    # The mix is not trivial: every stage appears at some date, and the transferred inmate
    # counts in Balikpapan before 15 March 2026 and in Ruteng from that day.
    rows = [row for f in figures.values() for row in f.values()]
    seen = {stage for row in rows for stage, n in row["stages"].items() if n}
    assert seen == set(STAGE_ORDER)
    before, after = (metrics.population(ids, on) for on in (D(2026, 3, 14), D(2026, 3, 15)))
    assert before[balikpapan.pk]["population"] - after[balikpapan.pk]["population"] == 1
    assert after[ruteng.pk]["population"] - before[ruteng.pk]["population"] == 1


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_report_queries_are_flat_in_the_number_of_facilities(mixed, kaltim, make_inmate):
    balikpapan, _ruteng = mixed
    period = {"on": D(2026, 10, 31), "start": D(2026, 10, 1), "end": D(2026, 10, 31)}
    run = ReportRun(scope=ReportScope.FACILITY, facility=balikpapan, period="2026-10")
    regional = ReportRun(scope=ReportScope.REGIONAL, regional_office=kaltim, period="2026-10")
    one = _queries(lambda: facility_rows([balikpapan], **period))
    facility_alone = _queries(lambda: facility_report_context(run))
    regional_alone = _queries(lambda: regional_report_context(regional))
    more = []
    for n in range(4):
        facility = FacilityFactory(code=f"lapas-uji-{n}", regional_office=kaltim)
        BlockFactory(facility=facility, name="Blok A", sex="L")
        make_inmate(facility, admission_date=D(2026, 2, 1))
        more.append(facility)
    assert _queries(lambda: facility_rows([balikpapan, *more], **period)) == one
    assert _queries(lambda: facility_report_context(run)) == facility_alone
    assert _queries(lambda: regional_report_context(regional)) == regional_alone


def test_regional_rollup_shows_what_the_facility_reports_showed(
    october_programmes, kaltim, make_inmate, django_capture_on_commit_callbacks
):
    second = FacilityFactory(code="lapas-samarinda", regional_office=kaltim, capacity=40)
    BlockFactory(facility=second, name="Blok A", sex="L")
    make_inmate(second, admission_date=D(2026, 2, 1))
    facilities = [october_programmes, second]
    dates = {"on": D(2026, 10, 31), "start": D(2026, 10, 1), "end": D(2026, 10, 31)}
    live = facility_rows(sorted(facilities, key=lambda f: f.name), **dates)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.monthly_batch.delay(timezone_name="Asia/Makassar", period="2026-10").get()
    for run in ReportRun.objects.filter(scope=ReportScope.FACILITY):
        assert run.figures["population"] == next(
            r["population"] for r in live if r["facility"] == run.facility
        )
    regional = ReportRun.objects.get(scope=ReportScope.REGIONAL)
    assert regional.status == ReportStatus.DONE
    # Someone admitted into October after the facility reports were made: the roll-up
    # still agrees with the reports it rolls up, and counts no facility again.
    make_inmate(second, admission_date=D(2026, 10, 30))
    with CaptureQueriesContext(connection) as ctx:
        context = regional_report_context(regional)
    rows = [{k: v for k, v in row.items() if k != "report_status"} for row in context["rows"]]
    assert rows == live
    assert any(row["product_value"] for row in rows) and any(row["stages"] for row in rows)
    counted = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "inmates_placement" not in counted and "programmes_attendance" not in counted
