from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from rutan.core.admin import ScopedAdminMixin
from rutan.core.forms import LiteracyLevelField
from rutan.core.roles import Perm
from rutan.core.scoping import user_can

from . import services
from .models import (
    AssimilationLog,
    AssimilationPlacement,
    Attendance,
    Certificate,
    Enrolment,
    EnrolmentEvent,
    Evaluation,
    Product,
    Programme,
    ScheduleSlot,
    Session,
)


class ReadOnlyScopedAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Records written only through the pages and API (services); the admin shows them."""

    view_perm = Perm.PROGRAMME_VIEW
    manage_perm = None

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


class SlotInline(admin.TabularInline):
    model = ScheduleSlot
    extra = 0
    can_delete = False
    fields = ["weekday", "start_time", "end_time", "location"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Programme)
class ProgrammeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_perm = Perm.PROGRAMME_VIEW
    manage_perm = Perm.PROGRAMME_MANAGE
    scoped_fk_fields = ("facility", "agreement")
    list_display = ["title", "facility", "pillar", "area", "status", "capacity", "start_date"]
    list_filter = ["status", "pillar", "area", "min_literacy_level__script", "facility"]
    search_fields = ["title", "facilitator", "instructor"]
    list_select_related = ["facility"]
    readonly_fields = ["status"]
    inlines = [SlotInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "min_literacy_level":
            # One select grouped by script, so a Qur'an level is not taken for a Latin one.
            return LiteracyLevelField(
                label=db_field.verbose_name,
                required=False,
                help_text=db_field.help_text,
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    fields = [
        "facility",
        "title",
        "pillar",
        "area",
        "description",
        "agreement",
        "facilitator",
        "instructor",
        "location",
        "capacity",
        "start_date",
        "end_date",
        "status",
        "eligible_sex",
        "eligible_stages",
        "min_literacy_level",
        "required_interest_area",
    ]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, *(["facility"] if obj else [])]

    def save_model(self, request, obj, form, change):
        data = {
            f: form.cleaned_data[f] for f in services.PROGRAMME_FIELDS if f in form.cleaned_data
        }
        if change:
            saved = services.programme_update(programme=obj, by=request.user, **data)
        else:
            saved = services.programme_create(facility=obj.facility, by=request.user, **data)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        """The schedule is edited on the programme page (services), not here."""


@admin.register(Session)
class SessionAdmin(ReadOnlyScopedAdmin):
    list_display = ["programme", "date", "start_time", "status", "attendance_taken_at"]
    list_filter = ["status", "programme__facility"]
    date_hierarchy = "date"
    search_fields = ["programme__title", "topic"]
    list_select_related = ["programme"]


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyScopedAdmin):
    list_display = ["inmate", "programme", "status", "waitlist_position", "started_on", "ended_on"]
    list_filter = ["status", "programme__facility"]
    search_fields = ["inmate__name", "inmate__registration_number", "programme__title"]
    list_select_related = ["inmate", "programme"]


@admin.register(EnrolmentEvent)
class EnrolmentEventAdmin(ReadOnlyScopedAdmin):
    list_display = ["enrolment", "on", "from_status", "to_status", "reason", "by"]
    list_filter = ["to_status"]
    list_select_related = ["enrolment__inmate", "enrolment__programme", "by"]


@admin.register(Attendance)
class AttendanceAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    view_perm = Perm.PROGRAMME_VIEW
    manage_perm = None
    list_display = ["session", "enrolment", "status", "reason", "recorded_by", "recorded_at"]
    list_filter = ["status", "reason"]
    list_select_related = ["session__programme", "enrolment__inmate", "recorded_by"]
    history_list_display = ["status", "reason", "note"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Attendance._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyScopedAdmin):
    list_display = ["enrolment", "kind", "score", "assessed_on"]
    list_filter = ["kind"]
    list_select_related = ["enrolment__inmate", "enrolment__programme"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyScopedAdmin):
    list_display = ["number", "enrolment", "competence", "issuer", "issued_on", "revoked_on"]
    search_fields = ["number", "enrolment__inmate__name"]
    list_filter = ["facility"]
    list_select_related = ["enrolment__inmate", "enrolment__programme"]


@admin.register(Product)
class ProductAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_perm = Perm.PROGRAMME_VIEW
    manage_perm = Perm.PROGRAMME_MANAGE
    list_display = ["name", "programme", "made_on", "quantity", "unit_value", "disposition"]
    list_filter = ["disposition", "programme__facility"]
    list_select_related = ["programme"]
    fields = ["programme", *services.PRODUCT_FIELDS]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super(ScopedAdminMixin, self).formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "programme":
            field.queryset = Programme.objects.for_user(request.user, Perm.PROGRAMME_MANAGE)
        return field

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request, obj)
        return request.user.is_staff and user_can(
            request.user, Perm.PROGRAMME_MANAGE, obj.programme.facility
        )

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in services.PRODUCT_FIELDS if f in form.cleaned_data}
        if change:
            saved = services.product_update(product=obj, by=request.user, **data)
        else:
            saved = services.product_create(
                programme=form.cleaned_data["programme"], by=request.user, **data
            )
        obj.pk = saved.pk
        obj.refresh_from_db()


class AssimilationLogInline(admin.TabularInline):
    model = AssimilationLog
    extra = 0
    can_delete = False
    fields = ["date", "checked_out_at", "checked_in_at", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AssimilationPlacement)
class AssimilationPlacementAdmin(ReadOnlyScopedAdmin):
    list_display = ["inmate", "workplace", "supervisor", "start_date", "end_date", "status"]
    list_filter = ["status", "facility"]
    search_fields = ["inmate__name", "workplace", "decree_reference"]
    list_select_related = ["inmate"]
    inlines = [AssimilationLogInline]
