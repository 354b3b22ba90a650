"""Bulk import of a facility's partners: preview judges with the partner services, confirm
writes the good rows through them, and the same file again changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from partners import services as partner_services
from partners.models import Partner, PartnerContact
from rutan.core.models import AuditEntry
from rutan.imports import services
from rutan.imports.models import DataImport, ImportMapping, ImportStatus
from tests.exports import csv_rows
from tests.imports import files

pytestmark = pytest.mark.django_db

FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture
def sekata(balikpapan, kepala):
    return partner_services.partner_create(
        facility=balikpapan,
        by=kepala,
        name="Yayasan SEKATA Balikpapan",
        partner_type="yayasan",
        city="Balikpapan",
        phone="0542 123456",
    )


def row(name: str, **overrides) -> dict:
    data = {"name": name, "partner_type": "usaha", "city": "Balikpapan", "phone": "0812 555"}
    data.update(overrides)
    return data


def csv_file(rows, **kwargs):
    return files.csv_file(rows, name="mitra.csv", **kwargs)


def preview(by, upload, facility):
    return files.preview("partners", facility, by, upload)


def partner_audit():
    return AuditEntry.objects.filter(object_type__startswith="partners.")


def test_preview_judges_every_row_and_writes_nothing(balikpapan, kepala, sekata):
    rows = [
        row("Yayasan SEKATA Balikpapan", partner_type="Yayasan / LSM", phone="0542 123456"),
        row("yayasan  sekata BALIKPAPAN", partner_type="yayasan", city="Samarinda"),
        row("Koperasi Maju", partner_type="Perusahaan / UMKM"),
        row("UMKM Batik", partner_type="toko"),
        row("CV Kayu Jati", email="bukan-email"),
        row("Bengkel Las", facility_code="rutan-ruteng"),
        row("Yayasan SEKATA Balikpapan"),
    ]
    header = [*rows[0], "email", "facility_code"]
    rows = [[r.get(h, "") for h in header] for r in rows]
    before = (Partner.objects.count(), partner_audit().count(), Partner.history.count())

    result = preview(kepala, csv_file(rows, header=header), balikpapan)

    assert result.status == ImportStatus.PREVIEWED
    assert result.counts == {"create": 1, "update": 0, "unchanged": 1, "error": 5}
    by_line = {e["line"]: e for e in result.errors}
    # A name differing in case and spaces is the same partner: a second row for it is refused.
    assert by_line[3]["column"] == "name" and "baris lain berkas ini" in by_line[3]["message"]
    assert by_line[5]["column"] == "partner_type"
    assert "bukan pilihan yang dikenal" in by_line[5]["message"]
    assert by_line[6] == {
        "line": 6,
        "column": "email",
        "field": "email",
        "message": "Masukkan alamat email dengan format yang benar.",
    }
    assert by_line[7]["column"] == "facility_code" and "rutan-ruteng" in by_line[7]["message"]
    assert by_line[8]["message"] == "Baris ini sama dengan baris 2 berkas ini."
    assert [r["action"] for r in result.rows[:3]] == ["unchanged", "error", "create"]
    assert result.rows[2]["cells"] == ["Koperasi Maju", "Perusahaan / UMKM", "Balikpapan"]
    assert (Partner.objects.count(), partner_audit().count(), Partner.history.count()) == before


def test_confirm_writes_through_the_services_and_reimport_is_unchanged(balikpapan, kepala, sekata):
    rows = [
        row(
            "YAYASAN SEKATA  Balikpapan",
            partner_type="yayasan",
            phone="0542 999999",
            is_active="tidak",
        ),
        row("Koperasi Maju", contact_name="Siti Rahma", contact_role="Ketua"),
        row("Dinas Sosial Kota Balikpapan", partner_type="pemerintah", website="dinsos.go.id"),
    ]
    header = sorted({k for r in rows for k in r})
    rows = [[r.get(h, "") for h in header] for r in rows]

    previewed = preview(kepala, csv_file(rows, header=header), balikpapan)
    assert previewed.counts == {"create": 2, "update": 1, "unchanged": 0, "error": 0}
    assert previewed.rows[0]["changes"] == ["phone", "is_active"]
    written = files.confirm(previewed, kepala)

    assert written.status == ImportStatus.DONE and written.counts == previewed.counts
    sekata.refresh_from_db()
    assert (sekata.name, sekata.phone, sekata.is_active) == (
        "Yayasan SEKATA Balikpapan",
        "0542 999999",
        False,
    )
    maju = Partner.objects.get(name="Koperasi Maju")
    assert (maju.facility, maju.partner_type, maju.created_by) == (balikpapan, "usaha", kepala)
    assert maju.contacts.get().role == "Ketua"
    # The administration's URL field adds the scheme to a bare address; so does the import.
    assert Partner.objects.get(partner_type="pemerintah").website == "http://dinsos.go.id"
    actions = set(partner_audit().filter(actor=kepala).values_list("object_type", "action"))
    assert actions == {
        ("partners.partner", "create"),
        ("partners.partner", "update"),
        ("partners.partnercontact", "create"),
    }
    assert sekata.history.count() == 2
    assert AuditEntry.objects.filter(object_type="imports.dataimport", actor=kepala).exists()

    audit = partner_audit().count()
    again = preview(kepala, csv_file(rows, header=header), balikpapan)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3, "error": 0}
    assert files.confirm(again, kepala).counts["unchanged"] == 3
    assert partner_audit().count() == audit


def test_contact_person_is_updated_by_name(balikpapan, kepala):
    files.run("partners", balikpapan, kepala, csv_file([row("Koperasi Maju", contact_name="Siti")]))

    _, written = files.run(
        "partners",
        balikpapan,
        kepala,
        csv_file([row("Koperasi Maju", contact_name="SITI", contact_phone="0813 1")]),
    )

    assert written.counts["update"] == 1 and written.rows[0]["changes"] == ["contact_phone"]
    contact = PartnerContact.objects.get()
    assert (contact.name, contact.phone) == ("Siti", "0813 1")
    orphan = preview(kepala, csv_file([row("Koperasi Maju", contact_role="Bendahara")]), balikpapan)
    assert orphan.errors[0]["column"] == "contact_name"


def test_cp1252_and_utf8_bom_files(balikpapan, kepala):
    cp1252 = preview(kepala, csv_file([row("Yayasan Peduli Señor")], encoding="cp1252"), balikpapan)
    bom = preview(kepala, csv_file([row("Koperasi Ñoño Jaya")], encoding="utf-8-sig"), balikpapan)

    assert cp1252.counts["create"] == 1 and cp1252.rows[0]["cells"][0] == "Yayasan Peduli Señor"
    assert bom.counts["create"] == 1 and bom.rows[0]["cells"][0] == "Koperasi Ñoño Jaya"
    assert bom.ignored_columns == []


def test_missing_column_is_mapped_once_and_extra_columns_are_ignored(balikpapan, kepala):
    header = ["Nama Mitra", "Jenis", "Kota/kabupaten", "Keterangan lain"]
    first = preview(
        kepala,
        csv_file([["Koperasi Maju", "usaha", "Balikpapan", "x"]], header=header),
        balikpapan,
    )
    assert first.status == ImportStatus.NEEDS_MAPPING
    assert first.missing_columns == ["name", "partner_type"]
    assert Partner.objects.count() == 0

    mapped = services.import_map(
        data_import=first,
        by=kepala,
        columns={"Nama Mitra": "name", "Jenis": "partner_type"},
        enqueue=False,
    )
    mapped = services.import_preview(data_import=mapped)
    assert mapped.counts["create"] == 1 and mapped.ignored_columns == ["Keterangan lain"]
    assert ImportMapping.objects.get(kind="partners").columns == {
        "nama mitra": "name",
        "jenis": "partner_type",
    }

    second = preview(
        kepala,
        csv_file([["Bengkel Las", "usaha", "Samarinda", "y"]], header=header),
        balikpapan,
    )
    assert second.status == ImportStatus.PREVIEWED and second.counts["create"] == 1


def test_formula_is_kept_as_text_and_the_list_download_neutralises_it(client, balikpapan, kepala):
    upload = files.xlsx_file([row(FORMULA, partner_type="Yayasan / LSM")], name="mitra.xlsx")
    files.run("partners", balikpapan, kepala, upload)

    assert Partner.objects.get().name == FORMULA
    client.force_login(kepala)
    header, *rows = csv_rows(client.get("/mitra/", {"unduh": "csv"}))
    assert rows[0][header.index("Nama")] == "'" + FORMULA


def test_downloaded_partner_list_reads_back_unchanged(client, balikpapan, kepala, sekata):
    client.force_login(kepala)
    response = client.get("/mitra/", {"unduh": "csv"})
    data = b"".join(response.streaming_content)

    result = preview(kepala, SimpleUploadedFile("mitra.csv", data), balikpapan)

    assert result.counts == {"create": 0, "update": 0, "unchanged": 1, "error": 0}
    assert set(result.ignored_columns) == {"UPT", "Perjanjian berlaku"}


def test_api_and_other_facility(
    balikpapan, kepala, kepala_ruteng, pembina, django_capture_on_commit_callbacks
):
    api = APIClient()
    api.force_authenticate(kepala)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/api/v1/imports/",
            {
                "kind": "partners",
                "facility": balikpapan.pk,
                "file": csv_file([row("Koperasi Maju"), row("CV Salah", partner_type="x")]),
            },
            format="multipart",
        )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    body = api.get(f"/api/v1/imports/{pk}/").json()
    assert body["status"] == "previewed" and body["counts"]["create"] == 1
    assert body["errors"][0]["line"] == 3 and body["errors"][0]["column"] == "partner_type"

    files.assert_outsiders_refused(
        pk,
        "partners",
        balikpapan,
        (kepala_ruteng, pembina),
        lambda: csv_file([row("X")]),
    )
    assert Partner.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"/api/v1/imports/{pk}/confirm/").status_code == 200
    assert api.get(f"/api/v1/imports/{pk}/").json()["status"] == "done"
    assert list(Partner.objects.values_list("name", flat=True)) == ["Koperasi Maju"]


def test_management_command(balikpapan, kepala, tmp_path, capsys):
    path = tmp_path / "mitra.csv"
    path.write_bytes(csv_file([row("Koperasi Maju"), row("CV Salah", partner_type="x")]).read())

    call_command("import_data", "partners", str(path), facility=balikpapan.code, user="kepala")

    out = capsys.readouterr().out
    assert "create: 1" in out and "line 3 [partner_type]" in out
    assert list(Partner.objects.values_list("name", flat=True)) == ["Koperasi Maju"]
    assert DataImport.objects.get().status == ImportStatus.DONE


def test_partner_list_links_to_the_import_for_managers_only(
    client, balikpapan, kepala, pembina, kepala_ruteng
):
    start = f"/impor/partners/upt/{balikpapan.pk}/"
    client.force_login(kepala)
    assert start in client.get("/mitra/").content.decode()
    assert client.get(start).status_code == 200
    client.force_login(pembina)
    assert start not in client.get("/mitra/").content.decode()
    assert client.get(start).status_code == 404
    client.force_login(kepala_ruteng)
    assert client.get(start).status_code == 404
