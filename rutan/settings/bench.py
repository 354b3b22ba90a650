"""Settings of `make bench`: production settings served over plain http on loopback.

Only what a loopback benchmark needs differs from production: no https redirect or secure
cookies (wrk speaks http), no API throttling (one token makes thousands of requests), and the
bench's own URLs (a minimal "hello" view to pair every page with, and the stock Django admin
of inmates as the peer) on top of the product's.
"""

from .production import *  # noqa: F403
from .production import REST_FRAMEWORK

ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
