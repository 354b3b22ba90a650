import threading

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse

from rutan.core import services
from rutan.core.models import AuditAction, AuditEntry, JobRun
from rutan.core.services import job_run


def _work(label="kerja"):
    return AuditEntry.objects.create(action=AuditAction.CREATE, object_type=label, object_id="1")


def test_success_records_start_end_and_count(db):
    with job_run("partners.expire_agreements", detail="harian", facility_id=7) as run:
        assert JobRun.objects.get(pk=run.pk).success is None  # visible as running
        run.processed = 4
    run = JobRun.objects.get(pk=run.pk)
    assert run.success is True and run.processed == 4 and run.error == ""
    assert run.finished_at >= run.started_at
    assert run.detail == "harian" and run.facility_id == 7
    assert run.get_kind_display() == "Kedaluwarsa PKS otomatis"


def test_failure_records_the_error_and_reraises(db):
    with pytest.raises(ValueError, match="data rusak"), job_run("interns.auto_approve_logs") as run:
        run.processed = 2
        raise ValueError("data rusak")
    run = JobRun.objects.get()
    assert run.success is False and run.finished_at is not None
    assert run.error == "ValueError: data rusak" and run.processed == 2


def test_a_job_may_end_unsuccessful_without_raising(db):
    with job_run("reports.facility_report") as run:
        run.success = False
        run.error = "RuntimeError: font hilang"
    assert JobRun.objects.get().success is False


def test_unknown_kind_shows_as_is(db):
    with job_run("lain.tugas"):
        pass
    assert JobRun.objects.get().get_kind_display() == "lain.tugas"


def test_failing_to_record_the_end_does_not_hide_the_job_error(db, monkeypatch):
    def broken(run):
        raise DatabaseError("koneksi putus")

    monkeypatch.setattr(services, "_job_finish", broken)
    with pytest.raises(ValueError, match="asli"), job_run("partners.send_expiry_alerts"):
        raise ValueError("asli")
    assert JobRun.objects.get().success is None


@pytest.mark.django_db(transaction=True)
def test_rolled_back_work_leaves_the_run_row():
    job = job_run("partners.expire_agreements")
    # The job's own work is one transaction that fails and is rolled back.
    with pytest.raises(IntegrityError), job as run, transaction.atomic():
        _work()
        run.processed = 1
        JobRun.objects.create(pk=run.pk, kind="duplikat", started_at=run.started_at)
    assert not AuditEntry.objects.exists()
    run = JobRun.objects.get()
    assert run.success is False and run.error.startswith("IntegrityError")


@pytest.mark.django_db(transaction=True)
def test_the_start_is_committed_before_the_work_runs():
    seen = []

    def read_from_another_connection(pk):
        try:
            seen.append(JobRun.objects.filter(pk=pk, success__isnull=True).exists())
        finally:
            connection.close()

    with job_run("reports.monthly_batch") as run:
        thread = threading.Thread(target=read_from_another_connection, args=(run.pk,))
        thread.start()
        thread.join()
    assert seen == [True]


@pytest.mark.django_db(transaction=True)
def test_job_run_refuses_to_share_a_callers_transaction():
    job = job_run("partners.expire_agreements")
    with pytest.raises(RuntimeError), transaction.atomic(), job:
        _work()
    assert not JobRun.objects.exists() and not AuditEntry.objects.exists()


@pytest.fixture
def runs(balikpapan, ruteng):
    return {
        "balikpapan": JobRun.objects.create(
            kind="reports.facility_report",
            started_at="2026-11-01T02:00Z",
            facility_id=balikpapan.pk,
        ),
        "ruteng": JobRun.objects.create(
            kind="reports.facility_report", started_at="2026-11-01T02:00Z", facility_id=ruteng.pk
        ),
        "national": JobRun.objects.create(
            kind="partners.expire_agreements", started_at="2026-11-01T17:10Z"
        ),
    }


def _admin_ids(response):
    return {obj.pk for obj in response.context["cl"].result_list}


def test_admin_shows_runs_read_only_to_national_admins(client, national_admin, runs):
    client.force_login(national_admin)
    response = client.get(reverse("admin:core_jobrun_changelist"))
    assert response.status_code == 200
    assert _admin_ids(response) == {run.pk for run in runs.values()}
    assert "Kedaluwarsa PKS otomatis" in response.content.decode()
    filtered = client.get(
        reverse("admin:core_jobrun_changelist"), {"kind": "partners.expire_agreements"}
    )
    assert _admin_ids(filtered) == {runs["national"].pk}
    detail = client.get(reverse("admin:core_jobrun_change", args=[runs["ruteng"].pk]))
    assert detail.status_code == 200 and 'name="kind"' not in detail.content.decode()
    assert client.get(reverse("admin:core_jobrun_add")).status_code == 404
    assert (
        client.post(reverse("admin:core_jobrun_delete", args=[runs["ruteng"].pk])).status_code
        == 404
    )
    assert JobRun.objects.count() == 3


def test_admin_keeps_facility_staff_to_their_facilities(client, kepala, registrasi, runs):
    client.force_login(kepala)
    response = client.get(reverse("admin:core_jobrun_changelist"))
    assert _admin_ids(response) == {runs["balikpapan"].pk, runs["national"].pk}
    client.force_login(registrasi)  # staff, but no audit permission
    assert client.get(reverse("admin:core_jobrun_changelist")).status_code == 404
