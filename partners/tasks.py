from celery import shared_task

from rutan.core.services import job_run
from rutan.core.task_options import TASK_OPTIONS

from . import services
from .models import PartnerJob


@shared_task(name="partners.expire_agreements", **TASK_OPTIONS)
def expire_agreements() -> int:
    """Daily: mark agreements past their end date as expired; the run is recorded."""
    with job_run(PartnerJob.EXPIRE_AGREEMENTS) as run:
        run.processed = services.agreements_expire_due()
    return run.processed


@shared_task(name="partners.send_expiry_alerts", **TASK_OPTIONS)
def send_expiry_alerts() -> int:
    """Daily: e-mail facility heads about agreements ending within 60 and 30 days."""
    with job_run(PartnerJob.SEND_EXPIRY_ALERTS) as run:
        run.processed = services.agreement_alerts_send()
    return run.processed
