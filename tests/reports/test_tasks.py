import datetime
import io
import json
import zoneinfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_celery_beat.models import PeriodicTask
from pypdf import PdfReader

from rutan.core.models import JobRun
from rutan.reports import services, tasks
from rutan.reports.models import JobType, ReportRun, ReportScope, ReportStatus
from rutan.reports.periods import last_month
from tests.factories import FacilityFactory


def pdf_text(run):
    with run.file.open("rb") as fh:
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages)


def test_beat_schedule_is_in_each_facility_timezone(balikpapan, kaltim):
    FacilityFactory(code="lapas-jayapura", regional_office=kaltim, timezone="Asia/Jayapura")
    services.report_schedule_sync()
    entries = {
        t.crontab.timezone.key: t for t in PeriodicTask.objects.filter(task="reports.monthly_batch")
    }
    assert set(entries) == {"Asia/Makassar", "Asia/Jayapura"}
    jayapura = entries["Asia/Jayapura"]
    assert json.loads(jayapura.kwargs) == {"timezone_name": "Asia/Jayapura"}
    schedule = jayapura.crontab.schedule
    last = datetime.datetime(2026, 11, 2, tzinfo=zoneinfo.ZoneInfo("Asia/Jayapura"))
    start, delta, _now = schedule.remaining_delta(last, tz=schedule.tz)
    # 02:00 WIT on 1 December is 17:00 UTC on 30 November; WITA is an hour later in UTC.
    assert (start + delta).astimezone(datetime.UTC) == datetime.datetime(
        2026, 11, 30, 17, 0, tzinfo=datetime.UTC
    )
    makassar = entries["Asia/Makassar"].crontab.schedule
    start, delta, _now = makassar.remaining_delta(last, tz=makassar.tz)
    assert (start + delta).astimezone(datetime.UTC).hour == 18


def test_schedule_follows_facility_changes(balikpapan, django_capture_on_commit_callbacks):
    services.report_schedule_sync()
    with django_capture_on_commit_callbacks(execute=True):
        balikpapan.timezone = "Asia/Jakarta"
        balikpapan.save()
    names = set(
        PeriodicTask.objects.filter(task="reports.monthly_batch").values_list("name", flat=True)
    )
    assert names == {"Laporan bulanan UPT (Asia/Jakarta)"}


def test_previous_month_is_read_in_the_facility_timezone(monkeypatch):
    # 30 Nov 2026 16:30 UTC is already 1 December in Jayapura but still November in Jakarta.
    instant = datetime.datetime(2026, 11, 30, 16, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: instant)
    assert last_month(zoneinfo.ZoneInfo("Asia/Jayapura")) == "2026-11"
    assert last_month(zoneinfo.ZoneInfo("Asia/Jakarta")) == "2026-10"


def test_monthly_batch_fans_out_then_rolls_up_the_region(
    october, kaltim, make_inmate, django_capture_on_commit_callbacks
):
    second = FacilityFactory(
        code="lapas-samarinda", name="Lapas Kelas IIA Samarinda", regional_office=kaltim
    )
    from tests.factories import BlockFactory

    BlockFactory(facility=second, name="Blok A", sex="L")
    make_inmate(second, name="Sutrisno Wibowo", admission_date=datetime.date(2026, 2, 1))
    with django_capture_on_commit_callbacks(execute=True):
        count = tasks.monthly_batch.delay(timezone_name="Asia/Makassar", period="2026-10").get()
    assert count == 2
    facility_runs = ReportRun.objects.filter(scope=ReportScope.FACILITY, period="2026-10")
    assert facility_runs.count() == 2
    assert set(facility_runs.values_list("status", flat=True)) == {ReportStatus.DONE}
    regional = ReportRun.objects.get(scope=ReportScope.REGIONAL, regional_office=kaltim)
    assert regional.status == ReportStatus.DONE
    text = pdf_text(regional)
    assert "Rutan Kelas IIA Balikpapan" in text and "Lapas Kelas IIA Samarinda" in text
    assert "Jumlah Kanwil" in text
    for name in ["Ahmad Fauzi", "Rina Marlina", "Yohanes Tefa", "Sutrisno Wibowo"]:
        assert name not in text
    jobs = list(JobRun.objects.values_list("kind", "success", "processed"))
    assert (JobType.MONTHLY_BATCH, True, 2) in jobs
    assert jobs.count((JobType.FACILITY_REPORT, True, 1)) == 2
    assert (JobType.REGIONAL_REPORT, True, 1) in jobs
    assert JobRun.objects.get(kind=JobType.REGIONAL_REPORT).regional_office_id == kaltim.pk
    # Running the batch again builds nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        tasks.monthly_batch.delay(timezone_name="Asia/Makassar", period="2026-10").get()
    assert ReportRun.objects.count() == 3


def test_region_waits_for_all_its_facilities(october, kaltim, django_capture_on_commit_callbacks):
    FacilityFactory(code="lapas-jayapura", regional_office=kaltim, timezone="Asia/Jayapura")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.monthly_batch.delay(timezone_name="Asia/Makassar", period="2026-10").get()
    assert not ReportRun.objects.filter(scope=ReportScope.REGIONAL).exists()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.monthly_batch.delay(timezone_name="Asia/Jayapura", period="2026-10").get()
    assert ReportRun.objects.get(scope=ReportScope.REGIONAL).status == ReportStatus.DONE


def test_generate_reports_command(october, capsys):
    call_command("generate_reports", "--period", "2026-10", "--facility", "rutan-balikpapan")
    out = capsys.readouterr().out
    assert "100%" in out and "sha256=" in out
    assert ReportRun.objects.get().status == ReportStatus.DONE
    call_command("generate_reports", "--period", "2026-10", "--regional", "kaltim")
    assert ReportRun.objects.filter(scope=ReportScope.REGIONAL, status="done").count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-13", "--all"], "TTTT-BB"),
        (["--period", "2026-10", "--facility", "tidak-ada"], "Unknown facility code"),
        (["--period", "2026-10", "--regional", "tidak-ada"], "Unknown regional office code"),
    ],
)
def test_generate_reports_command_rejects_bad_input(balikpapan, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_reports", *args)
    assert not ReportRun.objects.exists()
