"""The directorate's dashboard: past `REGION_SUMMARY_FROM` facilities one row per Kanwil
(the sums of its facilities' rows), each opening its facilities; served from the cache until
a facility's data changes."""

import pytest

from rutan.dashboard import selectors
from tests.dashboard.test_views import grow


@pytest.fixture
def by_region(monkeypatch):
    monkeypatch.setattr(selectors, "REGION_SUMMARY_FROM", 1)


def test_one_row_per_kanwil_with_its_facilities_summed(
    client, national_admin, balikpapan, ruteng, make_inmate, by_region
):
    grow(balikpapan, make_inmate, 3)
    grow(ruteng, make_inmate, 2)
    client.force_login(national_admin)
    response = client.get("/")
    assert response.status_code == 200
    context = response.context
    assert context["by_region"] is True
    rows = {row["name"]: row for row in context["rows"]}
    assert set(rows) == {balikpapan.regional_office.name, ruteng.regional_office.name}
    assert rows[balikpapan.regional_office.name]["population"] == 3
    assert rows[ruteng.regional_office.name]["population"] == 2
    assert rows[ruteng.regional_office.name]["facilities"] == 1
    assert context["totals"]["population"] == 5
    html = response.content.decode()
    assert f"?kanwil={ruteng.regional_office.pk}" in html
    assert "Kanwil" in html

    opened = client.get(f"/?kanwil={ruteng.regional_office.pk}")
    assert opened.context["by_region"] is False
    assert [row["facility"] for row in opened.context["rows"]] == [ruteng]
    assert opened.context["rows"][0]["population"] == 2
    assert opened.context["rows"][0]["population_url"] == f"/wbp/?facility={ruteng.pk}"


def test_a_kanwil_outside_the_reach_or_unknown_is_404(client, kanwil, ruteng, by_region):
    client.force_login(kanwil)
    assert client.get(f"/?kanwil={ruteng.regional_office.pk}").status_code == 404
    assert client.get("/?kanwil=abc").status_code == 404


def test_the_cached_page_follows_a_new_inmate(
    client, national_admin, balikpapan, ruteng, make_inmate, by_region
):
    grow(balikpapan, make_inmate, 1)
    client.force_login(national_admin)
    first = client.get("/").context["totals"]["population"]
    assert client.get("/").context["totals"]["population"] == first
    make_inmate(ruteng)
    assert client.get("/").context["totals"]["population"] == first + 1
