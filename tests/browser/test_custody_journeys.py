"""The registry officer's custody journey: warrants with house arrest, the warning before
a warrant ends, the verdict, remisi, and every date counted from the first day of detention."""

import datetime

from rutan.inmates.models import Inmate
from tests.factories import identity_data

from .conftest import check_page, login, shoot

D = datetime.timedelta


def _fill_warrant(page, *, authority, order, kind, number, start, end):
    page.get_by_label("Instansi / tingkat pemeriksaan").select_option(authority)
    page.get_by_label("Jenis surat").select_option(order)
    page.get_by_label("Jenis penahanan").select_option(kind)
    page.get_by_label("Nomor surat").fill(number)
    page.get_by_label("Mulai").fill(start.isoformat())
    page.get_by_label("Sampai").fill(end.isoformat())


def test_registry_officer_records_custody_verdict_and_remisi(page, registrasi, balikpapan):
    from rutan.inmates import services

    today = balikpapan.today()
    first = today - D(days=57)
    inmate = services.inmate_create(
        facility=balikpapan,
        by=registrasi,
        detention={
            "authority": "penyidik",
            "kind": "rumah",
            "warrant_number": "SP.HAN/31/2026/Reskrim",
            "start": first,
            "end": first + D(days=19),
        },
        **identity_data(
            name="Dani Kurniawan",
            registration_number="AI.0931/2026",
            admission_date=first,
            block=balikpapan.blocks.get(name="Blok A"),
        ),
    )
    login(page, "registrasi")
    page.goto(page.base_url + f"/wbp/{inmate.pk}/")
    # The first warrant has ended: held without one is red on the alert page.
    page.goto(page.base_url + "/wbp/peringatan-penahanan/")
    assert "Ditahan melewati surat penahanan" in page.content()
    page.get_by_role("link", name="Dani Kurniawan").click()
    page.get_by_role("button", name="Catat surat penahanan").click()
    _fill_warrant(
        page,
        authority="penyidik",
        order="perpanjangan",
        kind="rumah",
        number="B-102/PU/2026",
        start=first + D(days=20),
        end=first + D(days=59),
    )
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    assert "Surat penahanan dicatat" in page.content()
    check_page(page)
    # The extension ends in two days: the dashboard warns, and its figure opens that list.
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="Surat berakhir ≤ 3 hari").click()
    page.wait_for_load_state()
    assert "Dani Kurniawan" in page.content() and "2 hari lagi" in page.content()
    check_page(page)
    page.get_by_role("link", name="Dani Kurniawan").click()
    page.get_by_role("button", name="Catat putusan").click()
    page.get_by_label("Tingkat pengadilan").select_option("pengadilan_negeri")
    page.get_by_label("Nama pengadilan").fill("Pengadilan Negeri Balikpapan")
    page.get_by_label("Nomor putusan").fill("301/Pid.B/2026/PN Bpp")
    page.locator("#id_decided_on").fill((today - D(days=3)).isoformat())
    page.get_by_label("Tanggal berkekuatan hukum tetap").fill((today - D(days=1)).isoformat())
    page.get_by_label("Jenis pidana").select_option("penjara")
    page.locator("#id_years").fill("2")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    assert "kini narapidana" in page.content()
    for day, months, days in ((today - D(days=1), 0, 15), (today, 1, 0)):
        page.get_by_role("button", name="Catat remisi").click()
        page.get_by_label("Jenis remisi").select_option("khusus")
        page.get_by_label("Nomor keputusan").fill(f"PAS-{day:%Y%m%d}.PK.05.04")
        page.get_by_label("Tanggal keputusan").fill(day.isoformat())
        page.locator("#id_months").fill(str(months))
        page.locator("#id_days").fill(str(days))
        page.get_by_role("button", name="Simpan").click()
        page.wait_for_load_state()
        assert "Remisi dicatat" in page.content()
    inmate = Inmate.objects.get(pk=inmate.pk)
    # 56 days of house arrest before the verdict became final count ⅓ = 18 days.
    start = today - D(days=1) - D(days=18)
    assert inmate.custody_start == first and inmate.sentence_start == start
    assert inmate.remission_days == 45 and inmate.register_type == "B.I"
    page.get_by_text("Bagaimana tanggal ini dihitung").click()
    text = page.content()
    assert f"Hari pertama penahanan: {first:%d-%m-%Y}" in text
    assert "dikurangkan 1/3 = 18 hari" in text
    assert f"perkiraan bebas {inmate.expected_release_date:%d-%m-%Y}" in text
    check_page(page)
    shoot(page, "journey-custody-1366")
