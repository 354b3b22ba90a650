from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InmatesConfig(AppConfig):
    name = "rutan.inmates"
    label = "inmates"
    verbose_name = _("Register WBP")

    def ready(self):
        from rutan.core import providers
        from rutan.core.services import job_kinds_register

        from . import selectors
        from .models import InmateJob

        job_kinds_register(InmateJob.choices)
        providers.provide("audit_inmate_ids", selectors.audit_inmate_ids)
