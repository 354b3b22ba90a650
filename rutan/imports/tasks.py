from celery import shared_task

from rutan.core.task_options import TASK_OPTIONS

from . import services
from .models import DataImport


# A 50,000-row register takes far longer than the default 30-minute limit.
@shared_task(name="imports.run", time_limit=6 * 3600, soft_time_limit=6 * 3600 - 60, **TASK_OPTIONS)
def import_run(data_import_id: int, write: bool) -> str:
    """Preview (or, when `write`, write) an uploaded file."""
    data_import = DataImport.objects.select_related("facility", "created_by").get(pk=data_import_id)
    if write:
        return services.import_write(data_import=data_import).status
    return services.import_preview(data_import=data_import).status
