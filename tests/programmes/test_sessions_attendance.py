import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programmes import selectors, services
from programmes.models import Attendance, Session
from rutan.core.models import AuditEntry

D = datetime.timedelta


@pytest.fixture
def weekly(balikpapan, pembina, make_programme, today):
    programme = make_programme(
        balikpapan, start_date=today - D(days=28), end_date=today + D(days=27)
    )
    services.schedule_slot_create(
        programme=programme,
        weekday=today.weekday(),
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        location="Aula",
        by=pembina,
    )
    return programme


def test_schedule_generates_dated_sessions_once(weekly, pembina, today):
    made = services.sessions_generate(
        programme=weekly, date_from=today - D(days=100), date_to=today + D(days=100), by=pembina
    )
    dates = sorted(s.date for s in made)
    assert dates[0] == today - D(days=28) and dates[-1] == today + D(days=21)
    assert len(dates) == 8 and all(d.weekday() == today.weekday() for d in dates)
    assert all(s.location == "Aula" for s in made)
    again = services.sessions_generate(
        programme=weekly, date_from=today - D(days=100), date_to=today + D(days=100), by=pembina
    )
    assert again == [] and Session.objects.count() == 8
    assert not Attendance.objects.exists()


def test_generate_refuses_bad_ranges(weekly, pembina, today):
    with pytest.raises(ValidationError):
        services.sessions_generate(
            programme=weekly, date_from=today, date_to=today - D(days=1), by=pembina
        )
    with pytest.raises(ValidationError):
        services.sessions_generate(
            programme=weekly, date_from=today, date_to=today + D(days=400), by=pembina
        )


def test_cancelled_session_keeps_its_row(weekly, pembina, today):
    services.sessions_generate(programme=weekly, date_from=today, date_to=today, by=pembina)
    session = Session.objects.get()
    with pytest.raises(ValidationError) as exc:
        services.session_cancel(session=session, reason="  ", by=pembina)
    assert "reason" in exc.value.error_dict
    services.session_cancel(session=session, reason="Instruktur berhalangan", by=pembina)
    session.refresh_from_db()
    assert (session.status, session.cancel_reason, session.cancelled_by) == (
        "cancelled",
        "Instruktur berhalangan",
        pembina,
    )
    # Generating again does not bring the cancelled session back.
    assert (
        services.sessions_generate(programme=weekly, date_from=today, date_to=today, by=pembina)
        == []
    )
    with pytest.raises(ValidationError, match="dibatalkan"):
        services.attendance_record(session=session, absences={}, by=pembina)


def test_session_edit_and_clash(weekly, pembina, today):
    services.sessions_generate(programme=weekly, date_from=today, date_to=today, by=pembina)
    extra = services.session_create(
        programme=weekly,
        date=today,
        start_time=datetime.time(13),
        end_time=datetime.time(14),
        topic="Tambahan",
        by=pembina,
    )
    with pytest.raises(ValidationError) as exc:
        services.session_update(session=extra, start_time=datetime.time(9), by=pembina)
    assert "sudah ada" in str(exc.value)
    with pytest.raises(ValidationError):
        services.session_update(session=extra, end_time=datetime.time(12), by=pembina)
    services.session_update(session=extra, topic="Praktik", by=pembina)
    extra.refresh_from_db()
    assert extra.topic == "Praktik" and extra.start_time == datetime.time(13)


@pytest.fixture
def register(weekly, pembina, make_inmate, balikpapan, today):
    services.sessions_generate(
        programme=weekly, date_from=today - D(days=14), date_to=today + D(days=7), by=pembina
    )
    enrolments = [
        services.enrolment_create(programme=weekly, inmate=make_inmate(balikpapan), by=pembina)
        for _ in range(4)
    ]
    # Places started today; move them back so that past sessions count them.
    for e in enrolments:
        e.started_on = today - D(days=28)
        e.save()
    return weekly, enrolments


def test_register_marks_everyone_present_except_exceptions(register, pembina, today):
    programme, enrolments = register
    session = programme.sessions.get(date=today)
    rows = services.attendance_record(
        session=session,
        absences={enrolments[0].pk: ("sick", "Demam"), enrolments[1].pk: ("court", "")},
        by=pembina,
    )
    by_enrolment = {a.enrolment_id: a for a in rows}
    assert len(rows) == 4
    assert (by_enrolment[enrolments[0].pk].status, by_enrolment[enrolments[0].pk].reason) == (
        "absent",
        "sick",
    )
    assert by_enrolment[enrolments[2].pk].status == "present"
    session.refresh_from_db()
    assert session.attendance_taken_by == pembina
    assert selectors.attendance_rate(enrolment=enrolments[0]) == 0
    assert selectors.attendance_rate(enrolment=enrolments[2]) == 100
    assert selectors.programme_attendance_rate(programme=programme) == 50


def test_correction_keeps_who_changed_what(register, pembina, kepala, today):
    programme, enrolments = register
    session = programme.sessions.get(date=today)
    services.attendance_record(
        session=session, absences={enrolments[0].pk: ("sick", "")}, by=pembina
    )
    services.attendance_record(
        session=session, absences={enrolments[1].pk: ("visit", "Kunjungan keluarga")}, by=kepala
    )
    first = Attendance.objects.get(session=session, enrolment=enrolments[0])
    assert first.status == "present" and first.recorded_by == kepala
    history = list(first.history.order_by("history_date"))
    assert [(h.status, h.history_user) for h in history] == [
        ("absent", pembina),
        ("present", kepala),
    ]
    assert len(selectors.attendance_history(session=session)) == 6
    assert AuditEntry.objects.filter(
        object_type="programmes.session", object_id=str(session.pk), action="update"
    ).exists()


def test_register_refuses_bad_input_and_changes_nothing(register, pembina, magang, today):
    programme, enrolments = register
    future = programme.sessions.get(date=today + D(days=7))
    with pytest.raises(ValidationError, match="belum berlangsung"):
        services.attendance_record(session=future, absences={}, by=pembina)
    session = programme.sessions.get(date=today)
    with pytest.raises(ValidationError, match="Pilih alasan"):
        services.attendance_record(
            session=session, absences={enrolments[0].pk: ("bolos", "")}, by=pembina
        )
    with pytest.raises(ValidationError, match="tidak terdaftar"):
        services.attendance_record(session=session, absences={999999: ("sick", "")}, by=pembina)
    with pytest.raises(ValidationError, match="tidak berwenang"):
        services.attendance_record(session=session, absences={}, by=magang)
    assert not Attendance.objects.exists()


def test_roster_follows_enrolment_dates(register, pembina, today):
    programme, enrolments = register
    services.enrolment_withdraw(enrolment=enrolments[3], reason="health", by=pembina)
    past = programme.sessions.get(date=today - D(days=14))
    assert len(services.session_roster(past)) == 4
    assert enrolments[3].pk in {e.pk for e in services.session_roster(past)}
    tomorrow_session = services.session_create(
        programme=programme,
        date=today + D(days=1),
        start_time=datetime.time(9),
        end_time=datetime.time(10),
        by=pembina,
    )
    assert enrolments[3].pk not in {e.pk for e in services.session_roster(tomorrow_session)}


def test_recording_only_some_participants_leaves_the_rest_of_the_register(
    register, pembina, kepala, today
):
    programme, enrolments = register
    session = programme.sessions.get(date=today)
    services.attendance_record(session=session, absences={}, only=[enrolments[0].pk], by=pembina)
    assert list(session.attendance.values_list("enrolment_id", "status")) == [
        (enrolments[0].pk, "present")
    ]
    services.attendance_record(
        session=session,
        absences={enrolments[0].pk: ("court", "Sidang PN")},
        only=[enrolments[0].pk, enrolments[1].pk],
        by=kepala,
    )
    recorded = {a.enrolment_id: (a.status, a.reason) for a in session.attendance.all()}
    assert recorded == {enrolments[0].pk: ("absent", "court"), enrolments[1].pk: ("present", "")}
    assert Attendance.objects.get(enrolment=enrolments[0]).history.count() == 2
    with pytest.raises(ValidationError, match="tidak terdaftar"):
        services.attendance_record(session=session, absences={}, only=[999999], by=pembina)
    with pytest.raises(ValidationError, match="tidak terdaftar"):
        services.attendance_record(
            session=session,
            absences={enrolments[2].pk: ("sick", "")},
            only=[enrolments[0].pk],
            by=pembina,
        )
    assert session.attendance.count() == 2


def test_today_s_register_opens_when_its_session_starts(register, pembina, client, today):
    """At 08:30 in Balikpapan the 09:00 session cannot have an attendance yet; at 09:00 it can
    (the facility's clock, whatever the server's)."""
    import time_machine

    programme, enrolments = register
    session = programme.sessions.get(date=today)
    assert session.start_time == datetime.time(9)
    zone = zoneinfo.ZoneInfo("Asia/Makassar")
    early = datetime.datetime.combine(today, datetime.time(8, 30), tzinfo=zone)
    with time_machine.travel(early, tick=False):
        with pytest.raises(ValidationError, match="baru mulai pukul 09:00"):
            services.attendance_record(session=session, absences={}, by=pembina)
        client.force_login(pembina)
        page = client.get(reverse("programmes:session_register", args=[session.pk]))
        assert "presensi bisa diisi setelah sesi mulai" in page.content.decode()
        assert not page.context["can_record"]
        response = client.post(reverse("programmes:session_register", args=[session.pk]), {})
        assert "baru mulai pukul 09:00" in response.content.decode()
    assert not Attendance.objects.exists()
    with time_machine.travel(early + D(minutes=30), tick=False):
        services.attendance_record(session=session, absences={}, by=pembina)
    assert Attendance.objects.filter(session=session).count() == len(enrolments)
