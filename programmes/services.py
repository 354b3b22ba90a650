"""Every write of the programmes app: validated, atomic and audited."""

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from partners.selectors import partner_signatory
from rutan.accounts.selectors import head_of
from rutan.core.choices import Pillar
from rutan.core.models import AuditAction, LiteracyLevel
from rutan.core.roles import Perm
from rutan.core.scoping import require
from rutan.core.services import audit_record, model_snapshot
from rutan.facilities.models import Facility
from rutan.inmates.models import Inmate

from . import eligibility
from .choices import (
    OPEN_ENROLMENT,
    PROGRAMME_TRANSITIONS,
    AbsenceReason,
    AttendanceStatus,
    EnrolmentStatus,
    EvaluationKind,
    PlacementStatus,
    ProgrammeStatus,
    SessionStatus,
    SystemEndReason,
    WithdrawReason,
)
from .models import (
    AssimilationLog,
    AssimilationPlacement,
    Attendance,
    Certificate,
    CertificateCounter,
    Enrolment,
    EnrolmentEvent,
    Evaluation,
    Product,
    Programme,
    ScheduleSlot,
    Session,
)

PROGRAMME_FIELDS = [
    "title",
    "agreement",
    "pillar",
    "area",
    "description",
    "facilitator",
    "instructor",
    "location",
    "capacity",
    "start_date",
    "end_date",
    "eligible_sex",
    "eligible_stages",
    "min_literacy_level",
    "required_interest_area",
]
SESSION_FIELDS = ["date", "start_time", "end_time", "location", "topic"]
PRODUCT_FIELDS = ["name", "made_on", "quantity", "unit", "unit_value", "disposition", "note"]
MAX_GENERATE_DAYS = 366


# Programmes and schedules ------------------------------------------------------------


def _programme_data(data: dict) -> dict:
    """The programme fields with `min_literacy_level` given as a level, its code or blank."""
    value = data.get("min_literacy_level")
    if not isinstance(value, str):
        return data
    level = LiteracyLevel.objects.resolve(value) if value else None
    if value and level is None:
        raise ValidationError({"min_literacy_level": _("Tingkat literasi tidak dikenal.")})
    return {**data, "min_literacy_level": level}


def _check_open(programme: Programme) -> None:
    if programme.status in (ProgrammeStatus.FINISHED, ProgrammeStatus.CANCELLED):
        raise ValidationError(
            _("Program ini sudah %(status)s.") % {"status": programme.get_status_display().lower()}
        )


@transaction.atomic
def programme_create(
    *, facility: Facility, by, status: str = ProgrammeStatus.PLANNED, **data
) -> Programme:
    """Create a programme at `facility` (planned, or running when it has already begun).

    A minimum literacy level names its own script: a Latin level for a literacy or
    kesetaraan class, a Qur'an level for a Qur'an reading class.
    """
    require(by, Perm.PROGRAMME_MANAGE, facility)
    data = _programme_data(data)
    if status not in (ProgrammeStatus.PLANNED, ProgrammeStatus.RUNNING):
        raise ValidationError({"status": _("Program baru harus direncanakan atau berjalan.")})
    programme = Programme(facility=facility, status=status, created_by=by, updated_by=by)
    for name in PROGRAMME_FIELDS:
        if name in data:
            setattr(programme, name, data[name])
    programme.eligible_stages = list(programme.eligible_stages or [])
    programme.full_clean()
    programme.save()
    audit_record(
        actor=by, action=AuditAction.CREATE, instance=programme, after=model_snapshot(programme)
    )
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, by, **data) -> Programme:
    """Change a programme's data. A larger capacity moves people up from the waiting list."""
    require(by, Perm.PROGRAMME_MANAGE, programme.facility)
    data = _programme_data(data)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _check_open(programme)
    before = model_snapshot(programme)
    for name in PROGRAMME_FIELDS:
        if name in data:
            setattr(programme, name, data[name])
    programme.eligible_stages = list(programme.eligible_stages or [])
    programme.updated_by = by
    programme.full_clean()
    active = programme.places_taken()
    if programme.capacity < active:
        raise ValidationError(
            {
                "capacity": _("Sudah ada %(n)d peserta aktif; kapasitas tidak boleh lebih kecil.")
                % {"n": active}
            }
        )
    programme.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=programme,
        before=before,
        after=model_snapshot(programme),
    )
    _promote_waitlist(programme, on=programme.facility.today(), by=by)
    return programme


@transaction.atomic
def programme_set_status(
    *, programme: Programme, status: str, by, on: datetime.date | None = None
) -> Programme:
    """Move a programme along planned → running → finished | cancelled.

    Finishing completes every active enrolment and closes the waiting list; cancelling
    withdraws every open enrolment and cancels the sessions still to come.
    """
    require(by, Perm.PROGRAMME_MANAGE, programme.facility)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    on = on or programme.facility.today()
    if status not in PROGRAMME_TRANSITIONS.get(programme.status, set()):
        raise ValidationError(
            {
                "status": _("Status %(from)s tidak dapat diubah menjadi %(to)s.")
                % {
                    "from": programme.get_status_display().lower(),
                    "to": ProgrammeStatus(status).label.lower()
                    if status in ProgrammeStatus.values
                    else status,
                }
            }
        )
    before = model_snapshot(programme, ["status", "end_date"])
    enrolments = list(programme.enrolments.select_for_update().filter(status__in=OPEN_ENROLMENT))
    for enrolment in enrolments:
        if status == ProgrammeStatus.FINISHED and enrolment.status == EnrolmentStatus.ACTIVE:
            _end(enrolment, EnrolmentStatus.COMPLETED, on, EnrolmentStatus.COMPLETED, "", by)
        else:
            note = (
                _("Program selesai")
                if status == ProgrammeStatus.FINISHED
                else _("Program dibatalkan")
            )
            _end(enrolment, EnrolmentStatus.WITHDRAWN, on, WithdrawReason.OTHER, note, by)
    if status == ProgrammeStatus.CANCELLED:
        now = timezone.now()
        programme.sessions.filter(status=SessionStatus.SCHEDULED, date__gt=on).update(
            status=SessionStatus.CANCELLED,
            cancel_reason=_("Program dibatalkan"),
            cancelled_at=now,
            cancelled_by=by,
        )
    programme.status = status
    if status in (ProgrammeStatus.FINISHED, ProgrammeStatus.CANCELLED) and (
        programme.end_date is None or programme.end_date > on
    ):
        programme.end_date = max(on, programme.start_date)
    programme.updated_by = by
    programme.save(update_fields=["status", "end_date", "updated_by", "updated_at"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=programme,
        before=before,
        after=model_snapshot(programme, ["status", "end_date"]),
    )
    return programme


@transaction.atomic
def schedule_slot_create(
    *,
    programme: Programme,
    weekday: int,
    start_time: datetime.time,
    end_time: datetime.time,
    location: str = "",
    by,
) -> ScheduleSlot:
    """Add a weekly recurrence to a programme's schedule."""
    require(by, Perm.PROGRAMME_MANAGE, programme.facility)
    _check_open(programme)
    slot = ScheduleSlot(
        programme=programme,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        location=location,
        created_by=by,
        updated_by=by,
    )
    slot.full_clean()
    slot.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        instance=slot,
        after=model_snapshot(slot),
        facility_id=programme.facility_id,
    )
    return slot


@transaction.atomic
def schedule_slot_delete(*, slot: ScheduleSlot, by) -> None:
    """Remove a weekly recurrence; sessions already made from it stay."""
    programme = slot.programme
    require(by, Perm.PROGRAMME_MANAGE, programme.facility)
    audit_record(
        actor=by,
        action=AuditAction.DELETE,
        instance=slot,
        before=model_snapshot(slot),
        facility_id=programme.facility_id,
    )
    slot.delete()


@transaction.atomic
def sessions_generate(
    *, programme: Programme, date_from: datetime.date, date_to: datetime.date, by
) -> list[Session]:
    """Make the dated sessions of the weekly schedule between two dates (inclusive).

    Dates outside the programme's start/end are skipped, and so is any date and time that
    already has a session (also a cancelled one), so running it twice changes nothing.
    """
    require(by, Perm.PROGRAMME_MANAGE, programme.facility)
    _check_open(programme)
    if date_to < date_from:
        raise ValidationError({"date_to": _("Tanggal akhir tidak boleh sebelum tanggal awal.")})
    if (date_to - date_from).days > MAX_GENERATE_DAYS:
        raise ValidationError({"date_to": _("Rentang paling lama satu tahun.")})
    slots = list(programme.slots.all())
    if not slots:
        raise ValidationError(_("Program ini belum punya jadwal mingguan."))
    start = max(date_from, programme.start_date)
    end = min(date_to, programme.end_date) if programme.end_date else date_to
    existing = set(
        programme.sessions.filter(date__range=(start, end)).values_list("date", "start_time")
    )
    new = []
    day = start
    while day <= end:
        for slot in slots:
            if slot.weekday == day.weekday() and (day, slot.start_time) not in existing:
                new.append(
                    Session(
                        programme=programme,
                        slot=slot,
                        date=day,
                        start_time=slot.start_time,
                        end_time=slot.end_time,
                        location=slot.location or programme.location,
                        created_by=by,
                        updated_by=by,
                    )
                )
        day += datetime.timedelta(days=1)
    Session.objects.bulk_create(new)
    if new:
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            instance=programme,
            after={"sessions_generated": len(new), "from": str(start), "to": str(end)},
        )
    return new


@transaction.atomic
def session_create(*, programme: Programme, by, **data) -> Session:
    """Add one session outside the weekly schedule."""
    require(by, Perm.PROGRAMME_MANAGE, programme.facility)
    _check_open(programme)
    session = Session(programme=programme, created_by=by, updated_by=by)
    for name in SESSION_FIELDS:
        if name in data:
            setattr(session, name, data[name])
    session.location = session.location or programme.location
    _validate_session(session)
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        instance=session,
        after=model_snapshot(session),
        facility_id=programme.facility_id,
    )
    return session


def _validate_session(session: Session) -> None:
    programme = session.programme
    if session.date and session.date < programme.start_date:
        raise ValidationError({"date": _("Tanggal sebelum program dimulai.")})
    if session.date and programme.end_date and session.date > programme.end_date:
        raise ValidationError({"date": _("Tanggal sesudah program berakhir.")})
    session.full_clean()
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"date": _("Sesi program ini pada tanggal dan jam itu sudah ada.")}
        ) from exc


@transaction.atomic
def session_update(*, session: Session, by, **data) -> Session:
    """Change a session's date, time, place or topic (not once attendance is taken)."""
    require(by, Perm.PROGRAMME_MANAGE, session.programme.facility)
    session = Session.objects.select_for_update().select_related("programme").get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError(_("Sesi yang dibatalkan tidak dapat diubah."))
    before = model_snapshot(session)
    moved = any(
        name in data and data[name] != getattr(session, name) for name in ("date", "start_time")
    )
    if moved and session.attendance.exists():
        raise ValidationError(
            {"date": _("Presensi sesi ini sudah dicatat; tanggal dan jam tidak dapat diubah.")}
        )
    for name in SESSION_FIELDS:
        if name in data:
            setattr(session, name, data[name])
    session.updated_by = by
    _validate_session(session)
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=session,
        before=before,
        after=model_snapshot(session),
        facility_id=session.programme.facility_id,
    )
    return session


@transaction.atomic
def session_cancel(*, session: Session, reason: str, by) -> Session:
    """Cancel a session with a reason; the row stays, marked with who, when and why."""
    require(by, Perm.PROGRAMME_MANAGE, session.programme.facility)
    session = Session.objects.select_for_update().select_related("programme").get(pk=session.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan pembatalan.")})
    if session.is_cancelled:
        raise ValidationError(_("Sesi ini sudah dibatalkan."))
    if session.attendance.exists():
        raise ValidationError(_("Presensi sesi ini sudah dicatat; sesi tidak dapat dibatalkan."))
    before = model_snapshot(session, ["status", "cancel_reason"])
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = reason[:300]
    session.cancelled_at = timezone.now()
    session.cancelled_by = by
    session.updated_by = by
    session.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=session,
        before=before,
        after=model_snapshot(session, ["status", "cancel_reason"]),
        facility_id=session.programme.facility_id,
    )
    return session


# Enrolment ----------------------------------------------------------------------------


def _event(enrolment: Enrolment, from_status: str, on: datetime.date, reason: str, by) -> None:
    EnrolmentEvent.objects.create(
        enrolment=enrolment,
        from_status=from_status,
        to_status=enrolment.status,
        on=on,
        reason=reason[:300],
        by=by if getattr(by, "is_authenticated", False) else None,
    )


def _end(enrolment: Enrolment, status: str, on: datetime.date, reason: str, note: str, by):
    previous = enrolment.status
    enrolment.status = status
    enrolment.waitlist_position = None
    enrolment.ended_on = max(on, enrolment.started_on) if enrolment.started_on else on
    enrolment.end_reason = reason
    enrolment.end_note = note[:300]
    enrolment.updated_by = by if getattr(by, "is_authenticated", False) else None
    enrolment.save()
    label = enrolment.get_end_reason_display()
    _event(enrolment, previous, on, f"{label}{': ' + note if note else ''}", by)


def _renumber_waitlist(programme: Programme) -> None:
    waiting = list(
        programme.enrolments.filter(status=EnrolmentStatus.WAITLISTED).order_by(
            "waitlist_position", "id"
        )
    )
    changed = []
    for position, enrolment in enumerate(waiting, start=1):
        if enrolment.waitlist_position != position:
            enrolment.waitlist_position = position
            changed.append(enrolment)
    Enrolment.objects.bulk_update(changed, ["waitlist_position"])


def _promote_waitlist(programme: Programme, *, on: datetime.date, by) -> list[Enrolment]:
    """Give free places to the waiting list in order (skipping those no longer eligible).

    The caller holds the programme row lock.
    """
    promoted = []
    if programme.status in (ProgrammeStatus.PLANNED, ProgrammeStatus.RUNNING):
        free = programme.capacity - programme.places_taken()
        waiting = programme.enrolments.filter(status=EnrolmentStatus.WAITLISTED).order_by(
            "waitlist_position", "id"
        )
        for enrolment in waiting.select_related("inmate", "inmate__facility"):
            if free <= 0:
                break
            checks = eligibility.programme_eligibility(
                programme=programme, inmate=enrolment.inmate, on=on
            )
            if eligibility.failing(checks):
                continue
            enrolment.status = EnrolmentStatus.ACTIVE
            enrolment.waitlist_position = None
            enrolment.started_on = max(on, programme.start_date)
            enrolment.save()
            _event(enrolment, EnrolmentStatus.WAITLISTED, on, _("Tempat tersedia"), by)
            promoted.append(enrolment)
            free -= 1
    _renumber_waitlist(programme)
    return promoted


def _eligibility_error(failed) -> ValidationError:
    return ValidationError(
        {
            "inmate": [
                ValidationError(
                    "%(label)s: %(reason)s",
                    code=f"ineligible_{r.rule}",
                    params={"label": r.label, "reason": r.reason},
                )
                for r in failed
            ]
        }
    )


def _requested_on(programme: Programme, inmate: Inmate, on: datetime.date | None) -> datetime.date:
    today = programme.facility.today()
    if on is None:
        return today
    if on > today:
        raise ValidationError({"requested_on": _("Tanggal daftar tidak boleh di masa depan.")})
    if on < inmate.admission_date:
        raise ValidationError(
            {
                "requested_on": _("Tanggal daftar tidak boleh sebelum WBP masuk (%(date)s).")
                % {"date": inmate.admission_date.strftime("%d-%m-%Y")}
            }
        )
    return on


@transaction.atomic
def enrolment_create(
    *, programme: Programme, inmate: Inmate, by, requested_on: datetime.date | None = None
) -> Enrolment:
    """Enrol an inmate in a programme, as of today or of an earlier `requested_on`.

    The user must manage programmes at the programme's facility; the programme must be
    planned or running; every eligibility rule must pass on the requested day (a failing rule
    is named in the error, code `ineligible_<rule>`); an inmate holds at most one open place
    per programme (also a database constraint). The requested day is neither in the future
    nor before the inmate's admission; the place starts on it (or when the programme starts).
    When the programme is full the inmate joins the waiting list with the next position.
    Concurrent enrolments are serialised on the programme row.
    """
    require(by, Perm.PROGRAMME_MANAGE, programme.facility)
    programme = (
        Programme.objects.select_for_update().select_related("facility").get(pk=programme.pk)
    )
    if programme.status not in (ProgrammeStatus.PLANNED, ProgrammeStatus.RUNNING):
        raise ValidationError(
            _("Program ini %(status)s dan tidak menerima peserta.")
            % {"status": programme.get_status_display().lower()}
        )
    inmate = Inmate.objects.select_related("facility").get(pk=inmate.pk)
    on = _requested_on(programme, inmate, requested_on)
    failed = eligibility.failing(
        eligibility.programme_eligibility(programme=programme, inmate=inmate, on=on)
    )
    if failed:
        raise _eligibility_error(failed)
    current = programme.enrolments.filter(inmate=inmate, status__in=OPEN_ENROLMENT).first()
    if current is not None:
        raise ValidationError(
            {
                "inmate": _("%(name)s sudah terdaftar di program ini (%(status)s).")
                % {"name": inmate.name, "status": current.get_status_display().lower()}
            },
            code="duplicate",
        )
    active = programme.places_taken()
    enrolment = Enrolment(
        programme=programme, inmate=inmate, requested_on=on, created_by=by, updated_by=by
    )
    if active < programme.capacity:
        enrolment.status = EnrolmentStatus.ACTIVE
        enrolment.started_on = max(on, programme.start_date)
        reason = _("Didaftarkan")
    else:
        last = programme.enrolments.filter(status=EnrolmentStatus.WAITLISTED).aggregate(
            m=Max("waitlist_position")
        )["m"]
        enrolment.status = EnrolmentStatus.WAITLISTED
        enrolment.waitlist_position = (last or 0) + 1
        reason = _("Kapasitas penuh: daftar tunggu nomor %(n)d") % {
            "n": enrolment.waitlist_position
        }
    enrolment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"inmate": _("WBP ini sudah terdaftar di program ini.")}, code="duplicate"
        ) from exc
    _event(enrolment, "", on, reason, by)
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        instance=enrolment,
        after=model_snapshot(enrolment),
        facility_id=programme.facility_id,
    )
    return enrolment


@dataclass
class BulkEnrolResult:
    enrolled: list[Enrolment] = field(default_factory=list)
    waitlisted: list[Enrolment] = field(default_factory=list)
    refused: list[tuple[Inmate, list[str]]] = field(default_factory=list)


def enrolments_bulk_create(*, programme: Programme, inmates, by) -> BulkEnrolResult:
    """Enrol several inmates, each on their own: who got a place, who waits, who was refused
    and why. One refusal does not undo the others."""
    result = BulkEnrolResult()
    for inmate in inmates:
        try:
            enrolment = enrolment_create(programme=programme, inmate=inmate, by=by)
        except ValidationError as exc:
            result.refused.append((inmate, exc.messages))
        else:
            target = (
                result.waitlisted
                if enrolment.status == EnrolmentStatus.WAITLISTED
                else result.enrolled
            )
            target.append(enrolment)
    return result


def _locked_enrolment(enrolment: Enrolment) -> tuple[Programme, Enrolment]:
    programme = (
        Programme.objects.select_for_update()
        .select_related("facility")
        .get(pk=enrolment.programme_id)
    )
    return programme, Enrolment.objects.select_for_update().get(pk=enrolment.pk)


@transaction.atomic
def enrolment_withdraw(
    *, enrolment: Enrolment, reason: str, by, note: str = "", on: datetime.date | None = None
) -> Enrolment:
    """End an open enrolment for a reason staff may pick; the next on the waiting list moves up."""
    require(by, Perm.PROGRAMME_MANAGE, enrolment.programme.facility)
    programme, enrolment = _locked_enrolment(enrolment)
    if reason not in WithdrawReason.values:
        raise ValidationError({"reason": _("Pilih alasan dari daftar.")})
    if reason == WithdrawReason.OTHER and not note.strip():
        raise ValidationError({"note": _("Jelaskan alasan lainnya.")})
    if not enrolment.is_open:
        raise ValidationError(_("Kepesertaan ini sudah berakhir."))
    on = on or programme.facility.today()
    if enrolment.started_on and on < enrolment.started_on:
        raise ValidationError({"on": _("Tanggal tidak boleh sebelum mulai ikut.")})
    before = model_snapshot(enrolment, ["status", "end_reason"])
    _end(enrolment, EnrolmentStatus.WITHDRAWN, on, reason, note.strip(), by)
    _promote_waitlist(programme, on=on, by=by)
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=enrolment,
        before=before,
        after=model_snapshot(enrolment, ["status", "end_reason"]),
        facility_id=programme.facility_id,
    )
    return enrolment


@transaction.atomic
def enrolment_complete(
    *,
    enrolment: Enrolment,
    by,
    on: datetime.date | None = None,
    post_score=None,
    instrument: str = "",
) -> Enrolment:
    """Mark an active enrolment completed, optionally with its post-programme score."""
    require(by, Perm.PROGRAMME_MANAGE, enrolment.programme.facility)
    programme, enrolment = _locked_enrolment(enrolment)
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise ValidationError(_("Hanya peserta aktif yang dapat dinyatakan selesai."))
    on = on or programme.facility.today()
    if on < enrolment.started_on:
        raise ValidationError({"on": _("Tanggal selesai tidak boleh sebelum mulai ikut.")})
    if on > programme.facility.today():
        raise ValidationError({"on": _("Tanggal selesai tidak boleh di masa depan.")})
    before = model_snapshot(enrolment, ["status", "ended_on"])
    _end(enrolment, EnrolmentStatus.COMPLETED, on, EnrolmentStatus.COMPLETED, "", by)
    if post_score is not None:
        _save_evaluation(enrolment, EvaluationKind.POST, post_score, instrument, on, by)
    _promote_waitlist(programme, on=on, by=by)
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=enrolment,
        before=before,
        after=model_snapshot(enrolment, ["status", "ended_on"]),
        facility_id=programme.facility_id,
    )
    return enrolment


@transaction.atomic
def enrolments_end_for_inmate(*, inmate: Inmate, reason: str, on: datetime.date, by) -> int:
    """End every open enrolment (and an active assimilation placement) of an inmate who is
    transferred or released. Called by the inmate services inside their transaction, so it
    asks for no programme permission of its own. Returns the number of enrolments ended."""
    if reason not in SystemEndReason.values:
        raise ValidationError({"reason": _("Alasan sistem tidak dikenal.")})
    status = (
        EnrolmentStatus.TRANSFERRED
        if reason == SystemEndReason.TRANSFERRED
        else EnrolmentStatus.RELEASED
    )
    programme_ids = list(
        Enrolment.objects.filter(inmate=inmate, status__in=OPEN_ENROLMENT)
        .order_by("programme_id")
        .values_list("programme_id", flat=True)
        .distinct()
    )
    programmes = list(Programme.objects.select_for_update().filter(pk__in=programme_ids))
    ended = 0
    for enrolment in Enrolment.objects.select_for_update().filter(
        inmate=inmate, status__in=OPEN_ENROLMENT
    ):
        _end(enrolment, status, on, reason, "", by)
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            instance=enrolment,
            after={"status": status, "end_reason": reason},
            facility_id=enrolment.programme.facility_id,
        )
        ended += 1
    for programme in programmes:
        _promote_waitlist(programme, on=on, by=by)
    for placement in AssimilationPlacement.objects.select_for_update().filter(
        inmate=inmate, status=PlacementStatus.ACTIVE
    ):
        _placement_end(placement, on, SystemEndReason(reason).label, by)
    return ended


def _save_evaluation(enrolment, kind, score, instrument, on, by) -> Evaluation:
    evaluation = Evaluation.objects.filter(enrolment=enrolment, kind=kind).first() or Evaluation(
        enrolment=enrolment, kind=kind, created_by=by
    )
    before = model_snapshot(evaluation) if evaluation.pk else None
    evaluation.score = score
    evaluation.instrument = instrument
    evaluation.assessed_on = on
    evaluation.updated_by = by
    evaluation.full_clean(validate_constraints=False)
    evaluation.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        instance=evaluation,
        before=before,
        after=model_snapshot(evaluation),
        facility_id=enrolment.programme.facility_id,
    )
    return evaluation


@transaction.atomic
def evaluation_record(
    *,
    enrolment: Enrolment,
    kind: str,
    score,
    by,
    instrument: str = "",
    on: datetime.date | None = None,
) -> Evaluation:
    """Record (or correct) the pre- or post-programme score of an enrolment (0–100)."""
    require(by, Perm.PROGRAMME_MANAGE, enrolment.programme.facility)
    if kind not in EvaluationKind.values:
        raise ValidationError({"kind": _("Jenis evaluasi tidak dikenal.")})
    allowed = (
        OPEN_ENROLMENT
        if kind == EvaluationKind.PRE
        else (EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED)
    )
    if enrolment.status not in allowed:
        raise ValidationError(
            _("Evaluasi ini tidak dapat dicatat untuk peserta berstatus %(status)s.")
            % {"status": enrolment.get_status_display().lower()}
        )
    on = on or enrolment.programme.facility.today()
    return _save_evaluation(enrolment, kind, score, instrument, on, by)


# Attendance ---------------------------------------------------------------------------


def session_roster(session: Session):
    """Enrolments expected at a session: started on or before its date, not ended before it."""
    return (
        Enrolment.objects.filter(
            programme_id=session.programme_id,
            started_on__lte=session.date,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=session.date))
        .exclude(status=EnrolmentStatus.WAITLISTED)
        .select_related("inmate")
        .order_by("inmate__name", "id")
    )


@transaction.atomic
def attendance_record(
    *, session: Session, absences: dict, by, only: Collection[int] | None = None
) -> list[Attendance]:
    """Take (or correct) a session's register in one go.

    Everyone on the roster is present unless `absences` ({enrolment id: (reason, note)})
    says otherwise; every absence needs a reason code. With `only` (enrolment ids), just
    those are recorded and the rest of the register stays as it is (an import of some rows).
    Future and cancelled sessions are refused, and so is today's session before its start
    (the facility's local time). A correction changes only the rows that
    differ; the history keeps who changed what and when.
    """
    require(by, Perm.ATTENDANCE_RECORD, session.programme.facility)
    session = (
        Session.objects.select_for_update()
        .select_related("programme", "programme__facility")
        .get(pk=session.pk)
    )
    if session.is_cancelled:
        raise ValidationError(_("Sesi ini dibatalkan; presensi tidak dicatat."))
    facility = session.programme.facility
    if session.date > facility.today():
        raise ValidationError(_("Presensi tidak dapat dicatat untuk sesi yang belum berlangsung."))
    if not session.has_started():
        raise ValidationError(
            _("Sesi ini baru mulai pukul %(start)s; presensi dicatat setelah sesi mulai.")
            % {"start": f"{session.start_time:%H:%M}"}
        )
    roster = {e.pk: e for e in session_roster(session)}
    absences = {int(k): v for k, v in absences.items()}
    marked = set(roster) if only is None else {int(k) for k in only}
    unknown = (set(absences) | marked) - set(roster)
    if unknown or set(absences) - marked:
        raise ValidationError(_("Ada peserta yang tidak terdaftar pada sesi ini."))
    errors = []
    for enrolment_id, (reason, _note) in absences.items():
        if reason not in AbsenceReason.values:
            errors.append(
                _("Pilih alasan tidak hadir untuk %(name)s.")
                % {"name": roster[enrolment_id].inmate.name}
            )
    if errors:
        raise ValidationError({"absences": errors})
    now = timezone.now()
    existing = {a.enrolment_id: a for a in session.attendance.all()}
    to_create, to_update = [], []
    for enrolment_id in [pk for pk in roster if pk in marked]:
        reason, note = absences.get(enrolment_id, ("", ""))
        status = AttendanceStatus.ABSENT if reason else AttendanceStatus.PRESENT
        note = (note or "").strip()[:200]
        row = existing.get(enrolment_id)
        if row is None:
            to_create.append(
                Attendance(
                    session=session,
                    enrolment_id=enrolment_id,
                    status=status,
                    reason=reason,
                    note=note,
                    recorded_at=now,
                    recorded_by=by,
                )
            )
        elif (row.status, row.reason, row.note) != (status, reason, note):
            row.status, row.reason, row.note = status, reason, note
            row.recorded_at, row.recorded_by = now, by
            to_update.append(row)
    if to_create:
        bulk_create_with_history(to_create, Attendance, default_user=by)
    if to_update:
        bulk_update_with_history(
            to_update,
            Attendance,
            ["status", "reason", "note", "recorded_at", "recorded_by"],
            default_user=by,
            default_change_reason=_("Koreksi presensi"),
        )
    correction = session.attendance_taken_at is not None
    session.attendance_taken_at = now
    session.attendance_taken_by = by
    session.save(update_fields=["attendance_taken_at", "attendance_taken_by", "updated_at"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE if correction else AuditAction.CREATE,
        instance=session,
        after={
            "attendance": {
                "present": len(marked) - len(absences),
                "absent": len(absences),
                "created": len(to_create),
                "corrected": len(to_update),
            }
        },
        facility_id=session.programme.facility_id,
    )
    return list(session.attendance.select_related("enrolment__inmate"))


# Certificates and products ------------------------------------------------------------


def _next_certificate_number(facility: Facility, year: int) -> str:
    counter, _created = CertificateCounter.objects.get_or_create(facility=facility, year=year)
    counter = CertificateCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{counter.last:04d}/SERT/{facility.code.upper()}/{year}"


def certificate_signatories(programme: Programme) -> dict[str, str]:
    """Who signs a certificate of `programme`, as its fields: the facility's Kepala (name and
    NIP) and, for a programme run under an agreement, the partner and its signatory."""
    head = head_of(programme.facility)
    fields = {"head_name": head.display_name if head else "", "head_nip": head.nip if head else ""}
    agreement = programme.agreement
    signatory = partner_signatory(agreement)
    fields["partner_name"] = agreement.partner.name if agreement else ""
    fields["partner_signatory_name"] = signatory.name if signatory else ""
    fields["partner_signatory_title"] = signatory.title if signatory else ""
    return fields


@transaction.atomic
def certificate_issue(
    *,
    enrolment: Enrolment,
    competence: str,
    issuer: str,
    by,
    issued_on: datetime.date | None = None,
) -> Certificate:
    """Issue the certificate of competence of a completed enrolment.

    Numbers run per facility and year (0001/SERT/<UPT>/2026); each certificate gets a
    random public verification code.
    """
    facility = enrolment.programme.facility
    require(by, Perm.PROGRAMME_MANAGE, facility)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.COMPLETED:
        raise ValidationError(_("Sertifikat hanya untuk peserta yang sudah selesai."))
    if Certificate.objects.filter(enrolment=enrolment).exists():
        raise ValidationError(_("Peserta ini sudah punya sertifikat."))
    competence, issuer = (competence or "").strip(), (issuer or "").strip()
    errors = {}
    if not competence:
        errors["competence"] = _("Tuliskan kompetensi yang dicapai.")
    if not issuer:
        errors["issuer"] = _("Tuliskan penerbit sertifikat.")
    issued_on = issued_on or facility.today()
    if issued_on > facility.today():
        errors["issued_on"] = _("Tanggal terbit tidak boleh di masa depan.")
    elif enrolment.ended_on and issued_on < enrolment.ended_on:
        errors["issued_on"] = _("Tanggal terbit tidak boleh sebelum peserta selesai.")
    if errors:
        raise ValidationError(errors)
    certificate = Certificate(
        facility=facility,
        enrolment=enrolment,
        number=_next_certificate_number(facility, issued_on.year),
        competence=competence,
        issuer=issuer,
        issued_on=issued_on,
        **certificate_signatories(enrolment.programme),
        created_by=by,
        updated_by=by,
    )
    certificate.full_clean()
    certificate.save()
    audit_record(
        actor=by, action=AuditAction.CREATE, instance=certificate, after=model_snapshot(certificate)
    )
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, by) -> Certificate:
    """Revoke a certificate; its public page then says it is no longer valid."""
    require(by, Perm.PROGRAMME_MANAGE, certificate.facility)
    if certificate.revoked_on:
        raise ValidationError(_("Sertifikat ini sudah dicabut."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Tuliskan alasan pencabutan.")})
    before = model_snapshot(certificate, ["revoked_on", "revoke_reason"])
    certificate.revoked_on = certificate.facility.today()
    certificate.revoke_reason = reason.strip()[:300]
    certificate.updated_by = by
    certificate.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=certificate,
        before=before,
        after=model_snapshot(certificate, ["revoked_on", "revoke_reason"]),
    )
    return certificate


@transaction.atomic
def product_create(*, programme: Programme, by, **data) -> Product:
    """Record something made in a programme, with its quantity and unit value in rupiah."""
    require(by, Perm.PROGRAMME_MANAGE, programme.facility)
    product = Product(programme=programme, created_by=by, updated_by=by)
    for name in PRODUCT_FIELDS:
        if name in data:
            setattr(product, name, data[name])
    _validate_product(product)
    product.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        instance=product,
        after=model_snapshot(product),
        facility_id=programme.facility_id,
    )
    return product


def _validate_product(product: Product) -> None:
    product.full_clean()
    if product.made_on and product.made_on > product.programme.facility.today():
        raise ValidationError({"made_on": _("Tanggal dibuat tidak boleh di masa depan.")})


@transaction.atomic
def product_update(*, product: Product, by, **data) -> Product:
    """Change a product (e.g. mark it sold)."""
    require(by, Perm.PROGRAMME_MANAGE, product.programme.facility)
    before = model_snapshot(product)
    for name in PRODUCT_FIELDS:
        if name in data:
            setattr(product, name, data[name])
    product.updated_by = by
    _validate_product(product)
    product.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=product,
        before=before,
        after=model_snapshot(product),
        facility_id=product.programme.facility_id,
    )
    return product


# Assimilation -------------------------------------------------------------------------


@transaction.atomic
def assimilation_placement_create(
    *,
    inmate: Inmate,
    workplace: str,
    supervisor: str,
    decree_reference: str,
    start_date: datetime.date,
    by,
    address: str = "",
    end_date: datetime.date | None = None,
    programme: Programme | None = None,
) -> AssimilationPlacement:
    """Place an inmate in assimilation work once every eligibility check passes.

    The checks (see `eligibility.assimilation_eligibility`) are stored with the placement;
    when one fails, the error lists every failing rule with its reason.
    """
    require(by, Perm.ASSIMILATION_MANAGE, inmate.facility)
    inmate = Inmate.objects.select_for_update().select_related("facility").get(pk=inmate.pk)
    if programme is not None and (
        programme.facility_id != inmate.facility_id or programme.pillar != Pillar.ASIMILASI
    ):
        raise ValidationError({"programme": _("Pilih program asimilasi UPT ini.")})
    if AssimilationPlacement.objects.filter(inmate=inmate, status=PlacementStatus.ACTIVE).exists():
        raise ValidationError(_("WBP ini sudah punya penempatan asimilasi berjalan."))
    checks = eligibility.assimilation_eligibility(inmate=inmate, on=start_date)
    failed = eligibility.failing(checks)
    if failed:
        raise _eligibility_error(failed)
    placement = AssimilationPlacement(
        facility=inmate.facility,
        inmate=inmate,
        programme=programme,
        workplace=workplace,
        address=address,
        supervisor=supervisor,
        decree_reference=decree_reference,
        start_date=start_date,
        end_date=end_date,
        checks=[c.as_dict() for c in checks],
        created_by=by,
        updated_by=by,
    )
    placement.full_clean()
    placement.save()
    audit_record(
        actor=by, action=AuditAction.CREATE, instance=placement, after=model_snapshot(placement)
    )
    return placement


def _placement_end(placement: AssimilationPlacement, on, reason, by) -> None:
    before = model_snapshot(placement, ["status", "end_date", "end_reason"])
    placement.status = PlacementStatus.ENDED
    placement.end_date = max(on, placement.start_date)
    placement.end_reason = str(reason)[:300]
    placement.updated_by = by if getattr(by, "is_authenticated", False) else None
    placement.save()
    placement.logs.filter(checked_in_at__isnull=True).update(
        note=_("Tidak dicatat kembali; penempatan berakhir")
    )
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=placement,
        before=before,
        after=model_snapshot(placement, ["status", "end_date", "end_reason"]),
    )


@transaction.atomic
def assimilation_placement_end(
    *, placement: AssimilationPlacement, on: datetime.date, reason: str, by
) -> AssimilationPlacement:
    """End an assimilation placement on `on` with a reason."""
    require(by, Perm.ASSIMILATION_MANAGE, placement.facility)
    placement = AssimilationPlacement.objects.select_for_update().get(pk=placement.pk)
    if placement.status != PlacementStatus.ACTIVE:
        raise ValidationError(_("Penempatan ini sudah selesai."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Tuliskan alasan selesai.")})
    if on < placement.start_date:
        raise ValidationError({"on": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})
    _placement_end(placement, on, reason.strip(), by)
    return placement


@transaction.atomic
def assimilation_check_out(
    *, placement: AssimilationPlacement, by, at: datetime.datetime | None = None, note: str = ""
) -> AssimilationLog:
    """Record that the inmate left for the workplace (once a day)."""
    require(by, Perm.ASSIMILATION_MANAGE, placement.facility)
    placement = AssimilationPlacement.objects.select_for_update().get(pk=placement.pk)
    at = at or timezone.now()
    day = timezone.localtime(at, placement.facility.tzinfo).date()
    if placement.status != PlacementStatus.ACTIVE:
        raise ValidationError(_("Penempatan ini sudah selesai."))
    if day < placement.start_date or (placement.end_date and day > placement.end_date):
        raise ValidationError(_("Tanggal ini di luar masa penempatan."))
    if at > timezone.now():
        raise ValidationError(_("Waktu keluar tidak boleh di masa depan."))
    if placement.logs.filter(checked_in_at__isnull=True).exists():
        raise ValidationError(_("WBP belum dicatat kembali dari keluar sebelumnya."))
    if placement.logs.filter(date=day).exists():
        raise ValidationError(_("Hari ini sudah tercatat keluar."))
    log = AssimilationLog.objects.create(
        placement=placement, date=day, checked_out_at=at, checked_out_by=by, note=note[:300]
    )
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        instance=log,
        after=model_snapshot(log),
        facility_id=placement.facility_id,
    )
    return log


@transaction.atomic
def assimilation_check_in(
    *, placement: AssimilationPlacement, by, at: datetime.datetime | None = None, note: str = ""
) -> AssimilationLog:
    """Record that the inmate came back from the workplace."""
    require(by, Perm.ASSIMILATION_MANAGE, placement.facility)
    log = (
        AssimilationLog.objects.select_for_update()
        .filter(placement=placement, checked_in_at__isnull=True)
        .first()
    )
    if log is None:
        raise ValidationError(_("Tidak ada catatan keluar yang belum kembali."))
    at = at or timezone.now()
    if at < log.checked_out_at:
        raise ValidationError(_("Jam kembali harus setelah jam keluar."))
    if at > timezone.now():
        raise ValidationError(_("Waktu kembali tidak boleh di masa depan."))
    log.checked_in_at = at
    log.checked_in_by = by
    if note:
        log.note = note[:300]
    log.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=log,
        after=model_snapshot(log),
        facility_id=placement.facility_id,
    )
    return log


def programme_rows_anonymise(*, inmate):
    """Receiver's work for `inmate_anonymising`: the free text kept about the inmate's
    enrolments, attendance (history included) and assimilation becomes the mark; statuses,
    dates, reason codes and certificates stay, so participation is still counted."""
    from rutan.inmates.services import Anonymised, redact_text

    enrolments = Enrolment.objects.filter(inmate=inmate)
    placements = AssimilationPlacement.objects.filter(inmate=inmate)
    return Anonymised(
        rows={
            "programmes.enrolment": redact_text(enrolments, "end_note"),
            "programmes.enrolmentevent": redact_text(
                EnrolmentEvent.objects.filter(enrolment__inmate=inmate), "reason"
            ),
            "programmes.attendance": redact_text(
                Attendance.objects.filter(enrolment__inmate=inmate), "note"
            ),
            "programmes.historicalattendance": redact_text(
                Attendance.history.filter(enrolment_id__in=enrolments.values("pk")), "note"
            ),
            "programmes.assimilationplacement": redact_text(placements, "end_reason"),
            "programmes.assimilationlog": redact_text(
                AssimilationLog.objects.filter(placement__in=placements), "note"
            ),
        },
        keys={"end_note", "end_reason", "note", "reason"},
    )
