"""Report sections count each event by the period it belongs to, on the facility's dates,
and a report of a month not over yet says so and counts only up to the day it was built."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import BehaviourScore
from partners.models import Agreement
from programmes.models import Certificate, Programme, Session
from rutan.facilities.models import FollowUpItem
from rutan.reports import sections, services
from rutan.reports.models import ReportRun, ReportStatus
from rutan.reports.selectors import Period, facility_report_context

UTC = datetime.UTC
NOVEMBER = Period.of("2026-11")


def pdf_text(run: ReportRun) -> str:
    with run.file.open("rb") as fh:
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages)


def build(target, period, django_capture_on_commit_callbacks, **kwargs) -> ReportRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = services.report_run_request(target=target, period=period, **kwargs)
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE, run.error
    return run


def test_sppn_scores_count_in_the_month_they_score(october, kepala):
    inmate = october.inmates.get(name="Ahmad Fauzi")
    for month, entered in [
        (datetime.date(2026, 11, 1), datetime.date(2026, 12, 2)),  # typed in after the month
        (datetime.date(2026, 10, 1), datetime.date(2026, 11, 3)),
    ]:
        BehaviourScore.objects.create(
            inmate=inmate,
            facility=october,
            assessor=kepala,
            assessed_on=entered,
            month=month,
            kepribadian=80,
            kemandirian=80,
            sikap=80,
            kondisi_mental=80,
            status="final",
        )
    ids = [october.pk]
    november = sections.assessment_figures(ids, NOVEMBER.start, NOVEMBER.end)[october.pk]
    december = sections.assessment_figures(
        ids, datetime.date(2026, 12, 1), datetime.date(2026, 12, 31)
    )
    assert november["behaviour"] == 1 and december[october.pk]["behaviour"] == 0


def test_findings_are_listed_by_the_day_they_were_found_and_done(october):
    def item(title, found_on, done_on=None):
        FollowUpItem.objects.create(
            facility=october,
            title=title,
            found_on=found_on,
            status="done" if done_on else "open",
            done_on=done_on,
            resolution="Diperbaiki" if done_on else "",
        )

    item("Ditemukan 2 Desember", datetime.date(2026, 12, 2))
    item("Selesai 3 Desember", datetime.date(2026, 11, 10), datetime.date(2026, 12, 3))
    item("Selesai 20 November", datetime.date(2026, 11, 10), datetime.date(2026, 11, 20))
    run = ReportRun(facility=october, scope="facility", period="2026-11")
    titles = {i.title for i in facility_report_context(run)["follow_ups"]}
    assert titles == {"Panel listrik dapur rusak", "Selesai 3 Desember"}


def test_certificates_and_agreements_count_as_they_stood_at_month_end(october_programmes):
    certificate = Certificate.objects.get()
    certificate.revoked_on = datetime.date(2026, 11, 5)
    certificate.save()
    # Expired by the daily job in the first hour of November; in force all October.
    Agreement.objects.filter(number="PKS-07/2026").update(
        valid_to=datetime.date(2026, 10, 31), status="expired", ended_on=datetime.date(2026, 11, 1)
    )
    ids = [october_programmes.pk]
    october = Period.of("2026-10")
    figures = sections.programme_figures(ids, october.start, october.end)[ids[0]]
    assert figures["kemandirian"]["certificates"] == 1
    agreements = sections.agreement_figures(ids, october.end, october.start, october.end)[ids[0]]
    assert agreements["active"] == 1 and agreements["expiring"] == 1
    after = sections.agreement_figures(ids, NOVEMBER.end, NOVEMBER.start, NOVEMBER.end)[ids[0]]
    assert after["active"] == 0


@pytest.fixture
def november_sessions(balikpapan):
    programme = Programme.objects.create(
        facility=balikpapan,
        title="Kelas Literasi",
        pillar="kepribadian",
        area="literasi",
        start_date=datetime.date(2026, 10, 1),
        status="running",
    )
    for day in (10, 25):
        Session.objects.create(
            programme=programme,
            date=datetime.date(2026, 11, day),
            start_time=datetime.time(9),
            end_time=datetime.time(11),
        )
    return balikpapan


def test_report_of_a_running_month_is_provisional_and_counts_up_to_today(
    november_sessions, kepala, client, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(datetime.datetime(2026, 11, 15, 2, tzinfo=UTC), tick=False)
    run = build(november_sessions, "2026-11", django_capture_on_commit_callbacks, by=kepala)
    assert run.provisional and run.data_until == datetime.date(2026, 11, 15)
    context = facility_report_context(run)
    assert context["period"].end == datetime.date(2026, 11, 15)
    programmes = context["domain_sections"][0]["pillars"]
    # The session of 25 November is still to come: not counted as held.
    assert next(p for p in programmes if p["pillar"] == "kepribadian")["now"]["sessions"] == 1
    text = pdf_text(run)
    assert "SEMENTARA — bulan belum berakhir, data sampai 15 November 2026" in text
    client.force_login(kepala)
    assert "Sementara" in client.get(reverse("reports:list")).content.decode()
    assert (
        "data sampai 15 November 2026"
        in client.get(reverse("reports:detail", args=[run.pk])).content.decode()
    )
    api = client.get(f"/api/v1/reports/{run.pk}/").json()
    assert api["provisional"] is True and api["data_until"] == "2026-11-15"

    # 02:00 WITA on 1 December: the batch asks again and gets a final report, version 2.
    time_machine.move_to(datetime.datetime(2026, 11, 30, 18, tzinfo=UTC), tick=False)
    final = build(november_sessions, "2026-11", django_capture_on_commit_callbacks)
    assert final.version == 2 and not final.provisional
    assert final.data_until == datetime.date(2026, 11, 30)
    assert "SEMENTARA" not in pdf_text(final)
    assert build(november_sessions, "2026-11", django_capture_on_commit_callbacks).pk == final.pk


def test_month_is_over_by_the_facility_clock(
    balikpapan, kaltim, time_machine, settings, django_capture_on_commit_callbacks
):
    from tests.factories import BlockFactory, FacilityFactory

    settings.TIME_ZONE = "UTC"
    jayapura = FacilityFactory(
        code="lapas-jayapura", regional_office=kaltim, timezone="Asia/Jayapura"
    )
    BlockFactory(facility=jayapura, name="Blok A")
    # 15:30 UTC on 30 November: 00:30 on 1 December in Jayapura, 23:30 still in Balikpapan.
    time_machine.move_to(datetime.datetime(2026, 11, 30, 15, 30, tzinfo=UTC), tick=False)
    east = build(jayapura, "2026-11", django_capture_on_commit_callbacks)
    west = build(balikpapan, "2026-11", django_capture_on_commit_callbacks)
    assert not east.provisional and east.data_until == datetime.date(2026, 11, 30)
    assert west.provisional and west.data_until == datetime.date(2026, 11, 30)
    # The region's month ends with its westernmost facility.
    region = build(kaltim, "2026-11", django_capture_on_commit_callbacks)
    assert region.provisional


def test_monthly_batch_reads_last_month_where_each_facility_is(
    balikpapan, kaltim, time_machine, settings
):
    from tests.factories import FacilityFactory

    settings.TIME_ZONE = "UTC"
    FacilityFactory(code="rutan-jakarta", regional_office=kaltim, timezone="Asia/Jakarta")
    # 17:30 UTC on 30 November is 1 December everywhere in Indonesia.
    time_machine.move_to(datetime.datetime(2026, 11, 30, 17, 30, tzinfo=UTC), tick=False)
    runs = services.monthly_batch_runs(timezone_name=None)
    assert {run.period for run in runs} == {"2026-11"}
