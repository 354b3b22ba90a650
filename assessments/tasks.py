import contextlib

from celery import shared_task
from django.core.cache import cache

from rutan.core.task_options import TASK_OPTIONS
from rutan.facilities.models import Facility

from . import standings


@shared_task(name="assessments.refresh_standings", **TASK_OPTIONS)
def refresh_standings(facility_id: int) -> int:
    """Judge the rights of one facility's inmates again (`standings.refresh`); idempotent."""
    # Dropped first: a write committed from now on queues the next refresh.
    # A cache outage leaves the mark to expire by itself.
    with contextlib.suppress(Exception):
        cache.delete(standings.QUEUED_KEY.format(facility_id))
    facility = Facility.objects.filter(pk=facility_id).first()
    if facility is None:
        return 0
    return standings.refresh(facility).inmates


@shared_task(name="assessments.sweep_standings", **TASK_OPTIONS)
def sweep_standings() -> int:
    """Every minute: queue a refresh of the facilities whose standings are not current."""
    return standings.sweep()
