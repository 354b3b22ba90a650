import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from programmes import services
from programmes.models import Attendance, Enrolment

from .conftest import check_page, login, menu_link, press_by_keyboard, shoot


@pytest.fixture
def after_nine(balikpapan):
    """Before 09:00 in Balikpapan the clock moves forward to 09:01 (never back: the browser's
    cookies keep the real time), so today's 09:00 class has begun and takes attendance."""
    now = timezone.localtime(timezone.now(), balikpapan.tzinfo)
    nine = now.replace(hour=9, minute=1, second=0, microsecond=0)
    if now >= nine:
        yield now
        return
    with time_machine.travel(nine, tick=True):
        yield nine


@pytest.fixture
def todays_session(after_nine, balikpapan, pembina, make_programme, make_inmate, today):
    """A running barbershop class meeting today with four participants, begun."""
    programme = make_programme(balikpapan, title="Pelatihan Barbershop", area="barbershop")
    services.schedule_slot_create(
        programme=programme,
        weekday=today.weekday(),
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        location="Bengkel kerja",
        by=pembina,
    )
    services.sessions_generate(programme=programme, date_from=today, date_to=today, by=pembina)
    names = ["Agus Salim", "Budi Santoso", "Candra Wijaya", "Dedi Kurniawan"]
    for name in names:
        services.enrolment_create(
            programme=programme, inmate=make_inmate(balikpapan, name=name), by=pembina
        )
    return programme.sessions.get(date=today)


def test_record_attendance_on_a_phone(phone, pembina, todays_session):
    login(phone, "pembina")
    menu_link(phone, "Sesi hari ini")
    assert phone.get_by_role("heading", name="Sesi hari ini").is_visible()
    check_page(phone)
    phone.get_by_role("button", name="Isi presensi").click()
    phone.wait_for_load_state()
    assert "Semua peserta tercatat hadir" in phone.content()
    check_page(phone)
    phone.get_by_role("combobox", name="Budi Santoso").select_option(label="Tidak hadir: Sakit")
    phone.get_by_label("Keterangan untuk Budi Santoso").fill("Demam, di klinik")
    phone.get_by_role("combobox", name="Dedi Kurniawan").select_option(label="Tidak hadir: Sidang")
    phone.get_by_label("Keterangan untuk Dedi Kurniawan").fill("Sidang PN Balikpapan")
    phone.get_by_role("button", name="Simpan presensi").click()
    phone.wait_for_load_state()
    assert "Presensi disimpan: 2 hadir, 2 tidak hadir." in phone.content()
    check_page(phone)
    shoot(phone, "journey-attendance-360")

    rows = {
        a.enrolment.inmate.name: a
        for a in Attendance.objects.filter(session=todays_session).select_related(
            "enrolment__inmate"
        )
    }
    assert {name: (a.status, a.reason, a.note) for name, a in rows.items()} == {
        "Agus Salim": ("present", "", ""),
        "Budi Santoso": ("absent", "sick", "Demam, di klinik"),
        "Candra Wijaya": ("present", "", ""),
        "Dedi Kurniawan": ("absent", "court", "Sidang PN Balikpapan"),
    }
    todays_session.refresh_from_db()
    assert todays_session.attendance_taken_by == pembina


def test_enrol_refused_by_an_eligibility_rule(
    page, pembina, balikpapan, make_programme, early_inmate
):
    programme = make_programme(
        balikpapan,
        title="Kerja Bakti Luar Tembok",
        area="pertanian",
        eligible_sex="L",
        eligible_stages=["asimilasi", "integrasi"],
    )
    login(page, "pembina")
    page.get_by_role("link", name="Program", exact=True).click()
    page.wait_for_load_state()
    check_page(page)
    page.get_by_role("link", name="Kerja Bakti Luar Tembok").click()
    page.wait_for_load_state()
    check_page(page)
    page.get_by_role("button", name="Daftarkan WBP", exact=True).click()
    page.wait_for_load_state()
    check_page(page)
    # Before submitting, the row says the inmate does not qualify and why, and the inmate
    # cannot be picked; the rule that passes is not named.
    page.get_by_label("Cari nama / no. registrasi").fill(early_inmate.name)
    expect(page).to_have_url(re.compile(r"[?&]q="))  # the list followed the typing (htmx)
    page.wait_for_load_state("networkidle")
    row = page.locator(".pick-list li", has_text=early_inmate.name)
    why = row.locator(".pick-why").inner_text()
    assert "Belum memenuhi syarat" in why and "Tahap Admisi" in why
    assert "Jenis kelamin" not in why and "Program khusus" not in why
    assert row.locator("input[type=radio]").is_disabled()
    # Sent anyway (an old form, a script): the service refuses and names the rule.
    page.evaluate(
        "id => { const box = document.querySelector('#pick-' + id);"
        " box.disabled = false; box.checked = true; }",
        early_inmate.pk,
    )
    press_by_keyboard(page, page.get_by_role("button", name="Daftarkan", exact=True))
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    assert "Tidak dapat didaftarkan" in alert.inner_text()
    assert "Tahap pembinaan: Tahap Admisi" in alert.inner_text()
    assert "Jenis kelamin" not in alert.inner_text()
    checks = page.locator(".prog-checks")
    assert "✗ Tahap pembinaan" in checks.inner_text()
    assert "✓ Jenis kelamin" in checks.inner_text()
    assert not Enrolment.objects.filter(programme=programme).exists()
    check_page(page)
    shoot(page, "journey-enrol-refused-1366")
    page.set_viewport_size({"width": 360, "height": 900})
    check_page(page)
    shoot(page, "journey-enrol-refused-360")
