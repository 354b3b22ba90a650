"""Agreement import in the admin: every bad row named by its line, in Indonesian; all or nothing."""

import datetime
import io

import openpyxl
import pytest
import tablib
from django.urls import reverse

from partners import services
from partners.models import Agreement
from partners.resources import AgreementResource, ImportProblem, NumberedCSV

IMPORT = "admin:partners_agreement_import"
HEAD = (
    "kode_upt,nomor,jenis,judul,mitra,nomor_pihak_mitra,"
    "tanggal_tanda_tangan,berlaku_mulai,berlaku_sampai"
)
SEKATA = "Yayasan SEKATA (Selamatkan Anak Kita) Balikpapan"


def row(number, partner=SEKATA, start="2025-11-05", end="2026-11-04", code="rutan-balikpapan"):
    return f"{code},{number},pks,Pendampingan,{partner},,2025-11-05,{start},{end}"


def upload(client, content, name="perjanjian.csv", fmt="0"):
    data = content.encode() if isinstance(content, str) else content
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse(IMPORT), {"import_file": file, "format": fmt, "resource": "0"})


@pytest.fixture
def staff(client, kepala, sekata):
    client.force_login(kepala)
    return client


def test_bad_row_in_the_middle_is_named_by_its_line_and_nothing_is_created(staff):
    content = "\n".join(
        [HEAD, row("PKS/1"), row("PKS/2"), row("PKS/3", partner="Mitra Tak Dikenal"), row("PKS/4")]
    )
    response = upload(staff, content + "\n")
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["result"].problems == [
        ImportProblem(4, "mitra", "Mitra “Mitra Tak Dikenal” tidak terdaftar di UPT tersebut.")
    ]
    assert "baris 4" in html
    assert "Impor dibatalkan" in html and "Tidak ada data yang disimpan atau diubah" in html
    assert "Konfirmasi impor" not in html  # no way to go on
    # The library's English texts are not on the page.
    for english in ("Line number", "Errors", "Some rows failed", "Confirm import", "Submit"):
        assert english not in html
    assert not Agreement.objects.exists()


def test_line_numbers_follow_the_file_even_with_blank_lines_and_semicolons(staff):
    content = ";".join(HEAD.split(",")) + "\n"
    content += row("PKS/1").replace(",", ";") + "\n\n"  # blank line 3
    content += row("PKS/2", end="2024-01-01").replace(",", ";") + "\n"  # line 4: ends too early
    response = upload(staff, "\ufeff" + content)
    problems = response.context["result"].problems
    assert [p.line for p in problems] == [4]
    assert "tidak boleh sebelum mulai" in problems[0].message
    assert "baris 4" in response.content.decode()
    assert not Agreement.objects.exists()


def test_several_problems_each_with_line_and_column(staff):
    content = "\n".join(
        [
            HEAD,
            row("PKS/1", start="2025-13-45"),  # line 2: not a date
            row("PKS/2", code="rutan-ruteng"),  # line 3: facility outside the user's scope
            row("PKS/1"),  # line 4: same number twice in the file
            row("PKS/5").replace(",pks,", ",spk,"),  # line 5: unknown kind
        ]
    )
    problems = upload(staff, content).context["result"].problems
    by_line = {(p.line, p.column): p.message for p in problems}
    assert "TTTT-BB-HH" in by_line[(2, "berlaku_mulai")]
    assert by_line[(3, "kode_upt")] == "UPT dengan kode “rutan-ruteng” tidak ditemukan."
    assert by_line[(4, "nomor")] == "Nomor “PKS/1” sudah ada di baris 2 berkas ini."
    assert "tidak dikenal" in by_line[(5, "jenis")]
    assert not Agreement.objects.exists()


def test_xlsx_bad_row_is_named_by_its_sheet_row(staff):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEAD.split(","))
    sheet.append(row("PKS/1").split(","))
    sheet.append(row("PKS/2", partner="Mitra Lain").split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(staff, buffer.getvalue(), name="perjanjian.xlsx", fmt="1")
    assert [(p.line, p.column) for p in response.context["result"].problems] == [(3, "mitra")]
    assert not Agreement.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("kode_upt,nomor,jenis\nrutan-balikpapan,PKS/1,pks\n", "Kolom berikut tidak ada"),
        (HEAD + "\n", "Berkas tidak berisi data"),
        (HEAD + "\n" + row("PKS/1") + ",x,y\n", "Baris 2 berisi lebih banyak kolom"),
    ],
)
def test_unreadable_files_are_refused_in_indonesian(staff, content, message):
    response = upload(staff, content)
    assert message in response.content.decode()
    assert not Agreement.objects.exists()


def test_good_file_is_previewed_then_imported_through_services(staff, kepala):
    content = "\n".join([HEAD, row("PKS/1"), row("PKS/2")])
    preview = upload(staff, content)
    html = preview.content.decode()
    assert "Pratinjau" in html and "Konfirmasi impor" in html
    assert not Agreement.objects.exists()  # the preview is a dry run
    confirm = preview.context["confirm_form"]
    response = staff.post(
        reverse("admin:partners_agreement_process_import"),
        {**confirm.initial, "confirm": "1"},
        follow=True,
    )
    assert "Impor selesai: 2 perjanjian baru" in response.content.decode()
    agreements = Agreement.objects.order_by("number")
    assert [a.number for a in agreements] == ["PKS/1", "PKS/2"]
    assert all(a.status == "draft" and a.created_by == kepala for a in agreements)


def test_file_that_turns_bad_before_confirm_changes_nothing(staff, kepala, sekata):
    content = "\n".join([HEAD, row("PKS/1"), row("PKS/2")])
    preview = upload(staff, content)
    confirm = preview.context["confirm_form"]
    # Between the preview and the confirmation the partner is renamed: every row now fails.
    services.partner_update(partner=sekata, by=kepala, name="Yayasan SEKATA")
    response = staff.post(
        reverse("admin:partners_agreement_process_import"), {**confirm.initial, "confirm": "1"}
    )
    assert response.status_code == 200
    assert [p.line for p in response.context["result"].problems] == [2, 3]
    assert "Impor dibatalkan" in response.content.decode()
    assert not Agreement.objects.exists()


def test_direct_import_is_all_or_nothing(kepala, sekata):
    content = "\n".join([HEAD, row("PKS/1"), row("PKS/2", partner="Mitra Tak Dikenal")])
    dataset = NumberedCSV(encoding="utf-8").create_dataset(content)
    resource = AgreementResource(user=kepala)
    result = resource.import_data(dataset, dry_run=False, user=kepala)
    assert result.has_validation_errors()
    assert [(p.line, p.column) for p in result.problems] == [(3, "mitra")]
    assert not Agreement.objects.exists()

    plain = tablib.Dataset().load("\n".join([HEAD, row("PKS/1"), row("PKS/2", end="x")]), "csv")
    result = AgreementResource(user=kepala).import_data(plain, dry_run=False, user=kepala)
    assert [p.line for p in result.problems] == [3]  # without a file: data row N is line N+1
    assert not Agreement.objects.exists()


def test_read_only_staff_cannot_import(client, magang):
    client.force_login(magang)
    assert client.get(reverse(IMPORT)).status_code == 302  # not staff: the admin login


def test_import_page_lists_only_importable_columns(staff):
    html = staff.get(reverse(IMPORT)).content.decode()
    assert "<code>" + HEAD.replace(",", ", ") + "</code>" in html
    assert "jenis_mitra" not in html and "perpanjangan_dari" not in html
    assert "Periksa berkas" in html and "Impor perjanjian" in html


def test_dates_are_read_day_first_and_from_xlsx_date_cells(staff):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEAD.split(","))
    sheet.append(
        [
            "rutan-balikpapan",
            "PKS/1",
            "pks",
            "Pendampingan",
            SEKATA,
            None,
            datetime.datetime(2025, 11, 5),  # a real date cell
            "05/11/2025",  # 5 November, not 11 May
            "4-11-2026",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    preview = upload(staff, buffer.getvalue(), name="perjanjian.xlsx", fmt="1")
    assert not preview.context["result"].problems
    staff.post(
        reverse("admin:partners_agreement_process_import"),
        {**preview.context["confirm_form"].initial, "confirm": "1"},
    )
    agreement = Agreement.objects.get()
    assert (agreement.signed_on, agreement.valid_from, agreement.valid_to) == (
        datetime.date(2025, 11, 5),
        datetime.date(2025, 11, 5),
        datetime.date(2026, 11, 4),
    )
    assert agreement.partner_number == ""
