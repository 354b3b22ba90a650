"""Issue 14's "done when", tried as a new user would, end to end on PostgreSQL."""

import psycopg
import pytest
from django.test import Client
from django.urls import reverse

from rutan.core.models import AuditAction, AuditEntry
from rutan.core.roles import Role
from tests.access.world import build_world
from tests.core.test_audit_store import app_role  # noqa: F401 — the app's database role


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_attempts_are_refused_found_in_the_log_and_the_log_cannot_be_deleted(app_role):  # noqa: F811
    world = build_world()
    own, other = world.own.objects, world.other.objects

    # The Ruteng head opens Balikpapan's attendance history by URL: not found.
    ruteng_head = Client()
    ruteng_head.force_login(world.others[Role.FACILITY_HEAD])
    attendance = own["attendance"]
    version = attendance.history.order_by("-history_id").first().history_id
    for url in (
        reverse("admin:programmes_attendance_history", args=[attendance.pk]),
        reverse("admin:programmes_attendance_simple_history", args=[attendance.pk, version]),
    ):
        assert ruteng_head.get(url).status_code == 404
        assert ruteng_head.post(url).status_code in (404, 405)

    # The intern tries inmates, psychological assessments, reports and another intern's log.
    magang = Client()
    magang.force_login(world.users[Role.INTERN])
    tried = {
        "balikpapan": [
            reverse("inmates:detail", args=[own["inmate"].pk]),
            f"/api/v1/inmates/{own['inmate'].pk}/",
            reverse("assessments:detail", args=["psikologis", own["psych"].pk]),
            f"/api/v1/assessments/psychological/{own['psych'].pk}/",
            reverse("reports:detail", args=[own["report"].pk]),
            f"/api/v1/reports/{own['report'].pk}/",
        ],
        "ruteng": [
            reverse("interns:log_detail", args=[other["log"].pk]),
            f"/api/v1/intern-logs/{other['log'].pk}/",
        ],
    }
    for urls in tried.values():
        for url in urls:
            assert magang.get(url).status_code == 404, url

    # Kepala finds the attempts on Balikpapan's records in the audit log, by person.
    kepala = Client()
    kepala.force_login(world.users[Role.FACILITY_HEAD])
    page = kepala.get(reverse("audit:list"), {"person": "intern", "action": "denied"})
    assert page.status_code == 200
    shown = page.context["page_obj"].object_list
    assert {e.path for e in shown} == set(tried["balikpapan"])
    assert all(e.actor_username == "intern" and e.action == AuditAction.DENIED for e in shown)
    # The attempt on Ruteng's log is Ruteng's to see.
    page = ruteng_head.get(reverse("audit:list"), {"person": "intern", "action": "denied"})
    assert {e.path for e in page.context["page_obj"].object_list} == set(tried["ruteng"])

    # As the database user the application runs as, an audit row cannot be deleted.
    entry = AuditEntry.objects.filter(action=AuditAction.DENIED).first()
    with pytest.raises(psycopg.Error):
        app_role.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
