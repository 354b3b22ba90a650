"""A worker killed mid-report: the claim expires by heartbeat, the sweep sends the run again,
it is built exactly once, the killed attempt's job row is closed, the page and the API retry
a stuck run, and a send that fails never gives the user a 500."""

import datetime
import time
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.urls import reverse
from django.utils import timezone

from rutan.core.models import JobRun
from rutan.reports import services, tasks
from rutan.reports.models import JobType, ReportRun, ReportStatus

pytestmark = pytest.mark.django_db


def _killed(run, settings):
    """The state a killed worker leaves: claimed, 60 %, heartbeat stale, its JobRun open."""
    past = timezone.now() - datetime.timedelta(seconds=settings.REPORT_CLAIM_STALE_SECONDS + 30)
    job = JobRun.objects.create(
        kind=JobType.FACILITY_REPORT, started_at=past, facility_id=run.facility_id
    )
    ReportRun.objects.filter(pk=run.pk).update(
        status=ReportStatus.RUNNING,
        claim_token="dead-worker",
        progress=60,
        started_at=past,
        heartbeat_at=past,
        attempts=1,
        job_run_id=job.pk,
    )
    return job


def _request(target, **kwargs):
    return services.report_run_request(target=target, period="2026-10", **kwargs)


def test_sweep_resends_a_killed_run_builds_it_once_and_closes_the_job(
    october, settings, django_capture_on_commit_callbacks
):
    run = _request(october, enqueue=False)
    job = _killed(run, settings)
    with django_capture_on_commit_callbacks(execute=True) as sent:
        assert services.report_run_sweep() == {"resent": 1, "closed": 1}
    # The run, then (a batch run) its region's roll-up, each sent once.
    assert len(sent) == 2
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE and run.attempts == 2 and run.file
    job.refresh_from_db()
    assert job.success is False and job.finished_at and "Pekerja berhenti" in job.error
    # The new attempt's row is closed as a success; a second sweep does nothing.
    assert JobRun.objects.filter(kind=JobType.FACILITY_REPORT, success=True).count() == 1
    assert ReportRun.objects.filter(facility=october).count() == 1
    with django_capture_on_commit_callbacks(execute=True) as sent:
        assert services.report_run_sweep() == {"resent": 0, "closed": 0}
    assert not sent


def test_sweep_leaves_a_live_build_and_its_job_alone(october, settings):
    run = _request(october, enqueue=False)
    job = _killed(run, settings)
    # Still beating: the worker is alive, only slow.
    ReportRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())
    assert services.report_run_sweep() == {"resent": 0, "closed": 0}
    job.refresh_from_db()
    assert job.success is None
    assert ReportRun.objects.get(pk=run.pk).status == ReportStatus.RUNNING


def test_sweep_resends_a_queued_run_whose_message_was_lost(
    october, settings, django_capture_on_commit_callbacks
):
    run = _request(october, enqueue=False)  # as if the send after commit had failed
    assert services.report_run_sweep() == {"resent": 0, "closed": 0}
    ReportRun.objects.filter(pk=run.pk).update(
        queued_at=timezone.now()
        - datetime.timedelta(seconds=settings.REPORT_QUEUED_STALE_SECONDS + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.report_run_sweep()["resent"] == 1
    assert ReportRun.objects.get(pk=run.pk).status == ReportStatus.DONE


def test_the_sweep_is_scheduled_every_minute():
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    # A transactional test may have flushed the migration's row: run its function again.
    migration = importlib.import_module("rutan.reports.migrations.0005_reportrun_heartbeat_sweep")
    migration.create_schedule(apps, None)
    migration.create_schedule(apps, None)  # idempotent
    task = PeriodicTask.objects.get(task="reports.sweep_stuck")
    assert task.enabled and task.interval.every == 60 and task.interval.period == "seconds"


def test_two_builds_of_one_stale_run_publish_once(october, settings):
    run = _request(october, enqueue=False)
    _killed(run, settings)
    first = services.report_run_claim(run_id=run.pk, worker="a")
    assert first is not None
    # The second worker finds the claim fresh now, builds nothing and publishes nothing.
    assert services.report_run_build(run_id=run.pk, worker="b").status == ReportStatus.RUNNING
    # The first worker's claim is then lost (say it was slow past the stale limit and a third
    # worker took it): the first publishes nothing either.
    ReportRun.objects.filter(pk=run.pk).update(claim_token="third")
    with mock.patch.object(services, "report_run_claim", return_value=first):
        services.report_run_build(run_id=run.pk, worker="a")
    run.refresh_from_db()
    assert run.status == ReportStatus.RUNNING and not run.file and not run.sha256


def test_progress_and_background_thread_renew_the_heartbeat(october, settings):
    run = _request(october, enqueue=False)
    _claimed, token = services.report_run_claim(run_id=run.pk, worker="a")
    old = timezone.now() - datetime.timedelta(seconds=200)
    ReportRun.objects.filter(pk=run.pk).update(heartbeat_at=old)
    services._progress(run, token, 40)
    assert ReportRun.objects.get(pk=run.pk).heartbeat_at > old
    ReportRun.objects.filter(pk=run.pk).update(heartbeat_at=old)
    settings.REPORT_HEARTBEAT_SECONDS = 1
    beats = []
    with (
        mock.patch.object(services, "_heartbeat", side_effect=lambda *a: beats.append(a) or 1),
        services._heartbeat_thread(run.pk, token),
    ):
        time.sleep(2.5)
    assert len(beats) >= 2 and beats[0] == (run.pk, token)


def test_redelivered_task_with_a_fresh_claim_retries_later(october, settings):
    run = _request(october, enqueue=False)
    services.report_run_claim(run_id=run.pk, worker="alive")
    with (
        mock.patch.object(tasks.build_report_run, "retry", side_effect=Retry("later")) as retry,
        pytest.raises(Retry),
    ):
        tasks.build_report_run.run(run.pk)
    retry.assert_called_once_with(
        countdown=settings.REPORT_CLAIM_RETRY_SECONDS, max_retries=settings.REPORT_CLAIM_MAX_RETRIES
    )
    # No job row for a look that built nothing.
    assert not JobRun.objects.exists()
    # Once the heartbeat is stale, the same delivery builds it.
    _killed(run, settings)
    assert tasks.build_report_run.run(run.pk) == ReportStatus.DONE


def test_asking_again_for_a_stuck_run_sends_it_again(
    october, kepala, settings, django_capture_on_commit_callbacks
):
    run = _request(october, by=kepala, enqueue=False)
    _killed(run, settings)
    with django_capture_on_commit_callbacks(execute=True) as sent:
        again = _request(october, by=kepala)
    assert again.pk == run.pk and len(sent) == 1
    assert ReportRun.objects.get(pk=run.pk).status == ReportStatus.DONE


def test_page_shows_a_stuck_run_with_the_retry_button(
    client, kepala, october, settings, django_capture_on_commit_callbacks
):
    run = _request(october, enqueue=False)
    _killed(run, settings)
    client.force_login(kepala)
    page = client.get(reverse("reports:detail", args=[run.pk])).content.decode()
    assert "Laporan macet" in page and "Coba lagi" in page
    with django_capture_on_commit_callbacks(execute=True) as sent:
        response = client.post(reverse("reports:retry", args=[run.pk]))
    assert response.status_code == 302 and len(sent) == 1
    assert ReportRun.objects.get(pk=run.pk).status == ReportStatus.DONE
    # A run building normally shows no button and cannot be retried.
    fresh = _request(october, new_version=True, enqueue=False)
    services.report_run_claim(run_id=fresh.pk, worker="alive")
    page = client.get(reverse("reports:detail", args=[fresh.pk])).content.decode()
    assert "Coba lagi" not in page and "Laporan macet" not in page


def test_api_retry_accepts_a_stuck_run_and_refuses_a_live_one(
    client, kepala, october, settings, django_capture_on_commit_callbacks
):
    run = _request(october, enqueue=False)
    services.report_run_claim(run_id=run.pk, worker="alive")
    client.force_login(kepala)
    url = f"/api/v1/reports/{run.pk}/retry/"
    assert client.post(url).status_code == 400
    _killed(run, settings)
    with django_capture_on_commit_callbacks(execute=True) as sent:
        response = client.post(url)
    assert response.status_code == 202 and len(sent) == 1
    assert ReportRun.objects.get(pk=run.pk).status == ReportStatus.DONE


def test_a_failed_send_leaves_the_run_queued_and_no_500(
    client, kepala, october, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    client.force_login(kepala)
    with (
        mock.patch.object(
            tasks.build_report_run, "apply_async", side_effect=OperationalError("Redis mati")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            "/api/v1/reports/",
            {"scope": "facility", "facility": october.pk, "period": "2026-10"},
            content_type="application/json",
        )
    assert response.status_code == 202
    assert ReportRun.objects.get().status == ReportStatus.QUEUED
