"""The bulk import as a new user tries it: the issue's "done when", end to end."""

import io

from openpyxl import load_workbook
from rest_framework.test import APIClient

from rutan.core.models import AuditEntry
from rutan.inmates.models import Inmate
from tests.factories import api_token
from tests.imports.test_register import BROKEN, row

from .conftest import check_page, login, shoot


def _write(tmp_path, name, rows):
    import csv

    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(rows[0]))
        for r in rows:
            writer.writerow(list(r.values()))
    return path


def _upload(page, path):
    page.get_by_label("Berkas (CSV atau XLSX)").set_input_files(str(path))
    # Celery runs eagerly in tests: the preview is finished when the page arrives.
    with page.expect_navigation(timeout=300_000):
        page.get_by_role("button", name="Unggah dan pratinjau").click(timeout=300_000)
    page.get_by_text("Siap diimpor").wait_for()


def _errors(page) -> list[str]:
    table = page.locator("h2:has-text('Kesalahan') + div table tbody tr")
    return [table.nth(i).inner_text() for i in range(table.count())]


def test_thousand_row_register_with_broken_rows_then_reimport_export_and_412(
    page, registrasi, balikpapan, tmp_path
):
    rows = [row(n, **BROKEN.get(n, {})) for n in range(1, 1001)]
    broken = _write(tmp_path, "register-sdp.csv", rows)
    login(page, "registrasi")
    page.get_by_role("link", name="Register WBP").click()
    page.get_by_role("button", name="Impor register").click()
    check_page(page)

    _upload(page, broken)
    reasons = _errors(page)
    assert len(reasons) == 7, reasons
    assert any("Blok “Blok Z” tidak ada di UPT ini." in r for r in reasons)
    assert any("Wajib diisi." in r for r in reasons)
    assert Inmate.objects.count() == 0
    check_page(page)
    shoot(page, "journey-import-preview-1366")

    # Fix two of the seven rows (the date and the block) and upload again.
    fixed_rows = [row(n, **({} if n in (100, 200) else BROKEN.get(n, {}))) for n in range(1, 1001)]
    fixed = _write(tmp_path, "register-sdp-diperbaiki.csv", fixed_rows)
    page.get_by_role("button", name="Unggah berkas lain").click()
    _upload(page, fixed)
    assert len(_errors(page)) == 5
    with page.expect_navigation(timeout=300_000):
        page.get_by_role("button", name="Simpan 995 baris").click(timeout=300_000)
    page.get_by_text("Selesai").first.wait_for()
    good = {r["registration_number"] for n, r in enumerate(fixed_rows, 1) if n not in BROKEN}
    good |= {fixed_rows[99]["registration_number"], fixed_rows[199]["registration_number"]}
    stored = set(Inmate.objects.values_list("registration_number", flat=True))
    assert stored == good and len(stored) == 995
    check_page(page)

    # The same file again: every good row is unchanged and nothing is written.
    audit_before = AuditEntry.objects.exclude(object_type="imports.dataimport").count()
    page.get_by_role("button", name="Unggah berkas lain").click()
    _upload(page, fixed)
    assert "Simpan 0 baris" in page.content()
    assert page.get_by_role("button", name="Simpan 0 baris").is_disabled()
    assert AuditEntry.objects.exclude(object_type="imports.dataimport").count() == audit_before

    # Export the register back with a filter and open it as a spreadsheet.
    page.goto(page.base_url + "/wbp/?q=WBP+Nomor+99")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh XLSX").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    names = sorted(
        r[0] for r in sheet.iter_rows(values_only=True) if str(r[0]).startswith("WBP Nomor")
    )
    expected = sorted(
        Inmate.objects.filter(name__icontains="WBP Nomor 99").values_list("name", flat=True)
    )
    assert names == expected and len(names) == 11  # 99 and 990–999

    # Two API clients edit the same inmate: the second, holding the old tag, gets 412.
    inmate = Inmate.objects.get(registration_number=fixed_rows[0]["registration_number"])
    first, second = APIClient(), APIClient()
    token = api_token(registrasi)
    for client in (first, second):
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    url = f"{page.base_url}/api/v1/inmates/{inmate.pk}/"
    tag = first.get(url)["ETag"]
    assert second.get(url)["ETag"] == tag
    assert first.patch(url, {"case_article": "Pasal 112"}, HTTP_IF_MATCH=tag).status_code == 200
    stale = second.patch(url, {"case_article": "Pasal 114"}, HTTP_IF_MATCH=tag)
    assert stale.status_code == 412
    inmate.refresh_from_db()
    assert inmate.case_article == "Pasal 112"
