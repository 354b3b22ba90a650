"""REST API of the programmes app. Reads go through the selectors (scoped); writes call services."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from partners.models import Agreement
from rutan.core.api import CodeRelatedField, ConcurrencyMixin
from rutan.core.filters import SelectorFilterBackend, list_params
from rutan.core.models import LiteracyLevel
from rutan.core.roles import Perm
from rutan.facilities.models import Facility
from rutan.inmates.choices import CoachingStage
from rutan.inmates.models import Inmate

from . import selectors, services
from .choices import AbsenceReason, EvaluationKind, WithdrawReason
from .models import (
    AssimilationLog,
    AssimilationPlacement,
    Attendance,
    Certificate,
    Enrolment,
    Product,
    Programme,
    Session,
)


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A related object the caller may reach with `perm`; others read as "not found"."""

    def __init__(self, *, model, perm: Perm, **kwargs):
        self.model, self.perm = model, perm
        super().__init__(queryset=model.objects.all(), **kwargs)

    def get_queryset(self):
        return self.model.objects.for_user(self.context["request"].user, self.perm)


class ProgrammeSerializer(serializers.ModelSerializer):
    facility = ScopedPrimaryKeyField(model=Facility, perm=Perm.PROGRAMME_MANAGE)
    agreement = ScopedPrimaryKeyField(
        model=Agreement, perm=Perm.PROGRAMME_MANAGE, required=False, allow_null=True
    )
    eligible_stages = serializers.ListField(
        child=serializers.ChoiceField(choices=CoachingStage.choices), required=False
    )
    min_literacy_level = CodeRelatedField(
        slug_field="code",
        queryset=LiteracyLevel.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Kode tingkat literasi minimal; aksaranya ada di min_literacy_script."),
    )
    # No default: a default is skipped in a PATCH answer, and the field would be missing.
    min_literacy_script = serializers.CharField(
        source="min_literacy_level.script", read_only=True, allow_null=True
    )
    active_count = serializers.IntegerField(read_only=True, required=False)
    waitlist_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Programme
        fields = [
            "id",
            "facility",
            *services.PROGRAMME_FIELDS,
            "min_literacy_script",
            "status",
            "active_count",
            "waitlist_count",
        ]
        read_only_fields = ["status"]
        validators = []  # the services check uniqueness with Indonesian messages


class ProgrammeStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["running", "finished", "cancelled"])


class SessionGenerateSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()


class ProgrammeViewSet(
    ConcurrencyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Programmes of the caller's facilities."""

    serializer_class = ProgrammeSerializer
    filterset_class = selectors.ProgrammeFilter
    filter_backends = [SelectorFilterBackend]

    def get_queryset(self):
        perm = (
            Perm.PROGRAMME_VIEW if self.action in ("list", "retrieve") else (Perm.PROGRAMME_MANAGE)
        )
        return selectors.programme_list(
            user=self.request.user, filters=list_params(self), perm=perm
        )

    def _counted(self, programme: Programme) -> Programme:
        """The programme as the list shows it, with its active and waiting counts."""
        return selectors.programme_list(user=self.request.user).get(pk=programme.pk)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        facility = data.pop("facility")
        programme = services.programme_create(facility=facility, by=self.request.user, **data)
        serializer.instance = self._counted(programme)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("facility", None)
        programme = services.programme_update(
            programme=serializer.instance, by=self.request.user, **data
        )
        serializer.instance = self._counted(programme)

    @extend_schema(request=ProgrammeStatusSerializer, responses=ProgrammeSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        """Move the programme to running, finished (completes active places) or cancelled."""
        programme = self.get_object()
        body = ProgrammeStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        programme = services.programme_set_status(
            programme=programme, status=body.validated_data["status"], by=request.user
        )
        return Response(
            ProgrammeSerializer(self._counted(programme), context={"request": request}).data
        )

    @extend_schema(request=SessionGenerateSerializer, responses={201: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"], url_path="generate-sessions")
    def generate_sessions(self, request, pk=None):
        """Make the dated sessions of the weekly schedule between two dates (idempotent)."""
        programme = self.get_object()
        body = SessionGenerateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        made = services.sessions_generate(
            programme=programme, by=request.user, **body.validated_data
        )
        return Response({"created": len(made)}, status=status.HTTP_201_CREATED)


class SessionSerializer(serializers.ModelSerializer):
    programme = ScopedPrimaryKeyField(model=Programme, perm=Perm.PROGRAMME_MANAGE)

    class Meta:
        model = Session
        fields = [
            "id",
            "programme",
            "date",
            "start_time",
            "end_time",
            "location",
            "topic",
            "status",
            "cancel_reason",
            "cancelled_at",
            "attendance_taken_at",
        ]
        read_only_fields = ["status", "cancel_reason", "cancelled_at", "attendance_taken_at"]
        validators = []  # the services check uniqueness with Indonesian messages


class SessionCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class SessionViewSet(
    ConcurrencyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Dated sessions of the caller's programmes; a cancelled session keeps its row."""

    serializer_class = SessionSerializer
    filterset_class = selectors.SessionFilter
    filter_backends = [SelectorFilterBackend]

    def get_queryset(self):
        perm = (
            Perm.PROGRAMME_VIEW if self.action in ("list", "retrieve") else (Perm.PROGRAMME_MANAGE)
        )
        return selectors.session_list(user=self.request.user, filters=list_params(self), perm=perm)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        programme = data.pop("programme")
        serializer.instance = services.session_create(
            programme=programme, by=self.request.user, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("programme", None)
        serializer.instance = services.session_update(
            session=serializer.instance, by=self.request.user, **data
        )

    @extend_schema(request=SessionCancelSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        session = self.get_object()
        body = SessionCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        session = services.session_cancel(
            session=session, reason=body.validated_data["reason"], by=request.user
        )
        return Response(SessionSerializer(session, context={"request": request}).data)


class EnrolmentSerializer(serializers.ModelSerializer):
    programme = ScopedPrimaryKeyField(model=Programme, perm=Perm.PROGRAMME_MANAGE)
    inmate = ScopedPrimaryKeyField(model=Inmate, perm=Perm.INMATE_VIEW)
    inmate_name = serializers.CharField(source="inmate.name", read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "programme",
            "inmate",
            "inmate_name",
            "status",
            "waitlist_position",
            "requested_on",
            "started_on",
            "ended_on",
            "end_reason",
            "end_note",
        ]
        read_only_fields = [
            "status",
            "waitlist_position",
            "requested_on",
            "started_on",
            "ended_on",
            "end_reason",
            "end_note",
        ]
        validators = []  # the services check uniqueness with Indonesian messages


class EnrolmentWithdrawSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=WithdrawReason.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class EnrolmentCompleteSerializer(serializers.Serializer):
    on = serializers.DateField(required=False)
    post_score = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False
    )
    instrument = serializers.CharField(max_length=200, required=False, default="")


class EnrolmentEvaluationSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EvaluationKind.choices)
    score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    instrument = serializers.CharField(max_length=200, required=False, default="")
    on = serializers.DateField(required=False)


class EnrolmentViewSet(
    ConcurrencyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Places in programmes. Creating one checks eligibility and capacity (waiting list)."""

    serializer_class = EnrolmentSerializer
    filterset_class = selectors.EnrolmentFilter
    filter_backends = [SelectorFilterBackend]

    def get_queryset(self):
        perm = (
            Perm.PROGRAMME_VIEW if self.action in ("list", "retrieve") else (Perm.PROGRAMME_MANAGE)
        )
        return selectors.enrolment_list(
            user=self.request.user, filters=list_params(self), perm=perm
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.enrolment_create(
            programme=data["programme"], inmate=data["inmate"], by=self.request.user
        )

    def _respond(self, enrolment):
        return Response(EnrolmentSerializer(enrolment, context={"request": self.request}).data)

    @extend_schema(request=EnrolmentWithdrawSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        enrolment = self.get_object()
        body = EnrolmentWithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(
            services.enrolment_withdraw(enrolment=enrolment, by=request.user, **body.validated_data)
        )

    @extend_schema(request=EnrolmentCompleteSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        enrolment = self.get_object()
        body = EnrolmentCompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(
            services.enrolment_complete(enrolment=enrolment, by=request.user, **body.validated_data)
        )

    @extend_schema(request=EnrolmentEvaluationSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def evaluation(self, request, pk=None):
        """Record the pre- or post-programme score (0–100)."""
        enrolment = self.get_object()
        body = EnrolmentEvaluationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.evaluation_record(enrolment=enrolment, by=request.user, **body.validated_data)
        return self._respond(enrolment)


class SessionAttendanceSerializer(serializers.ModelSerializer):
    inmate_name = serializers.CharField(source="enrolment.inmate.name", read_only=True)

    class Meta:
        model = Attendance
        fields = [
            "id",
            "session",
            "enrolment",
            "inmate_name",
            "status",
            "reason",
            "note",
            "recorded_at",
        ]
        read_only_fields = fields


class AbsenceSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=AbsenceReason.choices)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AttendanceRegisterSerializer(serializers.Serializer):
    session = ScopedPrimaryKeyField(model=Session, perm=Perm.ATTENDANCE_RECORD)
    absences = AbsenceSerializer(many=True, required=False, default=list)


@extend_schema_view(
    create=extend_schema(
        request=AttendanceRegisterSerializer,
        responses={201: SessionAttendanceSerializer(many=True)},
        description="Take or correct a session's whole register in one request: everyone on "
        "the roster is present unless listed in `absences` with a reason code.",
    ),
)
class SessionAttendanceViewSet(ConcurrencyMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Attendance per session and enrolment; written in bulk per session."""

    serializer_class = SessionAttendanceSerializer
    filterset_class = selectors.AttendanceFilter
    filter_backends = [SelectorFilterBackend]

    def get_queryset(self):
        return selectors.session_attendance_list(user=self.request.user, filters=list_params(self))

    def create(self, request):
        body = AttendanceRegisterSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        absences = {
            a["enrolment"]: (a["reason"], a["note"]) for a in body.validated_data["absences"]
        }
        rows = services.attendance_record(
            session=body.validated_data["session"], absences=absences, by=request.user
        )
        return Response(
            SessionAttendanceSerializer(rows, many=True).data, status=status.HTTP_201_CREATED
        )


class CertificateSerializer(serializers.ModelSerializer):
    enrolment = ScopedPrimaryKeyField(model=Enrolment, perm=Perm.PROGRAMME_MANAGE)
    verify_url = serializers.SerializerMethodField()
    issued_on = serializers.DateField(required=False)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "enrolment",
            "number",
            "code",
            "competence",
            "issuer",
            "issued_on",
            "revoked_on",
            "verify_url",
        ]
        read_only_fields = ["number", "code", "revoked_on"]
        validators = []  # the services check uniqueness with Indonesian messages

    def get_verify_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("programmes:verify", args=[obj.code])
        )


class CertificateViewSet(
    ConcurrencyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Certificates of competence; issuing needs a completed enrolment."""

    serializer_class = CertificateSerializer
    filterset_class = selectors.CertificateFilter
    filter_backends = [SelectorFilterBackend]

    def get_queryset(self):
        return selectors.certificate_list(
            user=self.request.user, filters=list_params(self)
        ).order_by("-issued_on", "-id")

    def perform_create(self, serializer):
        serializer.instance = services.certificate_issue(
            by=self.request.user, **serializer.validated_data
        )


class ProductSerializer(serializers.ModelSerializer):
    programme = ScopedPrimaryKeyField(model=Programme, perm=Perm.PROGRAMME_MANAGE)
    # Up to 14 digits of unit value times a quantity of up to 10 digits.
    total_value = serializers.DecimalField(max_digits=24, decimal_places=0, read_only=True)

    class Meta:
        model = Product
        fields = ["id", "programme", *services.PRODUCT_FIELDS, "total_value"]
        validators = []  # the services check uniqueness with Indonesian messages


class ProductViewSet(
    ConcurrencyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Products made in programmes, with quantity and unit value in rupiah."""

    serializer_class = ProductSerializer
    filterset_class = selectors.ProductFilter
    filter_backends = [SelectorFilterBackend]

    def get_queryset(self):
        perm = (
            Perm.PROGRAMME_VIEW if self.action in ("list", "retrieve") else (Perm.PROGRAMME_MANAGE)
        )
        return selectors.product_list(user=self.request.user, filters=list_params(self), perm=perm)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        programme = data.pop("programme")
        serializer.instance = services.product_create(
            programme=programme, by=self.request.user, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("programme", None)
        serializer.instance = services.product_update(
            product=serializer.instance, by=self.request.user, **data
        )


class AssimilationLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssimilationLog
        fields = ["id", "date", "checked_out_at", "checked_in_at", "note"]
        read_only_fields = fields


class AssimilationPlacementSerializer(serializers.ModelSerializer):
    inmate = ScopedPrimaryKeyField(model=Inmate, perm=Perm.ASSIMILATION_MANAGE)
    programme = ScopedPrimaryKeyField(
        model=Programme, perm=Perm.ASSIMILATION_MANAGE, required=False, allow_null=True
    )

    class Meta:
        model = AssimilationPlacement
        fields = [
            "id",
            "inmate",
            "programme",
            "workplace",
            "address",
            "supervisor",
            "decree_reference",
            "start_date",
            "end_date",
            "status",
            "end_reason",
            "checks",
        ]
        read_only_fields = ["status", "end_reason", "checks"]
        validators = []  # the services check uniqueness with Indonesian messages


class AssimilationNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class AssimilationEndSerializer(serializers.Serializer):
    on = serializers.DateField()
    reason = serializers.CharField(max_length=300)


class AssimilationPlacementViewSet(
    ConcurrencyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Assimilation work placements; creating one runs the eligibility checks."""

    serializer_class = AssimilationPlacementSerializer
    filterset_class = selectors.AssimilationFilter
    filter_backends = [SelectorFilterBackend]

    def get_queryset(self):
        perm = (
            Perm.PROGRAMME_VIEW
            if self.action in ("list", "retrieve")
            else (Perm.ASSIMILATION_MANAGE)
        )
        return selectors.assimilation_list(
            user=self.request.user, filters=list_params(self), perm=perm
        )

    def perform_create(self, serializer):
        serializer.instance = services.assimilation_placement_create(
            by=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=AssimilationNoteSerializer, responses=AssimilationLogSerializer)
    @action(detail=True, methods=["post"], url_path="check-out")
    def check_out(self, request, pk=None):
        placement = self.get_object()
        body = AssimilationNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        log = services.assimilation_check_out(
            placement=placement, by=request.user, **body.validated_data
        )
        return Response(AssimilationLogSerializer(log).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssimilationNoteSerializer, responses=AssimilationLogSerializer)
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        placement = self.get_object()
        body = AssimilationNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        log = services.assimilation_check_in(
            placement=placement, by=request.user, **body.validated_data
        )
        return Response(AssimilationLogSerializer(log).data)

    @extend_schema(request=AssimilationEndSerializer, responses=AssimilationPlacementSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        placement = self.get_object()
        body = AssimilationEndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        placement = services.assimilation_placement_end(
            placement=placement, by=request.user, **body.validated_data
        )
        return Response(
            AssimilationPlacementSerializer(placement, context={"request": request}).data
        )
