"""Every write of the interns app: batches, accounts, attendance, logs and their review."""

import datetime
import operator
import zoneinfo
from collections.abc import Iterable
from functools import reduce

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rutan.accounts.models import Membership, User
from rutan.core.models import AuditAction
from rutan.core.roles import Perm, Role
from rutan.core.scoping import user_can
from rutan.core.services import audit_record, model_snapshot
from rutan.facilities.models import FollowUpSource
from rutan.facilities.selectors import today_by_timezone
from rutan.facilities.services import followup_create

from . import selectors
from .models import (
    ASSESSMENT_LINKS,
    AWAITING_REVIEW,
    ActivityLog,
    Batch,
    DailyAttendance,
    Intern,
    LogPhoto,
    LogReview,
    LogStatus,
    MonthlyEvaluation,
    ReviewAction,
)
from .photos import MAX_PHOTOS, clean_photo

LOG_FIELDS = (
    "on",
    "start_time",
    "end_time",
    "hours",
    "log_type",
    "place",
    "block",
    "people_reached",
    "description",
    "findings",
    "session",
    "psych_assessment",
    "literacy_assessment",
)


def _audit_save(instance, *, by, before=None, facility_id=None):
    audit_record(
        actor=by,
        action=AuditAction.UPDATE if before is not None else AuditAction.CREATE,
        instance=instance,
        before=before,
        after=model_snapshot(instance),
        facility_id=facility_id,
    )


# Batches and intern accounts


@transaction.atomic
def batch_save(*, batch: Batch, by) -> Batch:
    """Create or change a batch: INTERN_MANAGE at its facility."""
    if not user_can(by, Perm.INTERN_MANAGE, batch.facility_id):
        raise ValidationError(_("Anda tidak berwenang mengelola magang di UPT ini."))
    before = model_snapshot(Batch.objects.get(pk=batch.pk)) if batch.pk else None
    if before is None:
        batch.created_by = by
    batch.updated_by = by
    batch.full_clean()
    batch.save()
    _audit_save(batch, by=by, before=before)
    return batch


def _check_mentor(mentor, facility):
    if mentor is not None and not user_can(mentor, Perm.INTERN_REVIEW, facility):
        raise ValidationError({"mentor": _("Mentor harus petugas dengan peran mentor di UPT ini.")})


@transaction.atomic
def intern_create(
    *,
    batch: Batch,
    username: str,
    full_name: str,
    email: str,
    campus: str,
    study_programme: str,
    by,
    base_url: str,
    mentor=None,
    unit: str = "",
) -> Intern:
    """Open an intern's account (role `intern` at the batch's facility) and their profile.

    The account has no password: a one-time link to set one is e-mailed after commit.
    """
    if not user_can(by, Perm.INTERN_MANAGE, batch.facility_id):
        raise ValidationError(_("Anda tidak berwenang mengelola magang di UPT ini."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Nama pengguna ini sudah dipakai.")})
    if not email:
        raise ValidationError({"email": _("Alamat e-mail diperlukan untuk tautan kata sandi.")})
    _check_mentor(mentor, batch.facility)
    user = User(username=username, full_name=full_name, email=email)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    membership = Membership(user=user, role=Role.INTERN, facility=batch.facility, created_by=by)
    membership.full_clean()
    membership.save()
    intern = Intern(
        batch=batch,
        user=user,
        campus=campus,
        study_programme=study_programme,
        mentor=mentor,
        unit=unit,
        created_by=by,
        updated_by=by,
    )
    intern.full_clean()
    intern.save()
    _audit_save(intern, by=by, facility_id=batch.facility_id)
    _send_invite(intern, base_url)
    return intern


def intern_send_invite(*, intern: Intern, by, base_url: str) -> None:
    """Send (again) the one-time link with which the intern sets their password."""
    if not user_can(by, Perm.INTERN_MANAGE, intern.facility_id):
        raise ValidationError(_("Anda tidak berwenang mengelola magang di UPT ini."))
    if not intern.user.email:
        raise ValidationError(_("Peserta ini belum punya alamat e-mail."))
    _send_invite(intern, base_url)


def set_password_url(user, base_url: str) -> str:
    path = reverse(
        "interns:set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


def _send_invite(intern: Intern, base_url: str) -> None:
    """The e-mail goes from a worker, through the outbox (sent when the caller commits)."""
    from rutan.core.outbox import enqueue

    from .tasks import send_invite

    enqueue(send_invite, intern.pk, base_url)


def invite_email_send(*, intern_id: int, base_url: str) -> None:
    """Send the invitation e-mail (from the `interns.send_invite` task)."""
    intern = Intern.objects.select_related("user", "batch__facility").get(pk=intern_id)
    user = intern.user
    context = {
        "intern": intern,
        "user": user,
        "url": set_password_url(user, base_url),
        "facility": intern.batch.facility,
    }
    send_mail(
        subject=_("Akun magang Anda di %(facility)s") % {"facility": intern.batch.facility},
        message=render_to_string("interns/email/invite.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


@transaction.atomic
def intern_update(*, intern: Intern, by, **fields) -> Intern:
    """Change an intern's campus, study programme, mentor or unit."""
    if not user_can(by, Perm.INTERN_MANAGE, intern.facility_id):
        raise ValidationError(_("Anda tidak berwenang mengelola magang di UPT ini."))
    intern = Intern.objects.select_for_update().select_related("batch__facility").get(pk=intern.pk)
    before = model_snapshot(intern)
    for name in ("campus", "study_programme", "mentor", "unit"):
        if name in fields:
            setattr(intern, name, fields[name])
    _check_mentor(intern.mentor, intern.batch.facility)
    intern.updated_by = by
    intern.full_clean()
    intern.save()
    _audit_save(intern, by=by, before=before, facility_id=intern.facility_id)
    return intern


# Attendance


def _check_own(intern: Intern, by):
    if intern.user_id != by.pk or not user_can(by, Perm.INTERN_LOG_OWN, intern.facility_id):
        raise ValidationError(_("Hanya peserta yang bersangkutan yang dapat mencatat ini."))


@transaction.atomic
def attendance_check_in(*, intern: Intern, by, at: datetime.datetime | None = None):
    """Record arrival today (the facility's date). One check-in per day."""
    _check_own(intern, by)
    at = at or timezone.now()
    facility = intern.batch.facility
    on = timezone.localdate(at, facility.tzinfo)
    if not intern.batch.start_on <= on <= intern.batch.end_on:
        raise ValidationError(_("Tanggal ini di luar masa magang angkatan Anda."))
    if DailyAttendance.objects.filter(intern=intern, on=on).exists():
        raise ValidationError(_("Anda sudah tercatat datang hari ini."))
    record = DailyAttendance(intern=intern, on=on, check_in=at, created_by=by, updated_by=by)
    record.full_clean()
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:
        raise ValidationError(_("Anda sudah tercatat datang hari ini.")) from exc
    _audit_save(record, by=by, facility_id=facility.pk)
    return record


@transaction.atomic
def attendance_check_out(*, intern: Intern, by, at: datetime.datetime | None = None):
    """Record leaving today; needs today's check-in and happens once."""
    _check_own(intern, by)
    at = at or timezone.now()
    on = timezone.localdate(at, intern.batch.facility.tzinfo)
    record = DailyAttendance.objects.select_for_update().filter(intern=intern, on=on).first()
    if record is None:
        raise ValidationError(_("Catat kedatangan dulu sebelum pulang."))
    if record.check_out is not None:
        raise ValidationError(_("Anda sudah tercatat pulang hari ini."))
    if at <= record.check_in:
        raise ValidationError(_("Jam pulang harus sesudah jam datang."))
    before = model_snapshot(record)
    record.check_out = at
    record.updated_by = by
    record.full_clean()
    record.save()
    _audit_save(record, by=by, before=before, facility_id=intern.facility_id)
    return record


# Activity logs


def _photo_count_error(count):
    return ValidationError(
        {"photos": _("Paling banyak %(n)s foto per kegiatan.") % {"n": MAX_PHOTOS}},
        code="too_many",
    )


@transaction.atomic
def log_save_draft(
    *,
    intern: Intern,
    by,
    data: dict,
    log: ActivityLog | None = None,
    client_key=None,
    photos: Iterable = (),
    remove_photo_ids: Iterable[int] = (),
    for_submit: bool = False,
) -> ActivityLog:
    """Create or update the intern's own draft (or returned) log; add or remove photos.

    `client_key` lets autosave and the final submit of one form update the same draft.
    Everything is checked before anything is written (with `for_submit`, also what a
    submission needs, so a refused submission leaves nothing behind); a draft's date is never
    in the future or outside the batch; an approved or pending log cannot be changed.
    """
    _check_own(intern, by)
    if log is None and client_key is not None:
        log = ActivityLog.objects.filter(intern=intern, client_key=client_key).first()
    before = None
    if log is not None:
        log = ActivityLog.objects.select_for_update().filter(pk=log.pk, intern=intern).first()
        if log is None:
            raise ValidationError(_("Catatan tidak ditemukan."))
        if not log.is_editable:
            raise ValidationError(
                _("Catatan yang sudah diajukan atau disetujui tidak dapat diubah.")
            )
        before = model_snapshot(log)
    else:
        log = ActivityLog(intern=intern, created_by=by, on=intern.batch.facility.today())
        if client_key is not None:
            log.client_key = client_key
    for name in LOG_FIELDS:
        if name in data:
            value = data[name]
            setattr(log, name, "" if value is None and name in _TEXT_FIELDS else value)
    if log.hours is None and log.effective_hours is not None:
        log.hours = log.effective_hours
    log.updated_by = by

    # Every error at once (fields, dates, links, photos, and what a submission needs), before
    # anything is written: a form never reports its errors in rounds.
    errors: dict[str, list] = {}

    def found(problems: dict) -> None:
        for name, messages in problems.items():
            listed = messages if isinstance(messages, list) else [messages]
            errors.setdefault(name, []).extend(m for m in listed if m not in errors.get(name, []))

    try:
        log.full_clean(exclude=["intern"])
    except ValidationError as exc:
        found(exc.message_dict)
    try:
        _check_assessment_links(log, intern, skip=set(errors))
    except ValidationError as exc:
        found(exc.message_dict)
    found(_date_errors(log))
    if for_submit:
        found(_required_for_submit(log))

    photos = list(photos)
    remove_ids = {int(i) for i in remove_photo_ids}
    kept = 0 if log.pk is None else log.photos.exclude(pk__in=remove_ids).count()
    if kept + len(photos) > MAX_PHOTOS:
        found({"photos": _photo_count_error(MAX_PHOTOS).messages})
    cleaned = []
    for upload in photos:
        try:
            cleaned.append(clean_photo(upload))
        except ValidationError as exc:
            found({"photos": exc.messages})
    if errors:
        raise ValidationError(errors)

    written = []
    try:
        log.save()
        if remove_ids:
            for photo in log.photos.filter(pk__in=remove_ids):
                name, storage = photo.image.name, photo.image.storage
                photo.delete()
                transaction.on_commit(lambda n=name, s=storage: s.delete(n))
        for clean in cleaned:
            photo = LogPhoto(
                log=log, width=clean.width, height=clean.height, size=len(clean.content)
            )
            photo.image.save("foto.jpg", ContentFile(clean.content), save=False)
            written.append((photo.image.storage, photo.image.name))
            photo.save()
        _audit_save(log, by=by, before=before, facility_id=intern.facility_id)
    except Exception:
        # The rows roll back with the transaction; the files written so far must go too.
        for storage, name in written:
            storage.delete(name)
        raise
    return log


_TEXT_FIELDS = {"log_type", "place", "description", "findings"}


def _check_assessment_links(log: ActivityLog, intern: Intern, skip=frozenset()) -> None:
    """A linked assessment must be one the intern is offered (their facility, their batch,
    visible to them; psychological ones their own). Type and facility are the model's (a
    link it refused already is in `skip`, and is not named twice)."""
    errors = {}
    for name in set(ASSESSMENT_LINKS) - set(skip):
        pk = getattr(log, f"{name}_id")
        if (
            pk
            and not selectors.linkable_assessments(intern=intern, field=name).filter(pk=pk).exists()
        ):
            errors[name] = _(
                "Asesmen ini tidak dapat Anda kaitkan: pilih dari daftar asesmen yang "
                "tersedia untuk Anda."
            )
    if errors:
        raise ValidationError(errors)


def _date_errors(log: ActivityLog) -> dict:
    """A log's day has passed or is today, within the intern's batch (drafts included)."""
    batch = log.intern.batch
    if log.on is None:
        return {}
    if log.on > batch.facility.today():
        return {"on": _("Tanggal kegiatan tidak boleh di masa depan.")}
    if not batch.start_on <= log.on <= batch.end_on:
        return {
            "on": _("Tanggal kegiatan di luar masa magang angkatan Anda (%(start)s s.d. %(end)s).")
            % {"start": f"{batch.start_on:%d-%m-%Y}", "end": f"{batch.end_on:%d-%m-%Y}"}
        }
    return {}


def _required_for_submit(log: ActivityLog) -> dict:
    """What a submission needs: a date that passes `_date_errors`, its kind, a description,
    its hours, and for today's activity, times that have come (the local time of the
    facility)."""
    errors = _date_errors(log)
    now = timezone.localtime(timezone.now(), log.intern.batch.facility.tzinfo)
    if log.on == now.date():
        current = now.time().replace(second=0, microsecond=0)
        late = [
            (n, t)
            for n, t in (("start_time", log.start_time), ("end_time", log.end_time))
            if t and t > current
        ]
        for name, _time in late:
            errors[name] = _(
                "Jam ini belum tiba (sekarang pukul %(now)s); ajukan setelah kegiatan selesai."
            ) % {"now": f"{current:%H:%M}"}
    if not log.log_type:
        errors["log_type"] = _("Pilih jenis kegiatan.")
    if not log.description.strip():
        errors["description"] = _("Tuliskan uraian kegiatan.")
    if not log.effective_hours:
        errors["hours"] = _("Isi jumlah jam, atau jam mulai dan jam selesai.")
    return errors


@transaction.atomic
def log_save_and_submit(*, intern: Intern, by, data: dict, **draft) -> ActivityLog:
    """Save the form's log and send it to the mentor in one transaction: everything a
    submission needs is checked with the draft's own checks, so a refused submission writes
    nothing (not even the draft)."""
    log = log_save_draft(intern=intern, by=by, data=data, for_submit=True, **draft)
    return log_submit(log=log, by=by)


@transaction.atomic
def log_submit(*, log: ActivityLog, by) -> ActivityLog:
    """Send a draft (or a returned log, as a resubmission) to the mentor.

    The log must be complete; a finding opens a follow-up item for the facility once.
    """
    log = (
        ActivityLog.objects.select_for_update()
        .select_related("intern__batch__facility")
        .get(pk=log.pk)
    )
    _check_own(log.intern, by)
    if not log.is_editable:
        raise ValidationError(_("Catatan ini sudah diajukan."))
    errors = _required_for_submit(log)
    if errors:
        raise ValidationError(errors)
    before = model_snapshot(log)
    resubmission = log.status == LogStatus.RETURNED
    now = timezone.now()
    log.status = LogStatus.RESUBMITTED if resubmission else LogStatus.SUBMITTED
    log.submitted_at = now
    if log.findings.strip() and log.follow_up_id is None:
        log.follow_up = followup_create(
            facility=log.intern.batch.facility,
            title=_finding_title(log),
            description=log.findings.strip(),
            source=FollowUpSource.INTERN_LOG,
            source_obj=log,
            place=log.place or (str(log.block) if log.block_id else ""),
            found_on=log.on,
            by=by,
        )
    log.updated_by = by
    log.save()
    LogReview.objects.create(
        log=log,
        action=ReviewAction.RESUBMITTED if resubmission else ReviewAction.SUBMITTED,
        by=by,
        at=now,
    )
    _audit_save(log, by=by, before=before, facility_id=log.intern.facility_id)
    return log


def _finding_title(log: ActivityLog) -> str:
    first_line = log.findings.strip().splitlines()[0].strip()
    title = f"{log.get_log_type_display()}: {first_line}"
    return title if len(title) <= 200 else title[:197] + "…"


def _review(log: ActivityLog, *, by, action: str, comment: str = "") -> ActivityLog:
    log = ActivityLog.objects.select_for_update().select_related("intern__batch").get(pk=log.pk)
    if not user_can(by, Perm.INTERN_REVIEW, log.intern.batch.facility_id):
        raise ValidationError(_("Anda tidak berwenang meninjau catatan magang di UPT ini."))
    if not log.awaiting_review:
        raise ValidationError(_("Catatan ini tidak sedang menunggu tinjauan."))
    before = model_snapshot(log)
    now = timezone.now()
    log.status = LogStatus.APPROVED if action == ReviewAction.APPROVED else LogStatus.RETURNED
    log.reviewed_at = now
    log.reviewed_by = by
    log.review_comment = comment
    log.auto_approved = False
    log.updated_by = by
    log.save()
    LogReview.objects.create(log=log, action=action, by=by, at=now, comment=comment)
    _audit_save(log, by=by, before=before, facility_id=log.intern.batch.facility_id)
    return log


@transaction.atomic
def log_approve(*, log: ActivityLog, by, comment: str = "") -> ActivityLog:
    """Approve a submitted log; it is locked from then on."""
    return _review(log, by=by, action=ReviewAction.APPROVED, comment=comment.strip())


@transaction.atomic
def log_return(*, log: ActivityLog, by, comment: str) -> ActivityLog:
    """Send a submitted log back to the intern with what to fix (a comment is required)."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Tuliskan apa yang perlu diperbaiki.")})
    return _review(log, by=by, action=ReviewAction.RETURNED, comment=comment.strip())


@transaction.atomic
def logs_bulk_approve(*, logs: Iterable[ActivityLog], by) -> int:
    """Approve several logs at once: all of them, or none when one cannot be approved."""
    count = 0
    for log in logs:
        log_approve(log=log, by=by)
        count += 1
    if not count:
        raise ValidationError(_("Pilih minimal satu catatan."))
    return count


def logs_auto_approve(*, now: datetime.datetime | None = None) -> int:
    """Approve every log left awaiting review for INTERN_LOG_AUTO_APPROVE_DAYS days; mark it so.

    Days are the facility's calendar days: with 14 days, a log submitted on 1 December (the
    date at the intern's facility) is approved from 15 December there, whatever the server's
    clock says. Safe to run twice or concurrently: each log is claimed under a row lock and
    only moved while it is still awaiting review.
    """
    now = now or timezone.now()
    days = settings.INTERN_LOG_AUTO_APPROVE_DAYS

    def submitted_long_enough_ago(today: datetime.date, tz: str) -> Q:
        first_day_too_recent = today - datetime.timedelta(days=days - 1)
        start = datetime.datetime.combine(first_day_too_recent, datetime.time.min)
        return Q(submitted_at__lt=start.replace(tzinfo=zoneinfo.ZoneInfo(tz)))

    due = Q(status__in=AWAITING_REVIEW) & reduce(
        operator.or_,
        (
            Q(intern__batch__facility__timezone=tz) & submitted_long_enough_ago(today, tz)
            for tz, today in today_by_timezone(now).items()
        ),
    )
    count = 0
    for pk in ActivityLog.objects.filter(due).values_list("pk", flat=True):
        with transaction.atomic():
            log = (
                ActivityLog.objects.select_for_update(skip_locked=True)
                .select_related("intern__batch")
                .filter(due, pk=pk)
                .first()
            )
            if log is None:
                continue
            before = model_snapshot(log)
            log.status = LogStatus.APPROVED
            log.auto_approved = True
            log.reviewed_at = now
            log.reviewed_by = None
            log.save()
            LogReview.objects.create(
                log=log,
                action=ReviewAction.AUTO_APPROVED,
                at=now,
                comment=ngettext(
                    "Tidak ditinjau dalam %(n)s hari.",
                    "Tidak ditinjau dalam %(n)s hari.",
                    settings.INTERN_LOG_AUTO_APPROVE_DAYS,
                )
                % {"n": settings.INTERN_LOG_AUTO_APPROVE_DAYS},
            )
            _audit_save(log, by=None, before=before, facility_id=log.intern.batch.facility_id)
            count += 1
    return count


# Monthly evaluation


@transaction.atomic
def evaluation_save(
    *,
    intern: Intern,
    month: datetime.date,
    by,
    discipline: int,
    initiative: int,
    competence: int,
    teamwork: int,
    comment: str = "",
) -> MonthlyEvaluation:
    """Record (or correct) the mentor's evaluation of an intern for a month of their batch."""
    if not user_can(by, Perm.INTERN_REVIEW, intern.facility_id):
        raise ValidationError(_("Anda tidak berwenang menilai peserta magang di UPT ini."))
    month = month.replace(day=1)
    batch = intern.batch
    if month > batch.facility.today().replace(day=1):
        raise ValidationError({"month": _("Bulan ini belum dapat dinilai.")})
    if not batch.start_on.replace(day=1) <= month <= batch.end_on:
        raise ValidationError({"month": _("Bulan ini di luar masa magang angkatan.")})
    evaluation = (
        MonthlyEvaluation.objects.select_for_update().filter(intern=intern, month=month).first()
    )
    before = model_snapshot(evaluation) if evaluation else None
    if evaluation is None:
        evaluation = MonthlyEvaluation(intern=intern, month=month, created_by=by)
    evaluation.mentor = by
    evaluation.discipline = discipline
    evaluation.initiative = initiative
    evaluation.competence = competence
    evaluation.teamwork = teamwork
    evaluation.comment = comment
    evaluation.updated_by = by
    evaluation.full_clean()
    evaluation.save()
    _audit_save(evaluation, by=by, before=before, facility_id=intern.facility_id)
    return evaluation
