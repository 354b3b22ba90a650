from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from rutan.core.api import ConcurrencyMixin
from rutan.core.filters import SelectorFilterBackend, list_params
from rutan.core.roles import Perm
from rutan.facilities.models import Facility, RegionalOffice

from . import selectors, services
from .models import PERIOD_PATTERN, ReportLanguage, ReportRun, ReportScope, ReportStatus


class ReportRunSerializer(serializers.ModelSerializer):
    target = serializers.CharField(source="target.__str__", read_only=True)
    number = serializers.CharField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportRun
        fields = [
            "id",
            "scope",
            "facility",
            "regional_office",
            "target",
            "kind",
            "period",
            "version",
            "number",
            "language",
            "status",
            "provisional",
            "data_until",
            "progress",
            "sha256",
            "error",
            "attempts",
            "queued_at",
            "started_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj) -> str | None:
        if obj.status != ReportStatus.DONE:
            return None
        return self.context["request"].build_absolute_uri(f"/api/v1/reports/{obj.pk}/download/")


class ReportRequestSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=ReportScope.choices)
    facility = serializers.IntegerField(required=False)
    regional_office = serializers.IntegerField(required=False)
    period = extend_schema_field({"type": "string", "pattern": PERIOD_PATTERN})(
        serializers.CharField(max_length=7, help_text="Month of the report, YYYY-MM")
    )
    language = serializers.ChoiceField(
        choices=ReportLanguage.choices, default=ReportLanguage.INDONESIAN
    )
    new_version = serializers.BooleanField(default=False)

    def validate(self, attrs):
        facilities, regions = selectors.requestable_targets(user=self.context["request"].user)
        try:
            if attrs["scope"] == ReportScope.FACILITY:
                attrs["target"] = facilities.get(pk=attrs.get("facility"))
            else:
                attrs["target"] = regions.get(pk=attrs.get("regional_office"))
        except (Facility.DoesNotExist, RegionalOffice.DoesNotExist, TypeError, ValueError):
            raise serializers.ValidationError(
                {attrs["scope"]: _("UPT atau Kanwil tidak ditemukan.")}
            ) from None
        return attrs


class ReportRunViewSet(
    ConcurrencyMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Monthly report runs in the caller's scope; POST asks for one (202 with the run)."""

    serializer_class = ReportRunSerializer
    filterset_class = selectors.ReportRunFilter
    filter_backends = [SelectorFilterBackend]

    def get_queryset(self):
        return selectors.report_run_list(user=self.request.user, filters=list_params(self))

    @extend_schema(request=ReportRequestSerializer, responses={202: ReportRunSerializer})
    def create(self, request):
        serializer = ReportRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        run = services.report_run_request(
            target=data["target"],
            period=data["period"],
            language=data["language"],
            new_version=data["new_version"],
            by=request.user,
        )
        return Response(
            ReportRunSerializer(run, context={"request": request}).data,
            status=status.HTTP_202_ACCEPTED,
        )

    @extend_schema(request=None, responses={202: ReportRunSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Queue a failed or stuck run again (400 for a run building or done)."""
        run = selectors.report_run_get(user=request.user, pk=pk, perm=Perm.REPORT_REQUEST)
        run = services.report_run_retry(run=run, by=request.user)
        return Response(
            ReportRunSerializer(run, context={"request": request}).data,
            status=status.HTTP_202_ACCEPTED,
        )

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        run = selectors.report_run_get(user=request.user, pk=pk, perm=Perm.REPORT_VIEW)
        if run.status != ReportStatus.DONE or not run.file:
            raise Http404
        services.report_run_record_download(run=run, by=request.user, via="api")
        return FileResponse(
            run.file.open("rb"),
            as_attachment=True,
            filename=run.download_name,
            content_type="application/pdf",
        )
