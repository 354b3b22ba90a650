from celery import shared_task

from . import services

AUTO_APPROVE_TASK = "interns.tasks.auto_approve_logs"


@shared_task(name=AUTO_APPROVE_TASK)
def auto_approve_logs() -> int:
    """Approve logs left unreviewed too long; the run is recorded as a JobRun."""
    return services.job_run("intern_log_auto_approve", services.logs_auto_approve).processed
