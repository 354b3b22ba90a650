import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from programmes import services
from programmes.models import (
    AssimilationPlacement,
    Attendance,
    Certificate,
    Enrolment,
    Programme,
    Session,
)
from rutan.core.models import AuditEntry

D = datetime.timedelta


@pytest.fixture
def running(balikpapan, pembina, make_programme, make_inmate, today):
    programme = make_programme(balikpapan, title="Barbershop", area="barbershop", capacity=30)
    services.schedule_slot_create(
        programme=programme,
        weekday=today.weekday(),
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        by=pembina,
    )
    services.sessions_generate(
        programme=programme, date_from=today - D(days=14), date_to=today + D(days=14), by=pembina
    )
    return programme


def _enrol_many(programme, balikpapan, make_inmate, by, n, today):
    enrolments = []
    for _ in range(n):
        e = services.enrolment_create(programme=programme, inmate=make_inmate(balikpapan), by=by)
        e.started_on = today - D(days=30)
        e.save()
        enrolments.append(e)
    return enrolments


def test_list_and_detail(client, pembina, running, balikpapan, make_inmate, today):
    _enrol_many(running, balikpapan, make_inmate, pembina, 2, today)
    client.force_login(pembina)
    html = client.get(reverse("programmes:list")).content.decode()
    assert "Barbershop" in html and "2/30" in html
    html = client.get(reverse("programmes:detail", args=[running.pk])).content.decode()
    assert "Jadwal mingguan" in html and "Daftar tunggu" in html and "Peserta" in html


def test_other_facility_is_not_found(client, kepala_ruteng, running):
    client.force_login(kepala_ruteng)
    assert client.get(reverse("programmes:detail", args=[running.pk])).status_code == 404
    session = running.sessions.first()
    assert client.get(reverse("programmes:session_register", args=[session.pk])).status_code == 404


def test_detail_query_count_is_bounded(
    client, pembina, running, balikpapan, make_inmate, today, django_assert_max_num_queries
):
    enrolments = _enrol_many(running, balikpapan, make_inmate, pembina, 1, today)
    past = running.sessions.get(date=today - D(days=7))
    services.attendance_record(session=past, absences={}, by=pembina)
    client.force_login(pembina)
    url = reverse("programmes:detail", args=[running.pk])
    client.get(url)
    cache.clear()  # the roster is read and rendered, not taken from the cache
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    enrolments += _enrol_many(running, balikpapan, make_inmate, pembina, 25, today)
    services.attendance_record(session=past, absences={enrolments[3].pk: ("sick", "")}, by=pembina)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["roster"]) == 26
    # From the cache: the roster is not read again, and still audited with its rows.
    with django_assert_max_num_queries(len(few.captured_queries) - 2):
        again = client.get(url)

    def people(page):
        html = page.content.decode()
        return html[html.index('id="h-roster"') : html.index('id="h-products"')]

    assert people(again) == people(response) and people(again).count("<tr>") == 27
    audited = AuditEntry.objects.filter(action="read", actor=pembina, object_id="")
    assert len(audited.order_by("-id").first().after["ids"]) == 26


def test_register_query_count_is_bounded(
    client, pembina, running, balikpapan, make_inmate, today, django_assert_max_num_queries
):
    _enrol_many(running, balikpapan, make_inmate, pembina, 1, today)
    session = running.sessions.get(date=today)
    client.force_login(pembina)
    url = reverse("programmes:session_register", args=[session.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    _enrol_many(running, balikpapan, make_inmate, pembina, 29, today)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 30


def test_register_saves_two_absences_in_one_post(
    client, pembina, running, balikpapan, make_inmate, today
):
    enrolments = _enrol_many(running, balikpapan, make_inmate, pembina, 5, today)
    client.force_login(pembina)
    today_list = client.get(reverse("programmes:today")).content.decode()
    session = running.sessions.get(date=today)
    assert reverse("programmes:session_register", args=[session.pk]) in today_list
    url = reverse("programmes:session_register", args=[session.pk])
    page = client.get(url).content.decode()
    assert "Semua peserta tercatat hadir" in page
    response = client.post(
        url,
        {
            f"reason-{enrolments[0].pk}": "sick",
            f"note-{enrolments[0].pk}": "Demam",
            f"reason-{enrolments[1].pk}": "court",
            f"reason-{enrolments[2].pk}": "",
        },
        follow=True,
    )
    assert "3 hadir, 2 tidak hadir" in response.content.decode()
    assert Attendance.objects.filter(session=session, status="absent").count() == 2
    assert Attendance.objects.filter(session=session, status="present").count() == 3
    # A correction by the head keeps the history.
    client.post(url, {f"reason-{enrolments[0].pk}": "sick"})
    page = client.get(url).content.decode()
    assert "Riwayat perubahan presensi" in page and "koreksi" in page


def test_register_bad_reason_changes_nothing(
    client, pembina, running, balikpapan, make_inmate, today
):
    enrolments = _enrol_many(running, balikpapan, make_inmate, pembina, 2, today)
    session = running.sessions.get(date=today)
    client.force_login(pembina)
    response = client.post(
        reverse("programmes:session_register", args=[session.pk]),
        {f"reason-{enrolments[0].pk}": "bolos"},
    )
    assert response.status_code == 200
    assert "Pilih alasan tidak hadir" in response.content.decode()
    assert not Attendance.objects.exists()


def test_future_session_has_no_register_form(
    client, pembina, running, balikpapan, make_inmate, today
):
    _enrol_many(running, balikpapan, make_inmate, pembina, 1, today)
    session = running.sessions.get(date=today + D(days=7))
    client.force_login(pembina)
    html = client.get(reverse("programmes:session_register", args=[session.pk])).content.decode()
    assert "belum berlangsung" in html and "Simpan presensi" not in html


def test_enrol_ineligible_shows_why(client, pembina, balikpapan, make_programme, make_inmate):
    programme = make_programme(balikpapan, title="Pengajian Qonita", eligible_sex="P")
    man = make_inmate(balikpapan, name="Joko Laki")
    client.force_login(pembina)
    url = reverse("programmes:enrol", args=[programme.pk])
    # The man is not even offered (the list is narrowed by sex); posting him anyway explains.
    response = client.post(url, {"inmate": man.pk})
    assert response.status_code == 200
    assert not Enrolment.objects.exists()
    programme2 = make_programme(balikpapan, title="Literasi", min_literacy_level="paket_a")
    response = client.post(reverse("programmes:enrol", args=[programme2.pk]), {"inmate": man.pk})
    html = response.content.decode()
    assert "Tidak dapat didaftarkan" in html and "Belum ada asesmen literasi" in html
    assert "Pemeriksaan syarat" in html
    assert not Enrolment.objects.exists()


def test_enrol_and_bulk_enrol(client, pembina, balikpapan, make_programme, make_inmate):
    programme = make_programme(balikpapan, capacity=2)
    people = [make_inmate(balikpapan, name=f"Warga {i}") for i in range(4)]
    client.force_login(pembina)
    response = client.post(
        reverse("programmes:enrol", args=[programme.pk]), {"inmate": people[0].pk}, follow=True
    )
    assert "Warga 0 terdaftar" in response.content.decode()
    response = client.post(
        reverse("programmes:enrol_bulk", args=[programme.pk]),
        {"inmates": [p.pk for p in people[1:]]},
        follow=True,
    )
    assert "1 terdaftar, 2 masuk daftar tunggu" in response.content.decode()
    assert Enrolment.objects.filter(status="waitlisted").count() == 2


def test_complete_certificate_pdf_and_public_verification(
    client, pembina, balikpapan, make_programme, make_inmate
):
    programme = make_programme(balikpapan, title="Tata Rias", instructor="UPTD SKB Randong")
    enrolment = services.enrolment_create(
        programme=programme, inmate=make_inmate(balikpapan, name="Maria Goreti Jelahu"), by=pembina
    )
    client.force_login(pembina)
    client.post(
        reverse("programmes:enrolment_complete", args=[enrolment.pk]),
        {"on": enrolment.started_on.isoformat(), "post_score": "80", "instrument": "Uji praktik"},
    )
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
    page = client.get(reverse("programmes:certificate_issue", args=[enrolment.pk]))
    assert "UPTD SKB Randong" in page.content.decode()
    client.post(
        reverse("programmes:certificate_issue", args=[enrolment.pk]),
        {
            "competence": "Tata rias dasar",
            "issuer": "UPTD SKB Randong",
            "issued_on": enrolment.ended_on.isoformat(),
        },
    )
    certificate = Certificate.objects.get()
    pdf = client.get(reverse("programmes:certificate_pdf", args=[certificate.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["Cache-Control"] == "no-store, private" and pdf["Pragma"] == "no-cache"
    from io import BytesIO

    from pypdf import PdfReader

    text = PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    assert "Maria Goreti Jelahu" in text and certificate.number in text
    # A long URL may wrap in the PDF; the extracted text then has a line break inside it.
    assert f"/verify/{certificate.code}/" in "".join(text.split())
    client.logout()
    public = client.get(reverse("programmes:verify", args=[certificate.code]))
    html = public.content.decode()
    assert public.status_code == 200
    assert "Sertifikat ini sah" in html and "M. G. J." in html and "Tata Rias" in html
    assert "Maria" not in html and "Jelahu" not in html
    assert client.get(reverse("programmes:verify", args=["tidak-ada"])).status_code == 404


def test_cancel_session_page(client, pembina, running, today):
    session = running.sessions.get(date=today + D(days=7))
    client.force_login(pembina)
    url = reverse("programmes:session_cancel", args=[session.pk])
    response = client.post(url, {"reason": ""})
    assert "Bidang ini harus diisi" in response.content.decode()
    client.post(url, {"reason": "Hari libur nasional"})
    session.refresh_from_db()
    assert session.status == "cancelled"
    assert Session.objects.filter(pk=session.pk).exists()


def test_assimilation_pages(client, pembina, assimilation_inmate, early_inmate, today):
    client.force_login(pembina)
    url = reverse("programmes:assimilation_create")
    data = {
        "workplace": "Kafe asimilasi",
        "supervisor": "Pak Pengawas",
        "decree_reference": "SK-01",
        "start_date": today.isoformat(),
    }
    response = client.post(url, {**data, "inmate": early_inmate.pk})
    html = response.content.decode()
    assert "Pemeriksaan syarat" in html
    assert "Telah menjalani 1/2 masa pidana" in html and "Terpenuhi pada" in html
    # Eko has been held for a month: the months of the window before that are not asked for.
    assert "sebelum penahanan (sejak" in html and "dari 6 bulan dalam tahanan" in html
    assert not AssimilationPlacement.objects.exists()
    response = client.post(url, {**data, "inmate": assimilation_inmate.pk}, follow=True)
    assert "Penempatan asimilasi dicatat" in response.content.decode()
    placement = assimilation_inmate.assimilation_placements.get()
    log_url = reverse("programmes:assimilation_log", args=[placement.pk])
    client.post(log_url, {"action": "out"})
    client.post(log_url, {"action": "in"})
    log = placement.logs.get()
    assert log.checked_in_at is not None


def test_regional_officer_reads_but_cannot_record(
    client, kanwil, running, balikpapan, make_inmate, pembina, today
):
    _enrol_many(running, balikpapan, make_inmate, pembina, 1, today)
    client.force_login(kanwil)
    session = running.sessions.get(date=today)
    url = reverse("programmes:session_register", args=[session.pk])
    html = client.get(url).content.decode()
    assert "Simpan presensi" not in html
    assert client.post(url, {}).status_code == 404
    assert client.get(reverse("programmes:enrol", args=[running.pk])).status_code == 404


def test_admin_pages_open(client, national_admin, running, balikpapan, make_inmate, pembina, today):
    enrolment = _enrol_many(running, balikpapan, make_inmate, pembina, 1, today)[0]
    services.attendance_record(session=running.sessions.get(date=today), absences={}, by=pembina)
    national_admin.is_superuser = True
    national_admin.save()
    client.force_login(national_admin)
    for name in (
        "programme",
        "session",
        "enrolment",
        "enrolmentevent",
        "attendance",
        "evaluation",
        "certificate",
        "product",
        "assimilationplacement",
    ):
        assert client.get(reverse(f"admin:programmes_{name}_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:programmes_programme_change", args=[running.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("admin:programmes_enrolment_change", args=[enrolment.pk])).status_code
        == 200
    )
    attendance = Attendance.objects.first()
    assert (
        client.get(reverse("admin:programmes_attendance_history", args=[attendance.pk])).status_code
        == 200
    )


def test_sessions_today_filters_by_facility_and_unrecorded_at_fixed_queries(
    client, kepala, balikpapan, django_assert_max_num_queries
):
    today = balikpapan.today()
    evening = datetime.datetime.combine(today, datetime.time(20, 30), tzinfo=balikpapan.tzinfo)
    with time_machine.travel(evening, tick=False):
        _sessions_today_filters(client, kepala, balikpapan, django_assert_max_num_queries, evening)


def _sessions_today_filters(client, kepala, balikpapan, django_assert_max_num_queries, evening):
    today = evening.date()
    programme = Programme.objects.create(
        facility=balikpapan,
        title="Pengajian",
        pillar="kepribadian",
        area="keagamaan",
        start_date=today,
        status="running",
    )

    def session(hour, **extra):
        return Session.objects.create(
            programme=programme,
            date=today,
            start_time=datetime.time(hour),
            end_time=datetime.time(hour + 1),
            **extra,
        )

    session(7, attendance_taken_at=timezone.now())
    waiting = session(8)
    client.force_login(kepala)
    url = reverse("programmes:today")
    with django_assert_max_num_queries(15) as few:
        response = client.get(url, {"unrecorded": 1})
    assert [s.pk for s in response.context["sessions"]] == [waiting.pk]
    for hour in range(9, 20):
        session(hour)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"unrecorded": 1})
    assert len(response.context["sessions"]) == 12
    assert len(client.get(url).context["sessions"]) == 13
    # A session later tonight is on today's list but not owed yet; at 21:00 it is.
    later = session(21)
    assert len(client.get(url, {"unrecorded": 1}).context["sessions"]) == 12
    assert len(client.get(url).context["sessions"]) == 14
    with time_machine.travel(evening + datetime.timedelta(minutes=30), tick=False):
        owed = client.get(url, {"unrecorded": 1}).context["sessions"]
    assert len(owed) == 13 and later in owed


def test_stale_programme_edit_is_refused_with_current_values(
    client, pembina, kepala, balikpapan, make_programme
):
    programme = make_programme(balikpapan, title="Kelas Menjahit", facilitator="Petugas Uji")
    url = reverse("programmes:update", args=[programme.pk])
    client.force_login(pembina)
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    services.programme_update(programme=programme, by=kepala, facilitator="Petugas Lain")
    data["title"] = "Kelas Menjahit Lanjutan"
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Data ini sudah diubah orang lain" in body and 'value="Petugas Lain"' in body
    programme.refresh_from_db()
    assert (programme.title, programme.facilitator) == ("Kelas Menjahit", "Petugas Lain")
