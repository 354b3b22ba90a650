import datetime
import functools

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from rutan.core import exports as list_exports
from rutan.core.concurrency import lock_current, row_version
from rutan.core.forms import add_service_errors
from rutan.core.roles import Perm
from rutan.core.scoping import get_scoped_or_404, user_can
from rutan.core.views import audit_detail, audit_file, audit_page, save_unless_stale
from rutan.facilities.selectors import facility_list

from . import exports, selectors, services
from .forms import (
    ActivityLogForm,
    BulkApproveForm,
    EvaluationForm,
    InternCreateForm,
    LogbookPeriodForm,
    LogFilterForm,
    ReviewForm,
    ReviewQueueFilterForm,
)
from .models import ActivityLog, Batch, Intern, LogStatus

PAGE_SIZE = 25


LOG_COLUMNS = [
    list_exports.Column(gettext_lazy("Tanggal"), lambda log: log.on),
    list_exports.Column(gettext_lazy("Peserta"), lambda log: str(log.intern.user)),
    list_exports.Column(gettext_lazy("Mulai"), lambda log: log.start_time),
    list_exports.Column(gettext_lazy("Selesai"), lambda log: log.end_time),
    list_exports.Column(gettext_lazy("Jam"), lambda log: log.hours),
    list_exports.Column(gettext_lazy("Jenis kegiatan"), lambda log: log.get_log_type_display()),
    list_exports.Column(
        gettext_lazy("Tempat"),
        lambda log: ", ".join(x for x in [log.block.name if log.block else "", log.place] if x),
    ),
    list_exports.Column(gettext_lazy("Orang terlayani"), lambda log: log.people_reached),
    list_exports.Column(gettext_lazy("Uraian"), lambda log: log.description),
    list_exports.Column(gettext_lazy("Temuan"), lambda log: log.findings),
    list_exports.Column(gettext_lazy("Foto"), lambda log: log.photo_count),
    list_exports.Column(gettext_lazy("Status"), lambda log: log.get_status_display()),
    list_exports.Column(gettext_lazy("Ditinjau"), lambda log: log.reviewed_at),
    list_exports.Column(gettext_lazy("Catatan mentor"), lambda log: log.review_comment),
]


def _page(request, qs):
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return page_obj, list_exports.page_query(request)


def _logs_export(request, fmt, logs, *, intern, filters):
    return list_exports.export_response(
        request=request,
        fmt=fmt,
        queryset=logs,
        columns=LOG_COLUMNS,
        name="kegiatan-magang",
        title=_("Kegiatan magang"),
        filters=filters | {"intern": intern},
        facility_id=intern.batch.facility_id,
        tz_of=list_exports.facility_tz("intern__batch__facility"),
    )


def _local_time(moment, intern) -> str:
    return timezone.localtime(moment, intern.facility.tzinfo).strftime("%H:%M")


def _own_intern(request):
    intern = selectors.intern_for_user(user=request.user)
    if intern is None:
        raise Http404
    return intern


@login_required
def home(request):
    """The intern's own page: today's attendance, their logs; staff go to the intern list."""
    intern = selectors.intern_for_user(user=request.user)
    if intern is None:
        if user_can(request.user, Perm.INTERN_VIEW):
            return redirect("interns:intern_list")
        raise Http404
    today = intern.batch.facility.today()
    filter_form = LogFilterForm(request.GET or None)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    logs = selectors.log_list(user=request.user, filters=filters | {"intern": intern})
    if fmt := list_exports.requested_format(request):
        if filter_form.errors:
            return list_exports.invalid_filters_response(request, filter_form)
        return _logs_export(request, fmt, logs, intern=intern, filters=filters)
    page_obj, query = _page(request, logs)
    audit_page(request, model=ActivityLog, rows=page_obj, within={"intern": intern.pk})
    return render(
        request,
        "interns/home.html",
        {
            "intern": intern,
            "today": today,
            "attendance": intern.attendance.filter(on=today).first(),
            "returned": logs.filter(status=LogStatus.RETURNED).count() if not filters else 0,
            "filter_form": filter_form,
            "page_obj": page_obj,
            "query": query,
            "month": LogbookPeriodForm.month_of(today),
        },
    )


@login_required
@require_POST
def attendance(request):
    intern = _own_intern(request)
    try:
        if request.POST.get("action") == "out":
            record = services.attendance_check_out(intern=intern, by=request.user)
            messages.success(
                request,
                _("Pulang tercatat pukul %(t)s.") % {"t": _local_time(record.check_out, intern)},
            )
        else:
            record = services.attendance_check_in(intern=intern, by=request.user)
            messages.success(
                request,
                _("Kedatangan tercatat pukul %(t)s.") % {"t": _local_time(record.check_in, intern)},
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("interns:home")


def _save_log(request, intern, form, log):
    """Save the form's log as a draft, or save and submit it when asked (the service's one
    transaction: a refused submission changes nothing and says every problem at once)."""
    submit = request.POST.get("action") == "submit"
    photos = form.cleaned_data.get("photos") or []
    save = services.log_save_and_submit if submit else services.log_save_draft
    try:
        log = save(
            intern=intern,
            by=request.user,
            log=log,
            client_key=form.cleaned_data["client_key"] if log is None else None,
            data=form.log_data(),
            photos=photos,
            remove_photo_ids=form.cleaned_data.get("remove_photos") or [],
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        if submit:
            form.add_error(None, _("Catatan belum diajukan dan tidak ada yang diubah."))
        if photos:
            form.add_error(None, _("Pilih foto lagi sebelum menyimpan: foto tidak ikut tersimpan."))
        return None
    if submit:
        messages.success(request, _("Catatan kegiatan diajukan ke mentor."))
    else:
        messages.success(request, _("Draf tersimpan."))
    return log


@login_required
@require_http_methods(["GET", "POST"])
def log_create(request):
    intern = _own_intern(request)
    form = ActivityLogForm(
        request.POST or None,
        request.FILES or None,
        instance=ActivityLog(intern=intern),
        intern=intern,
    )
    if request.method == "POST" and form.is_valid():
        log = _save_log(request, intern, form, None)
        if log is not None:
            return redirect("interns:log_detail", pk=log.pk)
        existing = ActivityLog.objects.filter(
            intern=intern, client_key=form.cleaned_data["client_key"]
        ).first()
        if existing is not None:
            form.instance = existing
    return render(request, "interns/log_form.html", {"form": form, "intern": intern})


@login_required
@require_http_methods(["GET", "POST"])
def log_edit(request, pk):
    log = selectors.own_log_get(user=request.user, pk=pk)
    if not log.is_editable:
        messages.error(request, _("Catatan yang sudah diajukan atau disetujui tidak dapat diubah."))
        return redirect("interns:log_detail", pk=pk)
    intern = log.intern
    form = ActivityLogForm(request.POST or None, request.FILES or None, instance=log, intern=intern)
    if request.method == "POST" and form.is_valid():
        outcome = save_unless_stale(
            request,
            form,
            log,
            save=lambda current, data: _save_log(request, intern, form, current),
            fresh_form=lambda current: ActivityLogForm(instance=current, intern=intern),
        )
        if outcome.result is not None:
            return redirect("interns:log_detail", pk=outcome.result.pk)
        form, log = outcome.form, outcome.record
    return render(request, "interns/log_form.html", {"form": form, "intern": intern, "log": log})


# The fields that make a draft worth keeping.
DRAFT_CONTENT = ("log_type", "description", "place", "findings", "hours", "start_time", "end_time")


def _autosave_draft(request, intern, log, form, data):
    """Save what can be kept of the draft: fields the service refuses (a date in the future,
    outside the batch) are left as they were, and their messages returned."""
    if log is None and not any(data.get(k) for k in DRAFT_CONTENT):
        # Nothing typed yet (the date comes filled in): no empty draft is made.
        return None, []
    save = functools.partial(
        services.log_save_draft,
        intern=intern,
        by=request.user,
        log=log,
        client_key=None if log else form.cleaned_data["client_key"],
    )
    try:
        with transaction.atomic():
            return save(data=data), []
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        refused = {k: v for k, v in exc.message_dict.items() if k in data}
        if not refused or len(refused) < len(exc.message_dict):
            raise
    kept = {k: v for k, v in data.items() if k not in refused}
    return save(data=kept), [m for messages in refused.values() for m in messages]


@login_required
@require_POST
def log_autosave(request):
    """htmx: keep the draft on the server as the intern types. Photos are not sent here.

    Only the fields that are valid so far are saved; the reply is a short status line and,
    for a saved log, its new version, so that the form's next save is not taken as stale.
    A save over a change made elsewhere (another device) is refused like the form's.
    """
    intern = _own_intern(request)
    log = None
    if request.POST.get("log"):
        log = selectors.own_log_get(user=request.user, pk=request.POST["log"])
    form = ActivityLogForm(request.POST, instance=log or ActivityLog(intern=intern), intern=intern)
    form.is_valid()
    data = form.log_data() if hasattr(form, "cleaned_data") else {}
    status, version = 200, ""
    try:
        if log is None and "client_key" not in form.cleaned_data:
            raise ValidationError(_("Formulir tidak lengkap; muat ulang halaman."))
        with transaction.atomic():
            stale = log is not None and lock_current(log, form.cleaned_data.get("version", ""))[1]
            if not stale:
                saved, refused = _autosave_draft(request, intern, log, form, data)
        if stale:
            message = _(
                "Draf tidak disimpan: catatan ini sudah diubah di tempat lain. Muat ulang "
                "halaman untuk melihat isinya sekarang."
            )
            status = 200 if request.htmx else 409
        elif saved is None:
            message = _("Belum ada isian untuk disimpan.")
        else:
            version = row_version(saved) if log is not None else ""
            message = _("Draf tersimpan otomatis pukul %(t)s.") % {
                "t": _local_time(timezone.now(), intern)
            }
            if form.errors or refused:
                message += " " + _("Sebagian isian belum valid dan belum tersimpan.")
                if refused:
                    message += " " + " ".join(refused)
    except ValidationError as exc:
        message = _("Draf belum tersimpan: %(e)s") % {"e": " ".join(exc.messages)}
        status = 200 if request.htmx else 400
    return render(
        request,
        "interns/_autosave_status.html",
        {"message": message, "version": version},
        status=status,
    )


@login_required
def log_detail(request, pk):
    log = selectors.log_get(user=request.user, pk=pk)
    audit_detail(request, log)
    own = log.intern.user_id == request.user.pk
    can_review = log.awaiting_review and user_can(
        request.user, Perm.INTERN_REVIEW, log.intern.batch.facility_id
    )
    return render(
        request,
        "interns/log_detail.html",
        {
            "log": log,
            "own": own,
            "can_review": can_review,
            "review_form": ReviewForm(),
            "linked_assessments": selectors.log_linked_assessments(log=log, user=request.user),
            "can_follow_up": log.follow_up_id
            and user_can(request.user, Perm.FOLLOWUP_MANAGE, log.intern.batch.facility_id),
        },
    )


@login_required
@require_POST
def log_submit(request, pk):
    log = selectors.own_log_get(user=request.user, pk=pk)
    try:
        services.log_submit(log=log, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        if log.is_editable:
            return redirect("interns:log_edit", pk=pk)
    else:
        messages.success(request, _("Catatan kegiatan diajukan ke mentor."))
    return redirect("interns:log_detail", pk=pk)


@login_required
@require_POST
def log_review(request, pk):
    log = selectors.log_reviewable(
        user=request.user, log=selectors.log_get(user=request.user, pk=pk)
    )
    form = ReviewForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    try:
        if request.POST.get("action") == "return":
            services.log_return(log=log, by=request.user, comment=comment)
            messages.success(request, _("Catatan dikembalikan ke peserta."))
        else:
            services.log_approve(log=log, by=request.user, comment=comment)
            messages.success(request, _("Catatan disetujui."))
    except ValidationError as exc:
        add_service_errors(form, exc)
        return render(
            request,
            "interns/log_detail.html",
            {"log": log, "own": False, "can_review": True, "review_form": form},
            status=400,
        )
    return redirect("interns:review_queue")


@login_required
@require_http_methods(["GET", "POST"])
def review_queue(request):
    if not user_can(request.user, Perm.INTERN_REVIEW):
        raise Http404
    facilities = facility_list(user=request.user, perm=Perm.INTERN_REVIEW)
    facility_form = ReviewQueueFilterForm(request.GET or None, facilities=facilities)
    facility = facility_form.cleaned_data.get("facility") if facility_form.is_valid() else None
    queue = selectors.logs_awaiting_review(user=request.user, facility=facility)
    form = BulkApproveForm(request.POST if request.method == "POST" else None, queryset=queue)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.logs_bulk_approve(logs=form.cleaned_data["logs"], by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(n)s catatan disetujui.") % {"n": count})
            return redirect(request.get_full_path())
    page_obj, query = _page(request, queue)
    audit_page(request, model=ActivityLog, rows=page_obj)
    return render(
        request,
        "interns/review_queue.html",
        {
            "form": form,
            "filter_form": facility_form,
            "page_obj": page_obj,
            "query": query,
            "evaluations_due": selectors.evaluations_due(user=request.user),
        },
    )


@login_required
def photo(request, pk):
    item = selectors.photo_get(user=request.user, pk=pk)
    try:
        handle = item.image.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg")
    audit_file(request, item, file=f"foto-{item.pk}.jpg")
    return response


@login_required
def intern_list(request):
    if not user_can(request.user, Perm.INTERN_VIEW):
        raise Http404
    batches = selectors.batch_list(user=request.user)
    batch = None
    if request.GET.get("batch"):
        batch = get_scoped_or_404(
            Batch.objects.all(), request.user, Perm.INTERN_VIEW, pk=request.GET["batch"]
        )
    mine = request.GET.get("mine") == "1"
    interns = selectors.intern_list(user=request.user, filters={"batch": batch, "mine": mine})
    page_obj, query = _page(request, interns)
    audit_page(request, model=Intern, rows=page_obj)
    manageable = [b for b in batches if user_can(request.user, Perm.INTERN_MANAGE, b.facility_id)]
    return render(
        request,
        "interns/intern_list.html",
        {
            "batches": batches,
            "batch": batch,
            "mine": mine,
            "page_obj": page_obj,
            "query": query,
            "can_manage": manageable,
            "can_import": list({b.facility_id: b.facility for b in manageable}.values()),
            "queue_count": selectors.logs_awaiting_review(user=request.user).count()
            if user_can(request.user, Perm.INTERN_REVIEW)
            else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def intern_create(request, batch_pk):
    batch = get_scoped_or_404(
        Batch.objects.select_related("facility"), request.user, Perm.INTERN_MANAGE, pk=batch_pk
    )
    form = InternCreateForm(request.POST or None, batch=batch)
    if request.method == "POST" and form.is_valid():
        try:
            intern = services.intern_create(
                batch=batch,
                by=request.user,
                base_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Akun %(name)s dibuat; tautan pembuatan kata sandi dikirim ke %(email)s.")
                % {"name": intern.user, "email": intern.user.email},
            )
            return redirect("interns:intern_detail", pk=intern.pk)
    return render(request, "interns/intern_form.html", {"form": form, "batch": batch})


@login_required
@require_POST
def intern_resend_invite(request, pk):
    intern = selectors.intern_get(user=request.user, pk=pk, perm=Perm.INTERN_MANAGE)
    try:
        services.intern_send_invite(
            intern=intern, by=request.user, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Tautan kata sandi dikirim ulang."))
    return redirect("interns:intern_detail", pk=pk)


@login_required
def intern_detail(request, pk):
    intern = selectors.intern_get(user=request.user, pk=pk)
    if intern.user_id == request.user.pk and not user_can(
        request.user, Perm.INTERN_VIEW, intern.facility_id
    ):
        return redirect("interns:home")
    today = intern.batch.facility.today()
    period = LogbookPeriodForm.month_of(today)
    logs = selectors.log_list(user=request.user, filters={"intern": intern})
    if fmt := list_exports.requested_format(request):
        return _logs_export(request, fmt, logs, intern=intern, filters={})
    page_obj, query = _page(request, logs)
    audit_page(request, model=ActivityLog, rows=page_obj, within={"intern": intern.pk})
    start = max(intern.batch.start_on, today - datetime.timedelta(days=30))
    return render(
        request,
        "interns/intern_detail.html",
        {
            "intern": intern,
            "page_obj": page_obj,
            "query": query,
            "attendance": selectors.attendance_list(user=request.user, intern=intern)[:14],
            "missing_days": selectors.attendance_missing_days(
                intern=intern, start=start, end=today
            ),
            "evaluations": selectors.evaluation_list(intern=intern),
            "evaluations_due": [
                d
                for d in selectors.evaluations_due(user=request.user, on=today)
                if d.intern.pk == intern.pk
            ],
            "month": period,
            "can_review": user_can(request.user, Perm.INTERN_REVIEW, intern.facility_id),
            "can_manage": user_can(request.user, Perm.INTERN_MANAGE, intern.facility_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation(request, pk, year, month):
    intern = selectors.intern_get(user=request.user, pk=pk, perm=Perm.INTERN_REVIEW)
    try:
        month_start = datetime.date(year, month, 1)
    except ValueError as exc:
        raise Http404 from exc
    existing = intern.evaluations.filter(month=month_start).first()
    form = EvaluationForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        outcome = save_unless_stale(
            request,
            form,
            existing,
            save=lambda current, data: services.evaluation_save(
                intern=intern,
                month=month_start,
                by=request.user,
                **{k: data[k] for k in form.Meta.fields},
            ),
            fresh_form=lambda current: EvaluationForm(instance=current),
        )
        if outcome.saved:
            messages.success(request, _("Evaluasi bulanan disimpan."))
            return redirect("interns:intern_detail", pk=pk)
        form = outcome.form
    return render(
        request,
        "interns/evaluation_form.html",
        {"form": form, "intern": intern, "month": month_start},
    )


def _logbook_period(request, intern):
    form = LogbookPeriodForm(request.GET or None)
    if request.GET and form.is_valid():
        return form.cleaned_data["start"], form.cleaned_data["end"]
    if request.GET:
        raise ValidationError(" ".join(e for errs in form.errors.values() for e in errs))
    period = LogbookPeriodForm.month_of(intern.batch.facility.today())
    return period["start"], period["end"]


@login_required
def logbook_export(request, pk, fmt):
    intern = selectors.intern_get(user=request.user, pk=pk)
    try:
        start, end = _logbook_period(request, intern)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(
            "interns:home" if intern.user_id == request.user.pk else "interns:intern_detail",
            **({} if intern.user_id == request.user.pk else {"pk": pk}),
        )
    logs = list(selectors.logbook(intern=intern, start=start, end=end))
    name = f"logbook-{intern.user.username}-{start:%Y%m%d}-{end:%Y%m%d}"
    if fmt == "pdf":
        content = exports.logbook_pdf(intern=intern, logs=logs, start=start, end=end)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    else:
        content = exports.logbook_xlsx(intern=intern, logs=logs, start=start, end=end)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    audit_file(request, intern, file=f"{name}.{fmt}")
    return response


@login_required
def batch_summary(request, pk):
    batch = get_scoped_or_404(
        Batch.objects.select_related("facility"), request.user, Perm.INTERN_VIEW, pk=pk
    )
    asked = "start" in request.GET or "end" in request.GET
    form = LogbookPeriodForm(request.GET if asked else None)
    if asked and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        start, end = batch.start_on, min(batch.end_on, batch.facility.today())
        if not asked:
            form = LogbookPeriodForm(initial={"start": start, "end": end})
    summary = selectors.batch_summary(batch=batch, start=start, end=end)
    if request.GET.get("format") == "xlsx" and not form.errors:
        response = HttpResponse(
            exports.summary_xlsx(batch=batch, summary=summary, start=start, end=end),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="ringkasan-magang-{batch.pk}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
        )
        return response
    query = request.GET.copy()
    query["start"], query["end"] = start.isoformat(), end.isoformat()
    query["format"] = "xlsx"
    return render(
        request,
        "interns/batch_summary.html",
        {
            "batch": batch,
            "form": form,
            "summary": summary,
            "start": start,
            "end": end,
            "xlsx_query": query.urlencode(),
            "can_import": user_can(request.user, Perm.INTERN_MANAGE, batch.facility_id),
        },
    )


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The one-time link from the invitation e-mail: the intern chooses their password."""

    template_name = "interns/set_password.html"
    success_url = reverse_lazy("interns:set_password_done")


class SetPasswordDoneView(auth_views.PasswordResetCompleteView):
    template_name = "interns/set_password_done.html"
