from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "rutan.accounts"
    label = "accounts"
    verbose_name = _("Pengguna dan peran")
