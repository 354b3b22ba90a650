from celery import shared_task

from rutan.core.services import job_run
from rutan.core.task_options import TASK_OPTIONS
from rutan.facilities.models import Facility

from . import services
from .models import InmateJob


@shared_task(name="inmates.recompute_stages", **TASK_OPTIONS)
def recompute_stages(facility_id: int | None) -> int:
    """Recompute stored stage dates after a stage rule changed (idempotent)."""
    facility = Facility.objects.get(pk=facility_id) if facility_id else None
    return services.inmates_recompute_stages(facility=facility)


@shared_task(name="inmates.custody_alerts", **TASK_OPTIONS)
def custody_alerts() -> int:
    """Daily: e-mail each facility its custody alerts (warrants ending, over-detention)."""
    with job_run(InmateJob.CUSTODY_ALERTS) as run:
        run.processed = services.custody_alerts_send()
    return run.processed


@shared_task(name="inmates.anonymise_released", **TASK_OPTIONS)
def anonymise_released() -> int:
    """Daily: anonymise inmates released longer ago than PERSONAL_DATA_RETENTION_DAYS."""
    with job_run(InmateJob.ANONYMISE_RELEASED) as run:
        run.processed = services.inmates_anonymise_due()
    return run.processed
