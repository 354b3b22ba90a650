import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from interns import services
from interns.models import ActivityLog, DailyAttendance, LogStatus
from rutan.core.roles import Role
from rutan.facilities.services import followup_create
from tests.factories import member

from .conftest import log_data, upload


def _form(**overrides):
    data = log_data(**overrides)
    form = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v)
        for k, v in data.items()
        if v is not None
    }
    form["start_time"] = data["start_time"].strftime("%H:%M")
    form["end_time"] = data["end_time"].strftime("%H:%M")
    return form


def _new_form(client):
    response = client.get(reverse("interns:log_create"))
    assert response.status_code == 200
    return response.context["form"].initial["client_key"]


def test_intern_journey_log_submit_return_resubmit_approve(client, intern, mentor):
    client.force_login(intern.user)
    home = client.get(reverse("interns:home")).content.decode()
    assert "Catat datang" in home
    client.post(reverse("interns:attendance"), {"action": "in"})
    assert DailyAttendance.objects.filter(intern=intern).count() == 1

    key = _new_form(client)
    response = client.post(
        reverse("interns:log_create"),
        _form(client_key=key, action="submit") | {"photos": [upload()]},
    )
    log = ActivityLog.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{log.pk}/")
    assert log.status == LogStatus.SUBMITTED and log.photos.count() == 1

    client.force_login(mentor)
    queue = client.get(reverse("interns:review_queue")).content.decode()
    assert "Asesmen literasi" in queue
    response = client.post(
        reverse("interns:log_review", args=[log.pk]),
        {"action": "return", "comment": "Sebutkan jumlah WBP buta aksara."},
    )
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.status == LogStatus.RETURNED

    client.force_login(intern.user)
    edit = client.get(reverse("interns:log_edit", args=[log.pk])).content.decode()
    assert "Sebutkan jumlah WBP buta aksara." in edit
    client.post(
        reverse("interns:log_edit", args=[log.pk]),
        _form(
            client_key=log.client_key,
            action="submit",
            description="Asesmen buta aksara: 7 dari 12 WBP belum lancar membaca.",
        ),
    )
    log.refresh_from_db()
    assert log.status == LogStatus.RESUBMITTED and log.photos.count() == 1

    client.force_login(mentor)
    client.post(reverse("interns:log_review", args=[log.pk]), {"action": "approve"})
    log.refresh_from_db()
    assert log.status == LogStatus.APPROVED

    client.force_login(intern.user)
    response = client.get(reverse("interns:log_edit", args=[log.pk]))
    assert response.status_code == 302  # locked
    pdf = client.get(
        reverse("interns:logbook_pdf", args=[intern.pk]),
        {"start": log.on.replace(day=1).isoformat(), "end": log.on.isoformat()},
    )
    assert pdf["Content-Type"] == "application/pdf" and pdf["Cache-Control"] == "no-store, private"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "7 dari 12 WBP" in text and "Disetujui" in text and str(mentor) in text


def test_autosave_keeps_one_draft(client, intern):
    client.force_login(intern.user)
    key = _new_form(client)
    url = reverse("interns:log_autosave")
    headers = {"HX-Request": "true"}
    r1 = client.post(url, {"client_key": key, "description": "Survei dapur"}, headers=headers)
    r2 = client.post(
        url,
        {"client_key": key, "description": "Survei dapur bersama Ahli Gizi", "hours": "abc"},
        headers=headers,
    )
    assert r1.status_code == r2.status_code == 200
    assert "Draf tersimpan otomatis" in r2.content.decode()
    assert "belum valid" in r2.content.decode()
    log = ActivityLog.objects.get()
    assert log.description == "Survei dapur bersama Ahli Gizi" and log.status == LogStatus.DRAFT
    # The explicit submit of the same form updates that draft instead of making another.
    client.post(reverse("interns:log_create"), _form(client_key=key, action="submit"))
    assert ActivityLog.objects.count() == 1
    assert ActivityLog.objects.get().status == LogStatus.SUBMITTED


def test_submit_with_missing_fields_changes_nothing_and_keeps_the_typing(client, intern):
    client.force_login(intern.user)
    key = _new_form(client)
    response = client.post(
        reverse("interns:log_create"),
        {"client_key": key, "action": "submit", "place": "Dapur"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Pilih jenis kegiatan." in page and "Tuliskan uraian kegiatan." in page
    assert "Catatan belum diajukan dan tidak ada yang diubah." in page
    # No half-made draft is left behind; what was typed is still in the form.
    assert not ActivityLog.objects.exists()
    assert 'value="Dapur"' in page


def test_bad_photo_saves_nothing(client, intern):
    client.force_login(intern.user)
    key = _new_form(client)
    response = client.post(
        reverse("interns:log_create"),
        _form(client_key=key, action="draft") | {"photos": [upload("x.jpg", b"MZ\x90junk")]},
    )
    assert response.status_code == 200
    assert "bukan berkas gambar" in response.content.decode()
    assert not ActivityLog.objects.exists()


def test_other_intern_gets_404(client, intern, make_intern, make_log):
    log = make_log(intern, submit=True, photos=None) if False else make_log(intern)
    services.log_save_draft(intern=intern, by=intern.user, log=log, data={}, photos=[upload()])
    photo = log.photos.get()
    client.force_login(intern.user)
    own = client.get(reverse("interns:photo", args=[photo.pk]))
    assert own.status_code == 200 and own["Cache-Control"] == "no-store, private"
    other = make_intern("magang2")
    client.force_login(other.user)
    for url in [
        reverse("interns:log_detail", args=[log.pk]),
        reverse("interns:log_edit", args=[log.pk]),
        reverse("interns:photo", args=[photo.pk]),
        reverse("interns:intern_detail", args=[intern.pk]),
        reverse("interns:logbook_pdf", args=[intern.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    for url, data in [
        (reverse("interns:log_edit", args=[log.pk]), _form(client_key=log.client_key)),
        (reverse("interns:log_submit", args=[log.pk]), {}),
        (reverse("interns:log_autosave"), {"log": log.pk, "description": "x"}),
        (reverse("interns:log_review", args=[log.pk]), {"action": "approve"}),
    ]:
        assert client.post(url, data).status_code == 404, url
    log.refresh_from_db()
    assert log.description == log_data()["description"] and log.status == LogStatus.DRAFT


def test_staff_do_not_see_drafts_and_other_facility_sees_nothing(
    client, intern, mentor, make_log, kepala_ruteng
):
    draft = make_log(intern)
    submitted = make_log(intern, submit=True)
    client.force_login(mentor)
    assert client.get(reverse("interns:log_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("interns:log_detail", args=[submitted.pk])).status_code == 200
    client.force_login(kepala_ruteng)
    assert client.get(reverse("interns:log_detail", args=[submitted.pk])).status_code == 404
    assert client.get(reverse("interns:intern_detail", args=[intern.pk])).status_code == 404


def test_intern_cannot_open_inmate_register(client, intern, balikpapan, make_inmate):
    inmate = make_inmate(balikpapan)
    client.force_login(intern.user)
    assert client.get(reverse("inmates:list")).status_code == 404
    assert client.get(reverse("inmates:detail", args=[inmate.pk])).status_code == 404
    assert client.get(reverse("interns:review_queue")).status_code == 404
    assert client.get(reverse("interns:followup_list")).status_code == 404
    nav = client.get(reverse("interns:home")).content.decode()
    assert "Register WBP" not in nav and "Magang saya" in nav
    # The facilities' page (their population) is not in an intern's menu.
    menu = nav[nav.index('id="site-menu"') : nav.index("</ul>", nav.index('id="site-menu"'))]
    assert reverse("inmates:facility_list") not in menu and "Magang saya" in menu


def test_the_register_s_readers_have_the_facilities_in_their_menu(client, registrasi):
    client.force_login(registrasi)
    page = client.get(reverse("dashboard:home")).content.decode()
    menu = page[page.index('id="site-menu"') : page.index("</ul>", page.index('id="site-menu"'))]
    assert reverse("inmates:facility_list") in menu


def test_bulk_approve(client, intern, mentor, make_log):
    logs = [make_log(intern, submit=True) for _ in range(3)]
    client.force_login(mentor)
    response = client.post(reverse("interns:review_queue"), {"logs": [logs[0].pk, logs[1].pk]})
    assert response.status_code == 302
    assert ActivityLog.objects.filter(status=LogStatus.APPROVED).count() == 2
    response = client.post(reverse("interns:review_queue"), {})
    assert "Pilih minimal satu catatan." in response.content.decode()


def test_return_without_comment_is_refused(client, intern, mentor, make_log):
    log = make_log(intern, submit=True)
    client.force_login(mentor)
    response = client.post(reverse("interns:log_review", args=[log.pk]), {"action": "return"})
    assert response.status_code == 400
    assert "Tuliskan apa yang perlu diperbaiki." in response.content.decode()
    log.refresh_from_db()
    assert log.status == LogStatus.SUBMITTED


def test_queue_query_count_does_not_grow(
    client, intern, mentor, make_log, django_assert_max_num_queries
):
    make_log(intern, submit=True)
    client.force_login(mentor)
    client.get(reverse("interns:review_queue"))
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("interns:review_queue"))
    for _ in range(29):
        make_log(intern, submit=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("interns:review_queue"))


def test_intern_list_and_home_query_counts(
    client, intern, mentor, make_intern, make_log, django_assert_max_num_queries
):
    make_log(intern, submit=True)
    client.force_login(mentor)
    client.get(reverse("interns:intern_list"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("interns:intern_list"))
    for i in range(29):
        make_intern(f"extra{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("interns:intern_list"))
    assert response.context["page_obj"].paginator.count == 30
    client.force_login(intern.user)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("interns:home"))
    for _ in range(29):
        make_log(intern)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("interns:home"))


def test_missing_attendance_days_shown_to_mentor(client, intern, mentor):
    client.force_login(mentor)
    page = client.get(reverse("interns:intern_detail", args=[intern.pk])).content.decode()
    assert "hari kerja tanpa catatan kehadiran" in page


def test_evaluation_form_and_reminder(client, intern, mentor, today):
    client.force_login(mentor)
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    queue = client.get(reverse("interns:review_queue")).content.decode()
    assert "Evaluasi bulanan yang perlu diisi" in queue
    url = reverse("interns:evaluation", args=[intern.pk, last_month.year, last_month.month])
    bad = client.post(url, {"discipline": 9, "initiative": 4, "competence": 4, "teamwork": 4})
    assert bad.status_code == 200 and "5" in bad.content.decode()
    assert not intern.evaluations.exists()
    client.post(
        url, {"discipline": 4, "initiative": 4, "competence": 5, "teamwork": 4, "comment": "Baik"}
    )
    assert intern.evaluations.get().month == last_month


def test_create_intern_page_sends_mail(client, kepala, batch, mentor, mailoutbox):
    client.force_login(kepala)
    response = client.post(
        reverse("interns:intern_create", args=[batch.pk]),
        {
            "full_name": "Nadia Kusumawardani",
            "username": "nadia",
            "email": "nadia@kampus.invalid",
            "campus": "Universitas Mulawarman",
            "study_programme": "Gizi",
            "mentor": mentor.pk,
        },
    )
    assert response.status_code == 302
    # The test client runs inside a transaction that is never committed, so on_commit
    # hooks do not fire here; the mail itself is tested in test_services.
    client.force_login(mentor)
    assert client.get(reverse("interns:intern_create", args=[batch.pk])).status_code == 404


def test_batch_summary_and_xlsx(client, intern, mentor, make_log, make_intern):
    for log_type, start, end in [
        ("asesmen_literasi", "08:00", "10:00"),
        ("survei_gizi_dapur", "10:00", "11:30"),
    ]:
        log = make_log(
            intern,
            submit=True,
            log_type=log_type,
            start_time=datetime.time.fromisoformat(start),
            end_time=datetime.time.fromisoformat(end),
        )
        services.log_approve(log=log, by=mentor)
    make_log(intern, submit=True)  # not approved: not counted
    make_intern("kosong")
    client.force_login(mentor)
    page = client.get(reverse("interns:batch_summary", args=[intern.batch.pk]))
    summary = page.context["summary"]
    row = next(r for r in summary["rows"] if r.intern == intern)
    assert row.hours["asesmen_literasi"] == 2 and row.hours["survei_gizi_dapur"] == 1.5
    assert summary["grand_total"] == 3.5
    response = client.get(
        reverse("interns:batch_summary", args=[intern.batch.pk]), {"format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert any(r[0] == "Jumlah" and 3.5 in r for r in values)


def test_logbook_xlsx_content(client, intern, mentor, make_log):
    log = make_log(intern, submit=True, findings="Menu kurang sayur.")
    services.log_approve(log=log, by=mentor)
    client.force_login(intern.user)
    response = client.get(
        reverse("interns:logbook_xlsx", args=[intern.pk]),
        {"start": (log.on - datetime.timedelta(days=3)).isoformat(), "end": log.on.isoformat()},
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    entry = next(r for r in rows if r[7] == log.description)
    assert entry[4] == "Asesmen literasi" and entry[8] == "Menu kurang sayur."
    assert entry[10].startswith(f"Disetujui {mentor}")


def test_logbook_bad_period(client, intern):
    client.force_login(intern.user)
    response = client.get(
        reverse("interns:logbook_pdf", args=[intern.pk]),
        {"start": "2026-02-10", "end": "2026-01-01"},
        follow=True,
    )
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in response.content.decode()


def test_followup_pages(client, kepala, pembina, balikpapan, intern, make_log, ruteng):
    item = followup_create(
        facility=balikpapan, title="Panel listrik Blok B rusak", by=kepala, place="Blok B"
    )
    other = followup_create(
        facility=ruteng, title="Pompa air", by=member(Role.FACILITY_HEAD, facility=ruteng)
    )
    client.force_login(pembina)
    page = client.get(reverse("interns:followup_list")).content.decode()
    assert "Panel listrik Blok B rusak" in page and "Pompa air" not in page
    assert client.get(reverse("interns:followup_detail", args=[other.pk])).status_code == 404
    url = reverse("interns:followup_detail", args=[item.pk])
    response = client.post(url, {"status": "done", "owner": pembina.pk, "resolution": ""})
    assert "Tuliskan bagaimana temuan ini diselesaikan." in response.content.decode()
    item.refresh_from_db()
    assert item.status == "open" and item.owner is None
    due = timezone.localdate() + datetime.timedelta(days=7)
    client.post(
        url,
        {"status": "in_progress", "owner": pembina.pk, "due_on": due.isoformat()},
    )
    item.refresh_from_db()
    assert item.status == "in_progress" and item.owner == pembina and item.due_on == due
    filtered = client.get(reverse("interns:followup_list"), {"status": "done"})
    assert filtered.context["page_obj"].paginator.count == 0
    by_owner = client.get(reverse("interns:followup_list"), {"owner": pembina.pk, "status": ""})
    assert by_owner.context["page_obj"].paginator.count == 1


def test_followup_list_query_count(client, kepala, balikpapan, django_assert_max_num_queries):
    followup_create(facility=balikpapan, title="Temuan 0", by=kepala, owner=kepala)
    client.force_login(kepala)
    client.get(reverse("interns:followup_list"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("interns:followup_list"))
    for i in range(29):
        followup_create(facility=balikpapan, title=f"Temuan {i + 1}", by=kepala, owner=kepala)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("interns:followup_list"))


@pytest.mark.parametrize("name", ["interns:home", "interns:log_create"])
def test_phone_pages_render_for_intern(client, intern, name):
    client.force_login(intern.user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "htmx" in response.content.decode() or name == "interns:home"
