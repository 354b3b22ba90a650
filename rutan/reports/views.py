from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rutan.core import heartbeat
from rutan.core.forms import add_service_errors
from rutan.core.roles import Perm
from rutan.core.scoping import user_can

from . import selectors, services
from .forms import JobFilterForm, ReportFilterForm, ReportRequestForm
from .models import ReportScope, ReportStatus

PAGE_SIZE = 25


def _can_request(user, run) -> bool:
    if run.scope == ReportScope.FACILITY:
        return user_can(user, Perm.REPORT_REQUEST, run.facility)
    regions = selectors.region_ids_for(user, Perm.REPORT_REQUEST)
    return regions is None or run.regional_office_id in regions


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request):
    if not user_can(request.user, Perm.REPORT_VIEW):
        raise Http404
    facilities, regions = selectors.requestable_targets(user=request.user)
    request_form = None
    if facilities or regions:
        request_form = ReportRequestForm(
            request.POST or None, facilities=facilities, regions=regions
        )
    if request.method == "POST":
        if request_form is None:
            raise Http404
        if request_form.is_valid():
            data = request_form.cleaned_data
            try:
                run = services.report_run_request(
                    target=data["target"],
                    period=data["period"],
                    language=data["language"],
                    new_version=data["new_version"],
                    by=request.user,
                )
            except ValidationError as exc:
                add_service_errors(request_form, exc)
            else:
                messages.success(request, _request_message(run))
                return redirect("reports:detail", pk=run.pk)
    filter_form = ReportFilterForm(request.GET or None)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    page_obj = Paginator(
        selectors.report_run_list(user=request.user, filters=filters), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/report_list.html",
        {
            "page_obj": page_obj,
            "filter_form": filter_form,
            "request_form": request_form,
            "query": query.urlencode(),
        },
    )


@login_required
@require_GET
def report_detail(request, pk):
    run = selectors.report_run_get(user=request.user, pk=pk)
    return render(
        request,
        "reports/report_detail.html",
        {"run": run, "can_request": _can_request(request.user, run)},
    )


@login_required
@require_GET
def report_progress(request, pk):
    """The progress block alone; htmx polls it until the run is done or failed."""
    run = selectors.report_run_get(user=request.user, pk=pk)
    return render(
        request,
        "reports/includes/progress.html",
        {"run": run, "can_request": _can_request(request.user, run)},
    )


def _request_message(run) -> str:
    """What the request became by the time the page answers: a report built at once (a
    worker that was quick, or one already done) is not announced as queued."""
    run.refresh_from_db(fields=["status"])
    if run.status == ReportStatus.DONE:
        return _("Laporan %(run)s selesai dibuat.") % {"run": run}
    if run.status == ReportStatus.FAILED:
        return _("Laporan %(run)s gagal dibuat; lihat keterangannya di bawah.") % {"run": run}
    return _("Laporan %(run)s dalam antrean; kemajuannya tampil di bawah.") % {"run": run}


@login_required
@require_POST
def report_retry(request, pk):
    run = selectors.report_run_get(user=request.user, pk=pk)
    if not _can_request(request.user, run):
        raise Http404
    try:
        services.report_run_retry(run=run, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Laporan diantrekan ulang."))
    return redirect("reports:detail", pk=run.pk)


@login_required
@require_GET
def report_download(request, pk):
    """The PDF from private storage, only to someone whose scope holds the report."""
    run = selectors.report_run_get(user=request.user, pk=pk)
    if run.status != ReportStatus.DONE or not run.file:
        raise Http404
    services.report_run_record_download(run=run, by=request.user, via="web")
    return FileResponse(
        run.file.open("rb"),
        as_attachment=True,
        filename=run.download_name,
        content_type="application/pdf",
    )


@login_required
@require_GET
def job_list(request):
    if not user_can(request.user, Perm.REPORT_VIEW):
        raise Http404
    filter_form = JobFilterForm(request.GET or None)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    page_obj = Paginator(
        selectors.job_run_list(user=request.user, filters=filters), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/job_list.html",
        {
            "page_obj": page_obj,
            "filter_form": filter_form,
            "query": query.urlencode(),
            "background": heartbeat.summary(),
        },
    )
