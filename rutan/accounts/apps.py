from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "rutan.accounts"
    label = "accounts"
    verbose_name = _("Pengguna dan peran")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from rutan.facilities.models import Facility

        from . import principal
        from .models import Membership, User
        from .receivers import on_user_logged_in

        user_logged_in.connect(on_user_logged_in, dispatch_uid="rutan.accounts.session_begin")
        for signal in (post_save, post_delete):
            signal.connect(principal.on_user_changed, sender=User, dispatch_uid="principal.user")
            signal.connect(
                principal.on_membership_changed, sender=Membership, dispatch_uid="principal.member"
            )
            signal.connect(
                principal.on_facility_changed, sender=Facility, dispatch_uid="principal.facility"
            )
