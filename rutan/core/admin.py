from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry
from .roles import Perm
from .scoping import facility_ids_for, user_can


class ScopedAdminMixin:
    """Admin whose changelist, forms and permissions go through the role scope.

    `view_perm` guards reading, `manage_perm` adding and changing; deleting is never offered
    (the register keeps history; records end through services).
    """

    view_perm: Perm = Perm.INMATE_VIEW
    manage_perm: Perm | None = None
    scoped_fk_fields: tuple[str, ...] = ("facility",)

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user, self.view_perm)

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


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_repr", "via"]
    list_filter = ["action", "object_type", "via"]
    search_fields = ["object_repr", "object_id", "actor__username"]
    date_hierarchy = "at"
    list_select_related = ["actor"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        ids = facility_ids_for(request.user, Perm.AUDIT_VIEW)
        return qs if ids is None else qs.filter(facility_id__in=ids)

    def has_module_permission(self, request):
        return request.user.is_staff and user_can(request.user, Perm.AUDIT_VIEW)

    has_view_permission = has_module_permission

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.site_header = _("Rutan — administrasi")
admin.site.site_title = _("Rutan")
admin.site.index_title = _("Administrasi")
