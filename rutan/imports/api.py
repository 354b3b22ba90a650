from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from rutan.core.api import ConcurrencyMixin, ReadAuditMixin
from rutan.core.filters import SelectorFilterBackend, list_params
from rutan.facilities.models import Facility

from . import engine, selectors, services
from .models import DataImport


class DataImportSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()

    class Meta:
        model = DataImport
        fields = [
            "id",
            "kind",
            "facility",
            "original_name",
            "status",
            "progress",
            "total_rows",
            "counts",
            "errors",
            "error_count",
            "rows",
            "headers",
            "ignored_columns",
            "missing_columns",
            "failure",
            "created_at",
            "written_at",
        ]
        read_only_fields = fields

    def get_progress(self, obj) -> int:
        return engine.progress_of(obj)


class DataImportUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[])
    facility = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    file = serializers.FileField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = sorted(engine.KINDS)


class ColumnMappingSerializer(serializers.Serializer):
    columns = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text='{file header: column name of the kind, or "" to ignore it}',
    )


class DataImportViewSet(
    ReadAuditMixin, ConcurrencyMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """Bulk import: POST a CSV/XLSX file with its kind and facility to preview it (nothing is
    written), GET it for status, progress, counts and errors, POST `mapping/` to map its
    columns, POST `confirm/` to write the good rows."""

    serializer_class = DataImportSerializer
    queryset = DataImport.objects.none()
    filterset_class = selectors.DataImportFilter
    filter_backends = [SelectorFilterBackend]

    def get_queryset(self):
        return selectors.import_list_filtered(user=self.request.user, filters=list_params(self))

    def get_object(self):
        data_import = selectors.import_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, data_import)
        return data_import

    @extend_schema(
        request={"multipart/form-data": DataImportUploadSerializer},
        responses={201: DataImportSerializer},
    )
    def create(self, request):
        upload = DataImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        kind = engine.kind_get(upload.validated_data["kind"])
        facility = (
            Facility.objects.for_user(request.user, kind.perm)
            .filter(pk=upload.validated_data["facility"])
            .first()
        )
        if facility is None:
            # Another facility's id reads like an unknown one: no hint of what exists elsewhere.
            raise serializers.ValidationError(
                {"facility": [_("Tidak ada UPT ini yang dapat Anda impor datanya.")]}
            )
        data_import = services.import_create(
            kind=kind.name, facility=facility, by=request.user, file=upload.validated_data["file"]
        )
        data_import.refresh_from_db()
        return Response(DataImportSerializer(data_import).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request, pk=None):
        data_import = self.get_object()
        self.audit_read(data_import)
        return Response(DataImportSerializer(data_import).data)

    @extend_schema(request=ColumnMappingSerializer, responses={200: DataImportSerializer})
    @action(detail=True, methods=["post"])
    def mapping(self, request, pk=None):
        """Save how the file's headers map to the kind's columns and preview it again."""
        data_import = self.get_object()
        body = ColumnMappingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.import_map(
            data_import=data_import, by=request.user, columns=body.validated_data["columns"]
        )
        data_import.refresh_from_db()
        return Response(DataImportSerializer(data_import).data)

    @extend_schema(request=None, responses={200: DataImportSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Write the previewed file's good rows (rows in error are skipped and listed)."""
        data_import = self.get_object()
        services.import_confirm(data_import=data_import, by=request.user)
        data_import.refresh_from_db()
        return Response(DataImportSerializer(data_import).data)
