"""Celery tasks: thin, idempotent, acknowledged late; the work is in services."""

from celery import group, shared_task
from django.db import InterfaceError, OperationalError

from . import services
from .models import JobType, ReportRun, ReportScope, ReportStatus

TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
    "time_limit": 30 * 60,
    "soft_time_limit": 25 * 60,
}


@shared_task(bind=True, name="reports.build_report_run", **TASK_OPTIONS)
def build_report_run(self, run_id: int, rollup: bool = False) -> str:
    """Build one run (a no-op when another worker holds it or it is done already)."""
    run = ReportRun.objects.select_related("facility", "regional_office").get(pk=run_id)
    job = services.job_start(
        job_type=services.JOB_FOR_SCOPE[run.scope],
        facility=run.facility,
        regional_office=run.regional_office,
        report_run=run,
        detail=f"{run} ({self.request.id or 'lokal'})",
    )
    try:
        run = services.report_run_build(run_id=run_id, worker=self.request.hostname or "")
    except Exception as exc:
        services.job_finish(job=job, success=False, detail=f"{type(exc).__name__}: {exc}")
        raise
    services.job_finish(
        job=job,
        success=run.status == ReportStatus.DONE,
        detail=f"{run} · {run.get_status_display()}" + (f" · {run.error}" if run.error else ""),
    )
    if rollup and run.scope == ReportScope.FACILITY and run.status == ReportStatus.DONE:
        services.regional_rollup_if_ready(region=run.facility.regional_office, period=run.period)
    return run.status


@shared_task(bind=True, name="reports.monthly_batch", **TASK_OPTIONS)
def monthly_batch(self, timezone_name: str | None = None, period: str | None = None) -> int:
    """Fan out one task per facility (a Celery group) for last month's reports.

    Each facility task, once done, asks for its region's roll-up; the roll-up is made when
    the last facility of the region is done, whichever worker finishes it.
    """
    job = services.job_start(
        job_type=JobType.MONTHLY_BATCH, detail=timezone_name or "semua zona waktu"
    )
    try:
        runs = services.monthly_batch_runs(timezone_name=timezone_name, period=period)
        pending = [run for run in runs if run.status != ReportStatus.DONE]
        if pending:
            group(build_report_run.si(run.pk, rollup=True) for run in pending).apply_async()
        for region, run_period in {(r.facility.regional_office, r.period) for r in runs}:
            services.regional_rollup_if_ready(region=region, period=run_period)
    except Exception as exc:
        services.job_finish(job=job, success=False, detail=f"{type(exc).__name__}: {exc}")
        raise
    services.job_finish(
        job=job,
        success=True,
        detail=f"{timezone_name or 'semua zona waktu'}: {len(runs)} UPT, {len(pending)} dibuat",
    )
    return len(runs)
