"""What can be imported into programmes: enrolments (one inmate in one programme per row) and
attendance (one inmate at one session per row). Rows are written by the programmes services
(`enrolment_create`, `attendance_record`), so eligibility, capacity, the waiting list, the
attendance history and the audit are exactly those of an entry by hand."""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rutan.core.roles import Perm
from rutan.imports.engine import Column, ImportKind, RowError, kind_register, norm
from rutan.inmates.models import Inmate

from . import services
from .choices import AbsenceReason, AttendanceStatus, ProgrammeStatus
from .models import Attendance, Enrolment, Programme, Session

OPEN_PROGRAMME = (ProgrammeStatus.PLANNED, ProgrammeStatus.RUNNING)
REGISTRATION = Column("registration_number", gettext_lazy("Nomor registrasi"), required=True)
PROGRAMME = Column(
    "programme",
    gettext_lazy("Program"),
    required=True,
    help=gettext_lazy("Nama program di UPT ini, atau ID-nya bila ada dua yang bernama sama."),
)


def _lookups(facility, by) -> dict:
    programmes = list(Programme.objects.filter(facility=facility).order_by("id"))
    by_title = defaultdict(list)
    for programme in programmes:
        by_title[norm(programme.title)].append(programme)
    return {
        "facility": facility,
        "by": by,
        "inmates": {
            norm(number): pk
            for number, pk in Inmate.objects.filter(facility=facility).values_list(
                "registration_number", "pk"
            )
        },
        "programmes": {p.pk: p for p in programmes},
        "titles": by_title,
        # What this run has already seen under another spelling (a title or an id, a time
        # left out): the engine's key check only compares the cells as written.
        "seen": set(),
    }


def _inmate_pk(state: dict, values: dict) -> int:
    pk = state["inmates"].get(norm(values["registration_number"]))
    if pk is None:
        raise RowError(
            {
                "registration_number": _("Nomor registrasi “%(value)s” tidak ada di %(facility)s.")
                % {"value": values["registration_number"], "facility": state["facility"]}
            }
        )
    return pk


def _programmes_named(state: dict, value: str) -> list[Programme]:
    """The facility's programmes a cell names: by id when it is one, else by title."""
    if value.isdigit() and int(value) in state["programmes"]:
        return [state["programmes"][int(value)]]
    found = state["titles"].get(norm(value), [])
    if not found:
        raise RowError(
            {
                "programme": _("Program “%(value)s” tidak ada di %(facility)s.")
                % {"value": value, "facility": state["facility"]}
            }
        )
    return found


def _ambiguous(value: str, count: int) -> RowError:
    return RowError(
        {
            "programme": _("Ada %(n)d program bernama “%(value)s” di UPT ini; tulis ID programnya.")
            % {"n": count, "value": value}
        }
    )


def _once(state: dict, key: tuple) -> None:
    if key in state["seen"]:
        raise RowError({"registration_number": _("Baris ini sama dengan baris lain berkas ini.")})
    state["seen"].add(key)


@kind_register
class EnrolmentImport(ImportKind):
    name = "enrolments"
    label = gettext_lazy("Peserta program")
    description = gettext_lazy(
        "Satu WBP dan satu program per baris. Syarat program, kapasitas dan daftar tunggu "
        "berlaku seperti pendaftaran biasa; WBP yang sudah pernah terdaftar di program itu "
        "tidak didaftarkan lagi."
    )
    perm = Perm.PROGRAMME_MANAGE
    columns = [
        REGISTRATION,
        PROGRAMME,
        Column(
            "requested_on",
            gettext_lazy("Tanggal daftar"),
            "date",
            help=gettext_lazy("Boleh kosong: hari ini."),
        ),
    ]
    key = ("programme", "registration_number")
    summary = ("registration_number", "programme", "requested_on")
    error_keys = {"inmate": "registration_number"}
    list_url_name = "programmes:list"

    def prepare(self, facility, by) -> dict:
        state = _lookups(facility, by)
        state["enrolled"] = set(
            Enrolment.objects.filter(programme__facility=facility).values_list(
                "programme_id", "inmate_id"
            )
        )
        return state

    def _programme(self, state: dict, value: str) -> Programme:
        found = _programmes_named(state, value)
        if len(found) > 1:
            # Last year's class of the same name is over: the open one is meant.
            found = [p for p in found if p.status in OPEN_PROGRAMME] or found
        if len(found) > 1:
            raise _ambiguous(value, len(found))
        return found[0]

    def write_row(self, state: dict, values: dict) -> dict:
        inmate_pk = _inmate_pk(state, values)
        programme = self._programme(state, values["programme"])
        key = (programme.pk, inmate_pk)
        _once(state, key)
        if key in state["enrolled"]:
            return {"action": "unchanged"}
        try:
            services.enrolment_create(
                programme=programme,
                inmate=Inmate.objects.get(pk=inmate_pk),
                by=state["by"],
                requested_on=values.get("requested_on"),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise
            # The service's only refusal without a field is the programme's (finished, …).
            raise ValidationError({"programme": exc.messages}) from exc
        return {"action": "create"}


@kind_register
class AttendanceImport(ImportKind):
    name = "attendance"
    label = gettext_lazy("Presensi sesi")
    description = gettext_lazy(
        "Satu WBP pada satu sesi per baris: hadir, atau tidak hadir dengan alasannya. Hanya "
        "peserta yang tertulis yang dicatat; presensi yang berbeda dikoreksi dan riwayatnya "
        "disimpan."
    )
    perm = Perm.ATTENDANCE_RECORD
    columns = [
        PROGRAMME,
        Column("session_date", gettext_lazy("Tanggal sesi"), "date", True),
        Column(
            "start_time",
            gettext_lazy("Jam mulai"),
            "time",
            help=gettext_lazy("Boleh kosong bila program itu hanya punya satu sesi pada hari itu."),
        ),
        REGISTRATION,
        Column("status", gettext_lazy("Kehadiran"), "choice", True, AttendanceStatus),
        Column(
            "reason",
            gettext_lazy("Alasan tidak hadir"),
            "choice",
            False,
            AbsenceReason,
            help=gettext_lazy("Wajib bila tidak hadir; kosong bila hadir."),
        ),
        Column(
            "note",
            gettext_lazy("Keterangan"),
            help=gettext_lazy("Hanya untuk yang tidak hadir."),
        ),
    ]
    key = ("programme", "session_date", "start_time", "registration_number")
    summary = ("programme", "session_date", "registration_number", "status")
    error_keys = {"absences": "reason"}
    list_url_name = "programmes:list"

    def prepare(self, facility, by) -> dict:
        return {**_lookups(facility, by), "sessions": {}, "rosters": {}}

    def _sessions_on(self, state: dict, programme: Programme, day: datetime.date) -> list:
        key = (programme.pk, day)
        if key not in state["sessions"]:
            state["sessions"][key] = list(
                Session.objects.filter(programme=programme, date=day).select_related(
                    "programme", "programme__facility"
                )
            )
        return state["sessions"][key]

    def _session(self, state: dict, values: dict) -> Session:
        value, day = values["programme"], values["session_date"]
        sessions = [
            s for p in _programmes_named(state, value) for s in self._sessions_on(state, p, day)
        ]
        if "start_time" in values:
            sessions = [s for s in sessions if s.start_time == values["start_time"]]
        # A cancelled session beside the one held that day is not the one meant.
        sessions = [s for s in sessions if not s.is_cancelled] or sessions
        if len({s.programme_id for s in sessions}) > 1:
            raise _ambiguous(value, len({s.programme_id for s in sessions}))
        if not sessions:
            at = f" {values['start_time']:%H:%M}" if "start_time" in values else ""
            raise RowError(
                {
                    "session_date": _("Program “%(value)s” tidak punya sesi pada %(when)s.")
                    % {"value": value, "when": f"{day:%d-%m-%Y}{at}"}
                }
            )
        if len(sessions) > 1:
            raise RowError(
                {
                    "start_time": _("Ada %(n)d sesi pada tanggal itu; isi jam mulainya.")
                    % {"n": len(sessions)}
                }
            )
        return sessions[0]

    def _enrolment_pk(self, state: dict, session: Session, inmate_pk: int, values: dict) -> int:
        if session.pk not in state["rosters"]:
            # Ordered by id, so a later place in the same programme wins over an ended one.
            state["rosters"][session.pk] = {
                e.inmate_id: e.pk for e in services.session_roster(session).order_by("id")
            }
        pk = state["rosters"][session.pk].get(inmate_pk)
        if pk is None:
            raise RowError(
                {
                    "registration_number": _(
                        "WBP “%(value)s” bukan peserta %(programme)s pada %(date)s."
                    )
                    % {
                        "value": values["registration_number"],
                        "programme": session.programme.title,
                        "date": f"{session.date:%d-%m-%Y}",
                    }
                }
            )
        return pk

    def write_row(self, state: dict, values: dict) -> dict:
        inmate_pk = _inmate_pk(state, values)
        session = self._session(state, values)
        enrolment_pk = self._enrolment_pk(state, session, inmate_pk, values)
        _once(state, (session.pk, enrolment_pk))
        wanted = {
            "status": values["status"],
            "reason": values.get("reason", ""),
            "note": values.get("note", "")[:200],
        }
        if wanted["status"] == AttendanceStatus.PRESENT:
            if wanted["reason"]:
                raise RowError({"reason": _("Alasan hanya diisi bila tidak hadir.")})
            if wanted["note"]:
                raise RowError({"note": _("Keterangan hanya dicatat bila tidak hadir.")})
        stored = Attendance.objects.filter(session=session, enrolment_id=enrolment_pk).first()
        changes = [n for n in wanted if stored is not None and getattr(stored, n) != wanted[n]]
        if stored is not None and not changes:
            return {"action": "unchanged"}
        absent = wanted["status"] == AttendanceStatus.ABSENT
        try:
            services.attendance_record(
                session=session,
                absences={enrolment_pk: (wanted["reason"], wanted["note"])} if absent else {},
                only=[enrolment_pk],
                by=state["by"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise
            # Refusals without a field are the session's own (cancelled, not held yet).
            raise ValidationError({"session_date": exc.messages}) from exc
        if stored is None:
            return {"action": "create"}
        return {"action": "update", "changes": changes}
