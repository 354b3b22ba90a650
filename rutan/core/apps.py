from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "rutan.core"
    label = "core"
    verbose_name = _("Inti")

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_install_change_triggers, sender=self)
        from . import (
            heartbeat,  # noqa: F401  (workers and beat write their heartbeats)
            logs,  # noqa: F401  (request and task events are logged)
            outbox,  # noqa: F401  (the worker marks outbox rows started and done)
        )


def _install_change_triggers(sender, using="default", **kwargs):
    """Every watched table gets its change trigger, new tables included (rutan.core.freshness)."""
    from . import freshness

    freshness.install_triggers(using)


class RutanAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the project's site (rutan.core.adminsite)."""

    # Named in INSTALLED_APPS; CoreConfig stays this module's default.
    default = False
    default_site = "rutan.core.adminsite.RutanAdminSite"
