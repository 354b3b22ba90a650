"""PDF rendering shared by every document (reports, certificates, logbooks).

WeasyPrint fetches nothing but the project's static files (`static:` URLs) and inline
`data:` URIs, whatever the data in the document contains; fonts are bundled
(`static/fonts`, declared by `static/pdf/fonts.css`, given to every document) so no system
font decides the layout.
"""

import mimetypes
import os
import threading
from urllib.parse import urlparse

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url

FONTS_CSS = "pdf/fonts.css"
# The letterhead and signature blocks every document shares.
DOCUMENT_CSS = "pdf/document.css"


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


# Loading the fonts and parsing the shared stylesheets once per thread (Pango objects are not
# shared between threads) saves every document that work; a forked worker builds its own.
_local = threading.local()


def _shared() -> threading.local:
    if getattr(_local, "pid", None) != os.getpid():
        _local.pid = os.getpid()
        _local.font_config = FontConfiguration()
        _local.stylesheets = {}
    return _local


def stylesheet(name: str) -> CSS:
    """The parsed static stylesheet `name` (e.g. "pdf/fonts.css"), parsed once per thread;
    read again when the file changes."""
    shared = _shared()
    path = finders.find(name)
    if not path:
        raise ValueError(f"Stylesheet not found: {name}")
    key = (name, os.stat(path).st_mtime_ns)
    if key not in shared.stylesheets:
        shared.stylesheets[key] = CSS(
            url=f"static:{name}", url_fetcher=StaticOnlyFetcher(), font_config=shared.font_config
        )
    return shared.stylesheets[key]


def html_to_pdf(html: str, *, stylesheets: tuple[str, ...] = ()) -> bytes:
    """The PDF bytes of a rendered HTML document, with the bundled fonts, the shared document
    styles and the static `stylesheets` (below the document's own styles in the cascade)."""
    sheets = [stylesheet(name) for name in (FONTS_CSS, DOCUMENT_CSS, *stylesheets)]
    return HTML(string=html, base_url="static:/", url_fetcher=StaticOnlyFetcher()).write_pdf(
        stylesheets=sheets, font_config=_shared().font_config
    )
