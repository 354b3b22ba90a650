"""Bulk enrolment (/program/<id>/daftarkan-massal/): each row says before submitting whether
the inmate meets the programme's rules and why not, those in a stage the programme takes come
first, the places left are shown, and the page reads a fixed number of queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes import services
from programmes.eligibility import failing, programme_eligibility, programme_eligibility_of
from tests.html import parse, text

D = datetime.timedelta


def _rows(html):
    return [
        (
            text(item.find(".//span[@class='pick-name']")),
            "disabled" in item.find("input").attrib,
            text(item.find(".//span[@class='pick-why']"))
            or text(item.find(".//span[@class='badge badge-active']")),
        )
        for item in parse(html).iterfind(".//ul[@class='pick-list']/li")
    ]


def test_each_row_says_whether_the_inmate_qualifies_and_why_not(
    client, pembina, balikpapan, make_programme, make_inmate, assess, today
):
    programme = make_programme(
        balikpapan,
        title="Barbershop lanjut",
        min_literacy_level="paket_a",
        area="barbershop",
        required_interest_area="barbershop",
    )
    ready = make_inmate(balikpapan, name="Andi Siap")
    assess.literacy(ready, "paket_b", on=today - D(days=3))
    assess.interest(ready, ["barbershop"], on=today - D(days=2))
    unread = make_inmate(balikpapan, name="Budi Belum")
    assess.interest(unread, ["barbershop"], on=today - D(days=2))
    elsewhere = make_inmate(balikpapan, name="Candra Lain")
    assess.literacy(elsewhere, "paket_b", on=today - D(days=3))
    assess.interest(elsewhere, ["tata_rias"], on=today - D(days=2))
    client.force_login(pembina)
    html = client.get(reverse("programmes:enrol_bulk", args=[programme.pk])).content.decode()
    rows = {name: (disabled, text) for name, disabled, text in _rows(html)}
    assert rows["Andi Siap"] == (False, "Memenuhi syarat")
    assert rows["Budi Belum"][0] and "Belum ada asesmen literasi" in rows["Budi Belum"][1]
    assert rows["Candra Lain"][0] and "Minat Barbershop tidak tercatat" in rows["Candra Lain"][1]
    # The page's answers are the service's: the same rules, the same verdicts.
    for inmate in (ready, unread, elsewhere):
        expected = failing(programme_eligibility(programme=programme, inmate=inmate))
        batch = failing(programme_eligibility_of(programme=programme, inmates=[inmate])[inmate.pk])
        assert batch == expected
    assert "Pilih semua yang memenuhi syarat" in html
    capacity = text(parse(html).find(".//p[@id='capacity']"))
    assert capacity.startswith("Tempat terisi 0 dari 10. Masih 10 tempat")


def test_a_stage_the_programme_takes_comes_first(
    client, pembina, balikpapan, make_programme, early_inmate, assimilation_inmate
):
    programme = make_programme(balikpapan, eligible_stages=["asimilasi", "integrasi"])
    early_inmate.name, assimilation_inmate.name = "Aaron Awal", "Zainal Asimilasi"
    early_inmate.save(update_fields=["name"])
    assimilation_inmate.save(update_fields=["name"])
    client.force_login(pembina)
    rows = _rows(client.get(reverse("programmes:enrol_bulk", args=[programme.pk])).content.decode())
    names = [name for name, _, _ in rows]
    assert names.index("Zainal Asimilasi") < names.index("Aaron Awal")
    assert {n: d for n, d, _ in rows} == {"Zainal Asimilasi": False, "Aaron Awal": True}


def test_a_full_programme_says_so_before_submitting(
    client, pembina, balikpapan, make_programme, make_inmate
):
    programme = make_programme(balikpapan, capacity=1)
    services.enrolment_create(programme=programme, inmate=make_inmate(balikpapan), by=pembina)
    make_inmate(balikpapan, name="Dewi Tunggu")
    client.force_login(pembina)
    page = parse(client.get(reverse("programmes:enrol_bulk", args=[programme.pk])).content)
    assert "Program penuh" in text(page.find(".//p[@id='capacity']"))
    assert text(page.find(".//div[@class='pick-bar']/button")) == "Masukkan ke daftar tunggu"


def test_the_page_reads_a_fixed_number_of_queries(
    client, pembina, balikpapan, make_programme, make_inmate, assess, today
):
    programme = make_programme(
        balikpapan, min_literacy_level="paket_a", required_interest_area="literasi"
    )
    url = reverse("programmes:enrol_bulk", args=[programme.pk])
    client.force_login(pembina)
    counts = []
    for more in (2, 7):
        for _ in range(more):
            inmate = make_inmate(balikpapan)
            assess.literacy(inmate, "paket_b", on=today)
            assess.interest(inmate, ["literasi"], on=today)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        counts.append(len(queries))
    assert [disabled for _, disabled, _ in _rows(html)] == [False] * 9
    assert counts[0] == counts[1]


def test_enrolling_one_inmate_is_a_search_not_a_select_of_every_name(
    client, pembina, balikpapan, make_programme, make_inmate
):
    programme = make_programme(balikpapan, title="Pengajian Qonita", eligible_stages=["integrasi"])
    for i in range(30):
        make_inmate(balikpapan, name=f"Warga Uji {i:02d}")
    target = make_inmate(balikpapan, name="Sari Wulandari")
    client.force_login(pembina)
    url = reverse("programmes:enrol", args=[programme.pk])
    page = parse(client.get(url).content)
    assert page.find(".//select[@name='inmate']") is None  # no list of every name
    radios = list(page.iterfind(".//input[@name='inmate']"))
    assert 0 < len(radios) <= 25  # one page
    found = client.get(url, {"q": "wulan"}, HTTP_HX_REQUEST="true")
    rows = _rows(found.content.decode())
    assert [name for name, _, _ in rows] == ["Sari Wulandari"]
    # Not in the stage the programme takes: shown, with why, and cannot be picked.
    assert rows[0][1] and "Tahap" in rows[0][2]
    response = client.post(url, {"inmate": target.pk})
    assert response.status_code == 200
    assert "Tidak dapat didaftarkan" in response.content.decode()
    assert not programme.enrolments.exists()
