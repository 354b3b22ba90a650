import json
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from rutan.core import exports, freshness, panels
from rutan.core.forms import add_service_errors
from rutan.core.pagination import CappedPaginator
from rutan.core.roles import Perm
from rutan.core.scoping import get_scoped_or_404, loaded_facility_id, user_can
from rutan.core.views import audit_page, save_unless_stale
from rutan.facilities.models import Facility
from rutan.facilities.selectors import block_list, facility_list

from . import selectors, services, subject
from .forms import (
    CustodyAlertFilterForm,
    DetentionForm,
    DisciplinaryCloseForm,
    DisciplinaryForm,
    InmateFilterForm,
    InmateForm,
    MoveBlockForm,
    ReleaseForm,
    RemisiForm,
    RemoveForm,
    TransferForm,
    VerdictForm,
)
from .models import DetentionPeriod, DisciplinaryEntry, Inmate, RemisiGrant, Verdict

PAGE_SIZE = 25

INMATE_COLUMNS = [
    exports.Column(gettext_lazy("Nama"), lambda i: i.name),
    exports.Column(gettext_lazy("No. registrasi"), lambda i: i.registration_number),
    exports.Column(gettext_lazy("UPT"), lambda i: i.facility.name),
    exports.Column(gettext_lazy("Blok"), lambda i: i.block.name if i.block else ""),
    exports.Column(gettext_lazy("Jenis kelamin"), lambda i: i.get_sex_display()),
    exports.Column(gettext_lazy("Status hukum"), lambda i: i.get_legal_status_display()),
    exports.Column(gettext_lazy("Perkara"), lambda i: i.get_case_category_display()),
    exports.Column(gettext_lazy("Tahap"), lambda i: i.get_stage_display()),
    exports.Column(gettext_lazy("Tanggal masuk"), lambda i: i.admission_date),
    exports.Column(gettext_lazy("Perkiraan bebas"), lambda i: i.expected_release_date),
    exports.Column(gettext_lazy("Status"), lambda i: i.get_status_display()),
]


REGISTER_ROWS = "inmates/includes/inmate_list_content.html"


@login_required
def inmate_list(request):
    """The register: its filter, one page of rows and the export links.

    The rendered page is cached until a record of the facilities it reads changes
    (rutan.core.freshness), per scope (where the user may see and manage inmates), address,
    facility dates and language; every page shown is audited, from the cache or not."""
    if request.GET.get(exports.FORMAT_PARAM):
        return _register(request)
    shown = freshness.cached_for_scope(
        "register",
        user=request.user,
        perms=[Perm.INMATE_VIEW, Perm.INMATE_MANAGE],
        query=request.GET,
        compute=lambda: _register(request),
    )
    audit_page(request, model=Inmate, rows=(), ids=shown["ids"], facility_id=shown["facility_id"])
    return render(request, "inmates/inmate_list.html", {"html": shown["html"]})


def _register(request):
    """The register's rows rendered, with the ids shown (for the audit); or the download
    asked for."""
    facilities = facility_list(user=request.user, perm=Perm.INMATE_VIEW)
    # A national user reaches hundreds of facilities: the filter reads them as plain rows.
    options = list(
        facilities.order_by("name", "id").values_list("id", "name", "regional_office__name")
    )
    if not options:
        raise Http404
    form = InmateFilterForm(
        request.GET or None,
        facilities=facilities,
        options=options,
        blocks=block_list(user=request.user),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    inmates = selectors.inmate_list(user=request.user, filters=filters)
    download = exports.list_export(
        request,
        form=form,
        filters=filters,
        facilities=facilities,
        queryset=inmates,
        columns=INMATE_COLUMNS,
        name="register",
        title=_("Register WBP"),
        tz_of=exports.facility_tz(),
    )
    if download is not None:
        return download
    page = CappedPaginator(inmates, PAGE_SIZE)
    page_obj = page.get_page(request.GET.get("page"))
    rows = list(page_obj)
    shared = {loaded_facility_id(row) for row in rows}
    # Register and import buttons: for each facility the user manages, or, past three (a
    # Kanwil, the directorate), for the facility picked in the filter only.
    creatable = facility_list(user=request.user, perm=Perm.INMATE_MANAGE).order_by("name")
    choose_to_create = creatable[:4].count() > 3
    if choose_to_create:
        chosen = filters.get("facility")
        creatable = creatable.filter(pk=chosen.pk) if chosen is not None else creatable.none()
    can_create = list(creatable)
    html = render_to_string(
        REGISTER_ROWS,
        {
            "form": form,
            "page_obj": page_obj,
            "query": exports.page_query(request),
            "params": request.GET,
            "can_create": can_create,
            "choose_to_create": choose_to_create and not can_create,
            "show_facility": len(options) > 1,
        },
    )
    return {
        "html": html,
        "ids": [row.pk for row in rows],
        "facility_id": shared.pop() if len(shared) == 1 else None,
    }


@login_required
def inmate_detail(request, pk):
    inmate = selectors.inmate_get(user=request.user, pk=pk)
    services.inmate_record_read(inmate=inmate, by=request.user, via="web")
    user = request.user
    return render(
        request,
        "inmates/inmate_detail.html",
        {
            "inmate": inmate,
            "timeline": selectors.inmate_timeline(inmate=inmate),
            "custody": selectors.custody_record(inmate=inmate),
            "disciplinary": selectors.disciplinary_list(inmate=inmate),
            "can_manage": user_can(user, Perm.INMATE_MANAGE, inmate.facility),
            "can_move": user_can(user, Perm.INMATE_MOVE, inmate.facility),
            "can_discipline": user_can(user, Perm.DISCIPLINE_MANAGE, inmate.facility),
            "can_export_subject": user_can(user, Perm.AUDIT_VIEW, inmate.facility),
            "panels": panels.render("inmate_detail", request, inmate),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def inmate_create(request, facility_pk):
    facility = get_scoped_or_404(
        Facility.objects.all(), request.user, Perm.INMATE_MANAGE, pk=facility_pk
    )
    form = InmateForm(request.POST or None, facility=facility)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("detention_")}
        try:
            inmate = services.inmate_create(
                facility=facility, by=request.user, detention=form.detention(), **data
            )
        except ValidationError as exc:
            add_service_errors(form, _prefixed(exc, "detention_", DetentionForm.base_fields))
        else:
            messages.success(request, _("WBP %(name)s terdaftar.") % {"name": inmate.name})
            return redirect("inmates:detail", pk=inmate.pk)
    return render(request, "inmates/inmate_form.html", {"form": form, "facility": facility})


@login_required
@require_http_methods(["GET", "POST"])
def inmate_update(request, pk):
    inmate = selectors.inmate_get(user=request.user, pk=pk, perm=Perm.INMATE_MANAGE)
    form = InmateForm(request.POST or None, instance=inmate, facility=inmate.facility)
    if request.method == "POST" and form.is_valid():
        outcome = save_unless_stale(
            request,
            form,
            inmate,
            save=lambda current, data: services.inmate_update(
                inmate=current, by=request.user, **data
            ),
            fresh_form=lambda current: InmateForm(instance=current, facility=current.facility),
        )
        if outcome.saved:
            messages.success(request, _("Data WBP disimpan."))
            return redirect("inmates:detail", pk=pk)
        form, inmate = outcome.form, outcome.record
    return render(
        request,
        "inmates/inmate_form.html",
        {"form": form, "facility": inmate.facility, "inmate": inmate},
    )


def _prefixed(exc: ValidationError, prefix: str, names) -> ValidationError:
    """The service's errors on the first warrant, keyed as the registration form names them."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {(prefix + k if k in names else k): v for k, v in exc.error_dict.items()}
    )


def _inmate_action(request, inmate, form, *, perform, success, title):
    """Shared flow of the register actions: validate, call the service, report, redirect.

    After the action the user returns to the inmate, or to the list when the inmate has
    left their scope (a transfer out of their facility).
    """
    if request.method == "POST" and form.is_valid():
        try:
            perform(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            inmate.refresh_from_db(fields=["facility"])
            if user_can(request.user, Perm.INMATE_VIEW, inmate.facility_id):
                return redirect("inmates:detail", pk=inmate.pk)
            return redirect("inmates:list")
    return render(
        request, "inmates/inmate_action.html", {"form": form, "inmate": inmate, "title": title}
    )


@login_required
@require_http_methods(["GET", "POST"])
def inmate_move_block(request, pk):
    inmate = selectors.inmate_get(user=request.user, pk=pk, perm=Perm.INMATE_MOVE)
    form = MoveBlockForm(request.POST or None, inmate=inmate)
    return _inmate_action(
        request,
        inmate,
        form,
        title=_("Pindah blok"),
        success=_("Penempatan blok dicatat."),
        perform=lambda d: services.inmate_move_block(
            inmate=inmate, block=d["block"], on=d["on"], by=request.user
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def inmate_transfer(request, pk):
    inmate = selectors.inmate_get(user=request.user, pk=pk, perm=Perm.INMATE_MOVE)
    form = TransferForm(request.POST or None, inmate=inmate)
    return _inmate_action(
        request,
        inmate,
        form,
        title=_("Pindah ke UPT lain"),
        success=_("%(name)s dipindahkan.") % {"name": inmate.name},
        perform=lambda d: services.inmate_transfer(
            inmate=inmate,
            to_facility=d["to_facility"],
            on=d["on"],
            by=request.user,
            registration_number=d["registration_number"],
            note=d["note"],
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def inmate_release(request, pk):
    inmate = selectors.inmate_get(user=request.user, pk=pk, perm=Perm.INMATE_MOVE)
    form = ReleaseForm(request.POST or None)
    return _inmate_action(
        request,
        inmate,
        form,
        title=_("Pembebasan"),
        success=_("%(name)s dicatat bebas.") % {"name": inmate.name},
        perform=lambda d: services.inmate_release(
            inmate=inmate, on=d["on"], kind=d["kind"], by=request.user
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def detention_add(request, pk):
    inmate = selectors.inmate_get(user=request.user, pk=pk, perm=Perm.INMATE_MANAGE)
    form = DetentionForm(request.POST or None)
    return _inmate_action(
        request,
        inmate,
        form,
        title=_("Catat surat penahanan"),
        success=_("Surat penahanan dicatat; tanggal-tanggal dihitung ulang."),
        perform=lambda d: services.detention_add(inmate=inmate, by=request.user, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def verdict_record(request, pk):
    inmate = selectors.inmate_get(user=request.user, pk=pk, perm=Perm.INMATE_MANAGE)
    form = VerdictForm(request.POST or None)
    return _inmate_action(
        request,
        inmate,
        form,
        title=_("Catat putusan"),
        success=_("Putusan dicatat: %(name)s kini narapidana.") % {"name": inmate.name},
        perform=lambda d: services.verdict_record(inmate=inmate, by=request.user, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def remisi_create(request, pk):
    inmate = selectors.inmate_get(user=request.user, pk=pk, perm=Perm.INMATE_MANAGE)
    form = RemisiForm(request.POST or None)
    return _inmate_action(
        request,
        inmate,
        form,
        title=_("Catat remisi"),
        success=_("Remisi dicatat; perkiraan bebas dan tanggal hak dihitung ulang."),
        perform=lambda d: services.remisi_grant_create(inmate=inmate, by=request.user, **d),
    )


def _remove(request, inmate, *, entry, what, perform):
    form = RemoveForm(request.POST or None)
    return _inmate_action(
        request,
        inmate,
        form,
        title=_("Batalkan %(what)s: %(entry)s") % {"what": what, "entry": entry},
        success=_("%(what)s dibatalkan; tanggal-tanggal dihitung ulang.") % {"what": what},
        perform=lambda d: perform(by=request.user, reason=d["reason"]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def detention_remove(request, pk, entry_pk):
    inmate = selectors.inmate_get(user=request.user, pk=pk, perm=Perm.INMATE_MANAGE)
    period = get_object_or_404(DetentionPeriod, pk=entry_pk, inmate=inmate)
    return _remove(
        request,
        inmate,
        entry=period.warrant_number,
        what=_("surat penahanan"),
        perform=lambda **kw: services.detention_remove(period=period, **kw),
    )


@login_required
@require_http_methods(["GET", "POST"])
def remisi_remove(request, pk, entry_pk):
    inmate = selectors.inmate_get(user=request.user, pk=pk, perm=Perm.INMATE_MANAGE)
    grant = get_object_or_404(RemisiGrant, pk=entry_pk, inmate=inmate)
    return _remove(
        request,
        inmate,
        entry=grant.decree_number,
        what=_("remisi"),
        perform=lambda **kw: services.remisi_grant_remove(grant=grant, **kw),
    )


@login_required
@require_http_methods(["GET", "POST"])
def verdict_remove(request, pk):
    inmate = selectors.inmate_get(user=request.user, pk=pk, perm=Perm.INMATE_MANAGE)
    verdict = get_object_or_404(Verdict, inmate=inmate)
    return _remove(
        request,
        inmate,
        entry=verdict.number,
        what=_("putusan"),
        perform=lambda **kw: services.verdict_remove(verdict=verdict, **kw),
    )


@login_required
def custody_alerts(request):
    facilities = facility_list(user=request.user, perm=Perm.INMATE_VIEW)
    if not facilities:
        raise Http404
    form = CustodyAlertFilterForm(request.GET or None, facilities=facilities)
    if form.is_bound and not form.is_valid():
        # Another facility's id, or no id at all, answers like an unknown page.
        raise Http404
    filters = form.cleaned_data if form.is_bound else {}
    facility, level = filters.get("facility"), filters.get("level") or ""
    alerts = selectors.custody_alerts(user=request.user, facility=facility, level=level)
    audit_page(request, model=Inmate, rows=[alert.inmate for alert in alerts])
    return render(
        request,
        "inmates/custody_alerts.html",
        {
            "alerts": alerts,
            "facility": facility,
            "level": level,
            "levels": selectors.ALERT_LEVELS,
            "show_facility": facility is None and len(facilities) > 1,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def disciplinary_create(request, pk):
    inmate = selectors.inmate_get(user=request.user, pk=pk, perm=Perm.DISCIPLINE_MANAGE)
    form = DisciplinaryForm(request.POST or None)
    return _inmate_action(
        request,
        inmate,
        form,
        title=_("Catat register F"),
        success=_("Catatan register F disimpan."),
        perform=lambda d: services.disciplinary_create(inmate=inmate, by=request.user, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def disciplinary_close(request, pk, entry_pk):
    inmate = selectors.inmate_get(user=request.user, pk=pk, perm=Perm.DISCIPLINE_MANAGE)
    entry = get_object_or_404(DisciplinaryEntry, pk=entry_pk, inmate=inmate)
    form = DisciplinaryCloseForm(request.POST or None)
    return _inmate_action(
        request,
        inmate,
        form,
        title=_("Tutup register F"),
        success=_("Catatan register F ditutup."),
        perform=lambda d: services.disciplinary_close(entry=entry, on=d["on"], by=request.user),
    )


@login_required
def facility_index(request):
    facilities = (
        facility_list(user=request.user)
        .annotate(
            population=Count("inmates", filter=Q(inmates__status="active")),
        )
        .prefetch_related("blocks")
    )
    return render(request, "inmates/facility_list.html", {"facilities": facilities})


@login_required
def facility_detail(request, pk):
    facility = get_scoped_or_404(
        Facility.objects.select_related("regional_office"), request.user, Perm.FACILITY_VIEW, pk=pk
    )
    blocks = facility.blocks.annotate(
        population=Count("inmates", filter=Q(inmates__status="active"))
    )
    population = sum(b.population for b in blocks)
    unplaced = (
        selectors.inmate_list(user=request.user, filters={"facility": facility})
        .filter(block__isnull=True)
        .count()
        if user_can(request.user, Perm.INMATE_VIEW, facility)
        else 0
    )
    return render(
        request,
        "inmates/facility_detail.html",
        {
            "facility": facility,
            "blocks": blocks,
            "population": population + unplaced,
            "unplaced": unplaced,
            "can_view_inmates": user_can(request.user, Perm.INMATE_VIEW, facility),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def inmate_subject_export(request, pk):
    """Ekspor data subjek: everything held about one inmate, as JSON or PDF (audited)."""
    inmate = get_scoped_or_404(Inmate.objects.all(), request.user, Perm.AUDIT_VIEW, pk=pk)
    if request.method == "POST":
        kind = request.POST.get("format")
        if kind not in ("json", "pdf"):
            messages.error(request, _("Pilih format ekspor: JSON atau PDF."))
            return redirect("inmates:subject_export", pk=inmate.pk)
        data = subject.subject_access_export(inmate=inmate, by=request.user)
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", inmate.registration_number).strip("-") or "wbp"
        name = f"data-subjek-{name}-{timezone.localdate():%Y%m%d}.{kind}"
        if kind == "json":
            body = json.dumps(data, ensure_ascii=False, indent=2)
            response = HttpResponse(body, content_type="application/json; charset=utf-8")
        else:
            response = HttpResponse(
                subject.subject_access_pdf(data), content_type="application/pdf"
            )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "inmates/subject_export.html", {"inmate": inmate})
