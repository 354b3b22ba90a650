"""Staff pages for the facility's follow-up items ("Tindak lanjut")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from rutan.core import exports
from rutan.core.roles import Perm
from rutan.core.scoping import get_scoped_or_404, user_can
from rutan.core.views import audit_detail, audit_page, save_unless_stale
from rutan.facilities.models import FollowUpItem
from rutan.facilities.selectors import facility_list
from rutan.facilities.services import followup_update

from . import selectors
from .forms import FollowUpFilterForm, FollowUpForm
from .models import ActivityLog

PAGE_SIZE = 25

FOLLOWUP_COLUMNS = [
    exports.Column(gettext_lazy("Temuan"), lambda f: f.title),
    exports.Column(gettext_lazy("Sumber"), lambda f: f.get_source_display()),
    exports.Column(gettext_lazy("UPT"), lambda f: f.facility.name),
    exports.Column(gettext_lazy("Lokasi"), lambda f: f.place),
    exports.Column(gettext_lazy("Ditemukan"), lambda f: f.found_on),
    exports.Column(gettext_lazy("Penanggung jawab"), lambda f: str(f.owner or "")),
    exports.Column(gettext_lazy("Tenggat"), lambda f: f.due_on),
    exports.Column(gettext_lazy("Status"), lambda f: f.get_status_display()),
    exports.Column(gettext_lazy("Selesai pada"), lambda f: f.done_on),
    exports.Column(gettext_lazy("Penyelesaian"), lambda f: f.resolution),
]


@login_required
def followup_list(request):
    if not user_can(request.user, Perm.FOLLOWUP_MANAGE):
        raise Http404
    data = request.GET.copy()
    data.pop(exports.FORMAT_PARAM, None)  # a download of the bare page is of what it lists
    form = FollowUpFilterForm(data or {"status": "active"}, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {"status": "active"}
    items = selectors.followup_list(user=request.user, filters=filters)
    if fmt := exports.requested_format(request):
        if form.errors:
            return exports.invalid_filters_response(request, form)
        return exports.export_response(
            request=request,
            fmt=fmt,
            queryset=items,
            columns=FOLLOWUP_COLUMNS,
            name="tindak-lanjut",
            title=_("Tindak lanjut"),
            filters=filters,
            facility_id=exports.audit_facility_id(
                filters, facility_list(user=request.user, perm=Perm.FOLLOWUP_MANAGE)
            ),
        )
    page_obj = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_page(request, model=FollowUpItem, rows=page_obj)
    return render(
        request,
        "interns/followup_list.html",
        {"form": form, "page_obj": page_obj, "query": exports.page_query(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def followup_detail(request, pk):
    item = get_scoped_or_404(
        FollowUpItem.objects.select_related("facility", "owner", "created_by"),
        request.user,
        Perm.FOLLOWUP_MANAGE,
        pk=pk,
    )

    def followup_form(current, data=None):
        initial = {f: getattr(current, f) for f in ("due_on", "status", "resolution")}
        return FollowUpForm(data, item=current, initial=initial | {"owner": current.owner_id})

    form = followup_form(item, request.POST or None)
    if request.method == "GET":
        audit_detail(request, item)
    if request.method == "POST" and form.is_valid():
        outcome = save_unless_stale(
            request,
            form,
            item,
            save=lambda current, data: followup_update(item=current, by=request.user, **data),
            fresh_form=followup_form,
        )
        if outcome.saved:
            messages.success(request, _("Tindak lanjut disimpan."))
            return redirect("interns:followup_detail", pk=pk)
        form, item = outcome.form, outcome.record
    source_log = None
    if item.source_type == ActivityLog._meta.label_lower and item.source_id.isdigit():
        source_log = selectors.log_list(user=request.user).filter(pk=int(item.source_id)).first()
    return render(
        request,
        "interns/followup_detail.html",
        {"item": item, "form": form, "source_log": source_log},
    )
