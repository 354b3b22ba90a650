from django.conf import settings


def session(request):
    """How long before an idle session ends its page warns (includes/session_timeout.html)."""
    return {"session_idle_warning": settings.SESSION_IDLE_WARNING}
