from django.urls import include, path
from rest_framework.routers import DefaultRouter

from interns.api import ActivityLogViewSet, AttendanceViewSet
from partners.api import (
    AgreementViewSet,
    ContributionViewSet,
    GuaranteeViewSet,
    PartnerViewSet,
)
from programmes.api import (
    AssimilationPlacementViewSet,
    CertificateViewSet,
    EnrolmentViewSet,
    ProductViewSet,
    ProgrammeViewSet,
    SessionAttendanceViewSet,
    SessionViewSet,
)
from rutan.accounts.api import TokenLogoutView, TokenObtainView
from rutan.facilities.api import FacilityViewSet
from rutan.imports.api import DataImportViewSet
from rutan.inmates.api import InmateViewSet
from rutan.reports.api import ReportRunViewSet

router = DefaultRouter()
router.register("facilities", FacilityViewSet, basename="facility")
router.register("inmates", InmateViewSet, basename="inmate")
router.register("imports", DataImportViewSet, basename="import")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("sessions", SessionViewSet, basename="session")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("attendance", SessionAttendanceViewSet, basename="attendance")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("products", ProductViewSet, basename="product")
router.register(
    "assimilation-placements", AssimilationPlacementViewSet, basename="assimilation-placement"
)
router.register("partners", PartnerViewSet, basename="partner")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("contributions", ContributionViewSet, basename="contribution")
router.register("guarantees", GuaranteeViewSet, basename="guarantee")
router.register("reports", ReportRunViewSet, basename="report")
router.register("intern-logs", ActivityLogViewSet, basename="intern-log")
router.register("intern-attendance", AttendanceViewSet, basename="intern-attendance")

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="api-token"),
    path("auth/logout/", TokenLogoutView.as_view(), name="api-logout"),
    path("", include(router.urls)),
    path("", include("assessments.api_urls")),
]
