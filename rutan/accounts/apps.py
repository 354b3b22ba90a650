from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "rutan.accounts"
    label = "accounts"
    verbose_name = _("Pengguna dan peran")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .receivers import on_user_logged_in

        user_logged_in.connect(on_user_logged_in, dispatch_uid="rutan.accounts.session_begin")
