from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from rutan.core.admin import NationalAdminMixin

from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["role", "facility", "regional_office"]
    fk_name = "user"


@admin.register(User)
class UserAdmin(NationalAdminMixin, BaseUserAdmin):
    """Accounts and their memberships: managed by directorate staff only.

    An account is never deleted (its audit rows keep who acted): it is deactivated by
    clearing "active", which ends its sign-in at once.
    """

    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    inlines = [MembershipInline]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Rutan"), {"fields": ["full_name", "phone"]}),
    ]
