import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from rutan.core.models import AuditEntry, JobRun
from rutan.core.roles import Role
from rutan.reports import services
from rutan.reports.models import ReportRun, ReportStatus
from tests.factories import FacilityFactory, member


@pytest.fixture
def done_run(october, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.report_run_request(target=october, period="2026-10")
    run.refresh_from_db()
    return run


def test_request_a_run_now_and_watch_it(
    client, kepala, october, django_capture_on_commit_callbacks
):
    client.force_login(kepala)
    page = client.get(reverse("reports:list"))
    assert "Buat laporan sekarang" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:list"),
            {"target": f"f{october.pk}", "period": "2026-10", "language": "id"},
        )
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:detail", args=[run.pk])
    detail = client.get(response.url).content.decode()
    assert "htmx" in detail and "Unduh PDF" in detail
    progress = client.get(reverse("reports:progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    body = progress.content.decode()
    assert "Selesai" in body and "hx-trigger" not in body


def test_queued_run_keeps_polling(client, kepala, october):
    run = services.report_run_request(target=october, period="2026-10", enqueue=False)
    client.force_login(kepala)
    body = client.get(reverse("reports:progress", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in body and "Dalam antrean" in body


def test_bad_period_in_form_shows_message_and_creates_nothing(client, kepala, october):
    client.force_login(kepala)
    response = client.post(
        reverse("reports:list"), {"target": f"f{october.pk}", "period": "2026-13", "language": "id"}
    )
    assert response.status_code == 200
    assert "TTTT-BB" in response.content.decode()
    assert not ReportRun.objects.exists()


def test_cannot_request_outside_scope(client, kepala, october, ruteng):
    client.force_login(kepala)
    response = client.post(
        reverse("reports:list"), {"target": f"f{ruteng.pk}", "period": "2026-10", "language": "id"}
    )
    assert response.status_code == 200 and "target" in response.context["request_form"].errors
    assert not ReportRun.objects.exists()


def test_download_is_permission_checked(client, done_run, kepala, kepala_ruteng, kanwil, pembina):
    url = reverse("reports:download", args=[done_run.pk])
    client.force_login(kepala)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store, private" and response["Pragma"] == "no-cache"
    assert AuditEntry.objects.filter(object_type="reports.reportrun", action="read").exists()
    for user in (kanwil, pembina):
        client.force_login(user)
        assert client.get(url).status_code == 200
    client.force_login(kepala_ruteng)
    assert client.get(url).status_code == 404
    assert client.get(reverse("reports:detail", args=[done_run.pk])).status_code == 404
    assert client.get(reverse("reports:list")).status_code == 200
    client.force_login(member(Role.INTERN, facility=done_run.facility))
    assert client.get(url).status_code == 404
    assert client.get(reverse("reports:list")).status_code == 404


def test_regional_report_visible_only_to_whole_region(
    client, kanwil, kepala, kaltim, october, django_capture_on_commit_callbacks
):
    FacilityFactory(code="lapas-samarinda", regional_office=kaltim)
    client.force_login(kanwil)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reports:list"),
            {"target": f"r{kaltim.pk}", "period": "2026-10", "language": "id"},
        )
    run = ReportRun.objects.get(regional_office=kaltim)
    assert run.status == ReportStatus.DONE
    assert client.get(reverse("reports:download", args=[run.pk])).status_code == 200
    client.force_login(kepala)
    assert client.get(reverse("reports:download", args=[run.pk])).status_code == 404


def test_failed_run_retry_button(
    client, kepala, october, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("rutan.reports.pdf.render_report_pdf", lambda run, progress: 1 / 0)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.report_run_request(target=october, period="2026-10")
    client.force_login(kepala)
    assert "Coba lagi" in client.get(reverse("reports:detail", args=[run.pk])).content.decode()
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:retry", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE


def test_run_list_query_count_is_fixed(client, kepala, october, django_assert_max_num_queries):
    client.force_login(kepala)
    services.report_run_request(target=october, period="2026-10", enqueue=False)
    with django_assert_max_num_queries(12):
        client.get(reverse("reports:list"))
    for month in range(1, 10):
        services.report_run_request(target=october, period=f"2026-0{month}", enqueue=False)
    with django_assert_max_num_queries(12):
        client.get(reverse("reports:list"))


def test_job_list_shows_scheduled_runs(client, kepala, done_run):
    client.force_login(kepala)
    body = client.get(reverse("reports:jobs")).content.decode()
    assert "Laporan UPT" in body and "Berhasil" in body and done_run.facility.name in body


def _job(kind, minutes_ago=0, **fields):
    return JobRun.objects.create(
        kind=kind, started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago), **fields
    )


def _job_rows(client, **params) -> str:
    """The job table of the page (the filter's options name every kind too)."""
    body = client.get(reverse("reports:jobs"), params).content.decode()
    return body.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in body else ""


def test_job_list_filters_by_kind_and_result(client, kepala, balikpapan):
    _job("partners.expire_agreements", success=True, processed=3)
    _job("interns.auto_approve_logs", 5, success=False, error="OperationalError: putus")
    _job("reports.facility_report", 10, facility_id=balikpapan.pk)
    client.force_login(kepala)
    rows = _job_rows(client)
    assert "Kedaluwarsa PKS otomatis" in rows and "Persetujuan otomatis log magang" in rows
    assert "OperationalError: putus" in rows and "Berjalan" in rows
    rows = _job_rows(client, kind="partners.expire_agreements")
    assert "Kedaluwarsa PKS otomatis" in rows and "Persetujuan otomatis" not in rows
    rows = _job_rows(client, result="failed")
    assert "OperationalError: putus" in rows and "Kedaluwarsa PKS" not in rows
    body = client.get(reverse("reports:jobs"), {"kind": "reports.monthly_batch"})
    assert "Tidak ada jalannya tugas yang cocok" in body.content.decode()


def test_job_list_keeps_to_the_user_scope(
    client, kepala_ruteng, kanwil, balikpapan, ruteng, kaltim
):
    _job("reports.facility_report", facility_id=balikpapan.pk, detail="laporan-balikpapan")
    _job("reports.regional_report", regional_office_id=kaltim.pk, detail="laporan-kaltim")
    _job("partners.expire_agreements", detail="seluruh-negeri")
    client.force_login(kepala_ruteng)
    rows = _job_rows(client)
    assert "seluruh-negeri" in rows
    assert "laporan-balikpapan" not in rows and "laporan-kaltim" not in rows
    client.force_login(kanwil)
    rows = _job_rows(client)
    assert "laporan-balikpapan" in rows and "laporan-kaltim" in rows
    assert kaltim.name in rows and balikpapan.name in rows


def test_job_list_is_paginated_with_a_fixed_query_count(
    client, kepala, balikpapan, django_assert_max_num_queries
):
    client.force_login(kepala)
    _job("partners.expire_agreements", success=True)
    with django_assert_max_num_queries(8):
        client.get(reverse("reports:jobs"))
    for n in range(30):
        _job("reports.facility_report", n + 1, facility_id=balikpapan.pk, success=True)
    with django_assert_max_num_queries(8):
        first = client.get(reverse("reports:jobs"), {"kind": "reports.facility_report"})
    assert "Halaman 1 dari 2" in first.content.decode()
    assert _job_rows(client, kind="reports.facility_report", page=2).count("<tr>") == 5
    second = client.get(reverse("reports:jobs"), {"kind": "reports.facility_report", "page": 2})
    assert "kind=reports.facility_report&amp;page=1" in second.content.decode()


def test_job_list_needs_report_permission(client, magang):
    client.force_login(magang)
    assert client.get(reverse("reports:jobs")).status_code == 404


def test_api_create_list_detail_download(
    client, kepala, october, ruteng, django_capture_on_commit_callbacks
):
    client.force_login(kepala)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/reports/",
            {"scope": "facility", "facility": october.pk, "period": "2026-10"},
            content_type="application/json",
        )
    assert response.status_code == 202 and response.json()["status"] == "queued"
    run_id = response.json()["id"]
    detail = client.get(f"/api/v1/reports/{run_id}/").json()
    assert detail["status"] == "done" and detail["progress"] == 100
    assert client.get("/api/v1/reports/").json()["count"] == 1
    download = client.get(f"/api/v1/reports/{run_id}/download/")
    assert download.status_code == 200
    bad = client.post(
        "/api/v1/reports/",
        {"scope": "facility", "facility": ruteng.pk, "period": "2026-10"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    bad = client.post(
        "/api/v1/reports/",
        {"scope": "facility", "facility": october.pk, "period": "10-2026"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "TTTT-BB" in bad.content.decode()
    assert ReportRun.objects.count() == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [("period=99999-01", "period"), ("status=x", "status"), ("scope=x", "scope")],
)
def test_api_report_filters_refuse_bad_values(client, kepala, query, field):
    client.force_login(kepala)
    response = client.get(f"/api/v1/reports/?{query}")
    assert response.status_code == 400 and field in response.json()["errors"]
    assert client.get("/api/v1/reports/?period=2026-10&status=done").status_code == 200


def test_the_request_message_says_what_the_run_became(october, done_run):
    """A report built before the page answers (a quick worker, eager tasks in `make run`) is
    announced as made, not as queued above a "Selesai" badge."""
    from rutan.reports.views import _request_message

    assert _request_message(done_run) == f"Laporan {done_run} selesai dibuat."
    queued = services.report_run_request(target=october, period="2026-09", enqueue=False)
    assert "dalam antrean" in _request_message(queued)
    ReportRun.objects.filter(pk=queued.pk).update(status=ReportStatus.FAILED)
    assert "gagal dibuat" in _request_message(queued)
