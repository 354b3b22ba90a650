"""The dashboard shows each role the cards it can act on, and its instructions follow the
state of things: the next session when today has none, a report overdue after the 1st, a
finding past its due date."""

import datetime
import zoneinfo

import time_machine

from programmes import services as programme_services
from programmes.models import Programme
from rutan.core.roles import Role
from rutan.facilities.models import FollowUpItem
from tests.factories import member

WITA = zoneinfo.ZoneInfo("Asia/Makassar")


def test_an_intern_and_a_mentor_see_no_register_cards(client, balikpapan):
    FollowUpItem.objects.create(facility=balikpapan, title="Temuan X", found_on=balikpapan.today())
    for role in (Role.INTERN, Role.MENTOR):
        client.force_login(member(role, facility=balikpapan, username=f"u-{role}"))
        body = client.get("/").content.decode()
        assert "Penghuni hari ini" not in body and "Tahap pembinaan" not in body
        assert "Sesi hari ini" not in body and "Tidak termasuk tugas Anda" not in body
        assert "Temuan terbuka" not in body


def test_an_intern_s_home_shows_their_own_logs(client, balikpapan):
    from interns.models import Batch, Intern

    user = member(Role.INTERN, facility=balikpapan, username="magang-x")
    today = balikpapan.today()
    batch = Batch.objects.create(
        facility=balikpapan,
        name="Batch",
        start_on=today - datetime.timedelta(days=30),
        end_on=today + datetime.timedelta(days=30),
    )
    Intern.objects.create(batch=batch, user=user, campus="Unmul", study_programme="Psikologi")
    client.force_login(user)
    body = client.get("/").content.decode()
    assert "Magang saya" in body and "0 draf belum diajukan" in body
    assert "Catat kegiatan" in body


def test_a_day_without_sessions_names_the_next_one(client, balikpapan, pembina, national_admin):
    # Saturday 5 December 2026 in Balikpapan; the class meets on Mondays.
    saturday = datetime.datetime(2026, 12, 5, 10, 0, tzinfo=WITA)
    with time_machine.travel(saturday, tick=False):
        programme = Programme.objects.create(
            facility=balikpapan,
            title="Kelas Literasi",
            pillar="kepribadian",
            area="literasi",
            start_date=datetime.date(2026, 11, 2),
            status="running",
        )
        programme_services.session_create(
            programme=programme,
            by=national_admin,
            date=datetime.date(2026, 12, 7),
            start_time=datetime.time(9),
            end_time=datetime.time(11),
        )
        client.force_login(pembina)
        body = client.get("/").content.decode()
    assert "Tidak ada sesi hari ini." in body and "Buat jadwal" not in body
    assert "Sesi berikutnya: Senin, 7 Desember 2026 pukul 09:00, Kelas Literasi." in body


def test_a_report_missing_after_the_1st_is_overdue_and_a_late_finding_is_flagged(
    client, balikpapan, kepala
):
    FollowUpItem.objects.create(
        facility=balikpapan,
        title="Panel listrik",
        found_on=datetime.date(2026, 11, 1),
        due_on=datetime.date(2026, 11, 20),
    )
    pages = []
    for day in (1, 5):
        with time_machine.travel(datetime.datetime(2026, 12, day, 10, 0, tzinfo=WITA), tick=False):
            client.force_login(kepala)  # a sign-in of that day (sessions end when idle)
            pages.append(client.get("/").content.decode())
    first, fifth = pages
    assert "Laporan dibuat otomatis tanggal 1" in first
    assert "jadwal tanggal 1 belum menghasilkan laporan ini" in fifth
    assert "lewat tenggat" in fifth
