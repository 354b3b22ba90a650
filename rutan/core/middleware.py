import zoneinfo

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _


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
