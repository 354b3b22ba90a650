"""Render a report to PDF with WeasyPrint, fetching nothing but the project's static files."""

import logging
import mimetypes
from urllib.parse import urlparse

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url

from .models import ReportScope
from .selectors import facility_report_context, regional_report_context

# WeasyPrint reports each layout step at INFO; keep worker logs to what matters.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)


class StaticOnlyFetcher(URLFetcher):
    """Resolve `static:<path>` through the staticfiles finders and inline `data:` URIs only.

    A report never reaches the network or an arbitrary file, whatever its data contains.
    """

    def __init__(self):
        super().__init__(allowed_protocols={"data", "static"})

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("static:"):
            try:
                path = finders.find(urlparse(url).path.lstrip("/"))
            except SuspiciousFileOperation:
                path = None
            if path:
                content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    path2url(path), open(path, "rb"), {"Content-Type": content_type}
                )
        raise ValueError(f"Resource not allowed in a report: {url}")


def render_html(run) -> str:
    if run.scope == ReportScope.FACILITY:
        return render_to_string("reports/pdf/facility.html", facility_report_context(run))
    return render_to_string("reports/pdf/regional.html", regional_report_context(run))


def render_report_pdf(run, progress=lambda value: None) -> bytes:
    """The PDF bytes of `run`, in the language active when called."""
    progress(20)
    html = render_html(run)
    progress(60)
    pdf = HTML(string=html, base_url="static:/", url_fetcher=StaticOnlyFetcher()).write_pdf()
    progress(95)
    return pdf
