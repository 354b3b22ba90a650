from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from rutan.core.health import healthz, readyz
from rutan.core.metrics import metrics_view
from rutan.core.views import ApiDocsView

handler404 = "rutan.core.views.page_not_found"
handler500 = "rutan.core.views.server_error"

urlpatterns = [
    # Answered by rutan.core.middleware.HealthProbeMiddleware before sessions and sign-in.
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("", include("rutan.dashboard.urls")),
    path("akun/", include("rutan.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("rutan.inmates.urls")),
    path("", include("rutan.imports.urls")),
    path("", include("programmes.urls")),
    path("", include("assessments.urls")),
    path("", include("partners.urls")),
    path("reports/", include("rutan.reports.urls")),
    path("audit/", include("rutan.core.urls")),
    path("", include("interns.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("rutan.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # For Prometheus: a bearer token (METRICS_TOKEN), no session (docs/observability.md).
    path("metrics", metrics_view, name="metrics"),
    path("api/docs/", login_required(ApiDocsView.as_view(url_name="api-schema")), name="api-docs"),
]
