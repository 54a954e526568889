"""Settings of the KSR portal, read from the environment (django-environ).

Every machine runs this one module; what differs between machines comes from environment
variables or a `.env` file beside `manage.py`.
"""

import ipaddress
from decimal import Decimal
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from ksr_portal.headers import static_file_headers

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# A development key is only acceptable while DEBUG is on; production must set its own. Without one,
# commands that sign nothing (makemigrations, check) still run; Django refuses the empty key the
# moment anything reads it, and wsgi.py reads it so that no app server starts without it.
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-development-only-key-do-not-use-in-production")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])

INSTALLED_APPS = [
    "ksr_portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_filters",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "ksr_portal",
    "networks",
    "stakeholders",
    "clubs",
    "participants",
    "reporting",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the request: a NUL character anywhere in it is answered 400.
    "ksr_portal.middleware.reject_nul_middleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's sessions, saved on a page that only reads at most once a minute and never waited for.
    "ksr_portal.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ksr_portal.second_factor.second_factor_middleware",
    # Once the user is known: no-store for signed-in users, Permissions-Policy for all.
    "ksr_portal.middleware.privacy_headers_middleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ksr_portal.urls"

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
                "api.context_processors.waiting_referrals",
                "api.context_processors.worklist_counts",
            ],
        },
    },
]

WSGI_APPLICATION = "ksr_portal.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite writes one transaction at a time: while the worker writes an import, a request's write waits
    # for it to end rather than fail after SQLite's default 5 seconds. In WAL mode reading never waits for
    # the writer (in the default mode a long write locks readers out), and pages that only read do not
    # write (ksr_portal.middleware.IdleSessionMiddleware), so they answer while an import is written.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 60)
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL;")
# Reports and dashboards may read from a PostgreSQL replica; every write goes to the primary.
if env.str("REPLICA_DATABASE_URL", default=""):
    DATABASES["replica"] = env.db("REPLICA_DATABASE_URL")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["ksr_portal.routers.ReplicaRouter"]

# App servers keep no state of their own: sessions live in the database, the cache where CACHE_URL
# says (e.g. redis://… or dbcache://cache_table shared by every server), uploads on the configured storage.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
STORAGES = {
    "default": {"BACKEND": env.str("MEDIA_STORAGE", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": env.str("STATICFILES_STORAGE", default="django.contrib.staticfiles.storage.StaticFilesStorage")
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", "Polski"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True
# One format of dates and times in every language: DD.MM.RRRR, HH:MM in the local time zone.
FORMAT_MODULE_PATH = ["ksr_portal.formats"]

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers
MEDIA_URL = "media/"
# Uploaded documents (minutes, agreements) live outside the code.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

LOGIN_URL = "admin:login"
# Where a sign-in that names no page of its own leads: the role's work.
LOGIN_REDIRECT_URL = "start"

# Outgoing e-mail (the morning digest): e.g. EMAIL_URL=smtp+tls://user:password@smtp.example.org:587;
# by default e-mails are printed to the console.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@ksr.example.gov.pl")

# --- Login and session hardening ------------------------------------------------------------

# Two-factor sign-in: "roles" asks a second factor of every role that reads identities or grants
# access (roles.SECOND_FACTOR_PERMISSIONS), "all" of everyone.
TWO_FACTOR = env.str("TWO_FACTOR", default="roles")
if TWO_FACTOR not in ("roles", "all"):
    raise ImproperlyConfigured('TWO_FACTOR must be "roles" or "all".')
OTP_TOTP_ISSUER = "Portal KSR"

# A masked field (PESEL, password) leaves no part of its value in the audit trail.
AUDITLOG_MASK_CALLABLE = "ksr_portal.audit.mask"

# Repeated failed sign-ins lock the account, from every address, and the address, for every account
# (django-axes). Wrong old passwords on the password-change page count as failed sign-ins.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "ksr_portal.signin.client_ip"
AXES_LOCKOUT_CALLABLE = "ksr_portal.signin.lockout_response"
# The proxies (addresses or networks) whose X-Forwarded-For names the client, e.g. the TLS proxy in
# front of gunicorn: "127.0.0.1,10.0.0.0/8". Without one, the header is ignored.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network(proxy.strip(), strict=False) for proxy in TRUSTED_PROXIES]

# Idle timeout: the session expires this long after the last request (ksr_portal.middleware.IdleSessionMiddleware
# saves it on every request that may change something, and at most once a minute on a page that only reads).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# The language cookie is guarded as the session's: only over TLS, out of scripts' reach.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp): scripts only from the portal itself, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # The admin sets a few style attributes in its markup; styles cannot run code.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# --- The API for other systems (api/) -------------------------------------------------------

# Calls of one API key allowed per period (s, m, h or d); more are answered 429 with Retry-After.
KSR_API_RATE = env.str("KSR_API_RATE", default="120/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ModelPermission"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiKeyThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Krajowej Sieci Reintegracji",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema for signed-in users and for keys; the browsable docs (api/urls.py) for signed-in users.
    "SERVE_AUTHENTICATION": [
        "api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI served from the portal itself (drf-spectacular-sidecar): no CDN, scripts from 'self' only.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "PillarCodeEnum": "clubs.choices.PillarCodeChoices",
        "EligibilityCategoryCodeEnum": "participants.choices.EligibilityCategoryCodeChoices",
    },
}

# --- Domain settings --------------------------------------------------------------------

# The largest grant for creating one pilot KIS under the 2019 KSR call (seed 000).
KSR_PILOT_GRANT_CAP = Decimal("60600.00")

# How long a participant's identity is kept after their last exit from a club; then
# `manage.py anonymise_participants` removes it (the controller sets the period in its retention policy).
KSR_RETENTION_YEARS_AFTER_EXIT = env.int("KSR_RETENTION_YEARS_AFTER_EXIT", default=5)

# How often an Individual Action Plan is reviewed unless the plan says otherwise (months).
KSR_PLAN_REVIEW_MONTHS = env.int("KSR_PLAN_REVIEW_MONTHS", default=3)
# Worklist horizons: contracts ending soon, participants absent for long, reviews coming up (days).
KSR_CONTRACT_EXPIRY_WARNING_DAYS = 30
KSR_ABSENCE_WARNING_DAYS = 14
# The largest document (minutes, agreement, deliverable) a user may upload (MB).
KSR_MAX_DOCUMENT_MB = env.int("KSR_MAX_DOCUMENT_MB", default=10)
# Counts of people from 1 to this number are hidden ("<5") from roles that must not identify anyone.
KSR_SMALL_CELL_THRESHOLD = env.int("KSR_SMALL_CELL_THRESHOLD", default=4)
# The largest spreadsheet a user may import (MB); a larger one is refused before it is read.
KSR_MAX_IMPORT_MB = env.int("KSR_MAX_IMPORT_MB", default=5)
# Uploaded spreadsheets (ksr_portal.ImportJob): the folder their files are kept in (shared by every
# machine that runs web servers or workers), and how long an unconfirmed one is kept (`manage.py purge_uploads`).
KSR_UPLOAD_DIR = env.path("KSR_UPLOAD_DIR", default=BASE_DIR / "uploads")
KSR_UPLOAD_RETENTION_HOURS = env.float("KSR_UPLOAD_RETENTION_HOURS", default=24)
# An export of more rows than this runs as a background job, whose page offers the file (ksr_portal/jobs.py).
KSR_EXPORT_JOB_ROWS = env.int("KSR_EXPORT_JOB_ROWS", default=2000)
# How many rows of a file its preview page lists (the counts cover every row).
KSR_IMPORT_PREVIEW_ROWS = env.int("KSR_IMPORT_PREVIEW_ROWS", default=100)
# Imports run as background jobs (django-tasks): queued in the database, run by `manage.py db_worker`
# processes (`make run` starts one, `make serve` as many as TASK_WORKERS says).
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
# An import is one transaction: a file with any bad row changes nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Importing needs the permission to add, exporting the permission to view.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# The accessibility statement (ksr_portal/accessibility.py): who publishes the portal, where, whom
# to contact. (Data, like region names: in Polish; each deployment sets its own.)
KSR_OPERATOR = env.str("KSR_OPERATOR", default="Podmiot prowadzący portal KSR")
KSR_SITE_URL = env.str("KSR_SITE_URL", default="https://ksr.example.gov.pl")
KSR_ACCESSIBILITY_CONTACT = env.str("KSR_ACCESSIBILITY_CONTACT", default="Administrator portalu KSR")
KSR_ACCESSIBILITY_EMAIL = env.str("KSR_ACCESSIBILITY_EMAIL", default="dostepnosc@ksr.example.gov.pl")
KSR_ACCESSIBILITY_PHONE = env.str("KSR_ACCESSIBILITY_PHONE", default="+48 22 000 00 00")
KSR_BUILDING_ACCESSIBILITY = env.str(
    "KSR_BUILDING_ACCESSIBILITY",
    default="Opis dostępności architektonicznej siedziby podmiotu: wejście, windy, toalety, pętla indukcyjna, "
    "tłumacz języka migowego (uzupełnia podmiot prowadzący portal).",
)
