from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def _sync_schedules(**kwargs):
    from .services import report_schedule_sync

    report_schedule_sync()


def _facility_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    from django.db import transaction

    transaction.on_commit(_sync_schedules)


class ReportsConfig(AppConfig):
    name = "rutan.reports"
    label = "reports"
    verbose_name = _("Laporan")

    def ready(self):
        from rutan.core.services import job_kinds_register

        from .models import JobType

        job_kinds_register(JobType.choices)

        from rutan.core.metrics import register_collector

        from .prometheus import ReportCollector

        register_collector(ReportCollector())

        # Keep one beat entry per facility timezone without anyone editing the admin.
        post_migrate.connect(_sync_schedules, sender=self)
        post_save.connect(_facility_saved, sender="facilities.Facility", weak=False)
