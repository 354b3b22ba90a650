from django.contrib import admin

from rutan.core.admin import ScopedAdminMixin
from rutan.core.roles import Perm

from . import services
from .models import Block, Facility, FollowUpItem, RegionalOffice


class _NationalOnly(ScopedAdminMixin):
    view_perm = Perm.FACILITY_VIEW
    manage_perm = Perm.STAGE_RULES_MANAGE

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        services.organisation_save(instance=obj, by=request.user)


class BlockInline(admin.TabularInline):
    model = Block
    extra = 0
    fields = ["name", "sex", "capacity"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RegionalOffice)
class RegionalOfficeAdmin(_NationalOnly, admin.ModelAdmin):
    list_display = ["name", "code", "province"]
    search_fields = ["name", "code"]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()


@admin.register(Facility)
class FacilityAdmin(_NationalOnly, admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "kind",
        "facility_class",
        "regional_office",
        "capacity",
        "timezone",
    ]
    list_filter = ["kind", "facility_class", "regional_office", "timezone"]
    search_fields = ["name", "code", "city"]
    list_select_related = ["regional_office"]
    inlines = [BlockInline]

    def save_formset(self, request, form, formset, change):
        for block in formset.save(commit=False):
            services.block_save(block=block, by=request.user)


@admin.register(Block)
class BlockAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_perm = Perm.FACILITY_VIEW
    manage_perm = Perm.INMATE_MANAGE
    list_display = ["name", "facility", "sex", "capacity"]
    list_filter = ["sex", "facility"]
    search_fields = ["name", "facility__name"]
    list_select_related = ["facility"]

    def save_model(self, request, obj, form, change):
        services.block_save(block=obj, by=request.user)


@admin.register(FollowUpItem)
class FollowUpItemAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_perm = Perm.FACILITY_VIEW
    manage_perm = Perm.FOLLOWUP_MANAGE
    list_display = ["title", "facility", "source", "owner", "due_on", "status"]
    list_filter = ["status", "source", "facility"]
    search_fields = ["title", "description", "place"]
    list_select_related = ["facility", "owner"]
    fields = [
        "facility",
        "title",
        "description",
        "source",
        "place",
        "found_on",
        "owner",
        "due_on",
        "status",
        "done_on",
        "resolution",
    ]
    readonly_fields = ["done_on"]

    def get_readonly_fields(self, request, obj=None):
        # The day of a finding is what reports count it by: set once, when it is raised.
        return [*self.readonly_fields, "found_on"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            saved = services.followup_update(
                item=obj,
                by=request.user,
                status=data["status"],
                owner=data["owner"],
                due_on=data["due_on"],
                resolution=data["resolution"],
            )
        else:
            saved = services.followup_create(
                facility=data["facility"],
                title=data["title"],
                by=request.user,
                description=data["description"],
                source=data["source"],
                place=data["place"],
                owner=data["owner"],
                due_on=data["due_on"],
                found_on=data["found_on"],
            )
        obj.pk = saved.pk
        obj.refresh_from_db()
