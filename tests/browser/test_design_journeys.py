"""The design round (issue 15) in a browser: the phone menu, nothing wider than a 360 px
screen, the one filter pattern, sortable and numbered lists, and the bulk enrolment list."""

from playwright.sync_api import expect

from programmes import services

from .conftest import check_page, login, menu_link, shoot

# Pages each role opens on a phone; none may be wider than the screen.
PHONE_PAGES = {
    "kepala": ["/", "/wbp/", "/wbp/?sort=release", "/program/", "/asesmen/", "/mitra/"],
    "pembina": ["/", "/asesmen/?kind=literasi", "/sesi/hari-ini/"],
}


def _fits(page):
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url}: {width[0]} px wide on a {width[1]} px screen"


def test_the_phone_menu_opens_and_closes_without_inline_script(phone, kepala):
    login(phone, "kepala")
    button = phone.get_by_role("button", name="Menu", exact=True)
    menu = phone.get_by_role("navigation", name="Menu utama")
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert not menu.get_by_role("link", name="Register WBP").is_visible()
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert menu.get_by_role("link", name="Register WBP").is_visible()
    _fits(phone)
    check_page(phone)
    shoot(phone, "design-menu-open-360")
    phone.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    menu_link(phone, "Register WBP")
    assert phone.get_by_role("heading", name="Register WBP").is_visible()


def test_the_desktop_menu_has_no_button(page, kepala):
    login(page, "kepala")
    assert not page.get_by_role("button", name="Menu", exact=True).is_visible()
    assert (
        page.get_by_role("navigation", name="Menu utama")
        .get_by_role("link", name="Register WBP")
        .is_visible()
    )


def test_no_page_is_wider_than_a_phone(
    phone, kepala, pembina, balikpapan, make_inmate, sekata, make_agreement
):
    for i in range(30):
        make_inmate(balikpapan, name=f"Warga Uji {i:02d}")
    # A partner's long name fills a breadcrumb line; its separator stays on the screen.
    agreement = make_agreement(sekata)
    pages = PHONE_PAGES | {"kepala": [*PHONE_PAGES["kepala"], f"/mitra/perjanjian/{agreement.pk}/"]}
    for user, paths in pages.items():
        phone.context.clear_cookies()
        login(phone, user)
        for path in paths:
            phone.goto(phone.base_url + path)
            phone.wait_for_load_state()
            _fits(phone)
            check_page(phone)
    phone.goto(phone.base_url + "/wbp/")
    shoot(phone, "design-register-360")


def test_the_register_filters_fold_sort_and_number_their_pages(
    page, kepala, balikpapan, make_inmate
):
    for i in range(30):
        make_inmate(balikpapan, name=f"Warga Uji {i:02d}", sentence_years=1 + i % 5)
    login(page, "kepala")
    menu_link(page, "Register WBP")
    more = page.locator("details.filter-more")
    assert more.get_attribute("open") is None
    assert not page.get_by_label("Perkara").is_visible()
    page.get_by_text("Saringan lain").click()
    page.get_by_label("Perkara").select_option(label="Pidana umum")
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_load_state()
    assert page.locator("details.filter-more").get_attribute("open") is not None
    page.get_by_role("link", name="Perkiraan bebas").click()
    page.wait_for_load_state()
    assert "case_category=pidana_umum" in page.url and "sort=release" in page.url
    header = page.locator("th[aria-sort=ascending]")
    assert header.inner_text().startswith("Perkiraan bebas")
    page.get_by_role("link", name="Halaman 2", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".page-numbers [aria-current=page]").inner_text() == "2"
    assert "sort=release" in page.url
    check_page(page)
    shoot(page, "design-register-1366")


def test_bulk_enrolment_picks_the_eligible_with_one_box(
    phone, pembina, balikpapan, make_programme, make_inmate
):
    programme = make_programme(balikpapan, title="Pengajian Qonita", eligible_sex="P", capacity=3)
    for name in ("Ani Putri", "Budi Putra", "Citra Dewi"):
        make_inmate(balikpapan, name=name, sex="P" if name != "Budi Putra" else "L")
    services.enrolment_create(
        programme=programme, inmate=make_inmate(balikpapan, name="Dewi Lama", sex="P"), by=pembina
    )
    login(phone, "pembina")
    phone.goto(phone.base_url + f"/program/{programme.pk}/daftarkan-massal/")
    assert "Tempat terisi 1 dari 3" in phone.locator("#capacity").inner_text()
    count = phone.locator("[data-select-all-count]")
    assert count.inner_text() == "0 dipilih"
    phone.get_by_label("Pilih semua yang memenuhi syarat di halaman ini").check()
    assert count.inner_text() == "2 dipilih"
    _fits(phone)
    check_page(phone)
    shoot(phone, "design-bulk-enrol-360")
    phone.get_by_role("button", name="Daftarkan yang dipilih").click()
    phone.wait_for_load_state()
    assert "2 terdaftar, 0 masuk daftar tunggu" in phone.content()
    assert programme.enrolments.filter(status="active").count() == 3


def test_enrolling_one_inmate_searches_as_you_type(
    page, pembina, balikpapan, make_programme, make_inmate
):
    programme = make_programme(balikpapan, title="Kelas Literasi", capacity=5)
    for i in range(30):
        make_inmate(balikpapan, name=f"Warga Uji {i:02d}")
    make_inmate(balikpapan, name="Sari Wulandari")
    login(page, "pembina")
    page.goto(page.base_url + f"/program/{programme.pk}/daftarkan/")
    assert page.locator(".pick-list li").count() == 25
    search = page.get_by_label("Cari nama / no. registrasi")
    # Typed slowly enough that each pause sends a search: only the last answer is shown
    # (hx-sync replaces the request in flight), never an earlier one arriving late.
    search.press_sequentially("Warga Uji 0", delay=330)
    expect(page.locator(".pick-list li")).to_have_count(10)
    assert 'hx-sync="this:replace"' in page.content()
    search.fill("wulan")
    expect(page.locator(".pick-list li")).to_have_count(1)
    assert "q=wulan" in page.url  # the address follows, so back and reload keep the search
    page.get_by_label("Sari Wulandari").check()
    check_page(page)
    shoot(page, "design-enrol-one-1366")
    page.get_by_role("button", name="Daftarkan", exact=True).click()
    page.wait_for_load_state()
    assert "Sari Wulandari terdaftar" in page.content()
    assert programme.enrolments.filter(inmate__name="Sari Wulandari").exists()
