"""The audit log for facility heads and data-protection officers: search by person, inmate,
object, action and dates; each entry's who, when, from where and before/after. Reading the
log is itself audited."""

import json

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import exports, selectors
from .forms import AuditFilterForm
from .models import AuditAction, AuditEntry
from .roles import Perm
from .scoping import facility_ids_for, user_can
from .services import audit_log_read

PAGE_SIZE = 50


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


AUDIT_COLUMNS = [
    exports.Column(gettext_lazy("Waktu"), lambda e: e.at),
    exports.Column(gettext_lazy("Pelaku"), lambda e: e.actor_name),
    exports.Column(gettext_lazy("Nama pengguna"), lambda e: e.actor_username),
    exports.Column(gettext_lazy("Tindakan"), lambda e: e.get_action_display()),
    exports.Column(gettext_lazy("Jenis objek"), lambda e: e.object_type),
    exports.Column(gettext_lazy("ID objek"), lambda e: e.object_id),
    exports.Column(gettext_lazy("Objek"), lambda e: e.object_repr),
    exports.Column(gettext_lazy("ID WBP"), lambda e: e.inmate_id),
    exports.Column(gettext_lazy("ID UPT"), lambda e: e.facility_id),
    exports.Column(gettext_lazy("Alamat IP"), lambda e: e.address),
    exports.Column(gettext_lazy("Melalui"), lambda e: e.via),
    exports.Column(gettext_lazy("Halaman"), lambda e: e.path),
    exports.Column(gettext_lazy("ID permintaan"), lambda e: e.request_id),
    exports.Column(gettext_lazy("Sebelum"), lambda e: _json(e.before)),
    exports.Column(gettext_lazy("Sesudah"), lambda e: _json(e.after)),
]


def _facilities(user) -> list:
    Facility = apps.get_model("facilities", "Facility")
    return list(Facility.objects.for_user(user, Perm.AUDIT_VIEW).order_by("name"))


def _object_labels() -> dict[str, str]:
    return dict(selectors.audit_object_types())


def _facility_of(filters: dict, facilities: list) -> int | None:
    if filters.get("facility"):
        return filters["facility"]
    return facilities[0].pk if len(facilities) == 1 else None


@login_required
def audit_list(request):
    if not user_can(request.user, Perm.AUDIT_VIEW):
        raise Http404
    facilities = _facilities(request.user)
    form = AuditFilterForm(
        request.GET or None,
        facilities=facilities,
        object_types=selectors.audit_object_types(),
        actions=AuditAction.choices,
    )
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entry_list(user=request.user, filters=filters)
    fmt = exports.requested_format(request)
    if fmt is not None:
        if form.errors:
            return exports.invalid_filters_response(request, form)
        return exports.export_response(
            request=request,
            fmt=fmt,
            queryset=entries,
            columns=AUDIT_COLUMNS,
            name="log-audit",
            title=_("Log audit"),
            filters=filters,
            facility_id=_facility_of(filters, facilities),
        )
    page_obj = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_log_read(
        by=request.user,
        after={
            "filters": exports.filters_for_audit(filters),
            "page": page_obj.number,
            "ids": [e.pk for e in page_obj],
        },
        facility_id=_facility_of(filters, facilities),
    )
    names = {f.pk: f.name for f in facilities}
    labels = _object_labels()
    for entry in page_obj:
        entry.facility_name = names.get(entry.facility_id, "")
        entry.object_label = labels.get(entry.object_type, entry.object_type)
    return render(
        request,
        "core/audit_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "query": exports.page_query(request),
            "show_facility": len(facilities) > 1
            or facility_ids_for(request.user, Perm.AUDIT_VIEW) is None,
        },
    )


@login_required
def audit_detail(request, pk):
    if not user_can(request.user, Perm.AUDIT_VIEW):
        raise Http404
    try:
        entry = selectors.audit_entry_get(user=request.user, pk=pk)
    except AuditEntry.DoesNotExist as exc:
        raise Http404 from exc
    audit_log_read(by=request.user, entry=entry)
    before, after = entry.before or {}, entry.after or {}
    single = not isinstance(before, dict) or not isinstance(after, dict)
    changes = (
        []
        if single
        else [
            {
                "key": key,
                "before": _json(before.get(key)),
                "after": _json(after.get(key)),
                "in_before": key in before,
                "in_after": key in after,
            }
            for key in sorted({*before, *after})
        ]
    )
    facility_name = ""
    if entry.facility_id:
        Facility = apps.get_model("facilities", "Facility")
        facility_name = (
            Facility.objects.filter(pk=entry.facility_id).values_list("name", flat=True).first()
            or ""
        )
    return render(
        request,
        "core/audit_detail.html",
        {
            "entry": entry,
            "changes": changes,
            "has_before": any(c["in_before"] for c in changes),
            "has_after": any(c["in_after"] for c in changes),
            "raw_before": _json(entry.before) if single else "",
            "raw_after": _json(entry.after) if single else "",
            "facility_name": facility_name,
            "object_label": _object_labels().get(entry.object_type, entry.object_type),
        },
    )
