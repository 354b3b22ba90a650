from celery import shared_task

from rutan.core.services import job_run

from . import services
from .models import InternJob

AUTO_APPROVE_TASK = "interns.tasks.auto_approve_logs"


@shared_task(name=AUTO_APPROVE_TASK)
def auto_approve_logs() -> int:
    """Approve logs left unreviewed too long; the run is recorded as a core JobRun."""
    with job_run(InternJob.AUTO_APPROVE_LOGS) as run:
        run.processed = services.logs_auto_approve()
    return run.processed
