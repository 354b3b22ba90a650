import datetime
from pathlib import Path

from django.utils import timezone

from rutan.reports.models import ReportRun
from rutan.reports.periods import last_month

from .conftest import check_page, login, press_by_keyboard, shoot


def test_generate_and_download_a_monthly_report(page, kepala, balikpapan, make_inmate):
    start = timezone.localdate() - datetime.timedelta(days=400)
    make_inmate(balikpapan, name="Ahmad Fauzi", admission_date=start, sentence_start=start)
    make_inmate(balikpapan, name="Rina Marlina", sex="P", admission_date=start)
    login(page, "kepala")
    page.get_by_role("link", name="Laporan", exact=True).click()
    page.wait_for_load_state()
    check_page(page)
    page.get_by_role("button", name="Buat laporan sekarang").click()
    check_page(page)
    page.get_by_label("Laporan untuk").select_option(label=balikpapan.name)
    assert page.locator("#id_period").input_value() == last_month()
    page.get_by_role("button", name="Buat laporan", exact=True).click()
    page.wait_for_load_state()
    run = ReportRun.objects.get()
    assert page.url.endswith(f"/reports/{run.pk}/")
    # The worker is eager in tests: the message says what the run became (built already),
    # never "queued" above "Selesai"; the progress block polls until the run is done.
    message = page.locator(".messages").inner_text()
    assert "selesai dibuat" in message and "dalam antrean" not in message, message
    progress = page.locator("#run-progress")
    progress.get_by_text("Selesai").wait_for()
    assert progress.locator("progress").get_attribute("value") == "100"
    check_page(page)
    shoot(page, "journey-report-1366")

    with page.expect_download() as info:
        press_by_keyboard(page, progress.get_by_role("button", name="Unduh PDF"))
    download = info.value
    assert download.suggested_filename == f"laporan-rutan-balikpapan-{last_month()}-v1.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
    page.set_viewport_size({"width": 360, "height": 900})
    check_page(page)
    shoot(page, "journey-report-360")
