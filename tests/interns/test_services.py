import datetime

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

from interns import services
from interns.models import ActivityLog, DailyAttendance, Intern, LogPhoto, LogReview, LogStatus
from rutan.accounts.models import Membership, User
from rutan.core.models import AuditEntry
from rutan.core.roles import Role
from rutan.facilities.models import FollowUpItem
from tests.factories import member

from .conftest import image_bytes, log_data, upload


def test_draft_submit_return_resubmit_approve(intern, mentor, make_log):
    log = make_log(intern)
    assert log.status == LogStatus.DRAFT
    assert log.hours == pytest.approx(2.5)

    log = services.log_submit(log=log, by=intern.user)
    assert log.status == LogStatus.SUBMITTED and log.submitted_at

    log = services.log_return(log=log, by=mentor, comment="Tambahkan jumlah peserta per kelompok.")
    assert log.status == LogStatus.RETURNED
    assert log.review_comment == "Tambahkan jumlah peserta per kelompok."

    log = services.log_save_draft(
        intern=intern, by=intern.user, log=log, data={"people_reached": 15}
    )
    assert log.status == LogStatus.RETURNED and log.people_reached == 15
    log = services.log_submit(log=log, by=intern.user)
    assert log.status == LogStatus.RESUBMITTED

    log = services.log_approve(log=log, by=mentor)
    assert log.status == LogStatus.APPROVED and log.reviewed_by == mentor
    assert not log.auto_approved
    assert list(log.reviews.values_list("action", flat=True)) == [
        "submitted",
        "returned",
        "resubmitted",
        "approved",
    ]
    assert AuditEntry.objects.filter(object_type="interns.activitylog").count() == 6


def test_approved_log_is_locked(intern, mentor, make_log):
    log = services.log_approve(log=make_log(intern, submit=True), by=mentor)
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        services.log_save_draft(intern=intern, by=intern.user, log=log, data={"place": "Dapur"})
    with pytest.raises(ValidationError, match="sudah diajukan"):
        services.log_submit(log=log, by=intern.user)
    with pytest.raises(ValidationError, match="tidak sedang menunggu"):
        services.log_return(log=log, by=mentor, comment="x")
    log.refresh_from_db()
    assert log.place == "Ruang pembinaan" and log.status == LogStatus.APPROVED


def test_submitted_log_cannot_be_edited_or_approved_twice(intern, mentor, make_log):
    log = make_log(intern, submit=True)
    with pytest.raises(ValidationError):
        services.log_save_draft(intern=intern, by=intern.user, log=log, data={"place": "X"})
    services.log_approve(log=log, by=mentor)
    with pytest.raises(ValidationError):
        services.log_approve(log=log, by=mentor)
    assert LogReview.objects.filter(log=log, action="approved").count() == 1


def test_return_needs_comment(intern, mentor, make_log):
    log = make_log(intern, submit=True)
    with pytest.raises(ValidationError) as exc:
        services.log_return(log=log, by=mentor, comment="  ")
    assert "comment" in exc.value.error_dict
    log.refresh_from_db()
    assert log.status == LogStatus.SUBMITTED


def test_submit_checks_completeness_and_changes_nothing(intern, make_log):
    log = make_log(intern, description="", log_type="", start_time=None, end_time=None)
    # A draft kept from before its date became wrong (the facility's day is checked again).
    ActivityLog.objects.filter(pk=log.pk).update(
        on=timezone.localdate() + datetime.timedelta(days=3)
    )
    with pytest.raises(ValidationError) as exc:
        services.log_submit(log=log, by=intern.user)
    assert set(exc.value.error_dict) == {"on", "log_type", "description", "hours"}
    assert "masa depan" in str(exc.value.error_dict["on"])
    log.refresh_from_db()
    assert log.status == LogStatus.DRAFT and not log.reviews.exists()


def test_a_draft_is_never_dated_in_the_future_or_outside_the_batch(intern):
    for on, refused in [
        (timezone.localdate() + datetime.timedelta(days=3), "masa depan"),
        (intern.batch.start_on - datetime.timedelta(days=1), "di luar masa magang"),
    ]:
        with pytest.raises(ValidationError, match=refused):
            services.log_save_draft(intern=intern, by=intern.user, data=log_data(on=on))
    assert not ActivityLog.objects.exists()


def test_a_save_for_submission_names_every_problem_at_once(intern):
    with pytest.raises(ValidationError) as exc:
        services.log_save_draft(
            intern=intern,
            by=intern.user,
            data=log_data(on=timezone.localdate() + datetime.timedelta(days=3), description=""),
            photos=[upload("x.jpg", b"not an image")],
            for_submit=True,
        )
    assert {"on", "description", "photos"} <= set(exc.value.error_dict)
    assert not ActivityLog.objects.exists()


def test_end_before_start_is_refused(intern):
    with pytest.raises(ValidationError) as exc:
        services.log_save_draft(
            intern=intern,
            by=intern.user,
            data=log_data(start_time=datetime.time(11), end_time=datetime.time(9)),
        )
    assert "end_time" in exc.value.error_dict
    assert not ActivityLog.objects.exists()


def test_client_key_makes_autosave_and_submit_one_draft(intern):
    import uuid

    key = uuid.uuid4()
    services.log_save_draft(intern=intern, by=intern.user, client_key=key, data={"place": "Dapur"})
    services.log_save_draft(
        intern=intern, by=intern.user, client_key=key, data={"description": "Survei dapur"}
    )
    log = ActivityLog.objects.get()
    assert log.client_key == key and log.place == "Dapur" and log.description == "Survei dapur"


def test_other_intern_cannot_change_or_submit_a_log(intern, make_intern, make_log):
    log = make_log(intern)
    other = make_intern("magang2")
    with pytest.raises(ValidationError):
        services.log_save_draft(intern=intern, by=other.user, log=log, data={"place": "X"})
    with pytest.raises(ValidationError):
        services.log_submit(log=log, by=other.user)
    with pytest.raises(ValidationError):
        services.log_save_draft(intern=other, by=other.user, log=log, data={"place": "X"})
    log.refresh_from_db()
    assert log.place == "Ruang pembinaan" and log.status == LogStatus.DRAFT


def test_intern_cannot_review(intern, make_log):
    log = make_log(intern, submit=True)
    with pytest.raises(ValidationError, match="tidak berwenang"):
        services.log_approve(log=log, by=intern.user)


def test_mentor_of_other_facility_cannot_review(intern, make_log, ruteng):
    log = make_log(intern, submit=True)
    outsider = member(Role.MENTOR, facility=ruteng)
    with pytest.raises(ValidationError):
        services.log_approve(log=log, by=outsider)
    log.refresh_from_db()
    assert log.status == LogStatus.SUBMITTED


def test_bulk_approve_is_all_or_nothing(intern, mentor, make_log):
    first = make_log(intern, submit=True)
    second = make_log(intern, submit=True)
    draft = make_log(intern)
    with pytest.raises(ValidationError):
        services.logs_bulk_approve(logs=[first, second, draft], by=mentor)
    assert ActivityLog.objects.filter(status=LogStatus.APPROVED).count() == 0
    assert services.logs_bulk_approve(logs=[first, second], by=mentor) == 2
    assert ActivityLog.objects.filter(status=LogStatus.APPROVED).count() == 2


def test_auto_approve_after_n_days_is_idempotent(intern, make_log, settings):
    settings.INTERN_LOG_AUTO_APPROVE_DAYS = 14
    old = make_log(intern, submit=True)
    recent = make_log(intern, submit=True)
    ActivityLog.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=15)
    )
    assert services.logs_auto_approve() == 1
    assert services.logs_auto_approve() == 0
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == LogStatus.APPROVED and old.auto_approved and old.reviewed_by is None
    assert recent.status == LogStatus.SUBMITTED
    assert old.reviews.filter(action="auto_approved").count() == 1


def test_auto_approve_task_records_job_run(intern, make_log):
    from interns.tasks import auto_approve_logs
    from rutan.core.models import JobRun

    log = make_log(intern, submit=True)
    ActivityLog.objects.filter(pk=log.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=30)
    )
    assert auto_approve_logs.delay().get() == 1
    auto_approve_logs.delay()
    runs = list(JobRun.objects.order_by("started_at", "id"))
    assert [r.processed for r in runs] == [1, 0]
    assert all(r.success and r.finished_at >= r.started_at for r in runs)
    assert {r.kind for r in runs} == {"interns.auto_approve_logs"}
    assert runs[0].get_kind_display() == "Persetujuan otomatis log magang"


def test_beat_schedule_exists(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="interns.tasks.auto_approve_logs")
    assert task.enabled and task.crontab is not None


def test_finding_opens_one_follow_up(intern, mentor, make_log):
    log = make_log(
        intern,
        log_type="pemeriksaan_listrik",
        place="Panel listrik Blok B",
        findings="Panel listrik Blok B rusak, kabel terkelupas.\nPerlu penggantian MCB.",
    )
    log = services.log_submit(log=log, by=intern.user)
    item = log.follow_up
    assert item.source == "intern_log" and item.facility == intern.batch.facility
    assert item.title == "Pemeriksaan listrik: Panel listrik Blok B rusak, kabel terkelupas."
    assert item.source_type == "interns.activitylog" and item.source_id == str(log.pk)
    assert item.place == "Panel listrik Blok B"
    services.log_return(log=log, by=mentor, comment="Lengkapi foto.")
    services.log_submit(log=log, by=intern.user)
    assert FollowUpItem.objects.count() == 1


def test_photos_are_cleaned_resized_and_stripped(intern, private_media):
    exif = Image.Exif()
    exif[0x010F] = "KameraUji"  # Make
    exif[0x8825] = {1: "S", 2: (1.0, 16.0, 0.0)}  # GPS IFD
    log = services.log_save_draft(
        intern=intern,
        by=intern.user,
        data=log_data(),
        photos=[upload(content=image_bytes(exif=exif)), upload("a.png", image_bytes("PNG"))],
    )
    photos = list(log.photos.all())
    assert len(photos) == 2
    for photo in photos:
        with photo.image.open("rb") as fh:
            image = Image.open(fh)
            image.load()
            assert image.format == "JPEG"
            assert max(image.size) == 1600
            assert not image.getexif()
        assert photo.image.path.startswith(str(private_media))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 not an image", "bukan berkas gambar"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "bukan berkas gambar"),
        (image_bytes("GIF", (50, 50)), "JPEG, PNG atau WebP"),
    ],
)
def test_photo_by_content_not_by_name(intern, content, message):
    with pytest.raises(ValidationError, match=message):
        services.log_save_draft(
            intern=intern, by=intern.user, data=log_data(), photos=[upload("ok.jpg", content)]
        )
    assert not ActivityLog.objects.exists() and not LogPhoto.objects.exists()


def test_photo_size_and_count_limits(intern, settings):
    big = upload()
    big.size = 9 * 1024 * 1024
    with pytest.raises(ValidationError, match="8 MB"):
        services.log_save_draft(intern=intern, by=intern.user, data=log_data(), photos=[big])
    log = services.log_save_draft(
        intern=intern, by=intern.user, data=log_data(), photos=[upload() for _ in range(5)]
    )
    with pytest.raises(ValidationError, match="Paling banyak 5 foto"):
        services.log_save_draft(intern=intern, by=intern.user, log=log, data={}, photos=[upload()])
    assert log.photos.count() == 5
    first = log.photos.first()
    services.log_save_draft(
        intern=intern,
        by=intern.user,
        log=log,
        data={},
        photos=[upload()],
        remove_photo_ids=[first.pk],
    )
    assert log.photos.count() == 5 and not log.photos.filter(pk=first.pk).exists()


def test_failed_save_leaves_no_files(intern, private_media):
    with pytest.raises(ValidationError):
        services.log_save_draft(
            intern=intern,
            by=intern.user,
            data=log_data(),
            photos=[upload(), upload("x.jpg", b"junk")],
        )
    files = list(private_media.rglob("*.jpg")) if private_media.exists() else []
    assert files == []


def test_attendance_once_per_day(intern):
    record = services.attendance_check_in(intern=intern, by=intern.user)
    with pytest.raises(ValidationError, match="sudah tercatat datang"):
        services.attendance_check_in(intern=intern, by=intern.user)
    record = services.attendance_check_out(
        intern=intern, by=intern.user, at=record.check_in + datetime.timedelta(minutes=1)
    )
    assert record.check_out
    with pytest.raises(ValidationError, match="sudah tercatat pulang"):
        services.attendance_check_out(intern=intern, by=intern.user)
    assert DailyAttendance.objects.count() == 1


def test_attendance_day_is_the_facility_date(intern):
    # 23:30 UTC is 07:30 the next morning in Balikpapan (WITA).
    at = timezone.now().replace(hour=23, minute=30) - datetime.timedelta(days=2)
    record = services.attendance_check_in(intern=intern, by=intern.user, at=at)
    assert record.on == (at + datetime.timedelta(hours=8)).date()


def test_check_out_needs_check_in(intern):
    with pytest.raises(ValidationError, match="Catat kedatangan"):
        services.attendance_check_out(intern=intern, by=intern.user)


def test_intern_create_sends_one_time_link(batch, kepala, mentor, client):
    intern = services.intern_create(
        batch=batch,
        username="rahma",
        full_name="Rahmawati Putri",
        email="rahma@kampus.invalid",
        campus="Universitas Balikpapan",
        study_programme="Teknik Elektro",
        mentor=mentor,
        by=kepala,
        base_url="https://rutan.example",
    )
    user = intern.user
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == Role.INTERN
    assert len(mail.outbox) == 0  # sent only once the transaction commits


def test_intern_create_email_and_set_password(
    batch, kepala, mentor, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        intern = services.intern_create(
            batch=batch,
            username="rahma",
            full_name="Rahmawati Putri",
            email="rahma@kampus.invalid",
            campus="Universitas Balikpapan",
            study_programme="Teknik Elektro",
            mentor=mentor,
            by=kepala,
            base_url="https://rutan.example",
        )
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Rahmawati Putri" in body and "https://rutan.example/magang/atur-sandi/" in body
    path = body.split("https://rutan.example", 1)[1].split()[0]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    set_url = response.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "Kopi-Balikpapan-77", "new_password2": "Kopi-Balikpapan-77"}
    )
    assert response.status_code == 302
    intern.user.refresh_from_db()
    assert intern.user.check_password("Kopi-Balikpapan-77")
    # The link works once.
    assert not default_token_generator.check_token(intern.user, path.rstrip("/").split("/")[-1])
    again = client.get(path, follow=True)
    assert "tidak berlaku" in again.content.decode()


def test_intern_create_rules(batch, pembina, kepala, mentor):
    kwargs = {
        "batch": batch,
        "username": "rahma",
        "full_name": "Rahmawati Putri",
        "email": "rahma@kampus.invalid",
        "campus": "Universitas Balikpapan",
        "study_programme": "Teknik Elektro",
        "base_url": "https://rutan.example",
    }
    with pytest.raises(ValidationError, match="tidak berwenang"):
        services.intern_create(by=pembina, **kwargs)
    with pytest.raises(ValidationError) as exc:
        services.intern_create(by=kepala, mentor=pembina, **kwargs)
    assert "mentor" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.intern_create(by=kepala, **(kwargs | {"username": "mentor"}))
    assert "username" in exc.value.error_dict
    assert not User.objects.filter(username="rahma").exists()
    assert not Intern.objects.exists()


def test_evaluation_rules(intern, mentor, today):
    month = today.replace(day=1)
    evaluation = services.evaluation_save(
        intern=intern,
        month=month,
        by=mentor,
        discipline=4,
        initiative=5,
        competence=4,
        teamwork=5,
        comment="Aktif dan teliti.",
    )
    assert evaluation.average == 4.5
    again = services.evaluation_save(
        intern=intern,
        month=month,
        by=mentor,
        discipline=3,
        initiative=5,
        competence=4,
        teamwork=5,
    )
    assert again.pk == evaluation.pk and again.discipline == 3
    with pytest.raises(ValidationError) as exc:
        services.evaluation_save(
            intern=intern,
            month=month,
            by=mentor,
            discipline=6,
            initiative=5,
            competence=4,
            teamwork=5,
        )
    assert "discipline" in exc.value.error_dict
    with pytest.raises(ValidationError, match="belum dapat dinilai"):
        services.evaluation_save(
            intern=intern,
            month=month + datetime.timedelta(days=40),
            by=mentor,
            discipline=3,
            initiative=3,
            competence=3,
            teamwork=3,
        )
    with pytest.raises(ValidationError, match="tidak berwenang"):
        services.evaluation_save(
            intern=intern,
            month=month,
            by=intern.user,
            discipline=5,
            initiative=5,
            competence=5,
            teamwork=5,
        )


def _session(facility, day):
    from programmes.models import Programme, Session

    programme = Programme.objects.create(
        facility=facility,
        title="Pengajian Qonita",
        pillar="kepribadian",
        area="keagamaan",
        start_date=day,
    )
    return Session.objects.create(
        programme=programme,
        date=day,
        start_time=datetime.time(9),
        end_time=datetime.time(11),
    )


def test_log_links_a_session_of_its_facility_only(intern, ruteng):
    day = timezone.localdate() - datetime.timedelta(days=1)
    own = _session(intern.batch.facility, day)
    log = services.log_save_draft(intern=intern, by=intern.user, data=log_data(on=day, session=own))
    assert log.session == own
    with pytest.raises(ValidationError) as exc:
        services.log_save_draft(
            intern=intern, by=intern.user, log=log, data={"session": _session(ruteng, day)}
        )
    assert "session" in exc.value.error_dict
    log.refresh_from_db()
    assert log.session == own


def test_auto_approve_counts_calendar_days_at_the_facility(
    intern, make_log, settings, time_machine
):
    settings.INTERN_LOG_AUTO_APPROVE_DAYS = 14
    settings.TIME_ZONE = "UTC"
    facility = intern.batch.facility
    facility.timezone = "Asia/Jayapura"
    facility.save()
    log = make_log(intern, submit=True)
    # Submitted at 10:00 WIT on 17 November (01:00 UTC).
    ActivityLog.objects.filter(pk=log.pk).update(
        submitted_at=datetime.datetime(2026, 11, 17, 1, tzinfo=datetime.UTC)
    )
    # 23:30 WIT on 30 November: 13 days at the facility.
    time_machine.move_to(datetime.datetime(2026, 11, 30, 14, 30, tzinfo=datetime.UTC), tick=False)
    assert services.logs_auto_approve() == 0
    # 00:30 WIT on 1 December (still 30 November in UTC): 14 days there.
    time_machine.move_to(datetime.datetime(2026, 11, 30, 15, 30, tzinfo=datetime.UTC), tick=False)
    assert services.logs_auto_approve() == 1


def test_a_refused_save_and_submit_leaves_no_draft(intern):
    with pytest.raises(ValidationError) as exc:
        services.log_save_and_submit(
            intern=intern, by=intern.user, data=log_data(description="", log_type="")
        )
    assert {"description", "log_type"} <= set(exc.value.error_dict)
    assert not ActivityLog.objects.exists()
    log = services.log_save_and_submit(intern=intern, by=intern.user, data=log_data())
    assert log.status == LogStatus.SUBMITTED
