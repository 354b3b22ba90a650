from django.contrib import admin

from rutan.core.admin import SuperuserAdminMixin

from .models import ReportRun


@admin.register(ReportRun)
class ReportRunAdmin(SuperuserAdminMixin, admin.ModelAdmin):
    """Read-only, for superusers: runs are made and retried through the reports pages and the
    services (which also scope them); staff read reports there."""

    list_display = ["__str__", "scope", "status", "progress", "attempts", "finished_at"]
    list_filter = ["status", "scope", "period"]
    readonly_fields = [f.name for f in ReportRun._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
