"""Views and view helpers the apps share: saving an edit form unless it is stale, the audit
of a list page, the API's documentation, and the answer to an unknown API URL."""

import sys
from dataclasses import dataclass
from typing import Any

from django import db
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import get_language, gettext
from django.views.defaults import page_not_found as html_page_not_found
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound

from .api import error_body
from .concurrency import STALE_MESSAGE, lock_current
from .forms import add_service_errors
from .models import AuditAction
from .scoping import loaded_facility_id
from .services import audit_download, audit_list_read, audit_record


@dataclass(frozen=True)
class Saved:
    """What `save_unless_stale` did, and the form and record a page shows when not saved."""

    form: Any
    record: Any
    saved: bool = False
    stale: bool = False
    result: Any = None


def save_unless_stale(request, form, record, *, save, fresh_form) -> Saved:
    """Save a valid edit form through `save(current, data)` unless `record` changed since
    the form was shown.

    The row is read again under a lock and the service runs in the same transaction, so no
    one writes in between. A stale save writes nothing: the page says STALE_MESSAGE and
    `fresh_form(current)` shows what is stored now, with its version, for the user to redo
    their change. A ValidationError from the service lands on the form, nothing written.
    `data` is the form's cleaned data without the version. `record` None (the form makes
    a new row) saves without a check.
    """
    data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    version = form.cleaned_data.get("version", "")
    try:
        with transaction.atomic():
            current, stale = lock_current(record, version) if record is not None else (None, False)
            if not stale:
                return Saved(form, current, saved=True, result=save(current, data))
    except ValidationError as exc:
        add_service_errors(form, exc)
        return Saved(form, record)
    messages.error(request, STALE_MESSAGE)
    return Saved(fresh_form(current), current, stale=True)


def audit_page(request, *, model, rows, ids=None, within=None, facility_id=None, via="web") -> None:
    """Audit one list page of personal data shown to `request.user` (`audit_list_read`): its
    query parameters, plus `within` (what the URL names, e.g. `{"programme": 7}`), and the
    ids of `rows` (a Page or the rows the template shows; they are read once here and the
    template reuses them), or `ids` when the rows are not records of `model`. The facility
    is the one all rows share when it is loaded, else `facility_id`."""
    rows = list(rows)
    params = request.GET.copy()
    for name, value in (within or {}).items():
        params[name] = str(value)
    if ids is None:
        ids = [row.pk for row in rows]
        if facility_id is None:
            facilities = {loaded_facility_id(row) for row in rows}
            facility_id = facilities.pop() if len(facilities) == 1 else None
    audit_list_read(
        actor=request.user,
        model=model,
        filters=params,
        ids=ids,
        facility_id=facility_id,
        via=via,
    )


def audit_detail(request, instance, *, via="web") -> None:
    """Audit the read of one personal record shown to `request.user` (one READ entry)."""
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        instance=instance,
        facility_id=loaded_facility_id(instance),
        via=via,
    )


def audit_file(request, instance, *, file: str) -> None:
    """Audit the download of a file about `instance` (`audit_download`)."""
    audit_download(
        actor=request.user,
        instance=instance,
        file=file,
        facility_id=loaded_facility_id(instance),
        via="download",
    )


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI under the site's Content-Security-Policy: the page has no inline script or
    style; its start-up script is a second request to this view (`?script`)."""

    template_name = "api/swagger_ui.html"


def page_not_found(request, exception, template_name="404.html"):
    """An unknown URL under /api/ answers in the API's error shape; pages get the 404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(NotFound()), status=404)
    return html_page_not_found(request, exception, template_name)


# A database or broker that does not answer is a passing state, not a fault of the page:
# the caller is told to come back (503 with Retry-After), in the API's shape under /api/.
UNAVAILABLE_ERRORS = (db.OperationalError, db.InterfaceError)


def _unavailable(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, UNAVAILABLE_ERRORS):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request, template_name="errors/server.html"):
    """The answer to an uncaught exception (handler500); 503 when the database is down.

    It renders without a request context (no session, user or context processor reads the
    database) so that it answers while PostgreSQL restarts.
    """
    unavailable = _unavailable(sys.exc_info()[1])
    status = 503 if unavailable else 500
    retry_after = settings.SERVICE_UNAVAILABLE_RETRY_AFTER if unavailable else None
    if unavailable:
        title = gettext("Layanan sedang tidak tersedia")
        message = gettext(
            "Basis data Rutan sedang tidak dapat dihubungi. Tidak ada data yang berubah; "
            "coba lagi sebentar lagi."
        )
    else:
        title = gettext("Terjadi kesalahan")
        message = gettext(
            "Terjadi kesalahan di server. Kesalahan ini sudah dicatat; tidak ada data yang "
            "berubah. Coba lagi, dan hubungi admin bila terus terjadi."
        )
    request_id = getattr(request, "request_id", "")
    if request.path.startswith("/api/"):
        code = "service_unavailable" if unavailable else "error"
        response = JsonResponse({"detail": message, "code": code}, status=status)
    else:
        context = {
            "title": title,
            "message": message,
            "retry_after": retry_after,
            "request_id": request_id,
            "LANGUAGE_CODE": get_language(),
        }
        response = HttpResponse(loader.render_to_string(template_name, context), status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    if request_id:
        response["X-Request-ID"] = request_id
    response["Cache-Control"] = "no-store"
    return response
