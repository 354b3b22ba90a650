from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "rutan.imports"
    label = "imports"
    verbose_name = _("Impor data")

    def ready(self):
        # Each domain app declares what can be imported into it in its own `imports` module.
        autodiscover_modules("imports")
