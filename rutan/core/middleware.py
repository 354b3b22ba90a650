import contextvars
import ipaddress
import uuid
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone


class FacilityTimezoneMiddleware:
    """Show times in the timezone of the user's (first) facility; pages about another
    facility switch with `{% timezone facility.timezone %}`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tzname = settings.FACILITY_DEFAULT_TIMEZONE
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            membership = (
                user.memberships.select_related("facility")
                .filter(facility__isnull=False)
                .order_by("id")
                .first()
            )
            if membership:
                tzname = membership.facility.timezone
        timezone.activate(zoneinfo.ZoneInfo(tzname))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


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


class AuditContextMiddleware:
    """Give every request an id (answered as X-Request-ID) and let `audit_record` know the
    client's address, the id and the path without every caller passing them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
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
