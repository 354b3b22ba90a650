"""Celery tasks: thin, idempotent, acknowledged late; the work is in services."""

import logging

from celery import shared_task
from celery.exceptions import MaxRetriesExceededError
from celery.signals import worker_init
from django.conf import settings
from django.db import transaction

from rutan.core.outbox import enqueue
from rutan.core.services import job_run
from rutan.core.task_options import TASK_OPTIONS as CORE_TASK_OPTIONS

from . import services
from .models import JobType, ReportRun, ReportScope, ReportStatus

logger = logging.getLogger(__name__)

TASK_OPTIONS = {
    **CORE_TASK_OPTIONS,
    "time_limit": 30 * 60,
    "soft_time_limit": 25 * 60,
}


@worker_init.connect
def load_pdf_renderer(**kwargs):
    """Import WeasyPrint in the worker's main process (it takes a second), so every pool
    process forked from it, also each one replacing a recycled process, starts with it."""
    from . import pdf  # noqa: F401


@shared_task(bind=True, name="reports.build_report_run", **TASK_OPTIONS)
def build_report_run(self, run_id: int, rollup: bool = False) -> str:
    """Build one run (a no-op when it is done already).

    A run another worker holds with a fresh heartbeat (e.g. this message was redelivered
    after a worker was killed while that worker's claim is still fresh) is looked at again
    later, up to REPORT_CLAIM_MAX_RETRIES times, until the claim is stale or the run ended.
    """
    run = ReportRun.objects.select_related(*services.RUN_RELATED).get(pk=run_id)
    if run.is_finished:
        return run.status
    if run.status == ReportStatus.RUNNING and not run.is_stuck:
        try:
            raise self.retry(
                countdown=settings.REPORT_CLAIM_RETRY_SECONDS,
                max_retries=settings.REPORT_CLAIM_MAX_RETRIES,
            )
        except MaxRetriesExceededError:
            logger.warning("Report run %s still held by another worker; left to the sweep", run_id)
            return run.status
    with job_run(
        services.JOB_FOR_SCOPE[run.scope],
        facility_id=run.facility_id,
        regional_office_id=run.regional_office_id,
        detail=f"{run} ({self.request.id or 'lokal'})",
    ) as job:
        run = services.report_run_build(
            run_id=run_id, worker=self.request.hostname or "", job_run_id=job.pk
        )
        job.success = run.status == ReportStatus.DONE
        job.processed = int(job.success)
        job.detail = f"{run} · {run.get_status_display()}"
        job.error = run.error
    if rollup and run.scope == ReportScope.FACILITY and run.status == ReportStatus.DONE:
        services.regional_rollup_if_ready(region=run.facility.regional_office, period=run.period)
    return run.status


@shared_task(bind=True, name="reports.monthly_batch", **TASK_OPTIONS)
def monthly_batch(self, timezone_name: str | None = None, period: str | None = None) -> int:
    """Fan out one task per facility (a Celery group) for last month's reports.

    Each facility task, once done, asks for its region's roll-up; the roll-up is made when
    the last facility of the region is done, whichever worker finishes it.
    """
    zones = timezone_name or "semua zona waktu"
    with job_run(JobType.MONTHLY_BATCH, detail=zones) as job:
        runs = services.monthly_batch_runs(timezone_name=timezone_name, period=period)
        pending = [run for run in runs if run.status != ReportStatus.DONE]
        # Through the outbox: a send that fails is retried by core.outbox_drain.
        with transaction.atomic():
            for run in pending:
                enqueue(build_report_run, run.pk, rollup=True)
        for region, run_period in {(r.facility.regional_office, r.period) for r in runs}:
            services.regional_rollup_if_ready(region=region, period=run_period)
        job.processed = len(runs)
        job.detail = f"{zones}: {len(runs)} UPT, {len(pending)} dibuat"
    return len(runs)


@shared_task(name="reports.sweep_stuck", **TASK_OPTIONS)
def sweep_stuck() -> dict:
    """Every minute (beat): send stuck runs again, close the job rows of killed attempts."""
    return services.report_run_sweep()
