from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from rutan.core.api import ConcurrencyMixin, ReadAuditMixin
from rutan.core.filters import SelectorFilterBackend
from rutan.core.roles import Perm
from rutan.facilities.models import Block, Facility

from . import selectors, services
from .models import DetentionPeriod, Inmate, RemisiGrant, Verdict

WRITABLE = [
    "registration_number",
    "name",
    "sex",
    "birth_date",
    "religion",
    "education_level",
    "case_category",
    "case_article",
    "admission_date",
]
# Kept by the services from the warrants, the verdict and the remisi ledger.
DERIVED = [
    "register_type",
    "legal_status",
    "custody_start",
    "sentence_kind",
    "sentence_start",
    "sentence_years",
    "sentence_months",
    "sentence_days",
    "substitute_months",
    "substitute_days",
    "remission_days",
    "expected_release_date",
    "lanjutan_from",
    "asimilasi_from",
    "integrasi_from",
]


class DetentionPeriodSerializer(serializers.ModelSerializer):
    days = serializers.IntegerField(read_only=True)

    class Meta:
        model = DetentionPeriod
        fields = [
            "id",
            "authority",
            "order",
            "kind",
            "warrant_number",
            "warrant_date",
            "start",
            "end",
            "note",
            "days",
        ]


class VerdictSerializer(serializers.ModelSerializer):
    class Meta:
        model = Verdict
        fields = [
            "court",
            "court_name",
            "number",
            "decided_on",
            "final_on",
            "sentence_kind",
            "years",
            "months",
            "days",
            "fine",
            "substitute_months",
            "substitute_days",
            "fine_paid",
        ]


class RemisiGrantSerializer(serializers.ModelSerializer):
    class Meta:
        model = RemisiGrant
        fields = ["id", "kind", "decree_number", "decree_date", "months", "days", "note"]


class _ManagedPick(serializers.PrimaryKeyRelatedField):
    """A facility or block where the caller manages the register."""

    def get_queryset(self):
        return self.queryset.for_user(self.context["request"].user, Perm.INMATE_MANAGE)


class InmateSerializer(serializers.ModelSerializer):
    # Another facility's id reads like an unknown one (no hint of what exists elsewhere).
    facility = _ManagedPick(queryset=Facility.objects.all())
    block = _ManagedPick(queryset=Block.objects.all(), allow_null=True, required=False)
    stage = serializers.SerializerMethodField()
    detention = DetentionPeriodSerializer(
        write_only=True,
        required=False,
        help_text="The first warrant; required when registering an inmate.",
    )

    class Meta:
        model = Inmate
        fields = [
            "id",
            "facility",
            "block",
            *WRITABLE,
            "detention",
            "status",
            "released_on",
            "release_kind",
            "stage",
            *DERIVED,
        ]
        read_only_fields = ["status", "released_on", "release_kind", *DERIVED]

    def get_stage(self, obj) -> str | None:
        return obj.stage

    def validate(self, attrs):
        if self.instance is None and not attrs.get("detention"):
            raise serializers.ValidationError(
                {"detention": _("Catat surat penahanan pertama: masa pidana dihitung darinya.")}
            )
        return attrs

    def validate_facility(self, facility):
        if self.instance is not None and facility.pk != self.instance.facility_id:
            raise serializers.ValidationError(_("UPT tidak dapat diubah; gunakan pemindahan."))
        return facility


class InmateViewSet(
    ReadAuditMixin,
    ConcurrencyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The inmate register of the caller's facilities. Every read of a record is audited."""

    serializer_class = InmateSerializer
    filterset_class = selectors.InmateFilter
    filter_backends = [SelectorFilterBackend]
    audit_retrieve = False  # `inmate_record_read` audits it
    list_cached_for = Perm.INMATE_VIEW

    def get_queryset(self):
        filters = self.request.query_params if self.action == "list" else {"status": "all"}
        perm = (
            Perm.INMATE_MANAGE
            if self.action in ("update", "partial_update")
            else (Perm.INMATE_VIEW)
        )
        return selectors.inmate_list(user=self.request.user, filters=filters, perm=perm)

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        services.inmate_record_read(inmate=self.get_object(), by=request.user, via="api")
        return response

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        facility = data.pop("facility")
        detention = data.pop("detention", None)
        try:
            serializer.instance = services.inmate_create(
                facility=facility, by=self.request.user, detention=detention, **data
            )
        except DjangoValidationError as exc:
            if hasattr(exc, "error_dict") and set(exc.error_dict) & set(services.DETENTION_FIELDS):
                raise serializers.ValidationError({"detention": exc.message_dict}) from exc
            raise

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("facility", None)
        data.pop("detention", None)
        serializer.instance = services.inmate_update(
            inmate=serializer.instance, by=self.request.user, **data
        )

    def _manage(self, pk) -> Inmate:
        return selectors.inmate_get(user=self.request.user, pk=pk, perm=Perm.INMATE_MANAGE)

    @extend_schema(
        request=DetentionPeriodSerializer,
        responses={200: DetentionPeriodSerializer(many=True), 201: DetentionPeriodSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="detention-periods")
    def detention_periods(self, request, pk=None):
        """The inmate's warrants; POST records a new warrant or an extension."""
        if request.method == "GET":
            inmate = self.get_object()
            services.inmate_record_read(inmate=inmate, by=request.user, via="api")
            periods = inmate.detention_periods.order_by("start", "id")
            return Response(DetentionPeriodSerializer(periods, many=True).data)
        inmate = self._manage(pk)
        serializer = DetentionPeriodSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        period = services.detention_add(inmate=inmate, by=request.user, **serializer.validated_data)
        return Response(DetentionPeriodSerializer(period).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=VerdictSerializer, responses={200: VerdictSerializer, 201: VerdictSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def verdict(self, request, pk=None):
        """The final verdict; POST records it and makes the detainee a sentenced inmate."""
        if request.method == "GET":
            inmate = self.get_object()
            services.inmate_record_read(inmate=inmate, by=request.user, via="api")
            verdict = services.verdict_of(inmate)
            if verdict is None:
                raise Http404
            return Response(VerdictSerializer(verdict).data)
        inmate = self._manage(pk)
        serializer = VerdictSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        verdict = services.verdict_record(
            inmate=inmate, by=request.user, **serializer.validated_data
        )
        return Response(VerdictSerializer(verdict).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=RemisiGrantSerializer,
        responses={200: RemisiGrantSerializer(many=True), 201: RemisiGrantSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="remisi")
    def remisi(self, request, pk=None):
        """The remisi ledger; POST adds a grant and recomputes every date."""
        if request.method == "GET":
            inmate = self.get_object()
            services.inmate_record_read(inmate=inmate, by=request.user, via="api")
            grants = inmate.remisi_grants.order_by("decree_date", "id")
            return Response(RemisiGrantSerializer(grants, many=True).data)
        inmate = self._manage(pk)
        serializer = RemisiGrantSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        grant = services.remisi_grant_create(
            inmate=inmate, by=request.user, **serializer.validated_data
        )
        return Response(RemisiGrantSerializer(grant).data, status=status.HTTP_201_CREATED)
