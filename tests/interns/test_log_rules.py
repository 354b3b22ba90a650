"""The intern's log form: every problem at once in a summary at the top, nothing written by
a refused submission, and no draft that breaks the rules (future, outside the batch, empty)."""

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from interns.models import ActivityLog, LogStatus
from tests.html import parse, text
from tests.interns.conftest import upload
from tests.interns.test_views import _form, _new_form

TZ = datetime.timezone(datetime.timedelta(hours=8))  # WITA, the batch's facility


def summary_items(page: str) -> list[str]:
    (box,) = [e for e in parse(page).iter("div") if "data-error-summary" in e.attrib]
    return [text(li) for li in box.iter("li")]


def test_future_date_and_bad_photo_are_named_together_and_nothing_is_saved(client, intern, today):
    client.force_login(intern.user)
    key = _new_form(client)
    future = today + datetime.timedelta(days=2)
    response = client.post(
        reverse("interns:log_create"),
        _form(client_key=key, action="submit", on=future)
        | {"photos": [upload("x.jpg", b"not an image")]},
    )
    assert response.status_code == 200
    items = summary_items(response.content.decode())
    assert any(i.startswith("Tanggal") and "masa depan" in i for i in items), items
    assert any(i.startswith("Foto") for i in items), items
    assert "Pilih foto lagi sebelum menyimpan: foto tidak ikut tersimpan." in items
    # Each field's item links to the field.
    page = response.content.decode()
    assert 'href="#id_on"' in page and 'href="#id_photos"' in page
    assert not ActivityLog.objects.exists()


def test_a_draft_outside_the_batch_is_refused_even_as_a_draft(client, intern):
    client.force_login(intern.user)
    key = _new_form(client)
    before = intern.batch.start_on - datetime.timedelta(days=3)
    response = client.post(reverse("interns:log_create"), _form(client_key=key, on=before))
    assert response.status_code == 200
    assert "di luar masa magang angkatan Anda" in response.content.decode()
    assert not ActivityLog.objects.exists()


def test_autosave_keeps_the_typing_but_not_a_future_date(client, intern, today):
    client.force_login(intern.user)
    key = _new_form(client)
    future = (today + datetime.timedelta(days=1)).isoformat()
    reply = client.post(
        reverse("interns:log_autosave"),
        {"client_key": key, "on": future, "description": "Survei dapur"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "Sebagian isian belum valid" in reply and "masa depan" in reply
    log = ActivityLog.objects.get()
    assert log.description == "Survei dapur" and log.on <= today


def test_autosave_of_an_untouched_form_makes_no_draft(client, intern, today):
    client.force_login(intern.user)
    key = _new_form(client)
    reply = client.post(
        reverse("interns:log_autosave"),
        {"client_key": key, "on": today.isoformat()},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "Belum ada isian untuk disimpan." in reply
    assert not ActivityLog.objects.exists()


def test_today_s_activity_is_submitted_only_once_its_times_have_come(client, intern):
    client.force_login(intern.user)
    now = datetime.datetime(2026, 12, 4, 10, 15, tzinfo=TZ)
    with time_machine.travel(now, tick=False):
        key = _new_form(client)
        data = _form(client_key=key, action="submit", on=now.date())
        data |= {"start_time": "09:00", "end_time": "13:00"}
        page = client.post(reverse("interns:log_create"), data).content.decode()
        assert "Jam ini belum tiba (sekarang pukul 10:15)" in page
        assert not ActivityLog.objects.exists()
        data["end_time"] = "10:00"
        response = client.post(reverse("interns:log_create"), data)
        assert response.status_code == 302
    assert ActivityLog.objects.get().status == LogStatus.SUBMITTED
    assert timezone.now() > now


def test_the_intern_s_home_says_a_weekend_is_not_a_working_day(client, intern):
    client.force_login(intern.user)
    saturday = datetime.datetime(2026, 12, 5, 10, 0, tzinfo=TZ)
    monday = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=TZ)
    with time_machine.travel(saturday, tick=False):
        client.force_login(intern.user)
        weekend = client.get(reverse("interns:home")).content.decode()
    with time_machine.travel(monday, tick=False):
        client.force_login(intern.user)
        weekday = client.get(reverse("interns:home")).content.decode()
    assert "Hari ini akhir pekan" in weekend and "Catat datang" in weekend
    assert "Anda belum mencatat kedatangan hari ini." in weekday
