from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from rutan.core import exports, freshness
from rutan.core.choices import Pillar
from rutan.core.forms import add_service_errors
from rutan.core.roles import Perm
from rutan.core.scoping import get_scoped_or_404, user_can
from rutan.core.views import audit_detail, audit_file, audit_page, save_unless_stale
from rutan.facilities.models import Facility
from rutan.facilities.selectors import facility_list, today_by_timezone
from rutan.inmates.models import Inmate

from . import charts, eligibility, selectors, services
from .certificates import certificate_pdf
from .choices import PROGRAMME_TRANSITIONS, AbsenceReason, EnrolmentStatus, PlacementStatus
from .forms import (
    AssimilationForm,
    BulkFilterForm,
    CancelForm,
    CertificateForm,
    CompleteForm,
    EnrolForm,
    EvaluationForm,
    GenerateForm,
    PlacementEndForm,
    ProductForm,
    ProgrammeFilterForm,
    ProgrammeForm,
    ProgrammeStatusForm,
    RegisterForm,
    RevokeForm,
    SessionForm,
    SessionsTodayFilterForm,
    SlotForm,
    WithdrawForm,
)
from .models import AssimilationPlacement, Certificate, Enrolment, ScheduleSlot

PAGE_SIZE = 25


PROGRAMME_COLUMNS = [
    exports.Column(gettext_lazy("Program"), lambda p: p.title),
    exports.Column(gettext_lazy("Bidang"), lambda p: p.get_area_display()),
    exports.Column(gettext_lazy("Pilar"), lambda p: p.get_pillar_display()),
    exports.Column(gettext_lazy("UPT"), lambda p: p.facility.name),
    exports.Column(gettext_lazy("Status"), lambda p: p.get_status_display()),
    exports.Column(gettext_lazy("Peserta"), lambda p: p.active_count),
    exports.Column(gettext_lazy("Kapasitas"), lambda p: p.capacity),
    exports.Column(gettext_lazy("Tunggu"), lambda p: p.waitlist_count),
    exports.Column(gettext_lazy("Fasilitator"), lambda p: p.facilitator),
    exports.Column(gettext_lazy("Mitra / instruktur"), lambda p: p.instructor),
    exports.Column(gettext_lazy("Mulai"), lambda p: p.start_date),
    exports.Column(gettext_lazy("Selesai"), lambda p: p.end_date),
]
ROSTER_COLUMNS = [
    exports.Column(gettext_lazy("Nama"), lambda e: e.inmate.name),
    exports.Column(gettext_lazy("No. registrasi"), lambda e: e.inmate.registration_number),
    exports.Column(gettext_lazy("Blok"), lambda e: e.inmate.block.name if e.inmate.block else ""),
    exports.Column(gettext_lazy("Status"), lambda e: e.get_status_display()),
    exports.Column(gettext_lazy("Mulai"), lambda e: e.started_on),
    exports.Column(gettext_lazy("Berakhir"), lambda e: e.ended_on),
    exports.Column(gettext_lazy("Hadir"), lambda e: e.present),
    exports.Column(gettext_lazy("Sesi tercatat"), lambda e: e.recorded),
    exports.Column(gettext_lazy("Sertifikat"), lambda e: _certificate_number(e)),
]

ATTENDANCE_COLUMNS = [
    exports.Column(gettext_lazy("Tanggal"), lambda a: a.session.date),
    exports.Column(gettext_lazy("Jam mulai"), lambda a: a.session.start_time),
    exports.Column(gettext_lazy("Materi"), lambda a: a.session.topic),
    exports.Column(gettext_lazy("Nama"), lambda a: a.enrolment.inmate.name),
    exports.Column(
        gettext_lazy("No. registrasi"), lambda a: a.enrolment.inmate.registration_number
    ),
    exports.Column(
        gettext_lazy("Blok"),
        lambda a: a.enrolment.inmate.block.name if a.enrolment.inmate.block else "",
    ),
    exports.Column(gettext_lazy("Kehadiran"), lambda a: a.get_status_display()),
    exports.Column(gettext_lazy("Alasan"), lambda a: a.get_reason_display() if a.reason else ""),
    exports.Column(gettext_lazy("Keterangan"), lambda a: a.note),
    exports.Column(gettext_lazy("Dicatat"), lambda a: a.recorded_at),
    exports.Column(gettext_lazy("Dicatat oleh"), lambda a: str(a.recorded_by or "")),
]


def _attendance_export(request, fmt, programme, session=None):
    return exports.export_response(
        request=request,
        fmt=fmt,
        queryset=selectors.attendance_list(programme=programme, session=session),
        columns=ATTENDANCE_COLUMNS,
        name=f"presensi-{programme.pk}" + (f"-{session.date:%Y%m%d}" if session else ""),
        title=_("Presensi"),
        filters={"programme": programme, "session": session},
        facility_id=programme.facility_id,
        tz_of=lambda attendance: programme.facility.tzinfo,
    )


def _certificate_number(enrolment) -> str:
    certificate = getattr(enrolment, "certificate", None)  # reverse one-to-one: may be absent
    return certificate.number if certificate else ""


def _page(request, queryset):
    page_obj = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return page_obj, exports.page_query(request)


def _action(request, form, *, perform, success, done_url, context):
    """Validate, call the service, report and redirect; on error show the form again."""
    if request.method == "POST" and form.is_valid():
        try:
            perform(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(done_url)
    return render(
        request,
        "programmes/action_form.html",
        {"form": form, "cancel_url": done_url, **context},
    )


# Programmes ---------------------------------------------------------------------------


@login_required
def programme_list(request):
    facilities = facility_list(user=request.user, perm=Perm.PROGRAMME_VIEW)
    if not facilities:
        raise Http404
    form = ProgrammeFilterForm(request.GET or None, facilities=facilities)
    filters = form.cleaned_data if form.is_valid() else {}
    programmes = selectors.programme_list(user=request.user, filters=filters)
    download = exports.list_export(
        request,
        form=form,
        filters=filters,
        facilities=facilities,
        queryset=programmes,
        columns=PROGRAMME_COLUMNS,
        name="program",
        title=_("Program pembinaan"),
    )
    if download is not None:
        return download
    page_obj, query = _page(request, programmes)
    can_create = [f for f in facilities if user_can(request.user, Perm.PROGRAMME_MANAGE, f)]
    can_record = [f for f in facilities if user_can(request.user, Perm.ATTENDANCE_RECORD, f)]
    return render(
        request,
        "programmes/programme_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "query": query,
            "can_create": can_create,
            "can_record": can_record,
            "show_facility": len(facilities) > 1,
        },
    )


@login_required
def programme_detail(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk)
    if fmt := exports.requested_format(request, "presensi"):
        return _attendance_export(request, fmt, programme)
    if fmt := exports.requested_format(request):
        return exports.export_response(
            request=request,
            fmt=fmt,
            queryset=selectors.programme_roster(programme=programme),
            columns=ROSTER_COLUMNS,
            name=f"peserta-{programme.pk}",
            title=_("Peserta"),
            filters={"programme": programme},
            facility_id=programme.facility_id,
        )
    today = programme.facility.today()
    people = freshness.cached(
        "programme-people",
        [programme.pk, today, timezone.get_current_timezone_name()],
        [programme.facility_id],
        lambda: _programme_people(programme),
    )
    audit_page(
        request,
        model=Enrolment,
        rows=(),
        ids=people["ids"],
        within={"programme": programme.pk},
        facility_id=programme.facility_id,
    )
    # The chart (pygal) and the rate, drawn once per facility version.
    chart, rate = freshness.cached(
        "programme-attendance",
        [programme.pk, today],
        [programme.facility_id],
        lambda: (
            charts.attendance_chart(selectors.programme_attendance_series(programme=programme)),
            selectors.programme_attendance_rate(programme=programme),
        ),
    )
    user = request.user
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "today": today,
            "slots": list(programme.slots.all()),
            "people": people,
            "upcoming": list(selectors.sessions_upcoming(programme=programme, on=today)),
            "recent": list(selectors.sessions_recent(programme=programme, on=today)),
            "products": list(programme.products.order_by("-made_on", "-id")[:20]),
            "attendance_rate": rate,
            "chart": chart,
            "can_manage": user_can(user, Perm.PROGRAMME_MANAGE, programme.facility),
            "can_record": user_can(user, Perm.ATTENDANCE_RECORD, programme.facility),
            "can_view_agreement": user_can(user, Perm.PARTNER_VIEW, programme.facility),
            "is_open": programme.status in ("planned", "running"),
            "next_statuses": sorted(PROGRAMME_TRANSITIONS[programme.status]),
        },
    )


def _programme_people(programme) -> dict:
    """The roster and the waiting list rendered, with the ids shown (for the audit) and the
    counts the page's summary gives; cached until the facility's data changes."""
    roster = list(selectors.programme_roster(programme=programme))
    waitlist = list(selectors.programme_waitlist(programme=programme))
    html = render_to_string(
        "programmes/includes/programme_people.html", {"roster": roster, "waitlist": waitlist}
    )
    return {
        "html": html,
        "ids": [e.pk for e in roster + waitlist],
        "active_count": sum(1 for e in roster if e.status == EnrolmentStatus.ACTIVE),
        "waiting": len(waitlist),
    }


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request, facility_pk):
    facility = get_scoped_or_404(
        Facility.objects.all(), request.user, Perm.PROGRAMME_MANAGE, pk=facility_pk
    )
    form = ProgrammeForm(request.POST or None, facility=facility)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                facility=facility, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Program %(t)s dibuat.") % {"t": programme.title})
            return redirect("programmes:detail", pk=programme.pk)
    return render(request, "programmes/programme_form.html", {"form": form, "facility": facility})


@login_required
@require_http_methods(["GET", "POST"])
def programme_update(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk, perm=Perm.PROGRAMME_MANAGE)
    form = ProgrammeForm(request.POST or None, instance=programme, facility=programme.facility)
    if request.method == "POST" and form.is_valid():
        outcome = save_unless_stale(
            request,
            form,
            programme,
            save=lambda current, data: services.programme_update(
                programme=current, by=request.user, **data
            ),
            fresh_form=lambda current: ProgrammeForm(instance=current, facility=current.facility),
        )
        if outcome.saved:
            messages.success(request, _("Program disimpan."))
            return redirect("programmes:detail", pk=pk)
        form, programme = outcome.form, outcome.record
    return render(
        request,
        "programmes/programme_form.html",
        {"form": form, "facility": programme.facility, "programme": programme},
    )


@login_required
@require_POST
def programme_status(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk, perm=Perm.PROGRAMME_MANAGE)
    form = ProgrammeStatusForm(request.POST)
    if form.is_valid():
        try:
            services.programme_set_status(
                programme=programme, status=form.cleaned_data["status"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Status program diubah."))
    else:
        messages.error(request, _("Status tidak dikenal."))
    return redirect("programmes:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def slot_create(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk, perm=Perm.PROGRAMME_MANAGE)
    form = SlotForm(request.POST or None, initial={"location": programme.location})
    return _action(
        request,
        form,
        perform=lambda d: services.schedule_slot_create(programme=programme, by=request.user, **d),
        success=_("Jadwal mingguan ditambahkan."),
        done_url=reverse("programmes:detail", args=[pk]),
        context={"title": _("Tambah jadwal mingguan"), "programme": programme},
    )


@login_required
@require_POST
def slot_delete(request, pk, slot_pk):
    programme = selectors.programme_get(user=request.user, pk=pk, perm=Perm.PROGRAMME_MANAGE)
    slot = get_object_or_404(ScheduleSlot, pk=slot_pk, programme=programme)
    services.schedule_slot_delete(slot=slot, by=request.user)
    messages.success(request, _("Jadwal mingguan dihapus; sesi yang sudah dibuat tetap ada."))
    return redirect("programmes:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def sessions_generate(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk, perm=Perm.PROGRAMME_MANAGE)
    today = programme.facility.today()
    form = GenerateForm(
        request.POST or None,
        initial={"date_from": max(today, programme.start_date), "date_to": programme.end_date},
    )
    made = []

    def perform(d):
        made.extend(services.sessions_generate(programme=programme, by=request.user, **d))

    response = _action(
        request,
        form,
        perform=perform,
        success=_("Sesi dibuat dari jadwal mingguan."),
        done_url=reverse("programmes:detail", args=[pk]),
        context={
            "title": _("Buat sesi dari jadwal"),
            "programme": programme,
            "intro": _(
                "Sesi dibuat untuk setiap jadwal mingguan di antara dua tanggal; tanggal yang "
                "sudah punya sesi dilewati."
            ),
        },
    )
    if made:
        messages.info(request, _("%(n)d sesi baru.") % {"n": len(made)})
    return response


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk, perm=Perm.PROGRAMME_MANAGE)
    form = SessionForm(request.POST or None, initial={"location": programme.location})
    return _action(
        request,
        form,
        perform=lambda d: services.session_create(programme=programme, by=request.user, **d),
        success=_("Sesi ditambahkan."),
        done_url=reverse("programmes:detail", args=[pk]),
        context={"title": _("Tambah sesi"), "programme": programme},
    )


# Sessions and attendance ---------------------------------------------------------------


@login_required
def session_list(request):
    if not user_can(request.user, Perm.PROGRAMME_VIEW):
        raise Http404
    # The westernmost facility's today, so no session of today is hidden anywhere.
    today = min(today_by_timezone().values())
    filters = {"date_from": request.GET.get("dari") or today}
    if request.GET.get("sampai"):
        filters["date_to"] = request.GET["sampai"]
    try:
        page_obj, query = _page(request, selectors.session_list(user=request.user, filters=filters))
    except ValidationError:
        messages.error(request, _("Tanggal tidak valid."))
        return redirect("programmes:session_list")
    return render(
        request,
        "programmes/session_list.html",
        {"page_obj": page_obj, "query": query, "today": today, "title": _("Jadwal sesi")},
    )


@login_required
def sessions_today(request):
    """Today's sessions, today being the date where each programme's facility is."""
    facilities = facility_list(user=request.user, perm=Perm.ATTENDANCE_RECORD)
    if not facilities:
        raise Http404
    form = SessionsTodayFilterForm(request.GET or None, facilities=facilities)
    filters = form.cleaned_data if form.is_valid() else {}
    sessions = list(
        selectors.sessions_today(
            user=request.user,
            facility=filters.get("facility"),
            unrecorded=bool(filters.get("unrecorded")),
        )
    )
    shown = [filters["facility"]] if filters.get("facility") else list(facilities)
    days = {facility.today() for facility in shown}
    return render(
        request,
        "programmes/sessions_today.html",
        {
            "form": form,
            "sessions": sessions,
            "today": days.pop() if len(days) == 1 else None,
            "unrecorded": bool(filters.get("unrecorded")),
        },
    )


def _register_rows(session, post=None):
    rows = selectors.session_register(session=session)
    for row in rows:
        key = str(row.enrolment.pk)
        if post is not None:
            row.value = post.get(f"reason-{key}", "")
            row.note_value = post.get(f"note-{key}", "")
        else:
            row.value = row.attendance.reason if row.attendance else ""
            row.note_value = row.attendance.note if row.attendance else ""
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def session_register(request, pk):
    session = selectors.session_get(user=request.user, pk=pk)
    programme = session.programme
    if request.method == "GET" and (fmt := exports.requested_format(request)):
        return _attendance_export(request, fmt, programme, session)
    can_record = user_can(request.user, Perm.ATTENDANCE_RECORD, programme.facility)
    today = programme.facility.today()
    # Bound on every POST: a register with nobody marked absent may send no field at all.
    form = RegisterForm(request.POST if request.method == "POST" else None, session=session)
    rows = _register_rows(session, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_record:
            raise Http404
        form.is_valid()
        absences = {row.enrolment.pk: (row.value, row.note_value) for row in rows if row.value}
        outcome = save_unless_stale(
            request,
            form,
            session,
            save=lambda current, data: services.attendance_record(
                session=current, absences=absences, by=request.user
            ),
            fresh_form=lambda current: RegisterForm(session=current),
        )
        if outcome.saved:
            messages.success(
                request,
                _("Presensi disimpan: %(present)d hadir, %(absent)d tidak hadir.")
                % {"present": len(rows) - len(absences), "absent": len(absences)},
            )
            return redirect("programmes:session_register", pk=pk)
        form = outcome.form
        if outcome.stale:
            session = outcome.record
            rows = _register_rows(session)
    history = selectors.attendance_history(session=session) if session.attendance_taken_at else []
    audit_page(
        request,
        model=Enrolment,
        rows=[row.enrolment for row in rows],
        within={"session": session.pk},
        facility_id=programme.facility_id,
    )
    names = {row.enrolment.pk: row.enrolment.inmate.name for row in rows}
    for version in history:
        version.person = names.get(version.enrolment_id, "—")
    return render(
        request,
        "programmes/session_register.html",
        {
            "session": session,
            "programme": programme,
            "rows": rows,
            "reasons": AbsenceReason.choices,
            "form": form,
            "can_record": can_record and not session.is_cancelled and session.has_started(),
            "is_future": session.date > today,
            "starts_later_today": session.date == today and not session.has_started(),
            "history": history,
            "can_manage": user_can(request.user, Perm.PROGRAMME_MANAGE, programme.facility),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_update(request, pk):
    session = selectors.session_get(user=request.user, pk=pk, perm=Perm.PROGRAMME_MANAGE)
    form = SessionForm(request.POST or None, instance=session)
    done_url = reverse("programmes:session_register", args=[pk])
    if request.method == "POST" and form.is_valid():
        outcome = save_unless_stale(
            request,
            form,
            session,
            save=lambda current, data: services.session_update(
                session=current, by=request.user, **data
            ),
            fresh_form=lambda current: SessionForm(instance=current),
        )
        if outcome.saved:
            messages.success(request, _("Sesi disimpan."))
            return redirect(done_url)
        form = outcome.form
    return render(
        request,
        "programmes/action_form.html",
        {
            "form": form,
            "cancel_url": done_url,
            "title": _("Ubah sesi"),
            "programme": session.programme,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel(request, pk):
    session = selectors.session_get(user=request.user, pk=pk, perm=Perm.PROGRAMME_MANAGE)
    form = CancelForm(request.POST or None)
    return _action(
        request,
        form,
        perform=lambda d: services.session_cancel(
            session=session, reason=d["reason"], by=request.user
        ),
        success=_("Sesi dibatalkan."),
        done_url=reverse("programmes:session_register", args=[pk]),
        context={
            "title": _("Batalkan sesi"),
            "programme": session.programme,
            "intro": str(session),
            "danger": True,
        },
    )


# Enrolment ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request, pk):
    """Enrol one inmate: search by name or number (live with htmx, a plain GET without),
    pick from the candidates with each one's eligibility shown, the places left above."""
    programme = selectors.programme_get(user=request.user, pk=pk, perm=Perm.PROGRAMME_MANAGE)
    inmates = selectors.eligible_inmates(user=request.user, programme=programme)
    form = EnrolForm(request.POST or None, inmates=inmates)
    checks = []
    if request.method == "POST" and form.is_valid():
        inmate = form.cleaned_data["inmate"]
        try:
            enrolment = services.enrolment_create(
                programme=programme, inmate=inmate, by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            checks = eligibility.programme_eligibility(programme=programme, inmate=inmate)
        else:
            if enrolment.status == EnrolmentStatus.WAITLISTED:
                messages.warning(
                    request,
                    _("Kapasitas penuh: %(name)s masuk daftar tunggu nomor %(n)d.")
                    % {"name": inmate.name, "n": enrolment.waitlist_position},
                )
            else:
                messages.success(request, _("%(name)s terdaftar.") % {"name": inmate.name})
            return redirect("programmes:detail", pk=pk)
    context = _candidates(request, programme)
    context.update(form=form, checks=checks, chosen=form["inmate"].value())
    return render(request, "programmes/enrol.html", context)


def _candidates(request, programme) -> dict:
    """The page of inmates a programme's enrolment pages offer (filtered by the page's
    search), each with the rules it fails, and the places left."""
    filter_form = BulkFilterForm(request.GET or None, facility=programme.facility)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    candidates = selectors.eligible_inmates(user=request.user, programme=programme, filters=filters)
    page_obj, query = _page(request, candidates)
    checks = eligibility.programme_eligibility_of(programme=programme, inmates=page_obj)
    for inmate in page_obj:
        inmate.failed_rules = eligibility.failing(checks[inmate.pk])
    audit_page(
        request,
        model=Inmate,
        rows=page_obj,
        within={"programme": programme.pk},
        facility_id=programme.facility_id,
    )
    taken = programme.places_taken()
    return {
        "programme": programme,
        "filter_form": filter_form,
        "page_obj": page_obj,
        "query": query,
        "places_taken": taken,
        "places_free": max(programme.capacity - taken, 0),
        "reset_url": request.path,
    }


@login_required
@require_http_methods(["GET", "POST"])
def enrol_bulk(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk, perm=Perm.PROGRAMME_MANAGE)
    result = None
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("inmates") if i.isdigit()]
        candidates = selectors.eligible_inmates(user=request.user, programme=programme)
        chosen = list(candidates.filter(pk__in=ids))
        if not chosen:
            messages.error(request, _("Pilih paling sedikit satu WBP."))
        else:
            result = services.enrolments_bulk_create(
                programme=programme, inmates=chosen, by=request.user
            )
            if not result.refused:
                messages.success(
                    request,
                    _("%(a)d terdaftar, %(w)d masuk daftar tunggu.")
                    % {"a": len(result.enrolled), "w": len(result.waitlisted)},
                )
                return redirect("programmes:detail", pk=pk)
    context = _candidates(request, programme)
    context["result"] = result
    return render(request, "programmes/enrol_bulk.html", context)


@login_required
def enrolment_detail(request, pk):
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    programme = enrolment.programme
    certificate = Certificate.objects.filter(enrolment=enrolment).first()
    evaluations = {e.kind: e for e in enrolment.evaluations.all()}
    impact = (
        evaluations["post"].score - evaluations["pre"].score
        if {"pre", "post"} <= set(evaluations)
        else None
    )
    audit_detail(request, enrolment)
    return render(
        request,
        "programmes/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "programme": programme,
            "inmate": enrolment.inmate,
            "events": list(enrolment.events.all()),
            "evaluations": evaluations,
            "impact": impact,
            "attendance": list(selectors.enrolment_attendance(enrolment=enrolment)[:50]),
            "rate": selectors.attendance_rate(enrolment=enrolment),
            "certificate": certificate,
            "can_manage": user_can(request.user, Perm.PROGRAMME_MANAGE, programme.facility),
            "can_see_inmate": user_can(request.user, Perm.INMATE_VIEW, enrolment.inmate.facility),
        },
    )


def _enrolment_action(request, pk, form_class, *, title, success, perform, **form_kwargs):
    enrolment = selectors.enrolment_get(user=request.user, pk=pk, perm=Perm.PROGRAMME_MANAGE)
    form = form_class(request.POST or None, **form_kwargs)
    return _action(
        request,
        form,
        perform=lambda d: perform(enrolment, d),
        success=success,
        done_url=reverse("programmes:enrolment_detail", args=[pk]),
        context={
            "title": title,
            "programme": enrolment.programme,
            "intro": f"{enrolment.inmate.name} · {enrolment.programme.title}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_withdraw(request, pk):
    return _enrolment_action(
        request,
        pk,
        WithdrawForm,
        title=_("Keluarkan dari program"),
        success=_("Kepesertaan diakhiri."),
        perform=lambda e, d: services.enrolment_withdraw(
            enrolment=e, reason=d["reason"], note=d["note"], by=request.user
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_complete(request, pk):
    return _enrolment_action(
        request,
        pk,
        CompleteForm,
        title=_("Nyatakan selesai"),
        success=_("Peserta dinyatakan selesai."),
        perform=lambda e, d: services.enrolment_complete(
            enrolment=e,
            on=d["on"],
            post_score=d["post_score"],
            instrument=d["instrument"],
            by=request.user,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_record(request, pk):
    return _enrolment_action(
        request,
        pk,
        EvaluationForm,
        title=_("Catat evaluasi"),
        success=_("Evaluasi disimpan."),
        perform=lambda e, d: services.evaluation_record(enrolment=e, by=request.user, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def certificate_issue(request, pk):
    enrolment = selectors.enrolment_get(user=request.user, pk=pk, perm=Perm.PROGRAMME_MANAGE)
    programme = enrolment.programme
    return _enrolment_action(
        request,
        pk,
        CertificateForm,
        title=_("Terbitkan sertifikat"),
        success=_("Sertifikat diterbitkan."),
        perform=lambda e, d: services.certificate_issue(enrolment=e, by=request.user, **d),
        initial={
            "competence": programme.get_area_display(),
            "issuer": programme.instructor or programme.facility.name,
        },
    )


@login_required
def certificate_download(request, pk):
    certificate = get_scoped_or_404(
        Certificate.objects.select_related("facility", "enrolment__programme", "enrolment__inmate"),
        request.user,
        Perm.PROGRAMME_VIEW,
        pk=pk,
    )
    verify_url = request.build_absolute_uri(reverse("programmes:verify", args=[certificate.code]))
    pdf = certificate_pdf(certificate=certificate, verify_url=verify_url)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = certificate.number.replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="sertifikat-{filename}.pdf"'
    audit_file(request, certificate, file=f"sertifikat-{filename}.pdf")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def certificate_revoke(request, pk):
    certificate = get_scoped_or_404(
        Certificate.objects.select_related("facility", "enrolment__programme", "enrolment__inmate"),
        request.user,
        Perm.PROGRAMME_MANAGE,
        pk=pk,
    )
    form = RevokeForm(request.POST or None)
    return _action(
        request,
        form,
        perform=lambda d: services.certificate_revoke(
            certificate=certificate, reason=d["reason"], by=request.user
        ),
        success=_("Sertifikat dicabut."),
        done_url=reverse("programmes:enrolment_detail", args=[certificate.enrolment_id]),
        context={
            "title": _("Cabut sertifikat"),
            "programme": certificate.enrolment.programme,
            "intro": certificate.number,
            "danger": True,
        },
    )


def verify(request, code):
    """Public: whether a certificate is valid, for whom (initials only) and which programme."""
    certificate = selectors.certificate_by_code(code=code)
    response = render(
        request,
        "programmes/verify.html",
        {"certificate": certificate},
        status=200 if certificate else 404,
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def product_create(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk, perm=Perm.PROGRAMME_MANAGE)
    form = ProductForm(request.POST or None, initial={"made_on": programme.facility.today()})
    return _action(
        request,
        form,
        perform=lambda d: services.product_create(programme=programme, by=request.user, **d),
        success=_("Produk dicatat."),
        done_url=reverse("programmes:detail", args=[pk]) + "#produk",
        context={"title": _("Catat produk"), "programme": programme},
    )


# Assimilation -------------------------------------------------------------------------


@login_required
def assimilation_list(request):
    if not user_can(request.user, Perm.PROGRAMME_VIEW):
        raise Http404
    status = request.GET.get("status", PlacementStatus.ACTIVE)
    filters = {"status": status if status in PlacementStatus.values else ""}
    page_obj, query = _page(
        request, selectors.assimilation_list(user=request.user, filters=filters)
    )
    audit_page(request, model=AssimilationPlacement, rows=page_obj)
    return render(
        request,
        "programmes/assimilation_list.html",
        {
            "page_obj": page_obj,
            "query": query,
            "status": filters["status"],
            "statuses": PlacementStatus.choices,
            "can_create": user_can(request.user, Perm.ASSIMILATION_MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assimilation_create(request):
    if not user_can(request.user, Perm.ASSIMILATION_MANAGE):
        raise Http404
    inmates = selectors.assimilation_candidates(user=request.user)
    programmes = selectors.programme_list(
        user=request.user, filters={"pillar": Pillar.ASIMILASI}, perm=Perm.ASSIMILATION_MANAGE
    ).filter(status__in=["planned", "running"])
    initial = {}
    if inmate_id := request.GET.get("wbp"):
        initial["inmate"] = inmate_id
    form = AssimilationForm(
        request.POST or None, inmates=inmates, programmes=programmes, initial=initial
    )
    checks = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            placement = services.assimilation_placement_create(by=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            checks = eligibility.assimilation_eligibility(
                inmate=data["inmate"], on=data["start_date"]
            )
        else:
            messages.success(request, _("Penempatan asimilasi dicatat."))
            return redirect("programmes:assimilation_detail", pk=placement.pk)
    return render(request, "programmes/assimilation_form.html", {"form": form, "checks": checks})


@login_required
def assimilation_detail(request, pk):
    placement = selectors.assimilation_get(user=request.user, pk=pk)
    logs = list(placement.logs.select_related("checked_out_by", "checked_in_by")[:60])
    audit_detail(request, placement)
    return render(
        request,
        "programmes/assimilation_detail.html",
        {
            "placement": placement,
            "logs": logs,
            "out_now": next((log for log in logs if log.checked_in_at is None), None),
            "can_manage": user_can(request.user, Perm.ASSIMILATION_MANAGE, placement.facility),
        },
    )


@login_required
@require_POST
def assimilation_log(request, pk):
    placement = selectors.assimilation_get(user=request.user, pk=pk, perm=Perm.ASSIMILATION_MANAGE)
    action = (
        services.assimilation_check_in
        if request.POST.get("action") == "in"
        else services.assimilation_check_out
    )
    try:
        action(placement=placement, note=request.POST.get("note", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Dicatat."))
    return redirect("programmes:assimilation_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def assimilation_end(request, pk):
    placement = selectors.assimilation_get(user=request.user, pk=pk, perm=Perm.ASSIMILATION_MANAGE)
    form = PlacementEndForm(request.POST or None)
    return _action(
        request,
        form,
        perform=lambda d: services.assimilation_placement_end(
            placement=placement, on=d["on"], reason=d["reason"], by=request.user
        ),
        success=_("Penempatan asimilasi diakhiri."),
        done_url=reverse("programmes:assimilation_detail", args=[pk]),
        context={"title": _("Akhiri penempatan asimilasi"), "intro": str(placement)},
    )
