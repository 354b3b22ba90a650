import datetime

from django.utils import timezone
from playwright.sync_api import expect

from rutan.inmates.models import Inmate

from .conftest import check_page, login, shoot


def test_login_and_logout(page, kepala):
    login(page, "kepala", "salah-sandi")
    assert "Nama pengguna atau kata sandi salah" in page.content()
    check_page(page)
    login(page, "kepala")
    assert page.get_by_role("heading", name="Beranda").is_visible()
    check_page(page)
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()
    assert page.url.endswith("/akun/masuk/")


def test_switch_to_english_and_back(page, kepala):
    login(page, "kepala")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Home").is_visible()
    page.get_by_role("button", name="Bahasa Indonesia").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Beranda").is_visible()


def test_search_and_transfer_an_inmate(page, kepala, balikpapan, ruteng, make_inmate):
    make_inmate(balikpapan, name="Hendra Gunawan")
    make_inmate(balikpapan, name="Lukman Hakim")
    login(page, "kepala")
    page.get_by_role("link", name="Register WBP").click()
    check_page(page)
    page.get_by_label("Cari nama / no. registrasi").fill("hendra")
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_load_state()
    assert "Lukman Hakim" not in page.content()
    page.get_by_role("link", name="Hendra Gunawan").click()
    check_page(page)
    page.get_by_role("button", name="Pindah UPT").click()
    check_page(page)
    page.locator("#id_to_facility").select_option(label=ruteng.name)
    page.get_by_label("Tanggal pindah").fill(timezone.localdate().isoformat())
    page.get_by_label("Dasar / keterangan (mis. nomor surat)").fill("SK Kanwil 12/2026")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    assert "Hendra Gunawan dipindahkan." in page.content()
    assert Inmate.objects.get(name="Hendra Gunawan").facility == ruteng
    check_page(page)
    shoot(page, "journey-transfer-1366")


def test_register_an_inmate_on_a_phone_with_errors_first(phone, registrasi, balikpapan):
    login(phone, "registrasi")
    phone.goto(phone.base_url + f"/wbp/baru/{balikpapan.pk}/")
    phone.get_by_role("button", name="Simpan").click()
    phone.wait_for_load_state()
    # The summary at the top takes the focus and names each problem, linked to its field.
    summary = phone.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("hal yang perlu diperbaiki")
    summary.get_by_role("link", name="Nama: Bidang ini harus diisi.").click()
    expect(phone.locator("#id_name")).to_be_in_viewport()
    check_page(phone)
    phone.get_by_label("Nama").fill("Wahyu Setiawan")
    phone.get_by_label("Jenis kelamin").select_option("L")
    phone.get_by_label("Tanggal lahir").fill("1991-07-08")
    phone.get_by_label("Agama").select_option("islam")
    phone.get_by_label("Pendidikan").select_option("smp")
    phone.get_by_label("Nomor registrasi").fill("AI.0777/2026")
    admitted = balikpapan.today() - datetime.timedelta(days=10)
    phone.get_by_label("Tanggal masuk").fill(admitted.isoformat())
    phone.get_by_label("Kategori perkara").select_option("pidana_umum")
    phone.get_by_label("Instansi / tingkat pemeriksaan").select_option("penyidik")
    phone.get_by_label("Nomor surat").fill("SP.HAN/77/XI/2026")
    phone.get_by_label("Mulai").fill(admitted.isoformat())
    phone.get_by_label("Sampai").fill((admitted + datetime.timedelta(days=19)).isoformat())
    phone.get_by_role("button", name="Simpan").click()
    phone.wait_for_load_state()
    assert "WBP Wahyu Setiawan terdaftar." in phone.content()
    check_page(phone)
    shoot(phone, "journey-register-360")


def test_other_facility_cannot_see_balikpapan(page, kepala_ruteng, balikpapan, make_inmate):
    inmate = make_inmate(balikpapan, name="Rahasia Balikpapan")
    login(page, "kepala_ruteng")
    page.goto(page.base_url + f"/wbp/{inmate.pk}/")
    assert "Halaman tidak ditemukan" in page.content()
    page.goto(page.base_url + "/wbp/?status=all")
    assert "Rahasia Balikpapan" not in page.content()
