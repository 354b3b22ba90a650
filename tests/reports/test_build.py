import datetime
import io
import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from rutan.core.models import JobRun
from rutan.core.pdf import StaticOnlyFetcher
from rutan.reports import services
from rutan.reports.models import JobType, ReportRun, ReportStatus


def pdf_text(run: ReportRun) -> str:
    with run.file.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def request(target, period="2026-10", **kwargs):
    return services.report_run_request(target=target, period=period, **kwargs)


def test_facility_report_holds_the_figures_of_the_month(
    october, kepala, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = request(october, by=kepala)
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE, run.error
    assert run.progress == 100 and len(run.sha256) == 64 and run.attempts == 1
    text = pdf_text(run)
    assert "Rutan Kelas IIA Balikpapan" in text and "Oktober 2026" in text
    assert "Kanwil Ditjenpas Kalimantan Timur" in text
    assert "Penghuni pada akhir bulan 3 2 +1" in text
    assert "Penerimaan baru 1 1 0" in text
    assert "Panel listrik dapur rusak" in text
    assert "Kepala Rutan Kelas IIA Balikpapan" in text and kepala.display_name in text
    assert "Halaman 1 dari" in text
    # The time of building in the facility's zone, as Indonesians name it.
    assert re.search(r"\d{4} \d{2}:\d{2} WITA", text), text
    assert "Asia/Makassar" not in text
    # The chart is in the PDF with its text alternative.
    assert "Grafik batang jumlah WBP per tahap pembinaan" in text
    job = JobRun.objects.get(kind=JobType.FACILITY_REPORT, facility_id=run.facility_id)
    assert job.success is True and job.finished_at is not None and job.processed == 1
    assert job.get_kind_display() == "Laporan UPT" and str(run) in job.detail


def test_report_in_english_on_request(october, kepala, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = request(october, by=kepala, language="en")
    run.refresh_from_db()
    text = pdf_text(run)
    assert "October 2026" in text


def test_done_run_is_not_rebuilt_unless_a_new_version_is_asked(
    october, kepala, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = request(october, by=kepala)
    first.refresh_from_db()
    digest = first.sha256
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = request(october, by=kepala)
    assert again.pk == first.pk and callbacks == []
    assert ReportRun.objects.get(pk=first.pk).sha256 == digest
    with django_capture_on_commit_callbacks(execute=True):
        second = request(october, by=kepala, new_version=True)
    second.refresh_from_db()
    assert second.version == 2 and second.status == ReportStatus.DONE
    assert ReportRun.objects.count() == 2


def test_bad_period_changes_nothing(balikpapan, kepala):
    for bad in ["2026-13", "oktober", "", "2026-1"]:
        with pytest.raises(ValidationError) as exc:
            request(balikpapan, period=bad, by=kepala)
        assert "TTTT-BB" in str(exc.value)
    future = (timezone.localdate() + datetime.timedelta(days=62)).strftime("%Y-%m")
    with pytest.raises(ValidationError, match="belum dimulai"):
        request(balikpapan, period=future, by=kepala)
    assert not ReportRun.objects.exists()


def test_second_claim_gets_nothing(balikpapan):
    run = request(balikpapan, enqueue=False)
    assert services.report_run_claim(run_id=run.pk, worker="a") is not None
    assert services.report_run_claim(run_id=run.pk, worker="b") is None
    # A worker that claims nothing leaves the run alone.
    assert services.report_run_build(run_id=run.pk, worker="b").status == ReportStatus.RUNNING


def test_failed_run_is_recorded_and_can_be_retried(
    october, kepala, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(run, progress):
        raise RuntimeError("font hilang")

    monkeypatch.setattr("rutan.reports.pdf.render_report_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        run = request(october, by=kepala)
    run.refresh_from_db()
    assert run.status == ReportStatus.FAILED and "font hilang" in run.error
    job = JobRun.objects.get(kind=JobType.FACILITY_REPORT, facility_id=run.facility_id)
    assert not run.file and job.success is False and "font hilang" in job.error
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_run_retry(run=run, by=kepala)
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE and run.attempts == 2 and run.version == 1


def test_done_run_cannot_be_retried(october, kepala, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = request(october, by=kepala)
    with pytest.raises(ValidationError, match="gagal atau terhenti"):
        services.report_run_retry(run=run, by=kepala)
    assert ReportRun.objects.get(pk=run.pk).status == ReportStatus.DONE


def test_worker_killed_mid_run_leaves_it_retryable_and_unpublished(
    october, kepala, settings, django_capture_on_commit_callbacks
):
    run = request(october, by=kepala, enqueue=False)
    claimed, _token = services.report_run_claim(run_id=run.pk, worker="killed")
    # The worker dies here: nothing published, and nobody else may take it while it could
    # still be alive...
    claimed.refresh_from_db()
    assert claimed.status == ReportStatus.RUNNING and not claimed.file and not claimed.sha256
    assert services.report_run_claim(run_id=run.pk, worker="early") is None
    with pytest.raises(ValidationError):
        services.report_run_retry(run=claimed, by=kepala)
    # ...but once its heartbeat is stale the run is free again, and the redelivered
    # (acks_late) task or a retry builds it once.
    ReportRun.objects.filter(pk=run.pk).update(
        heartbeat_at=timezone.now()
        - datetime.timedelta(seconds=settings.REPORT_CLAIM_STALE_SECONDS + 5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.report_run_retry(run=claimed, by=kepala)
    claimed.refresh_from_db()
    assert claimed.status == ReportStatus.DONE and claimed.attempts == 2


def test_a_worker_that_lost_its_claim_publishes_nothing(october):
    run = request(october, enqueue=False)
    _run, token = services.report_run_claim(run_id=run.pk, worker="slow")
    ReportRun.objects.filter(pk=run.pk).update(claim_token="someone-else")
    services._progress(run, token, 50)
    assert ReportRun.objects.get(pk=run.pk).progress == 5


def test_two_concurrent_workers_build_once(committed_db, transactional_db, october):
    run = request(october, enqueue=False)
    barrier = threading.Barrier(2)
    results = []

    def work(name):
        try:
            barrier.wait()
            results.append(services.report_run_build(run_id=run.pk, worker=name).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in ("w1", "w2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE and run.attempts == 1
    assert sorted(results) in (["done", "running"], ["done", "done"])


def test_report_fetches_only_project_static_files():
    fetcher = StaticOnlyFetcher()
    assert fetcher.fetch("static:fonts/LiberationSans-Regular.ttf").read(4)
    for url in ["file:///etc/passwd", "https://example.com/x.png", "static:../../etc/passwd"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_facility_report_holds_every_domain_section(
    october_programmes, kepala, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = request(october_programmes, by=kepala)
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE, run.error
    text = pdf_text(run)
    # Kemandirian: 1 programme, 2 sessions (1 the month before), 2 participants (1 before),
    # attendance 3 of 4 = 75% (100% before), 1 completion, 1 certificate.
    assert "Pembinaan kemandirian 1 (1) 2 (1) 2 1 +1 75% 100% −25 1 (0) 1 (0)" in text
    assert "Asesmen literasi 1 0 +1" in text and "Keaksaraan dasar 1" in text
    assert "Berlaku pada akhir bulan 1" in text and "Berakhir dalam 60 hari 1" in text
    assert "PKS-07/2026" in text
    assert "Survei gizi dapur 1 1 6 120" in text
    assert "Potong rambut Pelatihan Barbershop 40 buah 600.000" in text
    assert "Grafik batang tingkat kehadiran (%) per pilar" in text


def test_regional_report_has_domain_figures_and_no_names(
    october_programmes, kaltim, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = request(kaltim)
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE, run.error
    text = pdf_text(run)
    flat = " ".join(text.split())
    assert "Rutan Kelas IIA Balikpapan 67% 75% 1 1 1 0 1 6 600.000" in flat
    for inmate in october_programmes.inmates.all():
        assert inmate.name not in text
    assert "magang_uji" not in text


def test_build_time_prints_in_the_facility_timezone(
    october, kepala, django_capture_on_commit_callbacks
):
    """A worker runs in UTC: 1 December 20:41 UTC is 2 December 04:41 in Asia/Makassar,
    and that is what the cover, the footer and the signature date say."""
    import time_machine

    with (
        time_machine.travel(datetime.datetime(2026, 12, 1, 20, 41, tzinfo=datetime.UTC)),
        timezone.override(datetime.UTC),
        django_capture_on_commit_callbacks(execute=True),
    ):
        run = request(october, by=kepala)
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE, run.error
    text = pdf_text(run)
    assert "2 Desember 2026 04:41" in text
    assert "1 Desember 2026 20:41" not in text
