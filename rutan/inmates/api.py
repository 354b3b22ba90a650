from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from rutan.core.api import int_query_param
from rutan.core.roles import Perm
from rutan.core.scoping import facility_ids_for
from rutan.facilities.models import Block, Facility

from . import selectors, services
from .choices import CaseCategory, CoachingStage, InmateStatus, LegalStatus
from .models import Inmate

WRITABLE = [
    "registration_number",
    "register_type",
    "legal_status",
    "name",
    "sex",
    "birth_date",
    "religion",
    "education_level",
    "case_category",
    "case_article",
    "admission_date",
    "sentence_start",
    "sentence_years",
    "sentence_months",
    "sentence_days",
    "remission_days",
]


class InmateSerializer(serializers.ModelSerializer):
    facility = serializers.PrimaryKeyRelatedField(queryset=Facility.objects.all())
    block = serializers.PrimaryKeyRelatedField(
        queryset=Block.objects.all(), allow_null=True, required=False
    )
    stage = serializers.SerializerMethodField()

    class Meta:
        model = Inmate
        fields = [
            "id",
            "facility",
            "block",
            *WRITABLE,
            "status",
            "released_on",
            "release_kind",
            "expected_release_date",
            "stage",
            "lanjutan_from",
            "asimilasi_from",
            "integrasi_from",
        ]
        read_only_fields = [
            "status",
            "released_on",
            "release_kind",
            "expected_release_date",
            "lanjutan_from",
            "asimilasi_from",
            "integrasi_from",
        ]

    def get_stage(self, obj) -> str | None:
        return obj.stage

    def validate_facility(self, facility):
        ids = facility_ids_for(self.context["request"].user, Perm.INMATE_MANAGE)
        if ids is not None and facility.pk not in ids:
            raise serializers.ValidationError(_("UPT tidak ditemukan."))
        if self.instance is not None and facility.pk != self.instance.facility_id:
            raise serializers.ValidationError(_("UPT tidak dapat diubah; gunakan pemindahan."))
        return facility


_LIST_PARAMS = [
    OpenApiParameter("search", OpenApiTypes.STR, description="Name or registration number"),
    OpenApiParameter(
        "status",
        OpenApiTypes.STR,
        enum=[*InmateStatus.values, "all"],
        description="Default: active",
    ),
    OpenApiParameter("stage", OpenApiTypes.STR, enum=CoachingStage.values),
    OpenApiParameter("case_category", OpenApiTypes.STR, enum=CaseCategory.values),
    OpenApiParameter("legal_status", OpenApiTypes.STR, enum=LegalStatus.values),
    OpenApiParameter("sex", OpenApiTypes.STR, enum=["L", "P"]),
    OpenApiParameter(
        "integrasi_within",
        OpenApiTypes.INT,
        description="Integrasi begins between today (facility date) and this many days later",
    ),
    OpenApiParameter("facility", OpenApiTypes.INT),
    OpenApiParameter("block", OpenApiTypes.INT),
]


@extend_schema_view(list=extend_schema(parameters=_LIST_PARAMS))
class InmateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The inmate register of the caller's facilities. Every read of a record is audited."""

    serializer_class = InmateSerializer

    def get_queryset(self):
        params = self.request.query_params
        filters = {
            "q": params.get("search", ""),
            "status": params.get("status", ""),
            "stage": params.get("stage", ""),
            "case_category": params.get("case_category", ""),
            "legal_status": params.get("legal_status", ""),
            "sex": params.get("sex", ""),
            "integrasi_within": int_query_param(self.request, "integrasi_within"),
            "facility": int_query_param(self.request, "facility"),
            "block": int_query_param(self.request, "block"),
        }
        if self.action != "list":
            filters["status"] = "all"
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
        serializer.instance = services.inmate_create(
            facility=facility, by=self.request.user, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("facility", None)
        serializer.instance = services.inmate_update(
            inmate=serializer.instance, by=self.request.user, **data
        )
