"""Test settings: the real PostgreSQL and Redis of the machine, fast hashing."""

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, env

DEBUG = False
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/rutan")}
CELERY_BROKER_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/15")
# Eager unless told otherwise: bench/reports.py runs real workers, whose tasks enqueue more.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TWO_FACTOR_REQUIRED = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_FAILURE_LIMIT = 3
FIELD_ENCRYPTION_KEY = "2yb6lX0Bqf1sH3H8rQ6jV1W2kN8gY5dC7pT4uE9aZ0M="
# Requests run in the user's facility timezone (middleware); the fixtures' facilities are
# WITA, so tests that compute "today" outside a request use the same zone.
TIME_ZONE = "Asia/Makassar"
# Tests make many requests as one user; tests/test_api_contract.py turns a limit back on.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None},
}
