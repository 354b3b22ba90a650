"""PDF rendering shared by every document (reports, certificates, logbooks).

WeasyPrint fetches nothing but the project's static files (`static:` URLs) and inline
`data:` URIs, whatever the data in the document contains; fonts are bundled
(`static/fonts`, included by `templates/pdf/fonts.html`) so no system font decides the layout.
"""

import mimetypes
from urllib.parse import urlparse

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url


class StaticOnlyFetcher(URLFetcher):
    """Resolve `static:<path>` through the staticfiles finders and inline `data:` URIs only."""

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
        raise ValueError(f"Resource not allowed in a PDF: {url}")


def html_to_pdf(html: str) -> bytes:
    """The PDF bytes of a rendered HTML document."""
    return HTML(string=html, base_url="static:/", url_fetcher=StaticOnlyFetcher()).write_pdf()
