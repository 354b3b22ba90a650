import zoneinfo

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
