from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Mitra dan kerja sama")

    def ready(self):
        from rutan.core.services import job_kinds_register

        from .models import PartnerJob

        job_kinds_register(PartnerJob.choices)
