from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from rutan.core.scoping import is_national

from . import services
from .models import Membership, User

# Secrets of authenticators and token digests are no admin's business: the user actions
# below reset a lost authenticator and end a user's API tokens.
for model in (AuthToken, TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


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
    actions = ["second_factor_reset", "api_tokens_end"]
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

    @admin.action(
        description=_("Setel ulang verifikasi dua langkah (ponsel hilang)"), permissions=["change"]
    )
    def second_factor_reset(self, request, queryset):
        for user in queryset:
            services.second_factor_remove(user=user, by=request.user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Verifikasi dua langkah %(n)d pengguna disetel ulang; mereka menyiapkannya lagi "
                "saat masuk.",
                "Verifikasi dua langkah %(n)d pengguna disetel ulang; mereka menyiapkannya lagi "
                "saat masuk.",
                count,
            )
            % {"n": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Cabut semua token API"), permissions=["change"])
    def api_tokens_end(self, request, queryset):
        ended = sum(services.api_tokens_revoke(user=user) for user in queryset)
        self.message_user(
            request,
            ngettext("%(n)d token API dicabut.", "%(n)d token API dicabut.", ended) % {"n": ended},
            messages.SUCCESS,
        )
