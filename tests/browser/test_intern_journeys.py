import datetime

from django.urls import reverse
from playwright.sync_api import expect

from interns import services
from interns.models import ActivityLog, LogReview

from .conftest import check_page, login, menu_link, shoot


def _open(page, link_name, *, role="link"):
    page.get_by_role(role, name=link_name, exact=True).click()
    page.wait_for_load_state()
    check_page(page)


def test_intern_log_returned_resubmitted_and_approved(phone, page, intern, mentor):
    # The intern writes yesterday's morning on her phone and sends it to the mentor (a log of
    # today is sent once its times have passed).
    login(phone, "magang")
    check_page(phone)
    menu_link(phone, "Magang saya")
    check_page(phone)
    _open(phone, "Catat kegiatan", role="button")
    yesterday = intern.batch.facility.today() - datetime.timedelta(days=1)
    phone.get_by_label("Tanggal", exact=True).fill(yesterday.isoformat())
    phone.get_by_label("Jenis kegiatan").select_option(label="Asesmen literasi")
    phone.get_by_label("Mulai", exact=True).fill("09:00")
    phone.get_by_label("Selesai", exact=True).fill("11:30")
    phone.get_by_label("Tempat", exact=True).fill("Ruang pembinaan")
    phone.get_by_label("Uraian kegiatan").fill("Asesmen buta aksara di Blok A.")
    phone.get_by_role("button", name="Ajukan ke mentor").click()
    phone.wait_for_load_state()
    assert "Catatan kegiatan diajukan ke mentor." in phone.content()
    check_page(phone)
    log = ActivityLog.objects.get(intern=intern)
    assert log.status == "submitted"

    # The mentor, at a desk, sends it back with what to fix.
    login(page, "mentor")
    check_page(page)
    _open(page, "Magang")
    _open(page, "Tinjauan (1)", role="button")
    page.get_by_role("link", name="Asesmen literasi").click()
    page.wait_for_load_state()
    check_page(page)
    page.get_by_role("button", name="Kembalikan untuk diperbaiki").click()
    page.wait_for_load_state()
    assert "Tuliskan apa yang perlu diperbaiki." in page.content()
    check_page(page)
    page.get_by_label("Catatan untuk peserta").fill("Sebutkan jumlah WBP yang dites.")
    page.get_by_role("button", name="Kembalikan untuk diperbaiki").click()
    page.wait_for_load_state()
    assert "Catatan dikembalikan ke peserta." in page.content()
    check_page(page)
    log.refresh_from_db()
    assert log.status == "returned"

    # The intern sees it returned, fixes it and sends it again.
    menu_link(phone, "Magang saya")
    check_page(phone)
    assert "1 catatan dikembalikan mentor" in phone.content()
    _open(phone, "Lihat")
    phone.get_by_role("link", name="Asesmen literasi").click()
    phone.wait_for_load_state()
    assert "Sebutkan jumlah WBP yang dites." in phone.content()
    check_page(phone)
    _open(phone, "Ubah", role="button")
    phone.get_by_label("Jumlah orang terlayani").fill("12")
    phone.get_by_role("button", name="Ajukan ulang").click()
    phone.wait_for_load_state()
    assert "Catatan kegiatan diajukan ke mentor." in phone.content()
    check_page(phone)
    log.refresh_from_db()
    assert (log.status, log.people_reached) == ("resubmitted", 12)

    # The mentor approves the corrected log.
    _open(page, "Magang")
    _open(page, "Tinjauan (1)", role="button")
    page.get_by_role("link", name="Asesmen literasi").click()
    page.wait_for_load_state()
    check_page(page)
    page.get_by_role("button", name="Setujui").click()
    page.wait_for_load_state()
    assert "Catatan disetujui." in page.content()
    assert "Tidak ada catatan yang menunggu tinjauan." in page.content()
    check_page(page)
    shoot(page, "journey-intern-review-1366")

    log.refresh_from_db()
    assert log.status == "approved"
    assert list(LogReview.objects.filter(log=log).values_list("action", flat=True)) == [
        "submitted",
        "returned",
        "resubmitted",
        "approved",
    ]
    phone.reload()
    assert "Disetujui" in phone.content()
    check_page(phone)
    shoot(phone, "journey-intern-log-360")


def test_autosave_hands_the_edit_form_its_new_version(phone, intern):
    """After the draft saves itself, the form's own save is not taken for someone else's."""
    log = services.log_save_draft(
        intern=intern,
        by=intern.user,
        data={"log_type": "konseling", "description": "Konseling kelompok di Blok B."},
    )
    login(phone, "magang")
    phone.goto(phone.base_url + reverse("interns:log_edit", args=[log.pk]))
    version = phone.locator("#id_version")
    shown = version.input_value()
    phone.get_by_label("Tempat", exact=True).fill("Aula serbaguna")
    expect(phone.locator("#autosave-status")).to_contain_text("Draf tersimpan otomatis")
    expect(version).not_to_have_value(shown)
    check_page(phone)
    phone.get_by_role("button", name="Simpan draf").click()
    phone.wait_for_load_state()
    assert "Draf tersimpan." in phone.content()
    assert "sudah diubah orang lain" not in phone.content()
    log.refresh_from_db()
    assert log.place == "Aula serbaguna"
