"""The Kasi Binadik's rights journey: narkotika inmates proposed at ½ or ⅔ by sentence
length, a family guarantor recorded on the page, and the dashboard's figures."""

import datetime
import re

from .conftest import check_page, login, shoot

D = datetime.timedelta


def test_narkotika_by_length_and_a_family_guarantor(page, kepala, balikpapan, make_inmate):
    today = balikpapan.today()
    # 3 years (1 096 days): ½ falls in 8 days. 6 years (2 192 days): its ½ has passed,
    # its ⅔ (day 1 462) falls in 7 days — 5 years or more is the special rule.
    three = make_inmate(
        balikpapan,
        name="Arif Setiawan",
        case_category="narkotika",
        sentence_start=today - D(days=540),
        sentence_years=3,
        remission_days=0,
    )
    six = make_inmate(
        balikpapan,
        name="Bayu Pratama",
        case_category="narkotika",
        sentence_start=today - D(days=1455),
        sentence_years=6,
        remission_days=0,
    )
    login(page, "kepala")
    page.goto(page.base_url + "/asesmen/kelayakan/?kind=asimilasi")
    check_page(page)
    cards = page.locator("article", has_text="Arif Setiawan")
    assert "Telah menjalani 1/2 masa pidana" in cards.first.inner_text()
    assert "< 5 tahun: ketentuan umum" in cards.first.inner_text()
    card = page.locator("article", has_text="Bayu Pratama").first.inner_text()
    assert "Telah menjalani 2/3 masa pidana" in card
    assert "Ketentuan tindak pidana khusus berlaku." in card
    assert f"{three.asimilasi_from:%d-%m-%Y}" != f"{six.asimilasi_from:%d-%m-%Y}"
    # A family guarantor, recorded on the page, satisfies the guarantor condition.
    page.goto(page.base_url + f"/wbp/{six.pk}/")
    page.get_by_role("button", name="Catat penjamin").click()
    check_page(page)
    page.get_by_label("Keluarga").check()
    page.get_by_label("Nama penjamin").fill("Wati Pratama")
    page.get_by_label("Hubungan dengan WBP").fill("istri")
    page.get_by_label("NIK penjamin").fill("6471 0545 0190 0001")
    page.get_by_label("Alamat penjamin").fill("Jl. Soekarno-Hatta Km 5, Balikpapan")
    page.get_by_label("Nomor surat jaminan").fill("01/SJ/XII/2026")
    page.get_by_label("Berlaku mulai").fill(today.isoformat())
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    text = page.content()
    assert "Wati Pratama" in text and "6471054501900001" in text
    page.goto(page.base_url + f"/asesmen/wbp/{six.pk}/")
    assert "Dijamin oleh Wati Pratama (keluarga, istri)." in page.content()
    check_page(page)
    shoot(page, "journey-rights-1366")
    # Every linked figure on the dashboard opens a list of exactly that many.
    page.goto(page.base_url + "/")
    figures = page.eval_on_selector_all(
        "a:has(.stat-value), #custody-widget a:has(strong)",
        "els => els.map(e => [e.href, e.querySelector('.stat-value, strong').textContent])",
    )
    assert len(figures) >= 4, figures
    for href, figure in figures:
        page.goto(href)
        counted = page.locator(".result-count").first.inner_text()
        assert re.search(r"\d+", counted).group() == figure.strip(), (href, counted)
