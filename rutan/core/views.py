"""Views the project shares: the API's documentation and the answer to an unknown API URL."""

from django.http import JsonResponse
from django.views.defaults import page_not_found as html_page_not_found
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound

from .api import error_body


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI under the site's Content-Security-Policy: the page has no inline script or
    style; its start-up script is a second request to this view (`?script`)."""

    template_name = "api/swagger_ui.html"


def page_not_found(request, exception, template_name="404.html"):
    """An unknown URL under /api/ answers in the API's error shape; pages get the 404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(NotFound()), status=404)
    return html_page_not_found(request, exception, template_name)
