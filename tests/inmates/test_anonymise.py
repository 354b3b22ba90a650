"""Released inmates are anonymised after the retention period: the register, related rows,
guarantors, history and audit snapshots lose their personal data; figures still count them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from partners import services as partner_services
from partners.models import Guarantee
from rutan.core.models import REDACTION_MARK, AuditEntry, JobRun
from rutan.inmates import services, tasks
from rutan.inmates.models import Inmate, InmateJob
from rutan.inmates.selectors import inmate_counts
from rutan.reports.metrics import movements, population

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def released_long_ago(balikpapan, make_inmate, kepala, registrasi):
    """Hendra, held 2018–2020 with a guarantor, a Register F entry and an audited read."""
    inmate = make_inmate(
        balikpapan,
        name="Hendra Wijaya",
        registration_number="BI.0777/2018",
        birth_date=D(1985, 7, 23),
        admission_date=D(2018, 1, 10),
        sentence_start=D(2018, 1, 5),
    )
    partner_services.guarantee_create(
        inmate=inmate,
        by=kepala,
        guarantor_kind="keluarga",
        name="Sumarni Wijaya",
        relationship="istri",
        nik="6471054501900001",
        address="Jl. Mawar No. 3, Balikpapan",
        letter_number="07/SJ-KEL/2020",
        valid_from=D(2020, 1, 2),
    )
    services.disciplinary_create(
        inmate=inmate,
        occurred_on=D(2019, 3, 1),
        offence="Hendra Wijaya berkelahi dengan teman sekamar",
        sanction="Teguran tertulis",
        by=registrasi,
    )
    services.inmate_record_read(inmate=inmate, by=kepala, via="web")
    services.inmate_release(inmate=inmate, on=D(2020, 6, 30), by=registrasi)
    return Inmate.objects.get(pk=inmate.pk)


def _audit_text(inmate) -> str:
    rows = AuditEntry.objects.filter(inmate_id=inmate.pk)
    return str(list(rows.values_list("object_repr", "before", "after")))


def test_daily_job_anonymises_past_retention_and_figures_still_count(
    client, kepala, balikpapan, released_long_ago, make_inmate, registrasi
):
    recent = make_inmate(balikpapan, name="Rudi Hartono", admission_date=D(2025, 2, 1))
    services.inmate_release(inmate=recent, on=balikpapan.today(), by=registrasi)
    held = make_inmate(balikpapan, name="Agus Salim")
    assert "Hendra" in _audit_text(released_long_ago) and "Sumarni" in _audit_text(
        released_long_ago
    )
    ids = [balikpapan.pk]
    figures_before = (population(ids, D(2019, 6, 1)), movements(ids, D(2020, 6, 1), D(2020, 6, 30)))
    counts_before = inmate_counts(user=kepala, filters={"all": {"status": "all"}})

    assert tasks.anonymise_released.delay().get() == 1

    run = JobRun.objects.get(kind=InmateJob.ANONYMISE_RELEASED)
    assert run.success and run.processed == 1
    inmate = Inmate.objects.get(pk=released_long_ago.pk)
    assert inmate.name == REDACTION_MARK and inmate.anonymised_at is not None
    assert inmate.registration_number == f"ANON-{inmate.pk}"
    assert inmate.birth_date == D(1985, 1, 1)
    assert (inmate.sex, inmate.released_on, inmate.status) == ("L", D(2020, 6, 30), "released")
    for other in (recent, held):
        other.refresh_from_db()
        assert other.anonymised_at is None and other.name != REDACTION_MARK
    # Reports and dashboard figures count the anonymised inmate as before.
    ids = [balikpapan.pk]
    assert population(ids, D(2019, 6, 1)) == figures_before[0]
    assert population(ids, D(2019, 6, 1))[balikpapan.pk]["population"] == 1
    assert movements(ids, D(2020, 6, 1), D(2020, 6, 30)) == figures_before[1]
    assert inmate_counts(user=kepala, filters={"all": {"status": "all"}}) == counts_before
    # Related rows, the guarantor, its history and the audit snapshots lose the names.
    assert inmate.disciplinary_entries.get().offence == REDACTION_MARK
    guarantee = Guarantee.objects.get(inmate=inmate)
    assert (guarantee.name, guarantee.nik, guarantee.address) == (REDACTION_MARK,) * 3
    assert guarantee.relationship == "istri"
    assert set(Guarantee.history.filter(inmate_id=inmate.pk).values_list("name", flat=True)) == {
        REDACTION_MARK
    }
    text = _audit_text(inmate)
    for personal in ("Hendra", "Sumarni", "6471054501900001", "BI.0777/2018", "1985-07-23"):
        assert personal not in text
    assert AuditEntry.objects.filter(inmate_id=inmate.pk, action="anonymise").exists()
    # The register shows the mark.
    client.force_login(kepala)
    page = client.get(reverse("inmates:list"), {"status": "all"}).content.decode()
    assert REDACTION_MARK in page and "Hendra" not in page and "Agus Salim" in page
    # Running again finds nothing more.
    assert tasks.anonymise_released.delay().get() == 0


def test_only_released_inmates_are_anonymised(balikpapan, make_inmate, kepala, magang):
    held = make_inmate(balikpapan, name="Agus Salim")
    with pytest.raises(ValidationError, match="sudah bebas"):
        services.inmate_anonymise(inmate=held, by=kepala)
    with pytest.raises(ValidationError, match="tidak berwenang"):
        services.inmate_anonymise(inmate=held, by=magang)
    held.refresh_from_db()
    assert held.name == "Agus Salim" and held.anonymised_at is None


def test_retention_is_a_setting(settings, released_long_ago):
    settings.PERSONAL_DATA_RETENTION_DAYS = 365 * 30
    assert services.inmates_anonymise_due() == 0
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    assert services.inmates_anonymise_due() == 1


def test_the_daily_schedule_exists():
    task = PeriodicTask.objects.get(task="inmates.anonymise_released")
    assert task.enabled and task.crontab.hour == "18"
