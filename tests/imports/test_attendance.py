"""Bulk attendance: each row goes through `attendance_record` for that one participant, so the
rest of a session's register is left as it is and corrections keep their history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from rest_framework.test import APIClient

from programmes import services as programme_services
from programmes.models import Attendance
from rutan.core.models import AuditEntry
from rutan.imports import engine
from rutan.imports.models import ImportStatus
from tests.imports import files
from tests.imports.programme_data import programme, session

pytestmark = pytest.mark.django_db

D = datetime.timedelta
FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture
def days(balikpapan):
    today = balikpapan.today()
    return {"two": today - D(days=7), "last": today - D(days=14), "off": today - D(days=3)}


@pytest.fixture
def barbershop(balikpapan, kepala, pembina, make_inmate, days):
    """A running programme with three participants since a month ago, two sessions on one
    day, one earlier session already recorded by hand (B sick), a cancelled and a future one."""
    course = programme(balikpapan, kepala)
    for n in range(1, 5):
        inmate = make_inmate(balikpapan, registration_number=f"BI.{n:03d}/2025", name=f"Warga {n}")
        if n < 4:
            programme_services.enrolment_create(
                programme=course,
                inmate=inmate,
                by=pembina,
                requested_on=balikpapan.today() - D(days=30),
            )
    morning = session(course, kepala, days["two"], 9)
    session(course, kepala, days["two"], 13)
    last = session(course, kepala, days["last"], 9)
    cancelled = session(course, kepala, days["off"], 9)
    programme_services.session_cancel(session=cancelled, reason="Instruktur sakit", by=kepala)
    session(course, kepala, balikpapan.today() + D(days=7), 9)
    b = course.enrolments.get(inmate__registration_number="BI.002/2025")
    programme_services.attendance_record(
        session=last, absences={b.pk: ("sick", "Demam")}, by=pembina
    )
    return {"programme": course, "morning": morning, "last": last}


def row(number, day, status="Hadir", start="", title="Kelas Barbershop", **extra) -> dict:
    return {
        "programme": title,
        "session_date": day.strftime("%d/%m/%Y") if type(day) is datetime.date else day,
        "start_time": start,
        "registration_number": number,
        "status": status,
        **extra,
    }


def full(number, day, status="Hadir", start="", reason="", note="") -> dict:
    return row(number, day, status, start, reason=reason, note=note)


def preview(facility, by, upload):
    return files.preview("attendance", facility, by, upload)


def test_preview_then_confirm_records_only_the_listed_and_corrects_with_history(
    balikpapan, pembina, barbershop, days
):
    two, last, off = days["two"], days["last"], days["off"]
    future = balikpapan.today() + D(days=7)
    rows = [
        full("BI.001/2025", last, "present", "09:00"),
        full("BI.002/2025", last, "Tidak hadir", reason="Sakit", note="Demam"),
        full("BI.003/2025", last, "absent", reason="court", note=FORMULA),
        full("BI.001/2025", two, "Hadir", "09:00"),
        full("BI.002/2025", two, "Hadir"),
        full("BI.002/2025", two, "Tidak hadir", "13:00"),
        full("BI.001/2025", off, "Hadir"),
        full("BI.001/2025", future, "Hadir"),
        full("BI.004/2025", two, "Hadir", "09:00"),
        full("BI.001/2025", two, "Hadir", "09:00"),
        full("BI.003/2025", two, "Hadir", "09:00", reason="Sakit"),
        full("XX.999/2025", two, "Hadir", "09:00"),
        {**full("BI.003/2025", two, "Hadir", "13:00"), "programme": "Kelas Sulap"},
    ]
    audits = AuditEntry.objects.count()

    result = preview(balikpapan, pembina, files.csv_file(rows))

    assert result.status == ImportStatus.PREVIEWED
    assert result.counts == {"create": 1, "update": 1, "unchanged": 2, "error": 9}
    assert Attendance.objects.count() == 3 and AuditEntry.objects.count() == audits + 1
    by_line = {e["line"]: e for e in result.errors}
    assert by_line[6] == {
        "line": 6,
        "column": "start_time",
        "field": "start_time",
        "message": "Ada 2 sesi pada tanggal itu; isi jam mulainya.",
    }
    assert by_line[7]["column"] == "reason"
    assert by_line[7]["message"] == "Pilih alasan tidak hadir untuk Warga 2."
    assert by_line[8]["column"] == "session_date" and "dibatalkan" in by_line[8]["message"]
    assert by_line[9]["column"] == "session_date" and "belum berlangsung" in by_line[9]["message"]
    assert by_line[10]["column"] == "registration_number"
    assert "bukan peserta Kelas Barbershop" in by_line[10]["message"]
    assert "baris 5" in by_line[11]["message"]
    assert by_line[12]["column"] == "reason"
    assert by_line[12]["message"] == "Alasan hanya diisi bila tidak hadir."
    assert "tidak ada di" in by_line[13]["message"]
    assert by_line[14]["column"] == "programme" and "Kelas Sulap" in by_line[14]["message"]
    assert result.rows[2]["changes"] == ["status", "reason", "note"]

    written = files.confirm(result, pembina)

    assert written.counts == result.counts
    morning = barbershop["morning"]
    # Only the participant in the file is recorded; the others of that session are not.
    assert list(morning.attendance.values_list("enrolment__inmate__name", "status")) == [
        ("Warga 1", "present")
    ]
    corrected = Attendance.objects.get(
        session=barbershop["last"], enrolment__inmate__registration_number="BI.003/2025"
    )
    assert (corrected.status, corrected.reason, corrected.note) == ("absent", "court", FORMULA)
    assert corrected.recorded_by == pembina
    assert [h.history_change_reason for h in corrected.history.order_by("history_id")] == [
        None,
        "Koreksi presensi",
    ]
    assert AuditEntry.objects.filter(
        object_type="programmes.session", object_id=str(morning.pk), actor=pembina
    ).exists()
    morning.refresh_from_db()
    assert morning.attendance_taken_by == pembina

    versions = Attendance.history.count()
    again = files.confirm(preview(balikpapan, pembina, files.csv_file(rows)), pembina)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 4, "error": 9}
    assert Attendance.history.count() == versions and Attendance.objects.count() == 4


def test_same_participant_spelled_twice_is_refused(balikpapan, pembina, barbershop, days):
    course = barbershop["programme"]
    rows = [
        full("BI.001/2025", days["last"], "Hadir"),
        {**full("BI.001/2025", days["last"], "Hadir", "09:00"), "programme": str(course.pk)},
    ]

    result = preview(balikpapan, pembina, files.csv_file(rows))

    assert result.counts["unchanged"] == 1 and result.counts["error"] == 1
    assert "sama dengan baris lain" in result.errors[0]["message"]


def test_dates_and_times_in_every_form_and_note_needs_an_absence(
    balikpapan, pembina, barbershop, days
):
    two, last = days["two"], days["last"]
    rows = [
        full("BI.001/2025", two.strftime("%d/%m/%Y"), "Hadir", datetime.time(9)),
        full("BI.002/2025", two.isoformat(), "Hadir", "09.00"),
        full("BI.003/2025", (two - engine.EXCEL_EPOCH).days, "Hadir", 9 / 24),
        full("BI.001/2025", datetime.datetime.combine(two, datetime.time()), "Hadir", "13:00"),
        full("BI.001/2025", last, "Hadir", note="terlambat"),
    ]

    result = files.confirm(preview(balikpapan, pembina, files.xlsx_file(rows)), pembina)

    assert result.counts == {"create": 4, "update": 0, "unchanged": 0, "error": 1}
    assert barbershop["morning"].attendance.count() == 3
    assert result.errors[0]["column"] == "note"
    assert result.errors[0]["message"] == "Keterangan hanya dicatat bila tidak hadir."


def test_cp1252_and_utf8_bom_files(balikpapan, pembina, barbershop, days):
    two = days["two"]
    cp1252 = files.confirm(
        preview(
            balikpapan,
            pembina,
            files.csv_file(
                [full("BI.001/2025", two, "Tidak hadir", "09:00", "Kunjungan", "Ibu – José")],
                encoding="cp1252",
            ),
        ),
        pembina,
    )
    bom = preview(
        balikpapan,
        pembina,
        files.csv_file([full("BI.002/2025", two, "Hadir", "09:00")], encoding="utf-8-sig"),
    )

    assert cp1252.counts["create"] == 1
    assert Attendance.objects.get(session=barbershop["morning"]).note == "Ibu – José"
    assert bom.counts["create"] == 1 and bom.ignored_columns == []


def test_missing_column_needs_mapping_and_extra_columns_are_ignored(
    balikpapan, pembina, barbershop, days
):
    data = full("BI.001/2025", days["two"], start="09:00")
    without_status = {k: v for k, v in data.items() if k != "status"}

    missing = preview(balikpapan, pembina, files.csv_file([without_status]))
    extra = preview(balikpapan, pembina, files.csv_file([{**data, "Paraf": "ok"}]))

    assert missing.status == ImportStatus.NEEDS_MAPPING and missing.missing_columns == ["status"]
    assert extra.counts["create"] == 1 and extra.ignored_columns == ["Paraf"]


def test_other_facilities_and_roles_cannot_import(
    balikpapan, pembina, registrasi, kepala_ruteng, barbershop, days, client
):
    upload = files.csv_file([full("BI.001/2025", days["two"], start="09:00")])
    data_import = preview(balikpapan, pembina, upload)
    outsiders = (kepala_ruteng, registrasi)
    files.assert_outsiders_refused(
        data_import.pk,
        "attendance",
        balikpapan,
        outsiders,
        lambda: files.csv_file([full("BI.001/2025", days["two"], start="09:00")]),
    )
    for outsider in outsiders:
        client.force_login(outsider)
        assert client.get(f"/impor/attendance/upt/{balikpapan.pk}/").status_code == 404
        with pytest.raises(ValidationError):
            preview(balikpapan, outsider, files.csv_file([full("BI.001/2025", days["two"])]))
    assert not barbershop["morning"].attendance.exists()


def test_api_preview_then_confirm(
    balikpapan, pembina, barbershop, days, django_capture_on_commit_callbacks
):
    api = APIClient()
    api.force_authenticate(pembina)
    upload = files.csv_file([full("BI.001/2025", days["two"], start="09:00")])

    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/api/v1/imports/",
            {"kind": "attendance", "facility": balikpapan.pk, "file": upload},
            format="multipart",
        )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert api.get(f"/api/v1/imports/{pk}/").json()["counts"]["create"] == 1
    assert not barbershop["morning"].attendance.exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"/api/v1/imports/{pk}/confirm/").status_code == 200
    assert api.get(f"/api/v1/imports/{pk}/").json()["status"] == "done"
    assert barbershop["morning"].attendance.get().status == "present"


def test_management_command(balikpapan, pembina, barbershop, days, tmp_path, capsys):
    path = tmp_path / "presensi.csv"
    rows = [full("BI.001/2025", days["two"], start="09:00"), full("BI.002/2025", days["two"])]
    path.write_bytes(files.csv_file(rows).read())

    call_command("import_data", "attendance", str(path), facility=balikpapan.code, user="pembina")

    out = capsys.readouterr().out
    assert "create: 1" in out and "line 3 [start_time]" in out
    assert barbershop["morning"].attendance.count() == 1


def test_import_links_for_who_records_attendance(
    client, balikpapan, pembina, registrasi, barbershop
):
    start = f"/impor/attendance/upt/{balikpapan.pk}/"
    detail = f"/program/{barbershop['programme'].pk}/"
    client.force_login(pembina)
    assert start in client.get("/program/").content.decode()
    assert start in client.get(detail).content.decode()
    client.force_login(registrasi)
    assert start not in client.get("/program/").content.decode()
    assert start not in client.get(detail).content.decode()
