from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternsConfig(AppConfig):
    name = "interns"
    verbose_name = _("Magang")
