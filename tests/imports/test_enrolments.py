"""Bulk enrolment: each row goes through `enrolment_create`, as if typed on the enrol page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from rest_framework.test import APIClient

from programmes import services as programme_services
from programmes.models import Enrolment, EnrolmentEvent
from rutan.core.models import AuditEntry
from rutan.imports import engine
from rutan.imports.models import ImportStatus
from tests.imports import files
from tests.imports.programme_data import programme

pytestmark = pytest.mark.django_db

D = datetime.timedelta
FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture
def barbershop(balikpapan, kepala):
    return programme(balikpapan, kepala, capacity=3)


@pytest.fixture
def men(balikpapan, make_inmate):
    return [
        make_inmate(balikpapan, registration_number=f"BI.{n:03d}/2025", name=f"Warga {n}")
        for n in range(1, 5)
    ]


def row(number, title="Kelas Barbershop", requested_on="", **extra) -> dict:
    return {
        "registration_number": number,
        "programme": title,
        "requested_on": requested_on,
        **extra,
    }


def preview(facility, by, upload):
    return files.preview("enrolments", facility, by, upload)


def test_preview_judges_every_row_writes_nothing_then_confirm_and_reimport(
    balikpapan, kepala, pembina, barbershop, men, make_inmate
):
    programme(balikpapan, kepala, title="Tata Rias Wanita", area="tata_rias", eligible_sex="P")
    programme_services.enrolment_create(programme=barbershop, inmate=men[3], by=pembina)
    asked = balikpapan.today() - D(days=10)
    rows = [
        row("BI.001/2025"),
        row("bi.002/2025", "kelas  BARBERSHOP", requested_on=asked.strftime("%d/%m/%Y")),
        row("BI.003/2025"),
        row("BI.001/2025", "Tata Rias Wanita"),
        row("XX.999/2025"),
        row("BI.002/2025", "Kelas Sulap"),
        row("BI.004/2025"),
        row("BI.001/2025"),
        row("BI.003/2025", "Tata Rias Wanita", requested_on="31/02/2026"),
    ]
    audits = AuditEntry.objects.count()

    result = preview(balikpapan, pembina, files.csv_file(rows))

    assert result.status == ImportStatus.PREVIEWED
    assert result.counts == {"create": 3, "update": 0, "unchanged": 1, "error": 5}
    assert Enrolment.objects.count() == 1 and AuditEntry.objects.count() == audits + 1
    by_line = {e["line"]: e for e in result.errors}
    assert sorted(by_line) == [5, 6, 7, 9, 10]
    assert by_line[5]["column"] == "registration_number"
    assert by_line[5]["message"] == "Jenis kelamin: Program khusus perempuan."
    assert by_line[6] == {
        "line": 6,
        "column": "registration_number",
        "field": "registration_number",
        "message": "Nomor registrasi “XX.999/2025” tidak ada di Rutan Kelas IIA Balikpapan.",
    }
    assert by_line[7]["column"] == "programme" and "Kelas Sulap" in by_line[7]["message"]
    assert "baris 2" in by_line[9]["message"]
    assert by_line[10]["column"] == "requested_on" and "31/02/2026" in by_line[10]["message"]
    assert [r["action"] for r in result.rows] == [
        "create",
        "create",
        "create",
        *["error"] * 3,
        "unchanged",
        *["error"] * 2,
    ]
    assert result.rows[1]["cells"] == [
        "bi.002/2025",
        "kelas  BARBERSHOP",
        asked.strftime("%d/%m/%Y"),
    ]

    written = files.confirm(result, pembina)

    assert written.status == ImportStatus.DONE
    assert written.counts == {"create": 3, "update": 0, "unchanged": 1, "error": 5}
    enrolments = {e.inmate.registration_number: e for e in Enrolment.objects.all()}
    assert enrolments["BI.001/2025"].status == "active"
    assert enrolments["BI.002/2025"].requested_on == asked
    assert enrolments["BI.002/2025"].started_on == asked
    assert enrolments["BI.003/2025"].status == "waitlisted"
    assert enrolments["BI.003/2025"].waitlist_position == 1
    for number in ("BI.001/2025", "BI.002/2025", "BI.003/2025"):
        enrolment = enrolments[number]
        assert EnrolmentEvent.objects.filter(enrolment=enrolment, by=pembina).exists()
        assert AuditEntry.objects.filter(
            object_type="programmes.enrolment", object_id=str(enrolment.pk), actor=pembina
        ).exists()
    assert EnrolmentEvent.objects.get(enrolment=enrolments["BI.002/2025"]).on == asked

    audited = AuditEntry.objects.filter(object_type="programmes.enrolment").count()
    again = files.confirm(preview(balikpapan, pembina, files.csv_file(rows)), pembina)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 4, "error": 5}
    assert Enrolment.objects.count() == 4 and EnrolmentEvent.objects.count() == 4
    assert AuditEntry.objects.filter(object_type="programmes.enrolment").count() == audited


def test_programme_by_id_or_by_its_open_namesake(
    balikpapan, kepala, pembina, men, ruteng, kepala_ruteng
):
    old = programme(balikpapan, kepala, title="Kelas Literasi", area="literasi")
    programme_services.programme_set_status(programme=old, status="finished", by=kepala)
    current = programme(balikpapan, kepala, title="Kelas Literasi", area="literasi")
    first = programme(balikpapan, kepala, title="Kelas Meubel", area="meubel")
    second = programme(balikpapan, kepala, title="Kelas Meubel", area="meubel")
    elsewhere = programme(ruteng, kepala_ruteng, title="Kelas Meubel", area="meubel")
    rows = [
        row("BI.001/2025", "Kelas Literasi"),
        row("BI.001/2025", "Kelas Meubel"),
        row("BI.001/2025", str(second.pk)),
        row("BI.002/2025", str(elsewhere.pk)),
        row("BI.001/2025", str(current.pk)),
        row("BI.001/2025", str(old.pk)),
    ]

    result = files.confirm(preview(balikpapan, pembina, files.csv_file(rows)), pembina)

    assert result.counts == {"create": 2, "update": 0, "unchanged": 0, "error": 4}
    by_line = {e["line"]: e for e in result.errors}
    assert "Ada 2 program bernama “Kelas Meubel”" in by_line[3]["message"]
    assert by_line[5]["column"] == "programme" and "tidak ada di" in by_line[5]["message"]
    # The same inmate and programme once by its title and once by its id.
    assert "sama dengan baris lain" in by_line[6]["message"]
    assert by_line[7]["column"] == "programme" and "selesai" in by_line[7]["message"]
    assert set(Enrolment.objects.values_list("programme_id", "inmate__registration_number")) == {
        (current.pk, "BI.001/2025"),
        (second.pk, "BI.001/2025"),
    }
    assert first.enrolments.count() == 0


def test_requested_on_in_every_date_form_and_formula_stays_text(
    balikpapan, pembina, barbershop, men
):
    asked = balikpapan.today() - D(days=5)
    serial = (asked - engine.EXCEL_EPOCH).days
    rows = [
        row("BI.001/2025", requested_on=asked.strftime("%d/%m/%Y")),
        row("BI.002/2025", requested_on=asked.isoformat()),
        row("BI.003/2025", requested_on=serial),
        row("BI.004/2025", requested_on=datetime.datetime.combine(asked, datetime.time())),
        row(FORMULA),
    ]

    result = files.confirm(preview(balikpapan, pembina, files.xlsx_file(rows)), pembina)

    assert result.counts["create"] == 4
    assert set(Enrolment.objects.values_list("requested_on", flat=True)) == {asked}
    by_line = {e["line"]: e for e in result.errors}
    assert by_line[6]["message"] == (
        f"Nomor registrasi “{FORMULA}” tidak ada di Rutan Kelas IIA Balikpapan."
    )
    assert result.rows[4]["cells"][0] == FORMULA


def test_future_request_date_is_refused_by_the_service(balikpapan, pembina, barbershop, men):
    later = balikpapan.today() + D(days=3)
    result = preview(
        balikpapan, pembina, files.csv_file([row("BI.001/2025", requested_on=later.isoformat())])
    )

    assert result.errors[0]["column"] == "requested_on"
    assert result.errors[0]["message"] == "Tanggal daftar tidak boleh di masa depan."


def test_cp1252_and_utf8_bom_files(balikpapan, kepala, pembina, men):
    programme(balikpapan, kepala, title="Pelatihan Barista Café", area="kafe")

    cp1252 = preview(
        balikpapan,
        pembina,
        files.csv_file([row("BI.001/2025", "Pelatihan Barista Café")], encoding="cp1252"),
    )
    bom = preview(
        balikpapan,
        pembina,
        files.csv_file([row("BI.002/2025", "Pelatihan Barista Café")], encoding="utf-8-sig"),
    )

    assert cp1252.counts["create"] == 1 and cp1252.rows[0]["cells"][1] == "Pelatihan Barista Café"
    assert bom.counts["create"] == 1 and bom.ignored_columns == []


def test_missing_column_needs_mapping_and_extra_columns_are_ignored(
    balikpapan, pembina, barbershop, men
):
    missing = preview(balikpapan, pembina, files.csv_file([{"registration_number": "BI.001/2025"}]))
    extra = preview(
        balikpapan,
        pembina,
        files.csv_file([{**row("BI.001/2025"), "Catatan wali": "rajin", "facility_code": ""}]),
    )

    assert missing.status == ImportStatus.NEEDS_MAPPING
    assert missing.missing_columns == ["programme"] and missing.counts == {}
    assert extra.counts["create"] == 1 and extra.ignored_columns == ["Catatan wali"]


def test_other_facilities_and_roles_cannot_import(
    balikpapan, pembina, registrasi, kepala_ruteng, barbershop, men, client
):
    data_import = preview(balikpapan, pembina, files.csv_file([row("BI.001/2025")]))
    outsiders = (kepala_ruteng, registrasi)
    files.assert_outsiders_refused(
        data_import.pk,
        "enrolments",
        balikpapan,
        outsiders,
        lambda: files.csv_file([row("BI.002/2025")]),
    )
    for outsider in outsiders:
        client.force_login(outsider)
        assert client.get(f"/impor/enrolments/upt/{balikpapan.pk}/").status_code == 404
        with pytest.raises(ValidationError):
            preview(balikpapan, outsider, files.csv_file([row("BI.002/2025")]))
    assert Enrolment.objects.count() == 0


def test_api_preview_then_confirm(
    balikpapan, pembina, barbershop, men, django_capture_on_commit_callbacks
):
    api = APIClient()
    api.force_authenticate(pembina)
    upload = files.csv_file([row("BI.001/2025"), row("BI.404/2025")])

    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/api/v1/imports/",
            {"kind": "enrolments", "facility": balikpapan.pk, "file": upload},
            format="multipart",
        )
    assert created.status_code == 201, created.content
    body = api.get(f"/api/v1/imports/{created.json()['id']}/").json()
    assert body["status"] == "previewed" and body["counts"]["create"] == 1
    assert body["errors"][0]["line"] == 3 and body["errors"][0]["column"] == "registration_number"
    assert Enrolment.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"/api/v1/imports/{body['id']}/confirm/").status_code == 200
    assert api.get(f"/api/v1/imports/{body['id']}/").json()["status"] == "done"
    assert Enrolment.objects.get().inmate == men[0]


def test_management_command(balikpapan, pembina, barbershop, men, tmp_path, capsys):
    path = tmp_path / "peserta.csv"
    path.write_bytes(files.csv_file([row("BI.001/2025"), row("BI.002/2025", "Kelas Sulap")]).read())

    call_command("import_data", "enrolments", str(path), facility=balikpapan.code, user="pembina")

    out = capsys.readouterr().out
    assert "create: 1" in out and "line 3 [programme]" in out
    assert Enrolment.objects.get().inmate == men[0]


def test_import_links_on_the_programme_pages(client, balikpapan, pembina, registrasi, barbershop):
    start = f"/impor/enrolments/upt/{balikpapan.pk}/"
    client.force_login(pembina)
    assert start in client.get("/program/").content.decode()
    assert start in client.get(f"/program/{barbershop.pk}/").content.decode()
    assert client.get(start).status_code == 200
    client.force_login(registrasi)
    assert start not in client.get("/program/").content.decode()
    assert start not in client.get(f"/program/{barbershop.pk}/").content.decode()
