from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rutan.core.admin import ScopedAdminMixin
from rutan.core.roles import Perm
from rutan.core.scoping import facility_ids_for, is_national

from . import services
from .models import DisciplinaryEntry, Inmate, Placement, StageRule


class PlacementInline(admin.TabularInline):
    model = Placement
    extra = 0
    can_delete = False
    fields = ["start_date", "end_date", "facility", "block", "start_reason", "end_reason", "note"]
    readonly_fields = fields
    ordering = ["start_date", "id"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("facility", "block")


@admin.register(Inmate)
class InmateAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_perm = Perm.INMATE_VIEW
    manage_perm = Perm.INMATE_MANAGE
    scoped_fk_fields = ("facility", "block")
    list_display = [
        "name",
        "registration_number",
        "facility",
        "block",
        "legal_status",
        "case_category",
        "status",
        "expected_release_date",
    ]
    list_filter = ["status", "legal_status", "case_category", "sex", "facility"]
    search_fields = ["name", "registration_number"]
    list_select_related = ["facility", "block"]
    date_hierarchy = "admission_date"
    readonly_fields = [
        "status",
        "released_on",
        "release_kind",
        "expected_release_date",
        "lanjutan_from",
        "asimilasi_from",
        "integrasi_from",
    ]
    inlines = [PlacementInline]
    fieldsets = [
        (_("Identitas"), {"fields": ["name", "sex", "birth_date", "religion", "education_level"]}),
        (
            _("Registrasi"),
            {
                "fields": [
                    "facility",
                    "registration_number",
                    "register_type",
                    "legal_status",
                    "admission_date",
                    "block",
                    "status",
                    "released_on",
                    "release_kind",
                ]
            },
        ),
        (
            _("Perkara dan masa pidana"),
            {
                "fields": [
                    "case_category",
                    "case_article",
                    "sentence_start",
                    ("sentence_years", "sentence_months", "sentence_days"),
                    "remission_days",
                    "expected_release_date",
                    ("lanjutan_from", "asimilasi_from", "integrasi_from"),
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # Facility and block change through transfers and moves, which keep history.
            fields += ["facility", "block"]
        return fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and object_id:
            inmate = self.get_object(request, object_id)
            if inmate is not None:
                services.inmate_record_read(inmate=inmate, by=request.user, via="admin")
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in services.INMATE_FIELDS if f in form.cleaned_data}
        if change:
            saved = services.inmate_update(inmate=obj, by=request.user, **data)
        else:
            saved = services.inmate_create(facility=obj.facility, by=request.user, **data)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        """Placements are read-only here; nothing related is written by the admin."""


@admin.register(DisciplinaryEntry)
class DisciplinaryEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_perm = Perm.DISCIPLINE_VIEW
    manage_perm = Perm.DISCIPLINE_MANAGE
    scoped_fk_fields = ("inmate",)
    list_display = ["inmate", "occurred_on", "sanction", "status", "facility"]
    list_filter = ["status"]
    search_fields = ["inmate__name", "inmate__registration_number", "offence"]
    list_select_related = ["inmate", "facility"]
    fields = [
        "inmate",
        "occurred_on",
        "offence",
        "sanction",
        "sanction_until",
        "status",
        "closed_on",
    ]
    readonly_fields = ["status", "closed_on"]
    actions = ["close_today"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super(ScopedAdminMixin, self).formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "inmate":
            field.queryset = Inmate.objects.for_user(request.user, Perm.DISCIPLINE_MANAGE)
        return field

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, *(["inmate", "occurred_on"] if obj else [])]

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.disciplinary_create(
            inmate=data["inmate"],
            occurred_on=data["occurred_on"],
            offence=data["offence"],
            sanction=data["sanction"],
            sanction_until=data.get("sanction_until"),
            by=request.user,
        )
        obj.pk = saved.pk
        obj.refresh_from_db()

    @admin.action(description=_("Tutup catatan terpilih per hari ini"))
    def close_today(self, request, queryset):
        closed = 0
        for entry in queryset.filter(status="open").select_related("inmate__facility"):
            try:
                services.disciplinary_close(
                    entry=entry, on=entry.inmate.facility.today(), by=request.user
                )
                closed += 1
            except ValidationError as exc:
                self.message_user(request, f"{entry}: {' '.join(exc.messages)}", messages.ERROR)
        self.message_user(request, _("%(n)d catatan ditutup.") % {"n": closed})


@admin.register(StageRule)
class StageRuleAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_perm = Perm.FACILITY_VIEW
    manage_perm = Perm.STAGE_RULES_MANAGE
    list_display = ["__str__", "facility", "stage", "numerator", "denominator"]
    list_filter = ["stage"]
    list_select_related = ["facility"]
    fields = ["facility", "stage", "numerator", "denominator", "legal_basis"]

    def get_queryset(self, request):
        qs = StageRule.objects.select_related("facility")
        if is_national(request.user):
            return qs
        ids = facility_ids_for(request.user, self.view_perm)
        return qs.filter(Q(facility__isnull=True) | Q(facility__in=ids))

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.facility_id is None:
            return is_national(request.user)
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.stage_rule_set(
            facility=data["facility"],
            stage=data["stage"],
            numerator=data["numerator"],
            denominator=data["denominator"],
            legal_basis=data["legal_basis"],
            by=request.user,
        )
        obj.pk = saved.pk
        self.message_user(
            request,
            _("Ketentuan disimpan. Tanggal tahap setiap WBP yang terdampak sedang dihitung ulang."),
        )
