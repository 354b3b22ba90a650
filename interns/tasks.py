from celery import shared_task

from rutan.core.services import job_run
from rutan.core.task_options import TASK_OPTIONS

from . import services
from .models import InternJob

AUTO_APPROVE_TASK = "interns.tasks.auto_approve_logs"


@shared_task(name=AUTO_APPROVE_TASK, **TASK_OPTIONS)
def auto_approve_logs() -> int:
    """Approve logs left unreviewed too long; the run is recorded as a core JobRun."""
    with job_run(InternJob.AUTO_APPROVE_LOGS) as run:
        run.processed = services.logs_auto_approve()
    return run.processed


@shared_task(name="interns.send_invite", **TASK_OPTIONS)
def send_invite(intern_id: int, base_url: str) -> None:
    """E-mail an intern the one-time link to set their password."""
    services.invite_email_send(intern_id=intern_id, base_url=base_url)
