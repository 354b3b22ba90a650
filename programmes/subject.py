"""What programmes hold about one inmate, for the subject-access export (rutan.core.subject)."""

from django.utils.translation import gettext_lazy as _

from rutan.core.subject import section

from .models import (
    AssimilationLog,
    AssimilationPlacement,
    Attendance,
    Certificate,
    Enrolment,
    EnrolmentEvent,
    Evaluation,
)


def collect(inmate, by):
    enrolments = Enrolment.objects.filter(inmate=inmate).select_related("programme")
    placements = AssimilationPlacement.objects.filter(inmate=inmate)
    return [
        section("enrolments", _("Keikutsertaan program"), enrolments, model=Enrolment),
        section(
            "enrolment_events",
            _("Riwayat keikutsertaan"),
            EnrolmentEvent.objects.filter(enrolment__inmate=inmate).select_related(
                "enrolment__programme", "by"
            ),
            model=EnrolmentEvent,
        ),
        section(
            "attendance",
            _("Kehadiran"),
            Attendance.objects.filter(enrolment__inmate=inmate)
            .select_related("session__programme", "enrolment__programme", "recorded_by")
            .order_by("session__date", "id"),
            model=Attendance,
        ),
        section(
            "evaluations",
            _("Evaluasi program"),
            Evaluation.objects.filter(enrolment__inmate=inmate).select_related("enrolment"),
            model=Evaluation,
        ),
        section(
            "certificates",
            _("Sertifikat"),
            Certificate.objects.filter(enrolment__inmate=inmate).select_related("enrolment"),
            model=Certificate,
        ),
        section(
            "assimilation",
            _("Penempatan asimilasi"),
            placements,
            model=AssimilationPlacement,
        ),
        section(
            "assimilation_logs",
            _("Catatan keluar-masuk asimilasi"),
            AssimilationLog.objects.filter(placement__inmate=inmate).order_by("date", "id"),
            model=AssimilationLog,
        ),
    ]
