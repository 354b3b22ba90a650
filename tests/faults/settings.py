"""Settings of the fault stack (tests/faults/harness.py): the bench's production settings
(gunicorn, a real worker and beat, Redis, CONN_MAX_AGE with health checks) with two changes
that have nothing to do with the faults: hashed static files are left uncompressed
(compressing them costs minutes per stack), and the demo users sign in with their password
only, as in `make run` (production requires a second factor)."""

from rutan.settings.bench import *  # noqa: F403
from rutan.settings.bench import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
TWO_FACTOR_REQUIRED = False
