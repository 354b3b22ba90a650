from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rutan.core.admin import ScopedAdminMixin
from rutan.core.roles import Perm
from rutan.core.scoping import facility_ids_for, is_national, user_can

from . import services, standings
from .access import can_read_confidential
from .choices import EligibilityKind
from .models import (
    BehaviourScore,
    CounsellingSession,
    EligibilityBook,
    EligibilityCondition,
    EligibilityRule,
    EligibilitySpecialCategory,
    FacilitySurvey,
    InterestAssessment,
    LiteracyAssessment,
    PsychologicalAssessment,
    RightProposal,
    RightProposalStep,
    RightStep,
    SurveyFinding,
)


class _ReadOnlyAssessmentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Assessments are written on the pages (services with validation); here they are read."""

    view_perm = Perm.ASSESSMENT_VIEW
    manage_perm = None
    list_select_related = ["inmate", "inmate__facility", "assessor"]
    search_fields = ["inmate__name", "inmate__registration_number"]
    list_filter = ["status"]
    date_hierarchy = "assessed_on"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.editable]


@admin.register(PsychologicalAssessment)
class PsychologicalAssessmentAdmin(_ReadOnlyAssessmentAdmin):
    list_display = ["inmate", "assessed_on", "instrument", "assessor", "status", "by_intern"]
    list_filter = ["status", "by_intern"]
    fields = [
        "inmate",
        "facility",
        "assessor",
        "assessed_on",
        "instrument",
        "recommendation",
        "status",
        "by_intern",
        "finalised_by",
        "finalised_at",
        "confidential",
    ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "by_intern", "confidential"]

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # The read-only display below needs to know who is reading, to check and audit.
            obj.admin_reader = request.user
        return obj

    @admin.display(description=_("Skor, temuan dan catatan (rahasia)"))
    def confidential(self, obj):
        reader = getattr(obj, "admin_reader", None)
        if reader is None or not can_read_confidential(reader, obj):
            return _("Hanya dapat dibaca psikolog dan Kepala UPT.")
        text = services.psych_confidential_read(assessment=obj, by=reader, via="admin")
        scores = "; ".join(f"{k}: {v}" for k, v in text["scores"].items())
        return f"{scores}\n\n{text['findings']}\n\n{text['notes']}"


@admin.register(LiteracyAssessment)
class LiteracyAssessmentAdmin(_ReadOnlyAssessmentAdmin):
    list_display = ["inmate", "assessed_on", "script", "level", "assessor", "status"]
    list_filter = ["status", "script", "level"]
    list_select_related = [*_ReadOnlyAssessmentAdmin.list_select_related, "level"]


@admin.register(InterestAssessment)
class InterestAssessmentAdmin(_ReadOnlyAssessmentAdmin):
    list_display = ["inmate", "assessed_on", "areas", "assessor", "status"]


@admin.register(BehaviourScore)
class BehaviourScoreAdmin(_ReadOnlyAssessmentAdmin):
    list_display = ["inmate", "month", *BehaviourScore.ASPECTS, "assessor"]
    list_filter = ["month"]
    date_hierarchy = "month"


@admin.register(CounsellingSession)
class CounsellingSessionAdmin(_ReadOnlyAssessmentAdmin):
    list_display = ["inmate", "held_on", "topic", "counsellor", "follow_up_on"]
    list_select_related = ["inmate", "inmate__facility", "counsellor"]
    list_filter = []
    date_hierarchy = "held_on"
    exclude = ["notes_encrypted"]


class SurveyFindingInline(admin.TabularInline):
    model = SurveyFinding
    extra = 0
    can_delete = False
    fields = ["title", "severity", "place", "follow_up"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FacilitySurvey)
class FacilitySurveyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_perm = Perm.FACILITY_VIEW
    manage_perm = None
    list_display = ["title", "kind", "facility", "surveyed_on", "lead", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["facility", "lead"]
    inlines = [SurveyFindingInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in FacilitySurvey._meta.fields if f.editable]


class _RulePartInline(admin.TabularInline):
    """Conditions, special categories and steps of a rule, saved through the services; who
    may change the rule may change its parts."""

    extra = 0

    def _may_change(self, request, obj) -> bool:
        if obj is None:
            return user_can(request.user, Perm.STAGE_RULES_MANAGE)
        if obj.facility_id is None:
            return is_national(request.user)
        return user_can(request.user, Perm.STAGE_RULES_MANAGE, obj.facility)

    def has_view_permission(self, request, obj=None):
        return user_can(request.user, Perm.ASSESSMENT_VIEW)

    def has_add_permission(self, request, obj=None):
        return self._may_change(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_change(request, obj)


BASIS_COLUMNS = ["regulation", "article", "paragraph", "letter", "basis_note"]


class EligibilityConditionInline(_RulePartInline):
    model = EligibilityCondition
    fields = [
        "code",
        "variant",
        "numerator",
        "denominator",
        "months",
        "window_anchor",
        "min_average",
        "guarantor_kinds",
        *BASIS_COLUMNS,
    ]


class SpecialCategoryInline(_RulePartInline):
    model = EligibilitySpecialCategory
    fields = ["case_category", "min_sentence_months", *BASIS_COLUMNS]


class RightStepInline(_RulePartInline):
    model = RightStep
    fields = ["position", "code", "label", "variant", "case_categories", *BASIS_COLUMNS]


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_perm = Perm.ASSESSMENT_VIEW
    manage_perm = Perm.STAGE_RULES_MANAGE
    list_display = ["__str__", "kind", "instead_kind", "condition_count"]
    list_filter = ["kind"]
    list_select_related = ["facility"]
    fields = ["facility", "kind", *services.RULE_FIELDS]
    inlines = [EligibilityConditionInline, SpecialCategoryInline, RightStepInline]

    @admin.display(description=_("jumlah syarat"), ordering="condition_total")
    def condition_count(self, obj):
        return obj.condition_total

    def get_queryset(self, request):
        qs = EligibilityRule.objects.select_related("facility").annotate(
            condition_total=Count("conditions")
        )
        if is_national(request.user):
            return qs
        ids = facility_ids_for(request.user, self.view_perm)
        return qs.filter(Q(facility__isnull=True) | Q(facility__in=ids))

    def get_readonly_fields(self, request, obj=None):
        return ["facility", "kind"] if obj else []

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.facility_id is None:
            return is_national(request.user)
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in services.RULE_FIELDS}
        facility = obj.facility if change else form.cleaned_data["facility"]
        kind = obj.kind if change else form.cleaned_data["kind"]
        saved = services.eligibility_rule_set(facility=facility, kind=kind, by=request.user, **data)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        parts = formset.save(commit=False)
        for part in formset.deleted_objects:
            services.eligibility_rule_part_delete(instance=part, by=request.user)
        for part in parts:
            part.rule = form.instance
            services.eligibility_rule_part_save(instance=part, by=request.user)


class RightProposalStepInline(admin.TabularInline):
    model = RightProposalStep
    extra = 0
    fields = ["label", "done_on", "reference", "note", "done_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RightProposal)
class RightProposalAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: steps are recorded on the inmate's eligibility page (`right_step_done`)."""

    view_perm = Perm.ASSESSMENT_VIEW
    manage_perm = None
    list_display = ["inmate", "kind", "opened_on", "closed_on"]
    list_filter = ["kind"]
    list_select_related = ["inmate", "inmate__facility"]
    search_fields = ["inmate__name", "inmate__registration_number"]
    fields = ["inmate", "kind", "opened_on", "closed_on"]
    readonly_fields = fields
    inlines = [RightProposalStepInline]


@admin.register(EligibilityBook)
class EligibilityBookAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: when each facility's stored eligibility was judged and whether it is
    current (`assessments.standings`); an action queues a judgement again."""

    view_perm = Perm.ASSESSMENT_VIEW
    manage_perm = None
    # `get_list_display` puts the state (current or not) after the date.
    list_display = ["facility", "judged_on", "judged_at", "seconds", "inmates", "gaps"]
    list_select_related = ["facility"]
    search_fields = ["facility__name", "facility__code"]
    fields = ["facility", "judged_on", "version", "judged_at", "seconds", "inmates", "problems"]
    readonly_fields = fields
    actions = ["judge_again"]

    def get_list_display(self, request):
        # The versions of every facility in one query for the page, not one per row.
        versions = standings.versions()

        @admin.display(description=_("keadaan"))
        def state(obj):
            if standings.current(obj.facility, obj, versions[obj.facility_id]):
                return _("terkini")
            return _("menunggu penilaian ulang")

        return [*self.list_display[:2], state, *self.list_display[2:]]

    @admin.display(description=_("ketentuan belum diisi"))
    def gaps(self, obj):
        return ", ".join(EligibilityKind(kind).label for kind in obj.problems) or "—"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Nilai ulang kedudukan hak UPT terpilih"))
    def judge_again(self, request, queryset):
        queued = sum(standings.request_refresh(book.facility_id) for book in queryset)
        self.message_user(
            request,
            ngettext(
                "%(n)d UPT diantrekan untuk dinilai ulang.",
                "%(n)d UPT diantrekan untuk dinilai ulang.",
                queued,
            )
            % {"n": queued},
            messages.SUCCESS,
        )
