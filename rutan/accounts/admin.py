from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from rutan.core.admin import NationalAdminMixin
from rutan.core.models import AuditAction
from rutan.core.scoping import is_national
from rutan.core.services import audit_record, model_snapshot

from . import services
from .models import Membership, User

# Secrets of authenticators and token digests are no admin's business: the user actions
# below reset a lost authenticator and end a user's API tokens.
for model in (AuthToken, TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

# What an account change is audited by (never the password hash).
ACCOUNT_FIELDS = [
    "username",
    "full_name",
    "first_name",
    "last_name",
    "email",
    "phone",
    "nip",
    "is_active",
    "is_staff",
    "is_superuser",
]
MEMBERSHIP_FIELDS = ["user_id", "role", "facility_id", "regional_office_id"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["role", "facility", "regional_office"]
    fk_name = "user"

    # The directorate manages roles (audited in UserAdmin.save_formset), not Django perms.
    def _national(self, request) -> bool:
        return request.user.is_staff and is_national(request.user)

    def has_view_permission(self, request, obj=None):
        return self._national(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(User)
class UserAdmin(NationalAdminMixin, BaseUserAdmin):
    """Accounts and their memberships: managed by directorate staff only.

    An account is never deleted (its audit rows keep who acted): it is deactivated by
    clearing "active", which ends its sign-in at once.
    """

    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    inlines = [MembershipInline]
    actions = ["second_factor_reset", "api_tokens_end"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Rutan"), {"fields": ["full_name", "nip", "phone"]}),
    ]

    def save_model(self, request, obj, form, change):
        before = model_snapshot(User.objects.get(pk=obj.pk), ACCOUNT_FIELDS) if change else None
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            instance=obj,
            before=before,
            after=model_snapshot(obj, ACCOUNT_FIELDS),
            via="admin",
        )

    def save_formset(self, request, form, formset, change):
        """Memberships decide what a user may reach: every grant, change and removal is audited."""
        before = {
            m.pk: model_snapshot(m, MEMBERSHIP_FIELDS)
            for m in Membership.objects.filter(pk__in=[f.instance.pk for f in formset.forms])
        }
        formset.save()
        for membership in formset.deleted_objects:
            audit_record(
                actor=request.user,
                action=AuditAction.DELETE,
                instance=membership,
                before=before.get(membership.pk),
                facility_id=before.get(membership.pk, {}).get("facility_id"),
                via="admin",
            )
        for membership in formset.new_objects:
            audit_record(
                actor=request.user,
                action=AuditAction.CREATE,
                instance=membership,
                after=model_snapshot(membership, MEMBERSHIP_FIELDS),
                via="admin",
            )
        for membership, _fields in formset.changed_objects:
            audit_record(
                actor=request.user,
                action=AuditAction.UPDATE,
                instance=membership,
                before=before.get(membership.pk),
                after=model_snapshot(membership, MEMBERSHIP_FIELDS),
                via="admin",
            )

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
