import copy

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rutan.core.admin import NationalAdminMixin, ScopedAdminMixin
from rutan.core.models import AuditAction
from rutan.core.pagination import CappedPaginator
from rutan.core.roles import Perm
from rutan.core.scoping import facility_ids_for, is_national
from rutan.core.services import audit_record, model_snapshot

from . import services
from .forms import DetentionForm
from .models import (
    DetentionCredit,
    DetentionPeriod,
    DisciplinaryEntry,
    Inmate,
    Placement,
    ReckoningSetting,
    RegisterRule,
    RemisiGrant,
    StageRule,
    Verdict,
    WarrantLimit,
)


class _ReadOnlyInline(admin.TabularInline):
    """Placements and custody records are written by their services (pages and API), never here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PlacementInline(_ReadOnlyInline):
    model = Placement
    fields = ["start_date", "end_date", "facility", "block", "start_reason", "end_reason", "note"]
    ordering = ["start_date", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("facility", "block")


class DetentionInline(_ReadOnlyInline):
    model = DetentionPeriod
    fields = ["authority", "order", "kind", "warrant_number", "start", "end"]
    ordering = ["start", "id"]


class VerdictInline(_ReadOnlyInline):
    model = Verdict
    fields = [
        "court_name",
        "number",
        "decided_on",
        "final_on",
        "sentence_kind",
        "years",
        "months",
        "days",
    ]


class RemisiInline(_ReadOnlyInline):
    model = RemisiGrant
    fields = ["kind", "decree_number", "decree_date", "months", "days"]
    ordering = ["decree_date", "id"]


class _InmateAdminForm(forms.ModelForm):
    class Meta:
        model = Inmate
        fields = [*services.INMATE_FIELDS, "facility"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for name in [n for n in self.fields if n.startswith("detention_")]:
                del self.fields[name]


# The admin's add form asks for the first warrant, as the register page does.
InmateAdminForm = type(
    "InmateAdminForm",
    (_InmateAdminForm,),
    {f"detention_{n}": copy.deepcopy(f) for n, f in DetentionForm.base_fields.items()},
)


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
    # The country's register: counted up to a cap, never twice (rutan.core.pagination).
    paginator = CappedPaginator
    show_full_result_count = False
    list_per_page = 50
    # The rows are rendered once per scope and query until the facilities' data changes.
    cache_results = True
    ordering = ["name", "id"]
    form = InmateAdminForm
    readonly_fields = ["status", "released_on", "release_kind", *services.DERIVED_FIELDS]
    inlines = [PlacementInline, DetentionInline, VerdictInline, RemisiInline]
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
                    "custody_start",
                    "sentence_kind",
                    "sentence_start",
                    ("sentence_years", "sentence_months", "sentence_days"),
                    ("substitute_months", "substitute_days"),
                    "remission_days",
                    "expected_release_date",
                    ("lanjutan_from", "asimilasi_from", "integrasi_from"),
                ]
            },
        ),
    ]
    detention_fieldset = (
        _("Surat penahanan pertama"),
        {"fields": [f"detention_{name}" for name in DetentionForm.base_fields]},
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        return fieldsets if obj is not None else [*fieldsets, self.detention_fieldset]

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
            detention = {
                name: form.cleaned_data.get(f"detention_{name}")
                for name in DetentionForm.base_fields
            }
            saved = services.inmate_create(
                facility=obj.facility, by=request.user, detention=detention, **data
            )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        """Placements and custody records are read-only here; nothing related is written."""


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


class NationalRuleAdmin(NationalAdminMixin, admin.ModelAdmin):
    """Rules of law kept as data: anyone on staff reads them, the directorate changes them.

    A change is audited; where the rule enters the stored dates (`recomputes`), every
    affected inmate's dates are recomputed by a Celery task after commit."""

    recomputes = True

    def can_read(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def save_model(self, request, obj, form, change):
        before = model_snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            instance=obj,
            before=before,
            after=model_snapshot(obj),
        )
        if self.recomputes:
            from rutan.core.outbox import enqueue

            from .tasks import recompute_stages

            enqueue(recompute_stages, getattr(obj, "facility_id", None))
            self.message_user(
                request, _("Ketentuan disimpan. Tanggal setiap WBP yang terdampak dihitung ulang.")
            )


@admin.register(DetentionCredit)
class DetentionCreditAdmin(NationalRuleAdmin):
    list_display = ["kind", "numerator", "denominator", "legal_basis"]


@admin.register(WarrantLimit)
class WarrantLimitAdmin(NationalRuleAdmin):
    recomputes = False  # it limits new warrants; no stored date depends on it
    list_display = ["authority", "order", "max_days", "max_count", "legal_basis"]
    list_filter = ["authority"]


@admin.register(RegisterRule)
class RegisterRuleAdmin(NationalRuleAdmin):
    list_display = ["register_type", "up_to_months", "legal_basis"]


@admin.register(ReckoningSetting)
class ReckoningSettingAdmin(NationalRuleAdmin):
    list_display = ["__str__", "remisi_reading", "month_reading"]
    fields = ["facility", "remisi_reading", "month_reading", "legal_basis"]
