import contextvars
import hashlib
import ipaddress
import logging
import re
import uuid
import zoneinfo
from dataclasses import dataclass

import structlog
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import DatabaseError
from django.http import Http404, HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from .scoping import ScopedNotFound, home_facility_timezone, object_facility_id

logger = logging.getLogger(__name__)


class FacilityTimezoneMiddleware:
    """Show times in the timezone of the user's (first) facility; pages about another
    facility switch with `{% timezone facility.timezone %}`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tzname = settings.FACILITY_DEFAULT_TIMEZONE
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            home = home_facility_timezone(user)
            if home:
                facility_id, tzname = home
                # The logs of this request say which facility's user made it.
                structlog.contextvars.bind_contextvars(facility_id=facility_id)
        timezone.activate(zoneinfo.ZoneInfo(tzname))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def refused_target(request, exception=None) -> dict:
    """What a refused request asked for: the model and id a ScopedNotFound names, else the
    admin's model and object id, else the URL's name and its `pk`."""
    if isinstance(exception, ScopedNotFound) and exception.model is not None:
        return {"model": exception.model, "object_id": exception.object_id}
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {"object_type": "", "object_id": ""}
    model_admin = getattr(match.func, "model_admin", None)
    if model_admin is not None:
        return {"model": model_admin.model, "object_id": match.kwargs.get("object_id", "")}
    return {"object_type": match.view_name, "object_id": match.kwargs.get("pk", "")}


def record_refused(request, status: int) -> None:
    """Write the DENIED entry of a refused request once, unless the same caller asked for the
    same path with the same method within AUDIT_DENIED_DEDUPE_SECONDS (a scan of one URL
    cannot flood the log; each other id or path is still one entry)."""
    target = getattr(request, "rutan_refused", None)
    if target is None:
        return
    user = getattr(request, "user", None)
    actor = user if getattr(user, "is_authenticated", False) else None
    address = request.META.get("REMOTE_ADDR", "")
    window = settings.AUDIT_DENIED_DEDUPE_SECONDS
    key = f"audit-denied:{actor.pk if actor else address}:{request.method}:{request.path}"
    if window and not cache.add(hashlib.sha256(key.encode()).hexdigest(), 1, timeout=window):
        return
    from .services import audit_denied  # services read this module's request context

    model = target.get("model")
    object_id = target.get("object_id") or ""
    via = "api" if request.path.startswith("/api/") else target.get("via", "web")
    if getattr(getattr(request.resolver_match, "func", None), "model_admin", None):
        via = "admin"
    audit_denied(
        actor=actor,
        object_type=model._meta.label_lower if model is not None else target["object_type"],
        object_id=object_id,
        path=request.path,
        via=via,
        facility_id=object_facility_id(model, object_id) if model and object_id else None,
        status=status,
        method=request.method,
        address=address,
    )


class AccessAuditMiddleware:
    """Audit every refused attempt once, after the answer is made (outside the view's
    transaction, so a rolled-back view still leaves its trace): a 404 or 403 raised by a page
    or admin view, and what the API's exception handler marks (its 401, 403 and 404).
    URLs that match no route are not recorded: they name no record."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "rutan_refused", None) is not None:
            try:
                record_refused(request, response.status_code)
            except DatabaseError:
                logger.exception("Could not audit the refused request to %s", request.path)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404 | PermissionDenied):
            request.rutan_refused = refused_target(request, exception)


def _too_large(request):
    limit = filesizeformat(settings.MAX_REQUEST_BYTES)
    message = _("Kiriman terlalu besar; batasnya %(limit)s.") % {"limit": limit}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "too_large"}, status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


class RequestSizeLimitMiddleware:
    """Refuse a body over MAX_REQUEST_BYTES (413) before anything reads it.

    Placed first: a declared Content-Length over the cap is refused at once. A body of no
    declared length (chunked, under ASGI) is read through a counting stream that stops one
    byte past the cap; Django's multipart parser reads nothing without a declared length.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            return _too_large(request)
        if not length and hasattr(request, "_stream"):
            request._stream = CappedStream(request, request._stream)
        response = self.get_response(request)
        if getattr(request, "body_too_large", False):
            return _too_large(request)
        return response


class RequestTooLarge(RequestDataTooBig):
    """The body passed MAX_REQUEST_BYTES while it was read (answered 413 by the middleware)."""


class CappedStream:
    """A request stream that refuses to give more than MAX_REQUEST_BYTES."""

    def __init__(self, request, stream):
        self.request, self.stream, self.remaining = request, stream, settings.MAX_REQUEST_BYTES

    def _count(self, data: bytes) -> bytes:
        self.remaining -= len(data)
        if self.remaining < 0:
            self.request.body_too_large = True
            raise RequestTooLarge(_("Kiriman terlalu besar."))
        return data

    def _size(self, size) -> int:
        return self.remaining + 1 if size is None or size < 0 else min(size, self.remaining + 1)

    def read(self, size=-1):
        return self._count(self.stream.read(self._size(size)))

    def readline(self, size=-1):
        return self._count(self.stream.readline(self._size(size)))

    def __iter__(self):
        return iter(self.readline, b"")

    def __getattr__(self, name):
        return getattr(self.stream, name)


class NoStoreMiddleware:
    """Every page, API answer and file that passes here may hold personal data: no browser
    or proxy keeps a copy. Static files are served before this (WhiteNoise) and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = "no-store, private"
        response["Pragma"] = "no-cache"
        return response


@dataclass(frozen=True)
class RequestContext:
    """Where a request came from, for the audit entries written while it runs."""

    address: str | None
    request_id: str
    path: str


_request_context: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "rutan_request_context", default=None
)


def current_request_context() -> RequestContext | None:
    """The context of the request being served; None in a Celery task or a command."""
    return _request_context.get()


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The client's address, read safely behind `settings.TRUSTED_PROXY_COUNT` proxies.

    0 (the default) trusts no header: REMOTE_ADDR. With N trusted proxies in front, the
    client is the N-th address from the right of X-Forwarded-For (each proxy appends the
    address it saw; anything further left was written by the client and may be forged).
    A header with fewer addresses than proxies, or an invalid one, falls back to REMOTE_ADDR.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if len(forwarded) < count:
        return remote
    return _valid_ip(forwarded[-count]) or remote


_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,31}")


def incoming_request_id(value: str | None) -> str | None:
    """The caller's X-Request-ID when well-formed: 8 to 32 letters, digits, `.`, `_`, `-`
    (a proxy's id, e.g. nginx's $request_id), or a UUID, kept as its 32 hex digits (the
    audit log's column). Anything else is ignored and a new id made."""
    value = (value or "").strip()
    if _REQUEST_ID.fullmatch(value):
        return value
    if len(value) == 36:
        try:
            return uuid.UUID(value).hex
        except ValueError:
            return None
    return None


class AuditContextMiddleware:
    """Give every request an id (the caller's well-formed X-Request-ID, else a new one;
    answered as X-Request-ID) and let `audit_record` know the client's address, the id and
    the path without every caller passing them. The logs carry the same id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = (
            incoming_request_id(request.headers.get("X-Request-ID")) or uuid.uuid4().hex
        )
        token = _request_context.set(
            RequestContext(
                address=client_address(request),
                request_id=request.request_id,
                path=request.path[:300],
            )
        )
        try:
            response = self.get_response(request)
        finally:
            _request_context.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class HealthProbeMiddleware:
    """Answer /healthz and /readyz (rutan.core.health) right after the security middleware:
    the https redirect applies (SECURE_REDIRECT_EXEMPT lists them in production), but no
    host check (a balancer probes by address), session, CSRF, sign-in, second-factor
    redirect or access audit runs for them."""

    def __init__(self, get_response):
        from asgiref.sync import async_to_sync

        from .health import healthz, readyz

        self.get_response = get_response
        self.probes = {"/healthz": healthz, "/readyz": async_to_sync(readyz)}

    def __call__(self, request):
        probe = self.probes.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        return probe(request)
