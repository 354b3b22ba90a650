"""The register of a Kanwil or the whole country: counted up to a cap, a facility filter
grouped by Kanwil, blocks only once a facility is chosen, no button per facility."""

from django.core.cache import cache

from rutan.core import pagination
from tests.factories import BlockFactory, FacilityFactory


def test_past_the_cap_the_count_says_more_than(
    client, national_admin, balikpapan, make_inmate, monkeypatch
):
    monkeypatch.setattr(pagination.CappedPaginator, "cap", 2)
    for i in range(3):
        make_inmate(balikpapan, name=f"Warga {i}")
    client.force_login(national_admin)
    response = client.get("/wbp/")
    assert response.context["page_obj"].paginator.capped
    assert "Lebih dari 2 WBP ditemukan" in response.content.decode()
    monkeypatch.setattr(pagination.CappedPaginator, "cap", 3)
    cache.clear()  # a new cap is a new release: the cached page is not reused
    response = client.get("/wbp/")
    assert not response.context["page_obj"].paginator.capped
    assert "3 WBP ditemukan" in response.content.decode()


def test_the_api_says_when_its_count_is_capped(
    client, national_admin, balikpapan, make_inmate, monkeypatch
):
    from tests.factories import api_token

    monkeypatch.setattr(pagination.CappedPaginator, "cap", 1)
    make_inmate(balikpapan, name="Warga A")
    make_inmate(balikpapan, name="Warga B")
    headers = {"Authorization": f"Token {api_token(national_admin)}"}
    body = client.get("/api/v1/inmates/", headers=headers).json()
    assert body["count"] == 2 and body["count_exact"] is False
    monkeypatch.setattr(pagination.CappedPaginator, "cap", 5)
    cache.clear()  # a new cap is a new release
    body = client.get("/api/v1/inmates/", headers=headers).json()
    assert body["count"] == 2 and body["count_exact"] is True


def test_many_facilities_group_by_kanwil_and_wait_for_one_before_blocks(
    client, national_admin, balikpapan, ruteng
):
    for i in range(4):
        facility = FacilityFactory(code=f"upt-extra-{i}", regional_office=ruteng.regional_office)
        BlockFactory(facility=facility, name=f"Blok X{i}", sex="L")
    client.force_login(national_admin)
    html = client.get("/wbp/").content.decode()
    assert f'<optgroup label="{ruteng.regional_office.name}">' in html
    assert "Blok X1" not in html  # no block list before a facility is chosen
    assert "Pilih UPT di saringan" in html
    assert "Daftarkan WBP di" not in html
    html = client.get(f"/wbp/?facility={balikpapan.pk}").content.decode()
    assert "Daftarkan WBP di" in html and balikpapan.name in html
    assert "Blok X1" not in html
    assert f'value="{balikpapan.pk}" selected' in html


def test_the_admin_says_more_than_past_the_cap_not_a_wrong_total(
    admin_client, balikpapan, make_inmate, monkeypatch
):
    monkeypatch.setattr(pagination.CappedPaginator, "cap", 2)
    for i in range(3):
        make_inmate(balikpapan, name=f"Warga {i}")
    html = admin_client.get("/admin/inmates/inmate/").content.decode()
    # In the search bar and under the rows; never "3 hasil" (the cap + 1).
    assert html.count("Lebih dari 2 baris") == 2
    assert "3 hasil" not in html and "3 WBP" not in html
    monkeypatch.setattr(pagination.CappedPaginator, "cap", 5)
    cache.clear()
    html = admin_client.get("/admin/inmates/inmate/").content.decode()
    assert "Lebih dari" not in html and "3 WBP" in html
