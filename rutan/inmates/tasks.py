from celery import shared_task

from rutan.facilities.models import Facility

from . import services


@shared_task(name="inmates.recompute_stages", acks_late=True)
def recompute_stages(facility_id: int | None) -> int:
    """Recompute stored stage dates after a stage rule changed (idempotent)."""
    facility = Facility.objects.get(pk=facility_id) if facility_id else None
    return services.inmates_recompute_stages(facility=facility)
