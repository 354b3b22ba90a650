import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from rutan.core.models import AuditEntry
from rutan.inmates.models import Inmate, Placement
from tests.html import parse, text


def test_list_search_filter_and_paginate(client, kepala, balikpapan, make_inmate):
    for i in range(30):
        make_inmate(balikpapan, name=f"Warga Uji {i:02d}")
    make_inmate(balikpapan, name="Sari Wulandari", sex="P", case_category="narkotika")
    client.force_login(kepala)
    page1 = client.get(reverse("inmates:list")).content.decode()
    assert "31 WBP ditemukan" in page1 and "Halaman 1 dari 2" in page1
    found = client.get(reverse("inmates:list"), {"q": "wulan"}).content.decode()
    assert "Sari Wulandari" in found and "Warga Uji 00" not in found
    narkotika = client.get(reverse("inmates:list"), {"case_category": "narkotika"})
    assert narkotika.context["page_obj"].paginator.count == 1
    women = client.get(
        reverse("inmates:list"), {"block": balikpapan.blocks.get(name="Blok Wanita").pk}
    )
    assert [i.name for i in women.context["page_obj"]] == ["Sari Wulandari"]


def test_list_filter_by_stage(client, kepala, balikpapan, make_inmate):
    today = timezone.localdate()
    early = make_inmate(
        balikpapan,
        name="Baru Masuk",
        sentence_start=today - datetime.timedelta(days=10),
        admission_date=today - datetime.timedelta(days=5),
    )
    make_inmate(
        balikpapan,
        name="Hampir Bebas",
        sentence_start=today - datetime.timedelta(days=1000),
        admission_date=today - datetime.timedelta(days=990),
    )
    client.force_login(kepala)
    response = client.get(reverse("inmates:list"), {"stage": "admisi_orientasi"})
    assert [i.pk for i in response.context["page_obj"]] == [early.pk]


def test_invalid_filter_is_ignored_with_message(client, kepala, balikpapan, make_inmate):
    make_inmate(balikpapan)
    client.force_login(kepala)
    response = client.get(reverse("inmates:list"), {"stage": "bogus"})
    assert response.status_code == 200
    assert "Masukkan pilihan yang valid" in response.content.decode()


def test_list_query_count_does_not_grow(
    client, kepala, balikpapan, make_inmate, django_assert_max_num_queries
):
    make_inmate(balikpapan)
    client.force_login(kepala)
    client.get(reverse("inmates:list"))
    cache.clear()  # the page is rendered, not read from the cache
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("inmates:list"))
    for _ in range(40):
        make_inmate(balikpapan)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("inmates:list"))
    assert len(response.context["page_obj"]) == 25


def test_the_cached_register_shows_a_write_at_once_and_audits_every_page(
    client, kepala, balikpapan, make_inmate, django_assert_max_num_queries
):
    make_inmate(balikpapan, name="Ahmad Sidik")
    client.force_login(kepala)
    url = reverse("inmates:list")
    client.get(url)
    with django_assert_max_num_queries(6):  # session, user, scope, version, audit (+ savepoint)
        again = client.get(url)
    assert "Ahmad Sidik" in again.content.decode()
    make_inmate(balikpapan, name="Budi Santoso")
    assert "Budi Santoso" in client.get(url).content.decode()
    pages = AuditEntry.objects.filter(action="read", actor=kepala, object_id="")
    assert [len(entry.after["ids"]) for entry in pages.order_by("id")] == [1, 1, 2]


def test_detail_shows_timeline_and_logs_the_read(client, kepala, balikpapan, make_inmate):
    inmate = make_inmate(balikpapan, name="Joko Pratama")
    client.force_login(kepala)
    html = client.get(reverse("inmates:detail", args=[inmate.pk])).content.decode()
    assert "Joko Pratama" in html and "Riwayat penempatan" in html and "Penerimaan" in html
    assert (
        AuditEntry.objects.filter(
            action="read", object_id=str(inmate.pk), actor=kepala, via="web"
        ).count()
        == 1
    )


def test_create_form_shows_indonesian_errors_and_saves_nothing(client, registrasi, balikpapan):
    client.force_login(registrasi)
    url = reverse("inmates:create", args=[balikpapan.pk])
    response = client.post(
        url,
        {
            "name": "",
            "registration_number": "BI.1/2025",
            "register_type": "B.I",
            "legal_status": "narapidana",
            "sex": "L",
            "birth_date": "2030-01-01",
            "religion": "islam",
            "education_level": "sma",
            "case_category": "pidana_umum",
            "admission_date": "2025-01-10",
            "sentence_start": "2025-01-01",
            "sentence_years": "-1",
            "sentence_months": "0",
            "sentence_days": "0",
            "remission_days": "0",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bidang ini harus diisi." in html
    # The summary at the top names each problem and links to its field.
    assert "hal yang perlu diperbaiki" in html
    assert '<a href="#id_name">Nama: Bidang ini harus diisi.</a>' in html
    assert not Inmate.objects.exists()


def test_registry_officer_registers_records_verdict_and_remisi(client, registrasi, balikpapan):
    """The registry's path through the pages: register with the first warrant, extend it,
    record the verdict and a remisi; every date is counted from the first day of detention
    and the page says how."""
    client.force_login(registrasi)
    block = balikpapan.blocks.get(name="Blok A")
    response = client.post(
        reverse("inmates:create", args=[balikpapan.pk]),
        {
            "name": "Rizky Hidayat",
            "registration_number": "AI.0042/2025",
            "sex": "L",
            "birth_date": "1995-03-04",
            "religion": "islam",
            "education_level": "smp",
            "case_category": "narkotika",
            "admission_date": "2025-01-02",
            "block": block.pk,
            "detention_authority": "penyidik",
            "detention_order": "penahanan",
            "detention_kind": "rutan",
            "detention_warrant_number": "SP.HAN/12/I/2025",
            "detention_warrant_date": "2025-01-01",
            "detention_start": "2025-01-01",
            "detention_end": "2025-01-20",
        },
    )
    inmate = Inmate.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "inmates:detail", args=[inmate.pk]
    )
    assert (inmate.register_type, inmate.legal_status) == ("A.I", "tahanan")
    assert Placement.objects.get(inmate=inmate).block == block
    response = client.post(
        reverse("inmates:detention_add", args=[inmate.pk]),
        {
            "authority": "penyidik",
            "order": "perpanjangan",
            "kind": "rutan",
            "warrant_number": "B-45/PU/2025",
            "warrant_date": "2025-01-18",
            "start": "2025-01-21",
            "end": "2025-03-01",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("inmates:verdict_record", args=[inmate.pk]),
        {
            "court": "pengadilan_negeri",
            "court_name": "Pengadilan Negeri Balikpapan",
            "number": "101/Pid.Sus/2025/PN Bpp",
            "decided_on": "2025-02-20",
            "final_on": "2025-02-28",
            "sentence_kind": "penjara",
            "years": "4",
            "months": "6",
            "days": "0",
            "fine": "0",
            "substitute_months": "0",
            "substitute_days": "0",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("inmates:remisi_create", args=[inmate.pk]),
        {
            "kind": "umum",
            "decree_number": "PAS-1712.PK.05.04 Tahun 2025",
            "decree_date": "2025-08-17",
            "months": "1",
            "days": "0",
        },
    )
    assert response.status_code == 302
    inmate.refresh_from_db()
    # Unbroken rutan detention from 1 January: the term runs from that day, 4 y 6 m
    # → 1 July 2029, less 1 month of remisi at 30 days → 1 June 2029.
    assert inmate.sentence_start == datetime.date(2025, 1, 1)
    assert inmate.expected_release_date == datetime.date(2029, 6, 1)
    assert (inmate.register_type, inmate.legal_status) == ("B.I", "narapidana")
    page = client.get(reverse("inmates:detail", args=[inmate.pk])).content.decode()
    assert "Bagaimana tanggal ini dihitung" in page
    assert "Hari pertama penahanan: 01-01-2025" in page
    assert "perkiraan bebas 01-06-2029" in page
    assert "B-45/PU/2025" in page and "101/Pid.Sus/2025/PN Bpp" in page


def test_bad_warrant_on_the_form_is_shown_on_its_field(client, registrasi, balikpapan):
    client.force_login(registrasi)
    data = {
        "name": "Rizky Hidayat",
        "registration_number": "AI.0042/2025",
        "sex": "L",
        "birth_date": "1995-03-04",
        "religion": "islam",
        "education_level": "smp",
        "case_category": "narkotika",
        "admission_date": "2025-01-02",
        "detention_authority": "penyidik",
        "detention_order": "penahanan",
        "detention_kind": "rutan",
        "detention_warrant_number": "SP.HAN/12/I/2025",
        "detention_start": "2025-01-01",
        "detention_end": "2025-02-20",
    }
    response = client.post(reverse("inmates:create", args=[balikpapan.pk]), data)
    assert response.status_code == 200
    assert "paling lama 20 hari" in response.context["form"].errors["detention_end"][0]
    assert not Inmate.objects.exists()


def test_transfer_through_the_ui(client, kepala, balikpapan, ruteng, make_inmate):
    inmate = make_inmate(balikpapan)
    client.force_login(kepala)
    url = reverse("inmates:transfer", args=[inmate.pk])
    assert "UPT tujuan" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "to_facility": ruteng.pk,
            "on": timezone.localdate().isoformat(),
            "registration_number": "",
            "note": "SK Kanwil",
        },
    )
    # The inmate has left Balikpapan: the user is sent back to the list, not to a 404.
    assert response.status_code == 302 and response.url == reverse("inmates:list")
    inmate.refresh_from_db()
    assert inmate.facility == ruteng


def test_transfer_form_refuses_a_future_date(client, kepala, balikpapan, ruteng, make_inmate):
    inmate = make_inmate(balikpapan)
    client.force_login(kepala)
    tomorrow = balikpapan.today() + datetime.timedelta(days=1)
    response = client.post(
        reverse("inmates:transfer", args=[inmate.pk]),
        {"to_facility": ruteng.pk, "on": tomorrow.isoformat()},
    )
    assert "Tanggal tidak boleh di masa depan." in response.content.decode()
    inmate.refresh_from_db()
    assert inmate.facility == balikpapan


def test_release_and_block_move_through_the_ui(client, kepala, balikpapan, make_inmate):
    inmate = make_inmate(balikpapan)
    client.force_login(kepala)
    today = timezone.localdate().isoformat()
    block_b = balikpapan.blocks.get(name="Blok B")
    client.post(reverse("inmates:move_block", args=[inmate.pk]), {"block": block_b.pk, "on": today})
    client.post(reverse("inmates:release", args=[inmate.pk]), {"on": today, "kind": "expiry"})
    inmate.refresh_from_db()
    assert inmate.block == block_b and inmate.status == "released"


@pytest.mark.parametrize("lang,text", [("id", "Masuk ke Rutan"), ("en", "Sign in to Rutan")])
def test_login_page_language(client, db, lang, text):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=lang)
    assert text in response.content.decode()


def test_facility_pages(client, kepala, balikpapan, make_inmate):
    make_inmate(balikpapan)
    client.force_login(kepala)
    html = client.get(reverse("inmates:facility_detail", args=[balikpapan.pk])).content.decode()
    assert "Blok Wanita" in html and "WITA" in html


def test_the_register_sorts_by_its_column_headers(client, kepala, balikpapan, make_inmate):
    """Name and expected release sort both ways from the headers (aria-sort says which), the
    filters are kept, and a detainee without a release date comes last either way."""
    make_inmate(balikpapan, name="Andi Lama", sentence_years=5)
    make_inmate(balikpapan, name="Budi Singkat", sentence_years=2)
    make_inmate(balikpapan, name="Cahyo Tengah", sentence_years=3)
    make_inmate(
        balikpapan,
        name="Dedi Tahanan",
        legal_status="tahanan",
        register_type="A.II",
        sentence_start=None,
        sentence_years=None,
        sentence_months=None,
        sentence_days=None,
        remission_days=None,
    )
    client.force_login(kepala)
    url = reverse("inmates:list")

    def names(**query):
        page = client.get(url, query)
        return [i.name for i in page.context["page_obj"]], parse(page.content)

    by_name, page = names()
    assert by_name == ["Andi Lama", "Budi Singkat", "Cahyo Tengah", "Dedi Tahanan"]
    headers = {text(th).rstrip(" ▲▼↕"): th for th in page.iterfind(".//th[@aria-sort]")}
    assert headers["Nama"].get("aria-sort") == "ascending"
    assert headers["Perkiraan bebas"].get("aria-sort") == "none"
    assert headers["Perkiraan bebas"].find("a").get("href") == "?sort=release"
    soonest, page = names(sort="release", case_category="pidana_umum")
    assert soonest == ["Budi Singkat", "Cahyo Tengah", "Andi Lama", "Dedi Tahanan"]
    link = page.find(".//th[@aria-sort='ascending']/a").get("href")
    assert link == "?sort=-release&case_category=pidana_umum"
    assert names(sort="-release")[0] == [
        "Andi Lama",
        "Cahyo Tengah",
        "Budi Singkat",
        "Dedi Tahanan",
    ]
    assert names(sort="-name")[0][0] == "Dedi Tahanan"
    # An unknown order is refused like any bad filter value: the page falls back to names.
    assert names(sort="password")[0][0] == "Andi Lama"
