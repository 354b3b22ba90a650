"""Ekspor data subjek: everything Rutan holds about one inmate, as JSON and as PDF, for the
holders of the audit permission at the inmate's facility only; the export itself, and every
confidential record it decrypts, is audited."""

import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments import services as assessment_services
from partners import services as partner_services
from programmes import services as programme_services
from rutan.core.models import AuditEntry
from rutan.core.roles import Role
from rutan.inmates.services import remisi_grant_create
from tests.factories import member

NIK = "6471054501900001"


@pytest.fixture
def held(balikpapan, make_inmate, kepala, national_admin):
    today = timezone.localdate()
    inmate = make_inmate(
        balikpapan,
        name="Yuliana Tefa",
        sex="P",
        sentence_start=today - datetime.timedelta(days=400),
        admission_date=today - datetime.timedelta(days=390),
        sentence_years=3,
    )
    psikolog = member(Role.PSYCHOLOGIST, facility=balikpapan, username="psikolog")
    assessment_services.psych_create(
        inmate=inmate,
        by=psikolog,
        assessed_on=today,
        instrument="DASS-21",
        scores={"depresi": 17},
        findings="Temuan rahasia: duka atas keluarga.",
        notes="Konseling dua mingguan.",
        finalise=True,
    )
    assessment_services.counselling_create(
        inmate=inmate, by=psikolog, held_on=today, topic="Adaptasi", notes="Catatan konseling uji"
    )
    programme = programme_services.programme_create(
        facility=balikpapan,
        by=national_admin,
        title="Kelas Tata Rias",
        pillar="kemandirian",
        area="tata_rias",
        capacity=10,
        start_date=today - datetime.timedelta(days=30),
        facilitator="Petugas Uji",
        status="running",
    )
    programme_services.enrolment_create(programme=programme, inmate=inmate, by=national_admin)
    remisi_grant_create(
        inmate=inmate,
        by=national_admin,
        kind="umum",
        decree_number="PAS-1234.PK.05.04 TAHUN 2025",
        decree_date=today - datetime.timedelta(days=100),
        months=1,
    )
    partner_services.guarantee_create(
        inmate=inmate,
        by=kepala,
        guarantor_kind="keluarga",
        name="Siti Aminah",
        relationship="ibu",
        nik=NIK,
        address="Jl. Mulawarman RT 12, Balikpapan",
        phone="0812-5555-0101",
        letter_number="01/SJ-KEL/XI/2025",
        valid_from=today,
    )
    return inmate


def _post(client, inmate, kind):
    return client.post(reverse("inmates:subject_export", args=[inmate.pk]), {"format": kind})


def test_the_head_finds_the_action_and_gets_everything_as_json(client, kepala, held):
    client.force_login(kepala)
    page = client.get(reverse("inmates:detail", args=[held.pk])).content.decode()
    assert reverse("inmates:subject_export", args=[held.pk]) in page
    assert "Ekspor data subjek" in page
    assert client.get(reverse("inmates:subject_export", args=[held.pk])).status_code == 200

    response = _post(client, held, "json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="data-subjek-')
    assert response["Cache-Control"] == "no-store, private"
    data = json.loads(response.content)
    assert data["format"] == "rutan-subject-access/1"
    assert data["subject"] == {
        "id": held.pk,
        "name": "Yuliana Tefa",
        "registration_number": held.registration_number,
    }
    sections = {s["key"]: s for s in data["sections"]}
    assert {
        "inmate",
        "placements",
        "remisi",
        "enrolments",
        "enrolment_events",
        "attendance",
        "certificates",
        "psychological",
        "counselling",
        "sppn",
        "guarantees",
        "intern_logs",
        "audit",
    } <= set(sections)
    assert sections["inmate"]["records"][0]["name"] == "Yuliana Tefa"
    assert sections["inmate"]["records"][0]["sex"] == "Perempuan"
    assert sections["placements"]["records"]
    decrees = [r["decree_number"] for r in sections["remisi"]["records"]]
    assert "PAS-1234.PK.05.04 TAHUN 2025" in decrees
    assert sections["enrolments"]["records"][0]["programme"].startswith("Kelas Tata Rias")
    psych = sections["psychological"]["records"][0]
    assert psych["scores"] == {"depresi": 17}
    assert psych["findings"] == "Temuan rahasia: duka atas keluarga."
    assert not any(k.endswith("_encrypted") for k in psych)
    assert sections["counselling"]["records"][0]["notes"] == "Catatan konseling uji"
    guarantee = sections["guarantees"]["records"][0]
    assert guarantee["nik"].endswith("0001") and NIK not in json.dumps(data)
    audit = sections["audit"]["records"]
    assert any(e["object_type"] == "inmates.inmate" and e["action"] == "buat" for e in audit), (
        "the inmate's registration is in the audit section"
    )
    assert any(e["object_type"] == "partners.guarantee" for e in audit)

    export = AuditEntry.objects.get(
        object_type="inmates.inmate", object_id=str(held.pk), via="subject_export"
    )
    assert export.actor == kepala and export.action == "read"
    assert export.after["sections"]["psychological"] == 1
    assert AuditEntry.objects.filter(
        object_type="assessments.psychologicalassessment", via="subject_export", actor=kepala
    ).exists()
    assert AuditEntry.objects.filter(
        object_type="assessments.counsellingsession", via="subject_export", actor=kepala
    ).exists()


def test_the_pdf_holds_the_same(client, kepala, held):
    client.force_login(kepala)
    response = _post(client, held, "pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store, private"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    text = " ".join(text.split())
    for expected in (
        "Ekspor data subjek",
        "Yuliana Tefa",
        held.registration_number,
        "Riwayat penempatan",
        "PAS-1234.PK.05.04 TAHUN 2025",
        "Kelas Tata Rias",
        "Temuan rahasia: duka atas keluarga.",
        "depresi: 17",
        "Catatan audit tentang data ini",
        "UU 27/2022",
    ):
        assert expected in text, expected
    assert NIK not in text


def test_others_get_404_and_leave_no_export(client, held, pembina, kanwil, kepala_ruteng):
    url = reverse("inmates:subject_export", args=[held.pk])
    for user in (pembina, kanwil, kepala_ruteng):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"format": "json"}).status_code == 404
    client.force_login(pembina)
    page = client.get(reverse("inmates:detail", args=[held.pk])).content.decode()
    assert url not in page
    assert not AuditEntry.objects.filter(via="subject_export").exists()


def test_a_bad_format_exports_nothing(client, kepala, held):
    client.force_login(kepala)
    response = _post(client, held, "xml")
    assert response.status_code == 302
    assert "Pilih format ekspor" in client.get(response["Location"]).content.decode()
    assert not AuditEntry.objects.filter(via="subject_export").exists()


def test_a_data_protection_officer_with_the_audit_permission_may(client, held, balikpapan):
    from rutan.core.roles import ROLE_PERMS, Perm

    officer_role = next(
        (
            r
            for r, perms in ROLE_PERMS.items()
            if Perm.AUDIT_VIEW in perms and r != "facility_head" and r != "national_admin"
        ),
        None,
    )
    if officer_role is None:
        pytest.skip("no data-protection role in this build")
    officer = member(officer_role, facility=balikpapan, username="dpo")
    client.force_login(officer)
    response = _post(client, held, "json")
    assert response.status_code == 200
    # The export does not widen who reads confidential text: the officer sees it withheld.
    body = response.content.decode()
    assert "Temuan rahasia" not in body and "hanya dapat dibaca psikolog" in body
