from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternsConfig(AppConfig):
    name = "interns"
    verbose_name = _("Magang")

    def ready(self):
        from rutan.core import subject as subject_access
        from rutan.core.services import job_kinds_register

        from .models import InternJob

        job_kinds_register(InternJob.choices)

        from . import subject

        subject_access.register(order=50, collect=subject.collect)
