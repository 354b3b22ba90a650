"""REST API for intern logs and attendance. An intern's token sees only their own records."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from assessments.models import LiteracyAssessment, PsychologicalAssessment
from programmes.models import Session
from rutan.core.api import ConcurrencyMixin, ReadAuditMixin
from rutan.core.filters import SelectorFilterBackend, list_params
from rutan.facilities.models import Block

from . import selectors, services
from .models import ActivityLog, DailyAttendance, LogType

LOG_WRITABLE = [
    "on",
    "start_time",
    "end_time",
    "hours",
    "log_type",
    "place",
    "block",
    "people_reached",
    "description",
    "findings",
    "session",
    "psych_assessment",
    "literacy_assessment",
]


class PhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(reverse("interns:photo", args=[obj.pk]))


NOT_LINKABLE = _(
    "Asesmen ini tidak dapat Anda kaitkan: pilih dari daftar asesmen yang tersedia untuk Anda."
)


class _InternPick(serializers.PrimaryKeyRelatedField):
    """A block, session or assessment among the calling intern's own (`mine(intern)`); any
    other id — of another facility, not offered, or none at all — gets the one `message`."""

    def __init__(self, *, mine, message, **kwargs):
        self.mine = mine
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        kwargs["error_messages"] = {"does_not_exist": message, "incorrect_type": message}
        super().__init__(**kwargs)

    def get_queryset(self):
        intern = selectors.intern_for_user(user=self.context["request"].user)
        return self.queryset.none() if intern is None else self.mine(intern)


class ActivityLogSerializer(serializers.ModelSerializer):
    intern = serializers.PrimaryKeyRelatedField(read_only=True)
    intern_name = serializers.CharField(source="intern.user.__str__", read_only=True)
    block = _InternPick(
        queryset=Block.objects.all(),
        mine=lambda intern: Block.objects.filter(facility=intern.facility_id),
        message=_("Blok tidak ada di UPT ini."),
    )
    session = _InternPick(
        queryset=Session.objects.all(),
        mine=lambda intern: Session.objects.filter(programme__facility=intern.facility_id),
        message=_("Sesi program tidak ada di UPT ini."),
    )
    psych_assessment = _InternPick(
        queryset=PsychologicalAssessment.objects.all(),
        mine=lambda intern: selectors.linkable_assessments(intern=intern, field="psych_assessment"),
        message=NOT_LINKABLE,
    )
    literacy_assessment = _InternPick(
        queryset=LiteracyAssessment.objects.all(),
        mine=lambda intern: selectors.linkable_assessments(
            intern=intern, field="literacy_assessment"
        ),
        message=NOT_LINKABLE,
    )
    log_type = serializers.ChoiceField(choices=LogType.choices, allow_blank=True, required=False)
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = ActivityLog
        fields = [
            "id",
            "intern",
            "intern_name",
            *LOG_WRITABLE,
            "status",
            "submitted_at",
            "reviewed_at",
            "review_comment",
            "auto_approved",
            "photos",
        ]
        read_only_fields = [
            "status",
            "submitted_at",
            "reviewed_at",
            "review_comment",
            "auto_approved",
        ]
        extra_kwargs = {"on": {"required": False}}


class ReviewInputSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ActivityLogViewSet(
    ReadAuditMixin,
    ConcurrencyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Activity logs: an intern's own (drafts included); a mentor's facility (submitted on).

    Create and update save a draft through the same service as the phone form; `submit`,
    `approve` and `return` move a log along its review.
    """

    serializer_class = ActivityLogSerializer
    # Names the model for the schema (an anonymous user has no scope); reads use get_queryset.
    queryset = ActivityLog.objects.none()
    filterset_class = selectors.LogFilter
    filter_backends = [SelectorFilterBackend]

    def get_queryset(self):
        return selectors.log_list(
            user=self.request.user, filters=list_params(self)
        ).prefetch_related("photos")

    def _reviewable(self):
        return selectors.log_reviewable(user=self.request.user, log=self.get_object())

    def _own(self):
        intern = selectors.intern_for_user(user=self.request.user)
        if intern is None:
            raise PermissionDenied(_("Hanya peserta magang yang dapat mencatat kegiatan."))
        return intern

    def perform_create(self, serializer):
        serializer.instance = services.log_save_draft(
            intern=self._own(), by=self.request.user, data=dict(serializer.validated_data)
        )

    def perform_update(self, serializer):
        log = selectors.own_log_get(user=self.request.user, pk=serializer.instance.pk)
        serializer.instance = services.log_save_draft(
            intern=log.intern, by=self.request.user, log=log, data=dict(serializer.validated_data)
        )

    def _respond(self, log):
        log = self.get_queryset().get(pk=log.pk)
        return Response(self.get_serializer(log).data)

    @extend_schema(request=None, responses=ActivityLogSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        log = selectors.own_log_get(user=request.user, pk=pk)
        return self._respond(services.log_submit(log=log, by=request.user))

    @extend_schema(request=ReviewInputSerializer, responses=ActivityLogSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        log = self._reviewable()
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(
            services.log_approve(log=log, by=request.user, comment=data.validated_data["comment"])
        )

    @extend_schema(request=ReviewInputSerializer, responses=ActivityLogSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        log = self._reviewable()
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(
            services.log_return(log=log, by=request.user, comment=data.validated_data["comment"])
        )


class AttendanceSerializer(serializers.ModelSerializer):
    intern_name = serializers.CharField(source="intern.user.__str__", read_only=True)

    class Meta:
        model = DailyAttendance
        fields = ["id", "intern", "intern_name", "on", "check_in", "check_out"]
        read_only_fields = fields


class AttendanceViewSet(ReadAuditMixin, ConcurrencyMixin, viewsets.ReadOnlyModelViewSet):
    """Daily attendance: an intern's own, or their facility's for mentors.

    `check_in` and `check_out` record the caller's own arrival and departure now.
    """

    serializer_class = AttendanceSerializer

    def get_queryset(self):
        return selectors.attendance_list(user=self.request.user).order_by("-on", "id")

    def _own(self):
        intern = selectors.intern_for_user(user=self.request.user)
        if intern is None:
            raise PermissionDenied(_("Hanya peserta magang yang dapat mencatat kehadiran."))
        return intern

    @extend_schema(request=None, responses={201: AttendanceSerializer})
    @action(detail=False, methods=["post"], url_path="check-in")
    def check_in(self, request):
        record = services.attendance_check_in(intern=self._own(), by=request.user)
        return Response(self.get_serializer(record).data, status=201)

    @extend_schema(request=None, responses=AttendanceSerializer)
    @action(detail=False, methods=["post"], url_path="check-out")
    def check_out(self, request):
        record = services.attendance_check_out(intern=self._own(), by=request.user)
        return Response(self.get_serializer(record).data)
