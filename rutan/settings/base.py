"""Settings shared by every environment; values come from the environment (django-environ)."""

import base64
import hashlib
import logging
from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from .logs import configure_structlog, logging_config
from .storage import private_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")
# Fernet key(s) for confidential fields, comma-separated, newest first (rotation). The
# default is derived from the dev secret key and only fit for development.
FIELD_ENCRYPTION_KEY = env(
    "FIELD_ENCRYPTION_KEY",
    default=base64.urlsafe_b64encode(
        hashlib.sha256(f"fernet:{SECRET_KEY}".encode()).digest()
    ).decode(),
)
DEBUG = env.bool("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "rutan.core.apps.RutanAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "simple_history",
    "import_export",
    "axes",
    "django_structlog",
    "django_prometheus",
    "rutan.core",
    "rutan.facilities",
    "rutan.accounts",
    "rutan.imports",
    "rutan.inmates",
    "rutan.dashboard",
    "rutan.reports",
    "programmes",
    "assessments",
    "partners",
    "interns",
]

MIDDLEWARE = [
    # First and last: django-prometheus times the whole stack and counts every answer.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "rutan.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "rutan.core.middleware.HealthProbeMiddleware",
    "rutan.core.middleware.AuditContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (the user id) and the request id (AuditContextMiddleware).
    "django_structlog.middlewares.RequestMiddleware",
    "rutan.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "rutan.accounts.middleware.IdleSessionMiddleware",
    "rutan.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "rutan.core.middleware.FacilityTimezoneMiddleware",
    "axes.middleware.AxesMiddleware",
    "rutan.core.middleware.AccessAuditMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
# A refused request (404 out of scope, 401, 403) is audited once per caller, method and path
# in this many seconds: a script that repeats one URL does not flood the audit log.
AUDIT_DENIED_DEDUPE_SECONDS = env.int("AUDIT_DENIED_DEDUPE_SECONDS", default=60)

ROOT_URLCONF = "rutan.urls"
WSGI_APPLICATION = "rutan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "rutan.core.context_processors.navigation",
                "rutan.accounts.context_processors.session",
            ],
        },
    },
]

# Django's form renderer with selects and inputs written in Python (rutan/core/renderers.py).
FORM_RENDERER = "rutan.core.renderers.FastWidgetRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A persistent connection is checked before each request reuses it, so a database restart
# costs no request after it; a server that does not answer is given up on quickly and the
# caller told to retry (503, rutan.core.views.server_error) instead of waiting.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
SERVICE_UNAVAILABLE_RETRY_AFTER = env.int("SERVICE_UNAVAILABLE_RETRY_AFTER", default=30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, the signed-in user and their memberships read from the cache.
    "rutan.accounts.principal.CachedModelBackend",
]
# How long a cached user entry (rutan.accounts.principal) may live: the bound on how long a
# change made while the cache could not be reached goes unseen (saves drop the entry).
PRINCIPAL_CACHE_SECONDS = env.int("PRINCIPAL_CACHE_SECONDS", default=5 * 60)
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
# Lock a username per address so one office behind a shared IP is not locked out entirely,
# and a stranger elsewhere cannot lock a colleague out at all.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# More failures during a lockout do not push its end back: a lockout lasts the cool-off.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
# Reverse proxies in front of Django that append to X-Forwarded-For (nginx: 1). With 0 the
# header is ignored and REMOTE_ADDR is the client: a client cannot choose its own address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "rutan.accounts.addresses.client_ip"

# Second factor (TOTP, django-otp): required for the roles of
# rutan.accounts.selectors.SECOND_FACTOR_ROLES and superusers when this is on. Off only in
# this embedded default so that `make run`'s demo logins work; production and tests turn it on.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=False)
OTP_TOTP_ISSUER = "Rutan"
OTP_TOTP_THROTTLE_FACTOR = 1

# A signed-in session ends after this many seconds without a request (warning shown two
# minutes before), and at the latest SESSION_COOKIE_AGE after sign-in; closing the browser
# ends it too.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_IDLE_WARNING = env.int("SESSION_IDLE_WARNING", default=2 * 60)
# Sessions are kept in the database and read from the cache; a cached copy lives at most
# this long (rutan.accounts.session_store).
SESSION_ENGINE = "rutan.accounts.session_store"
SESSION_CACHE_SECONDS = env.int("SESSION_CACHE_SECONDS", default=5 * 60)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)

# Password reset links live an hour and work once; at most this many requests an hour per
# client address and per e-mail address.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=5)
PASSWORD_RESET_PER_EMAIL = env.int("PASSWORD_RESET_PER_EMAIL", default=3)

# API tokens (django-rest-knox: only a SHA-512 digest is stored) live this many seconds
# (8 hours, a working day), and end earlier on sign-out, password change or reset.
API_TOKEN_TTL = env.int("API_TOKEN_TTL", default=8 * 60 * 60)
REST_KNOX = {
    "TOKEN_TTL": timedelta(seconds=API_TOKEN_TTL),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["rutan.formats"]
TIME_ZONE = "UTC"
USE_TZ = True
FACILITY_DEFAULT_TIMEZONE = "Asia/Makassar"

STATIC_URL = "static/"
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/pico", BASE_DIR / "node_modules" / "@picocss" / "pico" / "css"),
]
# WhiteNoise serves static files from the source folders (no collectstatic) where asked:
# the demo's web server (rundemo) runs without DEBUG and still needs them.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
WHITENOISE_AUTOREFRESH = env.bool("WHITENOISE_AUTOREFRESH", default=DEBUG)
STORAGES = {
    "default": private_storage(env),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# A request body over this is refused (413) before it is read (a declared length at once, a
# chunked body while it streams). DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) still caps non-file data.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=25 * 1024 * 1024)
# Uploaded files are private: never served by URL, only through permission-checked views.
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rutan.core.pagination.CappedPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "rutan.core.api.ApiSchema",
    "EXCEPTION_HANDLER": "rutan.core.api.exception_handler",
    # Wall-clock times as the schema documents them (rutan.core.api.TIME_PATTERN); DRF's
    # default ISO 8601 parser also takes and silently drops a UTC offset.
    "TIME_INPUT_FORMATS": ["%H:%M:%S.%f", "%H:%M:%S", "%H:%M"],
    # The anonymous limit counts per client address, read like the lockout's (above).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # Per user (session or token), per API token and per address when anonymous.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rutan.core.throttling.TokenRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="60/minute"),
        "user": env("API_THROTTLE_USER", default="3000/hour"),
        "token": env("API_THROTTLE_TOKEN", default="1000/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Rutan API",
    "DESCRIPTION": "Programme management for Rutan / Lapas: inmates, programmes, assessments, "
    "partners, interns and reports. Every list is limited to the caller's facilities. "
    "A detail response carries an ETag: send it back as If-Match when changing the object "
    "(412 when someone changed it since; without If-Match the write is not checked). "
    "Ask for a token at auth/token/ (password, and the authenticator's code where the account "
    "uses verification in two steps); it lives API_TOKEN_TTL seconds (8 hours by default). "
    "Requests are limited per user (session or token), per API token and per anonymous "
    "address: over a limit the answer is 429 with Retry-After. Every refusal (400, 401, 403, "
    "404, 412, 429) is one shape, Error: `detail` to read, a stable `code`, and on a 400 "
    "`errors` with each field's messages.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "GET_LIB_DOC_EXCLUDES": "rutan.core.api.schema_doc_excludes",
    # Swagger UI and Redoc come from the project's static files (drf-spectacular-sidecar):
    # the Content-Security-Policy allows no other origin.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True},
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # One name for a choice set that several serializers use (else drf_spectacular.W001).
    "ENUM_NAME_OVERRIDES": {
        "SexEnum": "rutan.facilities.models.Sex",
        "AssessmentStatusEnum": "assessments.choices.AssessmentStatus",
        "AbsenceReasonEnum": "programmes.choices.AbsenceReason",
        "ProgrammeAreaEnum": "rutan.core.choices.ProgrammeArea",
    },
}

# Redis when REDIS_URL is set; otherwise a broker that needs no server (kombu's SQLAlchemy
# transport over a SQLite file beside db.sqlite3), for the embedded demo (`make run`).
CELERY_BROKER_URL = env("REDIS_URL", default=f"sqla+sqlite:///{BASE_DIR / 'celery-broker.sqlite3'}")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A pool process is replaced after this many tasks, or after a task that left it above this
# resident size (KiB): WeasyPrint, Pango and fontconfig keep memory a process never returns.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=100)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int(
    "CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=250 * 1024
)
CELERY_TIMEZONE = "UTC"
# One beat dispatches: the scheduler holds a lease row in the database and renews it every
# tick; a standby beat takes over once the lease expired (rutan.core.beat).
CELERY_BEAT_SCHEDULER = "rutan.core.beat:LeaseScheduler"
BEAT_LEASE_SECONDS = env.int("BEAT_LEASE_SECONDS", default=30)
# Workers and beat write a heartbeat row this often; one older than the stale limit is a
# process that stopped (rutan.core.heartbeat, shown in the admin and on /reports/tugas/).
HEARTBEAT_SECONDS = env.int("HEARTBEAT_SECONDS", default=30)
HEARTBEAT_STALE_SECONDS = env.int("HEARTBEAT_STALE_SECONDS", default=120)

# Two queues: `interactive` for what a user waits for (imports, e-mails, alerts, the outbox)
# and `batch` for long work (reports, the monthly batch, recomputations, nightly jobs), so a
# monthly batch never delays an import. Workers consume both unless started with -Q.
CELERY_TASK_DEFAULT_QUEUE = "interactive"
INTERACTIVE_TASKS = (
    "imports.run",
    "inmates.custody_alerts",
    "partners.send_expiry_alerts",
    "core.outbox_drain",
    "interns.send_invite",
)
BATCH_TASKS = (
    "reports.build_report_run",
    "reports.monthly_batch",
    "reports.sweep_stuck",
    "inmates.recompute_stages",
    "inmates.anonymise_released",
    "core.freshness_compact",
    "interns.tasks.auto_approve_logs",
    "partners.expire_agreements",
)
CELERY_TASK_ROUTES = {
    **{name: {"queue": "interactive"} for name in INTERACTIVE_TASKS},
    **{name: {"queue": "batch"} for name in BATCH_TASKS},
}
# Redis redelivers an unacknowledged (acks_late) message after the visibility timeout: it
# must exceed the longest hard time limit (imports.run, 6 h), or a task still running is
# delivered a second time. The price: a message held by a worker that died waits this long.
CELERY_LONGEST_TASK_SECONDS = 6 * 3600
CELERY_BROKER_VISIBILITY_TIMEOUT = env.int(
    "CELERY_BROKER_VISIBILITY_TIMEOUT", default=CELERY_LONGEST_TASK_SECONDS + 600
)
# (Redis only: the SQLAlchemy transport hands its options to create_engine.)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT}
    if CELERY_BROKER_URL.startswith("redis")
    else {}
)
# A task whose broker connection is lost is cancelled (and redelivered), not left running
# while its message goes back to the queue.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True

# Transactional outbox (rutan.core.outbox, docs/outbox.md). Publishing from a request gives
# up fast when the broker is down (the row stays pending, core.outbox_drain sends it later).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
OUTBOX_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# A message published but not started by a worker after this many minutes is sent again
# (the broker lost it: this Redis keeps nothing on disk).
OUTBOX_REDELIVER_AFTER = env.int("OUTBOX_REDELIVER_AFTER", default=15)
OUTBOX_BACKOFF_MAX_MINUTES = env.int("OUTBOX_BACKOFF_MAX_MINUTES", default=30)
OUTBOX_DRAIN_BATCH = env.int("OUTBOX_DRAIN_BATCH", default=500)
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=3)

# Reports: the building worker renews its claim's heartbeat this often (seconds); a running
# run whose heartbeat is older than the stale limit is claimed again (its worker died); a
# queued run older than REPORT_QUEUED_STALE_SECONDS with no build is sent again by the sweep.
REPORT_HEARTBEAT_SECONDS = env.int("REPORT_HEARTBEAT_SECONDS", default=15)
REPORT_CLAIM_STALE_SECONDS = env.int("REPORT_CLAIM_STALE_SECONDS", default=90)
REPORT_QUEUED_STALE_SECONDS = env.int("REPORT_QUEUED_STALE_SECONDS", default=300)
# A redelivered build that finds the claim fresh waits this long and looks again, this often.
REPORT_CLAIM_RETRY_SECONDS = env.int("REPORT_CLAIM_RETRY_SECONDS", default=60)
REPORT_CLAIM_MAX_RETRIES = env.int("REPORT_CLAIM_MAX_RETRIES", default=10)

# A submitted intern log the mentor leaves this many days is approved automatically.
INTERN_LOG_AUTO_APPROVE_DAYS = env.int("INTERN_LOG_AUTO_APPROVE_DAYS", default=14)
# Released inmates' personal data is anonymised this many days after release (default five
# years). Configurable: set it by the facility's retention policy.
PERSONAL_DATA_RETENTION_DAYS = env.int("PERSONAL_DATA_RETENTION_DAYS", default=1826)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Rutan <noreply@rutan.invalid>")
# Links in e-mails sent by scheduled jobs (no request to take the host from).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Logs (rutan/settings/logs.py, docs/observability.md): one JSON object a line with
# LOG_FORMAT=json (production's default), a readable line otherwise. Request and task events
# come from django-structlog, stripped of personal data by rutan.core.logs.
LOG_FORMAT = env("LOG_FORMAT", default="console")
LOG_LEVEL = env("DJANGO_LOG_LEVEL", default="INFO")
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)
configure_structlog()
# The client address appears in the request events only when this is on (personal data).
LOG_CLIENT_IP = env.bool("LOG_CLIENT_IP", default=False)
# rutan.core.logs binds the address itself (read behind TRUSTED_PROXY_COUNT), when allowed.
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
# rutan.core.logs takes a well-formed X-Request-ID from the request (AuditContextMiddleware).
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = False
# One line a request: the finished event, with status and duration; not the started one.
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = logging.DEBUG
# The request context (request id, user id, facility id) travels with each task sent.
DJANGO_STRUCTLOG_CELERY_ENABLED = True
# A statement slower than this (milliseconds) is logged by `rutan.sql.slow`; 0 turns it off.
SLOW_QUERY_MS = env.int("SLOW_QUERY_MS", default=500)

# GET /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`; 404 while it is unset.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
# Redis calls of the queue-length metric give up after this many seconds.
METRICS_REDIS_TIMEOUT = env.float("METRICS_REDIS_TIMEOUT", default=0.5)

# The embedded SQLite default cannot enforce NULLS NOT DISTINCT; PostgreSQL (test, production)
# does, and the services check the same rules.
SILENCED_SYSTEM_CHECKS = ["models.W047"]
