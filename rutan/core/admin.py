import functools
import json

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import (
    NotRelationField,
    flatten_fieldsets,
    get_fields_from_path,
    unquote,
)
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import router, transaction
from django.db.models import Q
from django.http import (
    Http404,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from . import exports, services
from .concurrency import STALE_MESSAGE, lock_current
from .heartbeat import is_alive
from .models import (
    JOB_KIND_LABELS,
    AuditEntry,
    Heartbeat,
    JobRun,
    LiteracyLevel,
    OutboxMessage,
)
from .roles import Perm
from .scoping import facility_ids_for, is_national, user_can

# Past this many reachable facilities a list filter offers Kanwil instead of facilities.
FACILITY_FILTER_MAX = 50


class ScopedRelatedListFilter(admin.RelatedFieldListFilter):
    """A filter on a relation (facility, batch, programme…) that offers only the rows the
    user may reach: the choices would otherwise name every facility's records."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        reachable = field.related_model._default_manager.for_user(
            request.user, model_admin.view_perm
        )
        return field.get_choices(
            include_blank=False,
            ordering=ordering,
            limit_choices_to={"pk__in": reachable.values("pk")},
        )


def _scoped_relation(model, entry) -> bool:
    """Whether a list_filter entry names a relation to a model with a scope."""
    if not isinstance(entry, str):
        return False
    try:
        field = get_fields_from_path(model, entry)[-1]
    except (FieldDoesNotExist, NotRelationField):
        return False
    related = getattr(field, "related_model", None)
    return related is not None and hasattr(related._default_manager.all(), "for_user")


class VersionedAdminMixin:
    """A change form saved over someone else's change since it was opened is refused.

    The form carries the row's version (templates/admin/change_form.html); the row is read
    again under a lock and the save runs in the same transaction. A stale save writes
    nothing and the change form opens again on the values stored now.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        version = request.POST.get("version", "") if request.method == "POST" else ""
        if not version or object_id is None or "_saveasnew" in request.POST:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic(using=router.db_for_write(self.model)):
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and lock_current(obj, version)[1]:
                self.message_user(request, STALE_MESSAGE, messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
            return super().changeform_view(request, object_id, form_url, extra_context)


class ScopedAdminMixin(VersionedAdminMixin):
    """The admin's one guard: every view of the admin and of its plugins goes through the scope.

    `get_queryset` (narrowed by `scope`) decides which rows the user reaches; `view_perm`
    guards reading, `manage_perm` adding and changing; deleting is never offered (the register
    keeps history; records end through services). Every URL the admin class serves — change,
    delete, history, django-simple-history's history form, import/export, custom buttons —
    answers 404 for an object outside `get_queryset` (whether it exists elsewhere or not at
    all) and 404 instead of 403 for a page the user may not use. History is read-only for
    everyone: the history form never reverts (a POST is refused), so no write bypasses the
    services and their audit. A test fails for any registered admin not built on this class.
    """

    view_perm: Perm = Perm.INMATE_VIEW
    manage_perm: Perm | None = None
    scoped_fk_fields: tuple[str, ...] = ("facility",)

    def scope(self, request, queryset):
        """Narrow `queryset` to the rows the user may reach (by default through `for_user`)."""
        return queryset.for_user(request.user, self.view_perm)

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    @property
    def urls(self):
        # Wrapped here, not in get_urls: subclasses and plugins prepend their own patterns.
        patterns = self.get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = self._guarded(pattern.callback)
        return patterns

    def _guarded(self, view):
        @functools.wraps(view)
        def guarded(request, *args, **kwargs):
            if not self.admin_site.has_permission(request):
                return view(request, *args, **kwargs)  # the site sends them to its login
            # django-simple-history passes the id positionally, the user admin as `id`.
            object_id = kwargs.get("object_id", kwargs.get("id", args[0] if args else None))
            if object_id is not None and not self.in_scope(request, object_id):
                raise Http404
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied as exc:
                raise Http404 from exc

        return guarded

    def in_scope(self, request, object_id) -> bool:
        """Whether the object of a URL (quoted id, any text) is one the user may reach."""
        return self.get_object(request, unquote(object_id)) is not None

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    def render_history_view(self, request, template, context, **kwargs):
        if adminform := context.get("adminform"):
            # A past version is shown, never offered as a form to save.
            context["adminform"] = helpers.AdminForm(
                adminform.form,
                list(adminform.fieldsets),
                {},
                readonly_fields=flatten_fieldsets(adminform.fieldsets),
                model_admin=self,
            )
        return super().render_history_view(request, template, context, **kwargs)

    def get_list_filter(self, request):
        entries = list(super().get_list_filter(request))
        reach = facility_ids_for(request.user, self.view_perm)
        if reach is None or len(reach) > FACILITY_FILTER_MAX:
            # Hundreds of facilities make a list no one scrolls (and a slow page): a Kanwil
            # filter instead, narrowing as much in two clicks.
            entries = [
                "facility__regional_office" if entry == "facility" else entry for entry in entries
            ]
        return [
            (entry, ScopedRelatedListFilter) if _scoped_relation(self.model, entry) else entry
            for entry in entries
        ]

    def has_module_permission(self, request):
        return request.user.is_staff and user_can(request.user, self.view_perm)

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff and user_can(request.user, self.view_perm)

    def has_add_permission(self, request, obj=None):
        return (
            bool(self.manage_perm)
            and request.user.is_staff
            and user_can(request.user, self.manage_perm)
        )

    def has_change_permission(self, request, obj=None):
        if not self.manage_perm or not request.user.is_staff:
            return False
        facility = getattr(obj, "facility", None) if obj is not None else None
        return user_can(request.user, self.manage_perm, facility)

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in self.scoped_fk_fields and field is not None:
            ids = facility_ids_for(request.user, self.manage_perm or self.view_perm)
            if ids is not None:
                model = field.queryset.model
                path = "pk" if model._meta.label_lower == "facilities.facility" else "facility"
                field.queryset = field.queryset.filter(**{f"{path}__in": ids})
        return field


class NationalAdminMixin(ScopedAdminMixin):
    """Data without a facility (accounts, national tables): the directorate reaches all of it,
    everyone else none; a subclass may open reading wider with `can_read`."""

    def can_read(self, request) -> bool:
        return request.user.is_staff and is_national(request.user)

    def scope(self, request, queryset):
        return queryset if self.can_read(request) else queryset.none()

    def has_module_permission(self, request):
        return self.can_read(request)

    def has_view_permission(self, request, obj=None):
        return self.can_read(request)

    def has_add_permission(self, request, obj=None):
        return request.user.is_staff and is_national(request.user)

    def has_change_permission(self, request, obj=None):
        return request.user.is_staff and is_national(request.user)


class SuperuserAdminMixin(NationalAdminMixin):
    """Admins that libraries register (groups, tokens, schedules, lockouts): superusers only,
    with the library's own rights; 404 for everyone else."""

    def can_read(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args, **kwargs):
        return self.can_read(request)

    def has_change_permission(self, request, obj=None):
        return self.can_read(request)

    def has_delete_permission(self, request, obj=None):
        return self.can_read(request)


class ScopedAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete: answers come from the related model's admin (its scoped
    `get_queryset`, search fields and view permission); a refused search is 404."""

    def process_request(self, request):
        term, model_admin, source_field, to_field_name = super().process_request(request)
        if not isinstance(model_admin, ScopedAdminMixin):
            raise Http404
        return term, model_admin, source_field, to_field_name

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except PermissionDenied as exc:
            raise Http404 from exc


def guard_library_admins(site=admin.site) -> None:
    """Rebuild every admin a library registered on `site` on `SuperuserAdminMixin`."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, ScopedAdminMixin):
            continue
        base = type(model_admin)
        site.unregister(model)
        site.register(
            model,
            type(base.__name__, (SuperuserAdminMixin, base), {"__module__": base.__module__}),
        )


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


AUDIT_COLUMNS = [
    exports.Column(_("Waktu"), lambda e: e.at),
    exports.Column(_("Pelaku"), lambda e: str(e.actor or "")),
    exports.Column(_("Tindakan"), lambda e: e.get_action_display()),
    exports.Column(_("Jenis objek"), lambda e: e.object_type),
    exports.Column(_("ID objek"), lambda e: e.object_id),
    exports.Column(_("Objek"), lambda e: e.object_repr),
    exports.Column(_("ID UPT"), lambda e: e.facility_id),
    exports.Column(_("Melalui"), lambda e: e.via),
    exports.Column(_("Sebelum"), lambda e: _json(e.before)),
    exports.Column(_("Sesudah"), lambda e: _json(e.after)),
]


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_perm = Perm.AUDIT_VIEW
    list_display = ["at", "actor", "action", "object_type", "object_repr", "via"]
    list_filter = ["action", "object_type", "via"]
    search_fields = ["object_repr", "object_id", "actor__username"]
    date_hierarchy = "at"
    list_select_related = ["actor"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        return [
            path("unduh/<str:fmt>/", export, name="core_auditentry_export"),
            *super().get_urls(),
        ]

    def export_view(self, request, fmt):
        """The changelist as shown (its filters, search, dates and scope) as CSV or XLSX."""
        if fmt not in exports.FORMATS or not self.has_view_permission(request):
            raise Http404
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest(_("Saringan tidak valid."))
        ids = facility_ids_for(request.user, Perm.AUDIT_VIEW)
        return exports.export_response(
            request=request,
            fmt=fmt,
            queryset=changelist.queryset.select_related("actor"),
            columns=AUDIT_COLUMNS,
            name="catatan-audit",
            title=str(_("Catatan audit")),
            filters=dict(request.GET.items()),
            facility_id=next(iter(ids)) if ids is not None and len(ids) == 1 else None,
        )

    def scope(self, request, queryset):
        ids = facility_ids_for(request.user, Perm.AUDIT_VIEW)
        return queryset if ids is None else queryset.filter(facility_id__in=ids)


class JobKindFilter(admin.SimpleListFilter):
    title = _("jenis tugas")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return sorted(JOB_KIND_LABELS.items(), key=lambda item: str(item[1]))

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(JobRun)
class JobRunAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: rows are written by `services.job_run` as scheduled jobs start and end.

    Staff who read the audit trail see runs for their facilities and nationwide jobs.
    """

    list_display = [
        "kind_label",
        "started_at",
        "finished_at",
        "success",
        "processed",
        "facility_id",
        "regional_office_id",
    ]
    list_filter = [JobKindFilter, "success"]
    search_fields = ["kind", "detail", "error"]
    date_hierarchy = "started_at"
    readonly_fields = [f.name for f in JobRun._meta.fields]

    @admin.display(description=_("jenis tugas"), ordering="kind")
    def kind_label(self, obj):
        return obj.get_kind_display()

    def _allowed(self, request) -> bool:
        return request.user.is_staff and (
            is_national(request.user) or user_can(request.user, Perm.AUDIT_VIEW)
        )

    def scope(self, request, queryset):
        if not self._allowed(request):
            return queryset.none()
        ids = None if is_national(request.user) else facility_ids_for(request.user, Perm.AUDIT_VIEW)
        if ids is None:
            return queryset
        return queryset.filter(
            Q(facility_id__in=ids) | Q(facility_id__isnull=True, regional_office_id__isnull=True)
        )

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(NationalAdminMixin, admin.ModelAdmin):
    """Read-only: the tasks asked for and where each is (docs/outbox.md). National staff."""

    list_display = ["task", "status", "attempts", "created_at", "sent_at", "done_at"]
    list_filter = ["status", "task"]
    search_fields = ["task", "last_error"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Heartbeat)
class HeartbeatAdmin(NationalAdminMixin, admin.ModelAdmin):
    """Read-only: the workers and beats by their heartbeats (rutan.core.heartbeat), with a
    clear "berhenti" for a process that stopped or has not been seen. National staff."""

    list_display = [
        "kind",
        "name",
        "state",
        "seen_at",
        "started_at",
        "queues",
        "concurrency",
        "role",
        "version",
    ]
    list_filter = ["kind"]
    search_fields = ["name"]
    readonly_fields = [f.name for f in Heartbeat._meta.fields]

    @admin.display(description=_("keadaan"))
    def state(self, obj):
        return _("aktif") if is_alive(obj) else _("berhenti")

    @admin.display(description=_("antrean"))
    def queues(self, obj):
        return ", ".join(obj.detail.get("queues") or []) or "—"

    @admin.display(description=_("paralel"))
    def concurrency(self, obj):
        return obj.detail.get("concurrency") or "—"

    @admin.display(description=_("peran"))
    def role(self, obj):
        return {"leader": _("pengirim jadwal"), "standby": _("cadangan")}.get(
            obj.detail.get("role"), "—"
        )

    @admin.display(description=_("versi"))
    def version(self, obj):
        return obj.detail.get("celery") or "—"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LiteracyLevel)
class LiteracyLevelAdmin(NationalAdminMixin, admin.ModelAdmin):
    """The literacy tracks are national data: staff who read assessments or programmes see
    them; only the directorate adds or changes a level (through the service, audited)."""

    list_display = ["label", "script", "rank", "code", "recommended_area", "recommendation"]
    list_filter = ["script"]
    search_fields = ["label", "code", "description"]
    ordering = ["script", "rank"]
    fields = services.LITERACY_LEVEL_FIELDS

    def can_read(self, request) -> bool:
        user = request.user
        return user.is_staff and (
            user_can(user, Perm.ASSESSMENT_VIEW) or user_can(user, Perm.PROGRAMME_VIEW)
        )

    def get_readonly_fields(self, request, obj=None):
        # Assessments, programme minimums, the API and reports refer to these.
        return ["script", "code"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in self.fields if f in form.cleaned_data}
        saved = services.literacy_level_save(by=request.user, level=obj if change else None, **data)
        obj.pk = saved.pk


# Admins of the libraries listed before rutan.core in INSTALLED_APPS are registered by now.
guard_library_admins()
