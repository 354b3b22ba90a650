"""Bulk import of the register: preview judges with the services, confirm writes good rows."""

import csv
import datetime
import io
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from rutan.core.models import AuditEntry
from rutan.imports import engine, services
from rutan.imports.models import DataImport, ImportMapping, ImportStatus
from rutan.imports.tasks import import_run
from rutan.inmates.models import Inmate
from tests.imports import files

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
START = TODAY - datetime.timedelta(days=20)
HEADER = [
    "registration_number",
    "name",
    "sex",
    "birth_date",
    "religion",
    "education_level",
    "case_category",
    "admission_date",
    "block",
    "warrant_authority",
    "warrant_number",
    "warrant_start",
    "warrant_end",
]


def row(n: int, **overrides) -> dict:
    data = {
        "registration_number": f"AI.{n:05d}/2026",
        "name": f"WBP Nomor {n}",
        "sex": "L",
        "birth_date": "17/05/1990",
        "religion": "Islam",
        "education_level": "sma",
        "case_category": "Narkotika",
        "admission_date": START.strftime("%d/%m/%Y"),
        "block": "Blok A",
        "warrant_authority": "penyidik",
        "warrant_number": f"SP.HAN/{n}/2026",
        "warrant_start": START.strftime("%d-%m-%Y"),
        "warrant_end": (START + datetime.timedelta(days=19)).isoformat(),
    }
    data.update(overrides)
    return data


def csv_file(rows, header=None, encoding="utf-8", name="register.csv"):
    return files.csv_file(rows, header=header, encoding=encoding, name=name)


def xlsx_file(rows, name="register.xlsx"):
    return files.xlsx_file(rows, name=name)


def preview(facility, by, upload):
    return files.preview("register", facility, by, upload)


confirm = files.confirm


BROKEN = {
    100: {"birth_date": "31/02/1990"},
    200: {"block": "Blok Z"},
    300: {"sex": "X"},
    400: {"name": ""},
    500: {"registration_number": "AI.00001/2026"},
    600: {"warrant_end": (START + datetime.timedelta(days=59)).isoformat()},
    700: {"religion": "abc"},
}


def test_preview_confirm_and_reimport_with_broken_rows(balikpapan, registrasi):
    # The browser journey runs the same with 1,000 rows; here 200 keep the test quick.
    broken = {n // 10: change for n, change in BROKEN.items()}
    rows = [row(n, **broken.get(n, {})) for n in range(1, 201)]
    before_audit = AuditEntry.objects.count()

    result = preview(balikpapan, registrasi, csv_file(rows))

    assert result.status == ImportStatus.PREVIEWED
    assert result.counts == {"create": 193, "update": 0, "unchanged": 0, "error": 7}
    assert Inmate.objects.filter(facility=balikpapan).count() == 0
    by_line = {e["line"]: e for e in result.errors}
    assert sorted(by_line) == [n + 1 for n in broken]
    assert by_line[11]["column"] == "birth_date"
    assert by_line[21]["column"] == "block" and "Blok Z" in by_line[21]["message"]
    assert by_line[31]["column"] == "sex"
    assert by_line[41] == {
        "line": 41,
        "column": "name",
        "field": "name",
        "message": "Wajib diisi.",
    }
    assert by_line[51]["column"] == "registration_number" and "baris 2" in by_line[51]["message"]
    assert by_line[61]["column"] == "warrant_end" and "paling lama" in by_line[61]["message"]
    assert by_line[71]["column"] == "religion"
    assert len(result.rows) == engine.PREVIEW_ROWS

    written = confirm(result, registrasi)

    assert written.status == ImportStatus.DONE
    assert written.counts["create"] == 193 and written.counts["error"] == 7
    assert Inmate.objects.filter(facility=balikpapan).count() == 193
    assert AuditEntry.objects.filter(object_type="inmates.inmate").count() >= 193
    assert AuditEntry.objects.filter(
        object_type="imports.dataimport", object_id=str(written.pk), actor=registrasi
    ).exists()
    assert AuditEntry.objects.count() > before_audit + 193

    again = preview(balikpapan, registrasi, csv_file(rows))
    assert again.counts == {"create": 0, "update": 0, "unchanged": 193, "error": 7}


def test_changed_identity_is_an_update_listing_the_fields(balikpapan, registrasi):
    confirm(preview(balikpapan, registrasi, csv_file([row(1), row(2)])), registrasi)

    result = preview(
        balikpapan, registrasi, csv_file([row(1, name="Nama Baru", block="Blok B"), row(2)])
    )

    assert result.counts == {"create": 0, "update": 1, "unchanged": 1, "error": 0}
    assert result.rows[0]["action"] == "update"
    assert result.rows[0]["changes"] == ["name", "block"]
    assert Inmate.objects.get(registration_number="AI.00001/2026").name == "WBP Nomor 1"
    confirm(result, registrasi)
    inmate = Inmate.objects.get(registration_number="AI.00001/2026")
    assert (inmate.name, inmate.block.name) == ("Nama Baru", "Blok B")


def test_cp1252_and_utf8_bom_files(balikpapan, registrasi):
    cp1252 = preview(
        balikpapan, registrasi, csv_file([row(1, name="José Müller")], encoding="cp1252")
    )
    bom = preview(balikpapan, registrasi, csv_file([row(2, name="Ñoño")], encoding="utf-8-sig"))

    assert cp1252.counts["create"] == 1 and cp1252.rows[0]["cells"][1] == "José Müller"
    assert bom.counts["create"] == 1 and bom.rows[0]["cells"][1] == "Ñoño"
    assert bom.ignored_columns == []


def test_semicolon_separated_export(balikpapan, registrasi):
    data = row(1, name="Siti; Aminah", sex="P", block="Blok Wanita")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(list(data))
    writer.writerow(list(data.values()))
    upload = SimpleUploadedFile("register.csv", out.getvalue().encode("cp1252"))

    result = preview(balikpapan, registrasi, upload)

    assert result.counts["create"] == 1 and result.rows[0]["cells"][1] == "Siti; Aminah"


def test_missing_required_columns_stop_before_rows_and_extra_are_ignored(balikpapan, registrasi):
    data = row(1)
    del data["birth_date"]
    data["Catatan petugas"] = "apa saja"

    result = preview(balikpapan, registrasi, csv_file([data]))

    assert result.status == ImportStatus.NEEDS_MAPPING
    assert result.missing_columns == ["birth_date"]
    assert result.ignored_columns == ["Catatan petugas"]
    assert result.counts == {}

    extra = preview(balikpapan, registrasi, csv_file([{**row(2), "Catatan": "x"}]))
    assert extra.counts["create"] == 1 and extra.ignored_columns == ["Catatan"]


def test_dates_in_every_accepted_form(balikpapan, registrasi):
    serial = (datetime.date(1990, 5, 17) - engine.EXCEL_EPOCH).days
    rows = [
        row(1, birth_date="17/05/1990"),
        row(2, birth_date="1990-05-17"),
        row(3, birth_date="17-05-1990"),
        row(4, birth_date=serial),
        row(5, birth_date=datetime.datetime(1990, 5, 17)),
    ]
    confirm(preview(balikpapan, registrasi, xlsx_file(rows)), registrasi)

    births = set(Inmate.objects.filter(facility=balikpapan).values_list("birth_date", flat=True))
    assert births == {datetime.date(1990, 5, 17)}
    assert Inmate.objects.filter(facility=balikpapan).count() == 5


def test_codes_or_labels_and_formula_text_stays_literal(balikpapan, registrasi):
    rows = [
        row(1, name="=cmd|' /C calc'!A0", sex="Laki-laki"),
        row(2, name="@SUM(A1)", sex="p", block="Blok Wanita", religion="KRISTEN"),
    ]
    confirm(preview(balikpapan, registrasi, xlsx_file(rows)), registrasi)

    first = Inmate.objects.get(registration_number="AI.00001/2026")
    second = Inmate.objects.get(registration_number="AI.00002/2026")
    assert first.name == "=cmd|' /C calc'!A0" and first.sex == "L"
    assert (second.name, second.sex, second.religion) == ("@SUM(A1)", "P", "kristen")


def test_verdict_columns_record_the_verdict(balikpapan, registrasi):
    decided = START + datetime.timedelta(days=10)
    data = row(
        1,
        verdict_court="Pengadilan Negeri",
        verdict_court_name="PN Balikpapan",
        verdict_number="12/Pid.B/2026/PN Bpp",
        verdict_decided_on=decided.isoformat(),
        verdict_final_on=decided.isoformat(),
        sentence_kind="penjara",
        sentence_years=2,
    )

    confirm(preview(balikpapan, registrasi, csv_file([data])), registrasi)

    inmate = Inmate.objects.get(registration_number="AI.00001/2026")
    assert inmate.legal_status == "narapidana" and inmate.sentence_years == 2


def test_sdp_headers_mapped_once_then_reused(balikpapan, registrasi):
    sdp = {
        "registration_number": "No. Registrasi",
        "name": "Nama WBP",
        "birth_date": "Tgl Lahir",
        "admission_date": "Tgl Masuk",
    }
    header = [sdp.get(h, h) for h in HEADER]

    first = preview(balikpapan, registrasi, csv_file([row(1)], header=header))
    assert first.status == ImportStatus.NEEDS_MAPPING
    assert set(first.missing_columns) == set(sdp)

    mapped = services.import_map(
        data_import=first,
        by=registrasi,
        columns={v: k for k, v in sdp.items()},
        enqueue=False,
    )
    mapped = services.import_preview(data_import=mapped)
    assert mapped.counts["create"] == 1
    assert mapped.errors == []
    assert ImportMapping.objects.get(facility=balikpapan, kind="register").columns["tgl lahir"] == (
        "birth_date"
    )

    with pytest.raises(ValidationError):
        services.import_map(
            data_import=confirm(mapped, registrasi), by=registrasi, columns={}, enqueue=False
        )

    header[header.index("sex")] = "Jenis Kelamin"
    second = preview(
        balikpapan, registrasi, csv_file([row(2, birth_date="kemarin")], header=header)
    )
    assert second.status == ImportStatus.PREVIEWED
    assert second.errors[0]["column"] == "Tgl Lahir"

    remapped = services.import_map(
        data_import=second, by=registrasi, columns={"Tgl Lahir": ""}, enqueue=False
    )
    remapped = services.import_preview(data_import=remapped)
    assert remapped.status == ImportStatus.NEEDS_MAPPING
    assert remapped.missing_columns == ["birth_date"]


def test_large_file_runs_through_the_celery_task(
    balikpapan, registrasi, django_capture_on_commit_callbacks
):
    # 500 rows go through the services; 4,500 are refused while reading (unknown block), which
    # keeps the test short while the task, the progress and the bounded storage are exercised.
    rows = [row(n) if n % 10 == 0 else row(n, block="Blok Z") for n in range(1, 5001)]
    with django_capture_on_commit_callbacks(execute=True):
        register_import = services.import_create(
            kind="register", facility=balikpapan, by=registrasi, file=csv_file(rows)
        )
    register_import.refresh_from_db()
    assert register_import.status == ImportStatus.PREVIEWED
    assert register_import.progress == 100
    assert register_import.total_rows == 5000
    assert register_import.counts == {"create": 500, "update": 0, "unchanged": 0, "error": 4500}
    assert register_import.error_count == 4500
    assert len(register_import.errors) == engine.MAX_ERRORS and register_import.errors_left_off
    assert len(register_import.rows) == engine.PREVIEW_ROWS
    assert Inmate.objects.filter(facility=balikpapan).count() == 0


def test_unreadable_and_empty_files_fail_with_a_reason(balikpapan, registrasi):
    broken = preview(balikpapan, registrasi, SimpleUploadedFile("register.xlsx", b"not a zip"))
    empty = preview(balikpapan, registrasi, SimpleUploadedFile("register.csv", b""))

    assert broken.status == ImportStatus.FAILED and "XLSX" in broken.failure
    assert empty.status == ImportStatus.FAILED and "kosong" in empty.failure
    with pytest.raises(ValidationError):
        preview(balikpapan, registrasi, SimpleUploadedFile("register.pdf", b"%PDF"))


def test_management_command_dry_run_then_write(balikpapan, registrasi, tmp_path, capsys):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_file([row(1), row(2, sex="X")]).read())

    call_command(
        "import_data",
        "register",
        str(path),
        facility=balikpapan.code,
        user="registrasi",
        dry_run=True,
    )
    assert "create: 1" in capsys.readouterr().out
    assert Inmate.objects.count() == 0

    call_command("import_data", "register", str(path), facility=balikpapan.code, user="registrasi")
    out = capsys.readouterr().out
    assert "line 3 [sex]" in out
    assert Inmate.objects.count() == 1
    assert DataImport.objects.count() == 2


def test_api_preview_status_and_confirm(balikpapan, registrasi, django_capture_on_commit_callbacks):
    api = APIClient()
    api.force_authenticate(registrasi)
    upload = csv_file([row(1), row(2, block="Blok Z")])

    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/api/v1/imports/",
            {"kind": "register", "facility": balikpapan.pk, "file": upload},
            format="multipart",
        )

    assert created.status_code == 201, created.content
    body = api.get(f"/api/v1/imports/{created.json()['id']}/").json()
    assert body["status"] == "previewed" and body["progress"] == 100
    assert body["counts"]["create"] == 1 and body["counts"]["error"] == 1
    assert body["errors"][0]["line"] == 3 and body["errors"][0]["column"] == "block"
    assert Inmate.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = api.post(f"/api/v1/imports/{body['id']}/confirm/")
    assert confirmed.status_code == 200
    status = api.get(f"/api/v1/imports/{body['id']}/").json()
    assert status["status"] == "done" and status["counts"]["create"] == 1
    assert Inmate.objects.count() == 1
    assert api.post(f"/api/v1/imports/{body['id']}/confirm/").status_code == 400


def test_other_facility_gets_404(balikpapan, registrasi, kepala_ruteng, pembina):
    register_import = preview(balikpapan, registrasi, csv_file([row(1)]))
    files.assert_outsiders_refused(
        register_import.pk,
        "register",
        balikpapan,
        (kepala_ruteng, pembina),
        lambda: csv_file([row(2)]),
    )
    assert Inmate.objects.count() == 0


def test_staff_page_preview_then_confirm(
    client, balikpapan, registrasi, django_capture_on_commit_callbacks
):
    client.force_login(registrasi)
    listing = client.get("/wbp/").content.decode()
    start_url = f"/impor/register/upt/{balikpapan.pk}/"
    assert start_url in listing
    page = client.get(start_url)
    assert page.status_code == 200 and b"templat.xlsx" in page.content
    template = client.get("/impor/register/templat.csv")
    assert template.content.decode("utf-8-sig").strip() == ",".join(
        engine.kind_get("register").column_names
    )
    assert client.get("/impor/register/templat.xlsx").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        uploaded = client.post(start_url, {"file": csv_file([row(1), row(2, sex="X")])})
    register_import = DataImport.objects.get()
    assert uploaded.url == f"/impor/{register_import.pk}/"
    detail = client.get(uploaded.url).content.decode()
    assert "WBP Nomor 1" in detail and "bukan pilihan yang dikenal" in detail
    assert Inmate.objects.count() == 0
    assert (
        client.get(f"/impor/{register_import.pk}/kemajuan/", HTTP_HX_REQUEST="true")["HX-Refresh"]
        == "true"
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(f"/impor/{register_import.pk}/simpan/")
    waiting = client.get(f"/impor/{register_import.pk}/kemajuan/", HTTP_HX_REQUEST="true")
    assert b"hx-trigger" in waiting.content and b"satu transaksi" in waiting.content
    assert Inmate.objects.count() == 0
    for callback in callbacks:
        callback()
    assert Inmate.objects.count() == 1
    assert "Dibuat" in client.get(uploaded.url).content.decode()


def test_staff_page_maps_sdp_columns(
    client, balikpapan, registrasi, django_capture_on_commit_callbacks
):
    client.force_login(registrasi)
    header = ["No. Registrasi" if h == "registration_number" else h for h in HEADER]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/impor/register/upt/{balikpapan.pk}/", {"file": csv_file([row(1)], header=header)}
        )
    register_import = DataImport.objects.get()
    detail = client.get(f"/impor/{register_import.pk}/").content.decode()
    assert "Petakan kolom" in detail and "No. Registrasi" in detail

    choices = {f"column_{i}": h for i, h in enumerate(HEADER)}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/impor/{register_import.pk}/petakan/", choices)
    register_import.refresh_from_db()
    assert register_import.status == ImportStatus.PREVIEWED
    assert register_import.counts["create"] == 1


def test_staff_pages_are_404_outside_scope(client, balikpapan, registrasi, kepala_ruteng):
    register_import = preview(balikpapan, registrasi, csv_file([row(1)]))
    client.force_login(kepala_ruteng)
    assert client.get(f"/impor/register/upt/{balikpapan.pk}/").status_code == 404
    assert client.get(f"/impor/{register_import.pk}/").status_code == 404
    assert client.post(f"/impor/{register_import.pk}/simpan/").status_code == 404
    assert f"/impor/register/upt/{balikpapan.pk}/" not in client.get("/wbp/").content.decode()


def test_fifty_thousand_rows_run_in_the_task_with_flat_memory(balikpapan, registrasi):
    # Every row is refused while it is read (an unknown sex), so the services are not called
    # and the test stays quick; what is measured is the reading, the judging and what is kept.
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    template = list(row(0, sex="X").values())
    for n in range(50_000):
        writer.writerow([f"AI.{n:06d}", *template[1:]])
    upload = SimpleUploadedFile("besar.csv", out.getvalue().encode())
    size = upload.size
    del out
    data_import = services.import_create(
        kind="register", facility=balikpapan, by=registrasi, file=upload, enqueue=False
    )
    del upload

    tracemalloc.start()
    assert import_run.apply(args=(data_import.pk, False)).get() == ImportStatus.PREVIEWED
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    data_import.refresh_from_db()
    assert data_import.progress == 100 and data_import.total_rows == 50_000
    assert data_import.counts["error"] == 50_000
    assert len(data_import.errors) == engine.MAX_ERRORS and data_import.errors_left_off == 49_000
    assert len(data_import.rows) == engine.PREVIEW_ROWS
    # Neither the file nor the 50,000 results are held; only the index of the keys read so
    # far (a hash and a line number, to name the first line of a duplicate) grows with it.
    assert peak < 1.5 * size and peak / 50_000 < 200, (peak, size)
    assert Inmate.objects.count() == 0


def test_the_write_reports_progress_through_the_cache_while_its_transaction_is_open(
    balikpapan, registrasi, monkeypatch
):
    previewed = preview(balikpapan, registrasi, csv_file([row(1), row(2), row(3), row(4)]))
    seen = []
    real_set = engine.cache.set

    def record(key, value, *args, **kwargs):
        seen.append(value)
        # The stored row says "writing" until the end; the figure comes from the cache.
        assert DataImport.objects.get(pk=previewed.pk).status == ImportStatus.WRITING
        return real_set(key, value, *args, **kwargs)

    monkeypatch.setattr(engine, "CHUNK_ROWS", 1)
    monkeypatch.setattr(engine.cache, "set", record)
    written = confirm(previewed, registrasi)

    assert seen == [25, 50, 75, 99]
    assert written.status == ImportStatus.DONE and engine.progress_of(written) == 100
    assert engine.cache.get(engine.progress_key(written)) is None
