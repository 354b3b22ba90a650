import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django_celery_beat.models import PeriodicTask

from partners import services, tasks
from partners.models import Agreement, AgreementAlert, AgreementStatus, Contribution, Signatory
from partners.validators import validate_pdf
from rutan.core.models import AuditEntry, JobRun
from rutan.facilities.models import Facility
from tests.partners.conftest import PDF_BYTES, pdf_upload


def TODAY():  # noqa: N802 — reads like the constant it stands for
    """Today at Rutan Balikpapan (the services use the facility's own date, not UTC's)."""
    return Facility.objects.get(code="rutan-balikpapan").today()


def test_lifecycle_draft_active_terminated(make_agreement, sekata, kepala):
    agreement = make_agreement(sekata)
    assert agreement.status == AgreementStatus.DRAFT
    agreement = services.agreement_activate(agreement=agreement, by=kepala)
    assert agreement.status == AgreementStatus.ACTIVE and agreement.activated_on
    with pytest.raises(ValidationError) as exc:
        services.agreement_terminate(agreement=agreement, reason="  ", by=kepala)
    assert "alasan pemutusan" in str(exc.value)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    agreement = services.agreement_terminate(
        agreement=agreement, reason="Yayasan berhenti beroperasi", by=kepala
    )
    assert agreement.status == AgreementStatus.TERMINATED and agreement.ended_on == TODAY()
    assert AuditEntry.objects.filter(
        object_type="partners.agreement", object_id=str(agreement.pk), action="update"
    ).exists()
    assert agreement.history.count() >= 3


@pytest.mark.parametrize(
    ("setup", "action", "message"),
    [
        ("draft", "terminate", "Hanya perjanjian yang sedang berlaku yang dapat diputus"),
        ("active", "activate", "Hanya perjanjian berstatus draf"),
        ("draft", "renew", "Hanya perjanjian yang berlaku atau sudah berakhir"),
        ("terminated", "activate", "Hanya perjanjian berstatus draf"),
        ("terminated", "renew", "Hanya perjanjian yang berlaku atau sudah berakhir"),
        ("active", "expire", "masih dalam masa berlaku"),
    ],
)
def test_illegal_transitions_are_refused(make_agreement, sekata, kepala, setup, action, message):
    agreement = make_agreement(sekata)
    if setup in ("active", "terminated"):
        agreement = services.agreement_activate(agreement=agreement, by=kepala)
    if setup == "terminated":
        agreement = services.agreement_terminate(agreement=agreement, reason="x", by=kepala)
    calls = {
        "activate": lambda: services.agreement_activate(agreement=agreement, by=kepala),
        "terminate": lambda: services.agreement_terminate(
            agreement=agreement, reason="alasan", by=kepala
        ),
        "renew": lambda: services.agreement_renew(agreement=agreement, by=kepala),
        "expire": lambda: services.agreement_expire(agreement=agreement),
    }
    before = Agreement.objects.count()
    with pytest.raises(ValidationError) as exc:
        calls[action]()
    assert message in " ".join(exc.value.messages)
    agreement.refresh_from_db()
    assert agreement.status == setup and Agreement.objects.count() == before


def test_activate_needs_signing_date_and_both_signatories(make_agreement, sekata, kepala):
    agreement = make_agreement(sekata, signatories=False, signed_on=None)
    with pytest.raises(ValidationError) as exc:
        services.agreement_activate(agreement=agreement, by=kepala)
    assert set(exc.value.message_dict) == {"signed_on", "__all__"}
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT


def test_number_unique_per_facility_and_dates_ordered(make_agreement, sekata, kepala):
    make_agreement(sekata, number="PKS/1")
    with pytest.raises(ValidationError) as exc:
        make_agreement(sekata, number="PKS/1", signatories=False)
    assert "sudah dipakai" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        make_agreement(
            sekata,
            number="PKS/2",
            valid_from=datetime.date(2026, 1, 1),
            valid_to=datetime.date(2025, 1, 1),
        )
    assert "tidak boleh sebelum mulai" in str(exc.value)
    assert Agreement.objects.count() == 1


def test_other_facility_cannot_write(make_agreement, sekata, kepala_ruteng, pembina):
    agreement = make_agreement(sekata)
    for user in (kepala_ruteng, pembina):
        with pytest.raises(ValidationError):
            services.agreement_activate(agreement=agreement, by=user)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT


def test_renew_links_new_to_old_and_copies_scope(active_agreement, kepala):
    services.part_save(
        instance=active_agreement.scope_items.model(
            agreement=active_agreement, description="Evaluasi berkala", owner="both"
        ),
        by=kepala,
    )
    new = services.agreement_renew(agreement=active_agreement, by=kepala)
    assert new.renewed_from == active_agreement and active_agreement.renewal == new
    assert new.status == AgreementStatus.DRAFT
    assert new.number == f"{active_agreement.number}/P2"
    assert new.valid_from == active_agreement.valid_to + datetime.timedelta(days=1)
    assert new.valid_to == datetime.date(
        new.valid_from.year + 1, new.valid_from.month, new.valid_from.day
    ) - datetime.timedelta(days=1)
    assert [i.description for i in new.scope_items.all()] == ["Evaluasi berkala"]
    assert new.signatories.count() == 2
    with pytest.raises(ValidationError) as exc:
        services.agreement_renew(agreement=active_agreement, by=kepala)
    assert "sudah diperpanjang" in str(exc.value)


def test_document_upload_checks_content_not_name(active_agreement, kepala, settings):
    exe = pdf_upload("pks-ditandatangani.pdf", b"MZ\x90\x00\x03\x00\x00\x00PE\x00\x00")
    with pytest.raises(ValidationError) as exc:
        services.agreement_attach_document(agreement=active_agreement, document=exe, by=kepala)
    assert exc.value.message_dict["document"] == [
        "Berkas harus berupa PDF; isi berkas ini bukan PDF."
    ]
    active_agreement.refresh_from_db()
    assert not active_agreement.document

    settings.PARTNERS_MAX_DOCUMENT_BYTES = 20
    with pytest.raises(ValidationError) as exc:
        services.agreement_attach_document(
            agreement=active_agreement, document=pdf_upload(), by=kepala
        )
    assert "terlalu besar" in str(exc.value)

    settings.PARTNERS_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
    saved = services.agreement_attach_document(
        agreement=active_agreement, document=pdf_upload("../../etc/passwd.pdf"), by=kepala
    )
    assert saved.document.name.startswith("private/partners/agreements/")
    assert "passwd" not in saved.document.name
    with saved.document.open("rb") as f:
        assert f.read(5) == b"%PDF-"


def _encrypted_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("rahasia")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\n" + b"\x00junk" * 200, "rusak atau terpotong"),
        (PDF_BYTES[: len(PDF_BYTES) // 2], "rusak atau terpotong"),
        (PDF_BYTES[:-40], "rusak atau terpotong"),
        (b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "rusak atau terpotong"),
        (_encrypted_pdf(), "terkunci kata sandi"),
    ],
    ids=["header-then-junk", "half", "cut-before-eof", "no-pages", "encrypted"],
)
def test_document_upload_parses_the_pdf(active_agreement, kepala, content, message):
    with pytest.raises(ValidationError) as exc:
        services.agreement_attach_document(
            agreement=active_agreement, document=pdf_upload(content=content), by=kepala
        )
    assert message in " ".join(exc.value.message_dict["document"])
    active_agreement.refresh_from_db()
    assert not active_agreement.document


def test_a_real_small_pdf_is_accepted_and_read_from_the_start(active_agreement, kepala):
    upload = pdf_upload()
    upload.read(7)  # where the caller left the file is where the validator leaves it
    validate_pdf(upload)
    assert upload.tell() == 7
    saved = services.agreement_attach_document(
        agreement=active_agreement, document=pdf_upload(), by=kepala
    )
    with saved.document.open("rb") as f:
        assert f.read() == PDF_BYTES


def _age(agreement, valid_to):
    Agreement.objects.filter(pk=agreement.pk).update(
        valid_from=valid_to - datetime.timedelta(days=365), valid_to=valid_to
    )


def test_expiry_task_is_idempotent(active_agreement, make_agreement, sekata, kepala):
    _age(active_agreement, TODAY() - datetime.timedelta(days=1))
    current = services.agreement_activate(agreement=make_agreement(sekata), by=kepala)
    assert tasks.expire_agreements.delay().get() == 1
    assert tasks.expire_agreements.delay().get() == 0
    active_agreement.refresh_from_db()
    current.refresh_from_db()
    assert active_agreement.status == AgreementStatus.EXPIRED
    assert active_agreement.ended_on == TODAY()
    assert current.status == AgreementStatus.ACTIVE
    assert AuditEntry.objects.filter(object_id=str(active_agreement.pk), via="task").count() == 1


def test_expiry_alert_sent_once_per_threshold(active_agreement, kepala, balikpapan):
    kepala.email = "kepala@rutan-balikpapan.test"
    kepala.save()
    _age(active_agreement, TODAY() + datetime.timedelta(days=45))
    assert tasks.send_expiry_alerts.delay().get() == 1
    assert tasks.send_expiry_alerts.delay().get() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kepala@rutan-balikpapan.test"]
    assert active_agreement.number in message.subject and "45 hari" in message.subject
    assert "Yayasan SEKATA" in message.body

    _age(active_agreement, TODAY() + datetime.timedelta(days=29))
    tasks.send_expiry_alerts.delay()
    tasks.send_expiry_alerts.delay()
    assert len(mail.outbox) == 2
    assert sorted(AgreementAlert.objects.values_list("threshold_days", flat=True)) == [30, 60]


def test_alert_waits_for_a_recipient(active_agreement, kepala):
    _age(active_agreement, TODAY() + datetime.timedelta(days=20))
    assert services.agreement_alerts_send() == 0
    assert not AgreementAlert.objects.exists() and not mail.outbox


def test_beat_schedules_exist(db):
    names = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"partners.expire_agreements", "partners.send_expiry_alerts"} <= names


def test_contributions_and_zero_state_budget_totals(active_agreement, kepala):
    from partners.selectors import contribution_list, contribution_totals

    for hours, value in [(8, 1_500_000), (4, 750_000)]:
        services.part_save(
            instance=Contribution(
                agreement=active_agreement,
                given_on=TODAY(),
                kind="trainer",
                description="Instruktur konseling adiksi",
                hours=hours,
                value_idr=value,
            ),
            by=kepala,
        )
    totals = contribution_totals(contributions=contribution_list(user=kepala))
    assert totals == {"hours": 12, "value_idr": 2_250_000, "state_budget_idr": 0, "count": 2}
    with pytest.raises(ValidationError):
        services.part_save(
            instance=Contribution(
                agreement=active_agreement,
                given_on=TODAY(),
                kind="trainer",
                description="x",
                hours=-1,
            ),
            by=kepala,
        )
    assert Contribution.objects.count() == 2


def test_ended_agreement_parts_are_frozen(active_agreement, kepala):
    services.agreement_terminate(agreement=active_agreement, reason="x", by=kepala)
    with pytest.raises(ValidationError) as exc:
        services.part_save(
            instance=Signatory(agreement=active_agreement, side="partner", name="A", title="B"),
            by=kepala,
        )
    assert "tidak dapat diubah" in str(exc.value)


def test_daily_tasks_record_their_runs(active_agreement):
    _age(active_agreement, TODAY() - datetime.timedelta(days=1))
    tasks.expire_agreements.delay()
    tasks.send_expiry_alerts.delay()
    runs = {run.kind: run for run in JobRun.objects.all()}
    assert set(runs) == {"partners.expire_agreements", "partners.send_expiry_alerts"}
    assert runs["partners.expire_agreements"].processed == 1
    assert all(run.success and run.finished_at for run in runs.values())


def test_failed_daily_task_is_recorded_and_raised(monkeypatch, db):
    def broken():
        raise RuntimeError("server surat mati")

    monkeypatch.setattr(services, "agreement_alerts_send", broken)
    with pytest.raises(RuntimeError):
        tasks.send_expiry_alerts.delay()
    run = JobRun.objects.get()
    assert run.success is False and "server surat mati" in run.error


def test_expiry_and_alerts_follow_the_facility_date_near_midnight(
    active_agreement, kepala, balikpapan, settings, time_machine
):
    settings.TIME_ZONE = "UTC"
    kepala.email = "kepala@rutan-balikpapan.test"
    kepala.save()
    balikpapan.timezone = "Asia/Jayapura"
    balikpapan.save()
    _age(active_agreement, datetime.date(2026, 11, 30))
    # 23:30 WIT on 30 November: the last valid day, 0 days left, no expiry yet.
    time_machine.move_to(datetime.datetime(2026, 11, 30, 14, 30, tzinfo=datetime.UTC), tick=False)
    assert services.agreements_expire_due() == 0
    assert services.agreement_alerts_send() == 1
    # 00:30 WIT on 1 December, still 30 November in UTC: past its end there.
    time_machine.move_to(datetime.datetime(2026, 11, 30, 15, 30, tzinfo=datetime.UTC), tick=False)
    assert services.agreements_expire_due() == 1
    active_agreement.refresh_from_db()
    assert active_agreement.status == AgreementStatus.EXPIRED
    assert active_agreement.ended_on == datetime.date(2026, 12, 1)


def test_a_renewal_in_force_ends_the_old_agreements_expiry_warning(
    client, make_agreement, sekata, kepala
):
    from partners.selectors import agreements_expiring

    today = sekata.facility.today()
    old = services.agreement_activate(
        agreement=make_agreement(sekata, valid_to=today + datetime.timedelta(days=20)), by=kepala
    )

    def expiring():
        return [a.pk for a in agreements_expiring(user=kepala, within_days=30)]

    assert expiring() == [old.pk]
    renewal = services.agreement_renew(agreement=old, by=kepala, signed_on=today)
    assert expiring() == [old.pk]  # a draft renewal does not replace it yet
    services.agreement_activate(agreement=renewal, by=kepala)
    assert expiring() == []
    old = Agreement.objects.select_related("renewal").get(pk=old.pk)
    assert old.status == AgreementStatus.ACTIVE and old.renewed
    assert old.status_label == f"Berlaku, sudah diperpanjang ({renewal.number})"
    assert Agreement.objects.select_related("renewal").get(pk=renewal.pk).status_label == "Berlaku"
    client.force_login(kepala)
    page = client.get("/mitra/perjanjian/").content.decode()
    assert page.count("Berlaku, sudah diperpanjang") == 1
    home = client.get("/").content.decode()
    assert old.number not in home
