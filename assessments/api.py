"""REST API of assessments. Lists are scoped; confidential psychological text appears only on
a single record, only for psychologists and facility heads of that facility, and each such
read is audited."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from rutan.core.api import (
    CalendarDateField,
    CodeRelatedField,
    ConcurrencyMixin,
    QuerySerializer,
    ReadAuditMixin,
)
from rutan.core.choices import ProgrammeArea
from rutan.core.filters import SelectorFilterBackend, list_params
from rutan.core.models import AuditAction, LiteracyLevel
from rutan.core.roles import Perm
from rutan.core.services import audit_filters, audit_record
from rutan.inmates import selectors as inmate_selectors

from . import eligibility, selectors, services
from .access import can_read_confidential
from .choices import AssessmentKind, EligibilityKind
from .models import (
    BehaviourScore,
    InterestAssessment,
    LiteracyAssessment,
    PsychologicalAssessment,
)

COMMON = [
    "id",
    "inmate",
    "facility",
    "assessor",
    "assessed_on",
    "instrument",
    "recommendation",
    "status",
    "finalised_at",
    "finalised_by",
]
READ_ONLY = ["facility", "assessor", "status", "finalised_at", "finalised_by"]


class _InmateField(serializers.PrimaryKeyRelatedField):
    """An active inmate the caller may write assessments for (others are "not found")."""

    def __init__(self, perm, **kwargs):
        self.perm = perm
        super().__init__(**kwargs)

    def get_queryset(self):
        # A released inmate is "not found" like one of another facility or none at all.
        return selectors.assessment_inmates(user=self.context["request"].user, perm=self.perm)


class _AssessmentSerializer(serializers.ModelSerializer):
    finalise = serializers.BooleanField(write_only=True, required=False, default=False)


class PsychologicalSerializer(_AssessmentSerializer):
    inmate = _InmateField(Perm.PSYCH_DRAFT)
    scores = serializers.DictField(
        child=serializers.FloatField(),
        write_only=True,
        required=False,
        help_text=_("Skala dan nilainya, mis. stres: 12; rahasia, dibaca hanya per rekaman."),
    )
    findings = serializers.CharField(write_only=True, required=False, allow_blank=True)
    notes = serializers.CharField(write_only=True, required=False, allow_blank=True)

    class Meta:
        model = PsychologicalAssessment
        fields = [*COMMON, "scores", "by_intern", "findings", "notes", "finalise"]
        read_only_fields = [*READ_ONLY, "by_intern"]


class PsychologicalDetailSerializer(PsychologicalSerializer):
    """The answer for one record (schema only): `scores`, `findings` and `notes` are in it for
    a psychologist or facility head of its facility, absent for everyone else."""

    scores = serializers.DictField(
        child=serializers.FloatField(), required=False, help_text="Confidential; audited read."
    )
    findings = serializers.CharField(required=False, help_text="Confidential; audited read.")
    notes = serializers.CharField(required=False, help_text="Confidential; audited read.")


class LiteracySerializer(_AssessmentSerializer):
    inmate = _InmateField(Perm.ASSESSMENT_MANAGE)
    level = CodeRelatedField(
        slug_field="code",
        queryset=LiteracyLevel.objects.all(),
        help_text=_("Kode tingkat dari aksara yang sama, mis. paket_b (Latin), quran_iqra."),
    )
    level_label = serializers.CharField(source="level.display_label", read_only=True)
    level_rank = serializers.IntegerField(source="level.rank", read_only=True)

    class Meta:
        model = LiteracyAssessment
        fields = [
            *COMMON,
            "script",
            "level",
            "level_label",
            "level_rank",
            "reading_score",
            "writing_score",
            "numeracy_score",
            "finalise",
        ]
        read_only_fields = READ_ONLY


class InterestSerializer(_AssessmentSerializer):
    inmate = _InmateField(Perm.ASSESSMENT_MANAGE)
    areas = serializers.ListField(
        child=serializers.ChoiceField(choices=ProgrammeArea.choices), allow_empty=False
    )

    class Meta:
        model = InterestAssessment
        fields = [*COMMON, "areas", "notes", "finalise"]
        read_only_fields = READ_ONLY


class BehaviourSerializer(serializers.ModelSerializer):
    inmate = _InmateField(Perm.ASSESSMENT_MANAGE)
    average = serializers.FloatField(read_only=True)

    class Meta:
        model = BehaviourScore
        fields = [
            "id",
            "inmate",
            "facility",
            "month",
            *BehaviourScore.ASPECTS,
            "average",
            "note",
            "assessor",
            "status",
        ]
        read_only_fields = ["facility", "assessor", "status"]
        # One score per inmate per month is checked by the service, in Indonesian.
        validators = []


class _AssessmentViewSet(
    ReadAuditMixin,
    ConcurrencyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    kind: str
    create_service = None
    filterset_class = selectors.AssessmentFilter
    filter_backends = [SelectorFilterBackend]

    def get_queryset(self):
        return selectors.assessment_list(
            user=self.request.user, kind=self.kind, filters=list_params(self)
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        inmate = data.pop("inmate")
        serializer.instance = type(self).create_service(inmate=inmate, by=self.request.user, **data)


class PsychologicalViewSet(_AssessmentViewSet):
    """Psychological assessments. `scores`, `findings` and `notes` are write-only here; a single
    record read by a psychologist or facility head of its facility adds them (audited)."""

    serializer_class = PsychologicalSerializer
    kind = AssessmentKind.PSIKOLOGIS
    create_service = staticmethod(services.psych_create)
    audit_retrieve = False  # audited below, once: the confidential read or the plain one

    @extend_schema(responses=PsychologicalDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        assessment = self.get_object()
        body = self.get_serializer(assessment).data
        if can_read_confidential(request.user, assessment):
            body |= services.psych_confidential_read(
                assessment=assessment, by=request.user, via="api"
            )
        else:  # the confidential read audits itself
            self.audit_read(assessment)
        return Response(body)


class LiteracyViewSet(_AssessmentViewSet):
    """Literacy assessments per script; `level` is a code of that script's track."""

    serializer_class = LiteracySerializer
    filterset_class = selectors.LiteracyFilter
    kind = AssessmentKind.LITERASI
    create_service = staticmethod(services.literacy_create)


class InterestViewSet(_AssessmentViewSet):
    serializer_class = InterestSerializer
    kind = AssessmentKind.MINAT
    create_service = staticmethod(services.interest_create)


class BehaviourViewSet(_AssessmentViewSet):
    """SPPN monthly scores (one per inmate per month)."""

    serializer_class = BehaviourSerializer
    kind = AssessmentKind.SPPN
    create_service = staticmethod(services.behaviour_score_create)


def _inmate(request, pk):
    return inmate_selectors.inmate_get(user=request.user, pk=pk, perm=Perm.ASSESSMENT_VIEW)


def _audit_inmate_read(request, inmate, read: str) -> None:
    """One READ entry of the inmate: what was read about them and with which parameters."""
    filters = audit_filters(request.query_params)
    filters.pop("page")
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        instance=inmate,
        after={"read": read, "filters": filters, "ids": [inmate.pk]},
        via="api",
    )


class RuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    passed = serializers.BooleanField()
    reason = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    basis = serializers.CharField()
    how = serializers.ListField(child=serializers.CharField())


class StepSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    done = serializers.BooleanField()
    done_on = serializers.DateField(allow_null=True)
    reference = serializers.CharField()
    by = serializers.CharField()
    hint = serializers.CharField()
    basis = serializers.CharField()
    automatic = serializers.BooleanField()


class EligibilitySerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    on = serializers.DateField()
    applies = serializers.BooleanField()
    eligible = serializers.BooleanField()
    special = serializers.BooleanField()
    category_note = serializers.CharField()
    time_date = serializers.DateField(allow_null=True)
    legal_basis = serializers.CharField()
    reckoning_steps = serializers.ListField(child=serializers.CharField())
    rules = RuleSerializer(many=True)
    steps = StepSerializer(many=True)


class StepDoneSerializer(serializers.Serializer):
    step = serializers.SlugField(max_length=40)
    done_on = serializers.DateField()
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class SuggestionSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    area = serializers.CharField()
    area_label = serializers.CharField()
    pillar = serializers.CharField()
    reason = serializers.CharField()
    programmes = serializers.SerializerMethodField()

    def get_programmes(self, obj) -> list[dict]:
        return [{"id": p.pk, "title": p.title, "status": p.status} for p in obj.programmes]


class EligibilityQuerySerializer(QuerySerializer):
    kind = serializers.ChoiceField(
        choices=EligibilityKind.choices,
        required=False,
        allow_blank=True,
        help_text="One right; absent or blank: every right.",
        error_messages={"invalid_choice": _("Jenis hak tidak dikenal.")},
    )
    on = CalendarDateField(required=False, help_text="Judge on this date (default: today).")


KIND_PARAMETER = OpenApiParameter(
    "kind", OpenApiTypes.STR, OpenApiParameter.PATH, enum=EligibilityKind.values
)


class InmateRecommendationsView(APIView):
    """Ranked programme suggestions for an inmate, each with its reason."""

    @extend_schema(responses=SuggestionSerializer(many=True))
    def get(self, request, pk):
        inmate = _inmate(request, pk)
        body = SuggestionSerializer(selectors.recommendations(inmate=inmate), many=True).data
        _audit_inmate_read(request, inmate, "recommendations")
        return Response(body)


class InmateEligibilityView(APIView):
    """Eligibility for each right (or `?kind=`), every rule with pass/fail and reason."""

    @extend_schema(
        parameters=[EligibilityQuerySerializer], responses=EligibilitySerializer(many=True)
    )
    def get(self, request, pk):
        inmate = _inmate(request, pk)
        query = EligibilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        on = query.validated_data.get("on") or inmate.facility.today()
        kind = query.validated_data.get("kind")
        if kind:
            results = [eligibility.evaluate(inmate=inmate, kind=kind, on=on)]
        else:
            results = eligibility.evaluate_all(inmate=inmate, on=on)
        body = EligibilitySerializer(results, many=True).data
        _audit_inmate_read(request, inmate, "eligibility")
        return Response(body)


class InmateRightStepView(APIView):
    """Record that one step of proposing a right is done (`services.right_step_done`); the
    answer is the right's eligibility with its checklist."""

    @extend_schema(
        parameters=[KIND_PARAMETER],
        request=StepDoneSerializer,
        responses={201: EligibilitySerializer},
    )
    def post(self, request, pk, kind):
        inmate = inmate_selectors.inmate_get(user=request.user, pk=pk, perm=Perm.ASSESSMENT_MANAGE)
        if kind not in EligibilityKind.values:
            raise serializers.ValidationError({"kind": _("Jenis hak tidak dikenal.")})
        data = StepDoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.right_step_done(inmate=inmate, kind=kind, by=request.user, **data.validated_data)
        result = eligibility.evaluate(inmate=inmate, kind=kind)
        return Response(EligibilitySerializer(result).data, status=201)
