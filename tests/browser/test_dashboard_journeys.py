from tests.factories import BlockFactory, FacilityFactory

from .conftest import check_page, login, shoot


def test_regional_dashboard_has_one_row_per_facility_and_no_names(
    page, kanwil, kaltim, balikpapan, ruteng, make_inmate
):
    samarinda = FacilityFactory(
        code="lapas-samarinda",
        name="Lapas Kelas IIA Samarinda",
        regional_office=kaltim,
        capacity=200,
    )
    BlockFactory(facility=samarinda, name="Blok A", sex="L")
    people = [
        make_inmate(balikpapan, name="Ahmad Fauzi"),
        make_inmate(balikpapan, name="Rina Marlina", sex="P"),
        make_inmate(samarinda, name="Sutrisno Wibowo"),
        make_inmate(ruteng, name="Yohanes Tefa"),
    ]
    login(page, "kanwil")
    table = page.locator("#regional-table table")
    assert page.get_by_text("Ringkasan UPT").is_visible()
    body_rows = table.locator("tbody tr")
    assert body_rows.count() == 2
    assert [body_rows.nth(i).locator("th a").inner_text() for i in range(2)] == [
        "Lapas Kelas IIA Samarinda",
        "Rutan Kelas IIA Balikpapan",
    ]
    total = table.locator("tfoot tr")
    assert total.locator("th").inner_text() == "Jumlah"
    expected = f"3 / {balikpapan.capacity + samarinda.capacity:,}".replace(",", ".")
    assert " ".join(total.locator("td").first.inner_text().split()) == expected
    html = page.content()
    assert ruteng.name not in html
    for inmate in people:
        assert inmate.name not in html and inmate.registration_number not in html
    check_page(page)

    # Sorting by population swaps the table in place (htmx) and keeps the address.
    page.get_by_role("link", name="Penghuni / kapasitas").click()
    page.wait_for_url("**/?sort=population")
    page.get_by_role("link", name="Penghuni / kapasitas ↑").click()
    page.wait_for_url("**/?sort=population&dir=desc")
    assert body_rows.first.locator("th a").inner_text() == "Rutan Kelas IIA Balikpapan"
    assert table.locator("th[aria-sort=descending]").count() == 1
    check_page(page)
    shoot(page, "journey-regional-1366")
    page.set_viewport_size({"width": 360, "height": 900})
    check_page(page)
    shoot(page, "journey-regional-360")
