"""Intern activity logs linked to one inmate's assessments, for the subject-access export."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rutan.core.subject import section

from .models import ActivityLog


def collect(inmate, by):
    logs = ActivityLog.objects.filter(
        Q(psych_assessment__inmate=inmate) | Q(literacy_assessment__inmate=inmate)
    ).select_related("intern__user", "block", "reviewed_by")
    return [
        section(
            "intern_logs",
            _("Log kegiatan magang yang terkait"),
            logs.order_by("on", "id"),
            model=ActivityLog,
        ),
    ]
