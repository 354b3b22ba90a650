from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from rutan.core.forms import add_service_errors
from rutan.core.roles import Perm
from rutan.core.scoping import get_scoped_or_404
from rutan.core.views import audit_detail, audit_page
from rutan.facilities.models import Facility

from . import engine, selectors, services
from .forms import ColumnMappingForm, ImportUploadForm
from .models import DataImport, ImportStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kind(name: str) -> engine.ImportKind:
    if name not in engine.KINDS:
        raise Http404
    return engine.kind_get(name)


@login_required
@require_http_methods(["GET"])
def import_index(request, facility_pk):
    """What the user may import into one facility, and the facility's recent imports."""
    facility = get_scoped_or_404(
        Facility.objects.all(), request.user, Perm.FACILITY_VIEW, pk=facility_pk
    )
    kinds = engine.kinds_for(request.user, facility)
    if not kinds:
        raise Http404
    recent = list(selectors.import_list(user=request.user, facility=facility)[:20])
    audit_page(request, model=DataImport, rows=recent, facility_id=facility.pk)
    return render(
        request,
        "imports/index.html",
        {"facility": facility, "kinds": kinds, "recent": recent},
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request, kind, facility_pk):
    kind = _kind(kind)
    facility = get_scoped_or_404(Facility.objects.all(), request.user, kind.perm, pk=facility_pk)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            data_import = services.import_create(
                kind=kind.name, facility=facility, by=request.user, file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("imports:detail", pk=data_import.pk)
    return render(
        request,
        "imports/start.html",
        {
            "form": form,
            "kind": kind,
            "facility": facility,
            "recent": selectors.import_list(user=request.user, facility=facility, kind=kind.name)[
                :10
            ],
        },
    )


@login_required
@require_http_methods(["GET"])
def import_template(request, kind, fmt):
    kind = _kind(kind)
    if fmt == "xlsx":
        response = HttpResponse(engine.template_xlsx(kind), content_type=XLSX)
    else:
        response = HttpResponse(engine.template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="templat-{kind.name}.{fmt}"'
    return response


def _detail_context(data_import) -> dict:
    kind = data_import.import_kind
    context = {"imp": data_import, "kind": kind, "facility": data_import.facility}
    if data_import.status in {ImportStatus.NEEDS_MAPPING, ImportStatus.PREVIEWED}:
        by_index, _ignored, _missing = engine.resolve_columns(
            kind, data_import.headers, data_import.facility
        )
        context["mapping_form"] = ColumnMappingForm(
            headers=data_import.headers,
            kind=kind,
            initial={f"column_{i}": name for i, name in by_index.items()},
        )
    context["summary_labels"] = [kind.column(name).label for name in kind.summary]
    context["progress"] = engine.progress_of(data_import)
    return context


@login_required
@require_http_methods(["GET"])
def import_detail(request, pk):
    data_import = selectors.import_get(user=request.user, pk=pk)
    audit_detail(request, data_import)
    return render(request, "imports/detail.html", _detail_context(data_import))


@login_required
@require_http_methods(["GET"])
def import_progress(request, pk):
    """The progress block alone; htmx polls it and reloads the page once the run is over."""
    data_import = selectors.import_get(user=request.user, pk=pk)
    if not data_import.is_busy and request.htmx:
        return HttpResponseClientRefresh()
    return render(
        request,
        "imports/includes/progress.html",
        {"imp": data_import, "progress": engine.progress_of(data_import)},
    )


@login_required
@require_http_methods(["POST"])
def import_map(request, pk):
    data_import = selectors.import_get(user=request.user, pk=pk)
    form = ColumnMappingForm(
        request.POST, headers=data_import.headers, kind=data_import.import_kind
    )
    if form.is_valid():
        try:
            services.import_map(data_import=data_import, by=request.user, columns=form.columns())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("imports:detail", pk=pk)


@login_required
@require_http_methods(["POST"])
def import_confirm(request, pk):
    data_import = selectors.import_get(user=request.user, pk=pk)
    try:
        services.import_confirm(data_import=data_import, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("imports:detail", pk=pk)
