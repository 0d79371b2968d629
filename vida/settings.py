"""Vida's settings, read once from the environment.

Secure by default: without ``VIDA_ENV`` the settings are the production ones,
with the deployment hardening on, ``DEBUG`` off and no default for anything that
would be unsafe: the secret key, the allowed hosts, the database, the broker and
the shared cache must come from the environment.

``VIDA_ENV=development`` (set by ``make run``, ``make test`` and ``make bench``)
selects a self-contained development server: SQLite in ``var/``, Celery on
kombu's filesystem transport and a database cache, so ``make run`` works on any
machine. ``DATABASE_URL``, ``CELERY_BROKER_URL`` and ``CACHE_URL`` switch to
PostgreSQL and Redis.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# Development's own files: the SQLite database, the embedded broker's folders and
# the emails written as files. VIDA_VAR_DIR moves them (a second copy of the
# embedded stack, or a test of it, in a folder of its own).
VAR_DIR = Path(env.str("VIDA_VAR_DIR", default=str(BASE_DIR / "var")))

VIDA_ENV = env.str("VIDA_ENV", default="production")
if VIDA_ENV not in ("production", "development"):
    raise environ.ImproperlyConfigured(
        f"VIDA_ENV is 'production' (the default) or 'development', not {VIDA_ENV!r}."
    )
PRODUCTION = VIDA_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
    DATABASES = {"default": env.db("DATABASE_URL")}
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL")
    # Throttles and lockouts are counted here, so every worker process must share it (Redis).
    CACHES = {"default": env.cache_url("CACHE_URL")}
    DEBUG = False
else:
    VAR_DIR.mkdir(exist_ok=True)  # the embedded SQLite database and broker live here
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="development-only-key-never-used-in-production")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
    DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'vida.sqlite3'}")}
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
    # A database cache is shared by every process (web, worker, beat), so throttles and
    # lockouts count across them with no server to run. Its increments are read-then-write,
    # so two failures in the same instant may count once: fine on one machine, which is why
    # production uses Redis. Room for far more entries than Django's 300, whose culling
    # would otherwise let a burst of made-up usernames wipe the counters.
    CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://vida_cache?max_entries=100000")}
    DEBUG = env.bool("DJANGO_DEBUG", default=True)

# `make bench` mounts a bare insert endpoint to compare the check-in API with
# (bench/views.py). Off unless asked for, and never in production.
VIDA_BENCH_ENDPOINTS = not PRODUCTION and env.bool("VIDA_BENCH_ENDPOINTS", default=False)

DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server answers 503 within seconds instead of holding workers (vida/errors.py).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # A Redis outage fails fast too: sign-in answers 503, nothing else waits on the cache.
    CACHES["default"].setdefault("OPTIONS", {}).update(socket_connect_timeout=1, socket_timeout=2)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "checkins",
    "screening",
    "stretches",
    "careteam",
    "nudges",
    "security",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "vida.logs.RequestLogMiddleware",
    "vida.middleware.BodySizeLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "vida.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "security.middleware.SecondFactorMiddleware",
    "vida.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a lockout found during sign-in into its answer.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # Static files straight from the app server in production; in development
    # runserver (and the test live server) serve them from static/.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

# The bench's baseline endpoints live in their own URL conf (bench/urls.py), so
# the product's URL conf never imports bench code.
ROOT_URLCONF = "bench.urls" if VIDA_BENCH_ENDPOINTS else "vida.urls"
WSGI_APPLICATION = "vida.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vida.context_processors.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("VIDA_MEDIA_ROOT", default=str(VAR_DIR / "media"))
VIDA_MEDIA_ACCEL_REDIRECT = env.str("VIDA_MEDIA_ACCEL_REDIRECT", default="")  # nginx sends media; README
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Request bodies: the API and the forms take small JSON or form bodies. Anything
# bigger than this is refused with 413 before a view reads it (uploads in the
# admin are multipart and checked by their own validators).
VIDA_MAX_BODY_BYTES = 64 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = VIDA_MAX_BODY_BYTES

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a request without credentials then gets 401 with a
        # WWW-Authenticate header rather than a bare 403.
        "security.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: a view must declare whom it serves (vida/permissions.py).
    "DEFAULT_PERMISSION_CLASSES": ["vida.permissions.DeclaredAudience"],
    # DRF's JSON parser and renderer, made safe for any input: a nesting limit, and
    # text that is not valid Unicode refused (vida/parsers.py, vida/renderers.py).
    "DEFAULT_RENDERER_CLASSES": ["vida.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["vida.parsers.JSONParser"],
    # The API takes JSON; DRF's test client sends it by default too.
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "vida.pagination.PageNumberPagination",
    "PAGE_SIZE": 30,
    "DEFAULT_THROTTLE_RATES": {
        "register": env.str("VIDA_REGISTER_RATE", default="30/hour"),
        "token": env.str("VIDA_TOKEN_RATE", default="60/hour"),
    },
    # Throttles count per client address: REMOTE_ADDR, or X-Forwarded-For only as
    # far as our own proxies wrote it (vida/clients.py). Counted in CACHES.
    "NUM_PROXIES": None,  # set from VIDA_TRUSTED_PROXIES below
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

SPECTACULAR_SETTINGS = {
    "TITLE": "Vida API",
    "DESCRIPTION": "Daily back and hip check-ins, screening, guided stretches and care-team sharing.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's files come from the sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # A check-in's first_region and the screening's leading_region share one enum.
    "ENUM_NAME_OVERRIDES": {
        "LeadingRegionEnum": "vida.regions.LeadingRegion",
        "NudgeKindEnum": "nudges.models.Kind",
    },
    # Every operation's error answers (400/401/403/404/409/413/429/503), documented (vida/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "vida.schema.add_error_responses",
    ],
}

# Celery: the broker is the only moving part a check-in must never wait for.
if CELERY_BROKER_URL.startswith("filesystem"):
    # The embedded broker is a pair of folders; make them on first use.
    for folder in ("broker", "broker-processed", "broker-control"):
        (VAR_DIR / folder).mkdir(parents=True, exist_ok=True)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(VAR_DIR / "broker"),
        "data_folder_out": str(VAR_DIR / "broker"),
        "processed_folder": str(VAR_DIR / "broker-processed"),
        # Fanout bindings (worker remote control); kombu's default is ./control in the working directory.
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {"socket_connect_timeout": 2, "socket_timeout": 5}
)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {}

# ---- Nudges and email (nudges app; password reset in accounts) ----------------------------
# Links in emails are absolute, so Vida needs the address people reach it at.
VIDA_BASE_URL = (
    env.str("VIDA_BASE_URL") if PRODUCTION else env.str("VIDA_BASE_URL", default="http://127.0.0.1:8000")
).rstrip("/")

# Mail goes where EMAIL_URL says, in django-environ's form: smtp://user:password@host:25,
# smtp+tls://...:587 (STARTTLS), smtp+ssl://...:465. Required in production. In development,
# unset, every email is written as one readable .eml file under var/mail/ (vida/mail.py).
if PRODUCTION or env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "vida.mail.FolderBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"
# A backend class named outright wins over EMAIL_URL (the bench's counting backend).
EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default=EMAIL_BACKEND)
# A stuck SMTP server fails a send (and it is retried) instead of holding a worker.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="Vida <no-reply@vida.localhost>")

# One dispatch pass a minute, at the start of the minute, since reminder times are
# whole minutes. A pass that waited in the queue past the next one is dropped.
CELERY_BEAT_SCHEDULE["nudges-dispatch"] = {
    "task": "nudges.tasks.dispatch_nudges",
    "schedule": crontab(),
    "options": {"expires": 55},
}
# Nudge ids per send task: one message per nudge drains ~1,000/s, batches of 100 run 15-50x faster.
VIDA_NUDGE_BATCH_SIZE = env.int("VIDA_NUDGE_BATCH_SIZE", default=100)
# A worker's claim on a batch lasts this long; a batch still claimed after it (its
# worker died) goes back to the outbox. Much longer than a batch takes to send.
VIDA_NUDGE_CLAIM_SECONDS = env.int("VIDA_NUDGE_CLAIM_SECONDS", default=600)
# ---- end of nudges and email -----------------------------------------------------------------

# Logs: one JSON object per line with the request id (vida/logs.py). They carry URL
# patterns and status codes, never bodies, names or addresses: check-ins are health data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "vida.logs.RequestIdFilter"}},
    "formatters": {"json": {"()": "vida.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Its "Not Found: /path" lines duplicate vida.request's, with the path's values in them.
        "django.request": {"level": "ERROR"},
        # Security events: failed sign-ins, lockouts, second-factor results (security/events.py).
        "vida.security": {"level": "INFO"},
        # django-axes logs usernames and addresses; vida.security logs the same events without them.
        "axes": {"level": "ERROR"},
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The visit-ready PDF report (reports/, issue 13). WeasyPrint lays it out from an
# HTML template and needs Debian's pango libraries where the web app runs; its
# progress messages (one per layout step) stay out of the logs.
INSTALLED_APPS += ["reports"]
LOGGING["loggers"]["weasyprint"] = {"level": "WARNING"}

# --- Sign-in security (issue 11) ---------------------------------------------------------------
# How many proxies of ours stand in front of the app (nginx: 1). Client addresses for
# throttles, lockouts and security events come from REMOTE_ADDR unless this says
# X-Forwarded-For was written by us (vida/clients.py); never the client's own header.
VIDA_TRUSTED_PROXIES = env.int("VIDA_TRUSTED_PROXIES", default=0)
REST_FRAMEWORK["NUM_PROXIES"] = VIDA_TRUSTED_PROXIES

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out account or client before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# API tokens: django-rest-knox, stored as SHA-512 digests, expiring, one per sign-in.
# Our token model records the second factor the token was issued after (security/models.py).
KNOX_TOKEN_MODEL = "security.AuthToken"
# knox's own migrations would still create its (swapped-out) table, with a foreign key
# to users that nothing empties or deletes from; it has no tables of its own here.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("VIDA_TOKEN_TTL_HOURS", default=24 * 30)),
    "AUTO_REFRESH": False,  # no write per request; sign in again after the TTL
    "AUTH_HEADER_PREFIX": "Token",
}

# The second factor (django-otp TOTP, with static backup codes) for clinicians and staff.
OTP_TOTP_ISSUER = "Vida"
# Their API tokens last a working day, not REST_KNOX's TOKEN_TTL.
VIDA_SECOND_FACTOR_TOKEN_TTL = timedelta(hours=env.int("VIDA_SECOND_FACTOR_TOKEN_TTL_HOURS", default=12))
# A clinician's or staff member's session ends after this long without a request.
VIDA_SECOND_FACTOR_IDLE_SECONDS = 15 * 60

# Lockout (django-axes) on every sign-in path: web login, admin login, the token
# endpoint, the second-factor step and re-authentication. Counted separately per
# account and per client address, in the shared cache.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "default"
AXES_FAILURE_LIMIT = env.int("VIDA_LOCKOUT_FAILURES", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("VIDA_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "vida.clients.client_ip"
AXES_LOCKOUT_CALLABLE = "security.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # security/events.py logs lockouts as security events, without names
AXES_SENSITIVE_PARAMETERS = ["password", "otp"]

# Sessions: two weeks for patients on their own phone; clinicians and staff see
# VIDA_SECOND_FACTOR_IDLE_SECONDS. A password change ends the account's other
# sessions (Django's session hash) and all its API tokens (security/events.py).
SESSION_COOKIE_AGE = 14 * 24 * 60 * 60

# Content-Security-Policy (django-csp 4): this origin only, no inline script or
# style anywhere (templates use classes and static/js files). The API docs page
# is served by drf-spectacular's split view, whose script is a file of its own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Powerful browser features no page of Vida uses.
VIDA_PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "accelerometer=(), gyroscope=(), magnetometer=()"
)
