from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from rutan.core.scoping import is_national

from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["role", "facility", "regional_office"]
    fk_name = "user"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts and their memberships: managed by directorate staff only."""

    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    inlines = [MembershipInline]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Rutan"), {"fields": ["full_name", "phone"]}),
    ]

    def has_module_permission(self, request):
        return is_national(request.user)

    def has_view_permission(self, request, obj=None):
        return is_national(request.user)

    def has_add_permission(self, request):
        return is_national(request.user)

    def has_change_permission(self, request, obj=None):
        return is_national(request.user)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
