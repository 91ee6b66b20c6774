"""Settings for every environment, read from the environment with safe development defaults.

The embedded default needs nothing installed: SQLite and media under var/, console e-mail, and a
Celery broker on the file system. production.py tightens this and requires the real services.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("NICP_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded default keeps its database and files here


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A fixed development key is safe only because production.py refuses to start without its own.
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-never-used-in-production-0123456789")
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "nicp",
    "accounts",
    "neighbourhoods",
    "proposals",
    "committees",
    "projects",
    "notifications",
    "reports",
    "dashboard",
    "django.contrib.sitemaps",  # sitemap.xml of the public pages (nicp.public_index)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "nicp.middleware.SpanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffMfaRequiredMiddleware",
    "nicp.readonly.ReadOnlyRolesMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nicp.urls"
WSGI_APPLICATION = "nicp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nicp.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'nicp.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        # A kept connection is checked before a request reuses it: after a database restart the first request
        # of each web process reconnects instead of failing (costs nothing with conn_max_age 0).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process and the embedded worker read while the other writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"transaction_mode": "IMMEDIATE", "timeout": 20,
                                            "init_command": "PRAGMA journal_mode=WAL;"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username+IP never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# Everyone lands on their start page, which lists what waits for them.
LOGIN_REDIRECT_URL = "dashboard:start"

# Languages: Spanish (Mexico) first, English available through the language switch.
LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", _("Español")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True
# Our own date formats (lower-case Spanish month names); Django's fill in the rest.
FORMAT_MODULE_PATH = ["nicp.formats"]
# The empty option of list filters, worded like nicp.choices.ANY_LABEL.
FILTERS_EMPTY_CHOICE_LABEL = _("— Todos —")

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# E-mail: printed to the console unless an SMTP server is configured (EMAIL_HOST).
if os.environ.get("EMAIL_HOST"):
    MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ["EMAIL_HOST"],
            "port": int(os.environ.get("EMAIL_PORT", "587")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
        },
    }}
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "NICP <no-responder@nicp.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The public side (issue 13). Map tiles come from this server (OpenStreetMap's by default; its attribution is
# shown on the map); the tile host is the only third-party origin the pages load anything from.
MAP_TILE_URL = os.environ.get("NICP_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "NICP_MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors')
# Seconds an anonymous visitor's public list page is kept in the shared cache (nicp/public_cache.py); 0: never.
PUBLIC_CACHE_SECONDS = int(os.environ.get("NICP_PUBLIC_CACHE_SECONDS", "60"))
# OC4IDS project identifiers are this prefix plus the project's code (registered with the Open Contracting
# Partnership for production use).
OC4IDS_PREFIX = os.environ.get("NICP_OC4IDS_PREFIX", "oc4ids-nicpcdmx-")
# Who publishes the open data (the OC4IDS package's publisher, public authority and funder).
OPEN_DATA_PUBLISHER = os.environ.get("NICP_PUBLISHER_NAME",
                                     "Secretaría de Bienestar e Igualdad Social de la Ciudad de México")


def _tile_origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc.replace('a.', '*.', 1) if '{s}' in url else parts.netloc}"


# Security headers that hold everywhere; production.py adds HTTPS-only settings.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", _tile_origin(MAP_TILE_URL)],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Accounts (django-allauth): e-mail login, mandatory verification, TOTP for staff.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[NICP] "
ACCOUNT_RATE_LIMITS = {"login_failed": None}  # django-axes owns login lockout.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "NICP"
# Staff roles must use TOTP; the demo switches this off so its logins work at once.
NICP_STAFF_MFA_REQUIRED = env_bool("NICP_STAFF_MFA_REQUIRED", True)

# Login lockout (django-axes): by username and IP together, so one attacker cannot lock a user out
# from everywhere and one user's typos do not block a shared community-centre IP.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.lockout.username_from_request"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Client IP behind a reverse proxy: the number of proxies in front of Django that append to
# X-Forwarded-For (0: use the connection's address and ignore the header, which clients can forge).
# One rule (accounts.client_ip) serves the lockout, allauth's rate limits and the API throttle.
NICP_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"

# API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Hashed, expiring, revocable tokens (knox) sent as `Authorization: Token <key>`.
        "accounts.api.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly",
                                   "nicp.readonly.ReadOnlyRolesPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "nicp.search_api.TitleSearchFilter",  # `search` ignores case and accents, trigram-indexed (nicp.search)
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "nicp.api_pagination.KeysFirstPagination",  # keys first, capped count, cursor
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "nicp.api_errors.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "20/min"},
    # Throttles key anonymous clients on the same address as the lockout (see NICP_PROXY_COUNT).
    "NUM_PROXIES": NICP_PROXY_COUNT,
}
# API tokens: how long one lasts, by who holds it; a password change, deactivation or closure
# request revokes them all. Staff need their second factor to get one.
NICP_API_TOKEN_DAYS_STAFF = int(os.environ.get("NICP_API_TOKEN_DAYS_STAFF", "30"))
NICP_API_TOKEN_DAYS_APPLICANT = int(os.environ.get("NICP_API_TOKEN_DAYS_APPLICANT", "90"))
NICP_API_TOKENS_PER_USER = int(os.environ.get("NICP_API_TOKENS_PER_USER", "10"))
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=NICP_API_TOKEN_DAYS_STAFF),  # tokens are made by accounts.tokens
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",  # the prefix clients already send
}
SPECTACULAR_SETTINGS = {
    "TITLE": "NICP API",
    "DESCRIPTION": "Programa Comunitario de Mejoramiento Barrial",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets used by several components (list and detail, a field and a filter) get one stable name.
    "ENUM_NAME_OVERRIDES": {
        "ActionEnum": "proposals.workflow.ProposalAction",  # the name it had before projects came
        "ProposalStateEnum": "proposals.workflow.ProposalState",  # the API list's rows name it (issue 14)
        "ProjectStateEnum": "projects.workflow.ProjectState",
        "ProjectActionEnum": "projects.workflow.ProjectAction",
        "TrancheStateEnum": "projects.workflow.TrancheState",
        "TrancheActionEnum": "projects.workflow.TrancheAction",
    },
}

# Background work (Celery). With no CELERY_BROKER_URL the broker is a folder under var/: the embedded
# default runs a real worker with nothing else installed. Production sets Redis.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
CELERY_FILESYSTEM_DIR = Path(os.environ.get("CELERY_FILESYSTEM_DIR", VAR_DIR / "celery"))
if CELERY_BROKER_URL == "filesystem://":
    _queue_dir = CELERY_FILESYSTEM_DIR / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(CELERY_FILESYSTEM_DIR / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = os.environ.get(
        "CELERY_RESULT_BACKEND", f"file://{(CELERY_FILESYSTEM_DIR / 'results').as_posix()}"
    )
else:
    CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
    # Redis gives back a message a killed worker had taken and not acknowledged (acks_late) after this many
    # seconds. Longer than any task may run (the time limits below), or a slow task would run twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))}
CELERY_TIMEZONE = TIME_ZONE
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# An acks_late task whose child process is killed (the OOM killer) goes back to the queue, not to "failed":
# the ones that say so are safe to repeat (the reminder sweep, the notices' e-mail); a report says False.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The schedule lives here, in code; exactly one beat process runs it (README, "Background work").
# tests/test_background_work.py checks that every task named here is registered.
CELERY_BEAT_SCHEDULE = {
    "expire-community-group-invitations": {
        "task": "accounts.tasks.expire_invitations",
        "schedule": 3600.0,
    },
    # Hourly: a reminder is "due and not yet sent", so a missed run is caught up by the next one.
    "send-deadline-reminders": {
        "task": "notifications.tasks.send_reminders",
        "schedule": 3600.0,
    },
    "fail-stale-reports": {
        "task": "reports.tasks.fail_stale_reports",
        "schedule": 300.0,
    },
    # Daily: report files past NICP_REPORT_KEEP_DAYS, and uploads whose rows were rolled back.
    "clean-up-files": {
        "task": "reports.tasks.clean_up_files",
        "schedule": 24 * 3600.0,
    },
}
# Reports: a worker gives up on one after this many seconds; a running row older than its limit plus the
# margin is a killed worker's and becomes failed.
NICP_REPORT_TIME_LIMIT = int(os.environ.get("NICP_REPORT_TIME_LIMIT", "900"))
NICP_REPORT_STALE_MARGIN_SECONDS = 120
# Generated report files are removed after this many days (the row stays, marked expired).
NICP_REPORT_KEEP_DAYS = int(os.environ.get("NICP_REPORT_KEEP_DAYS", "14"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Demo data: the password printed by `make run` for every demo account.
NICP_DEMO_PASSWORD = os.environ.get("NICP_DEMO_PASSWORD", "Barrio-2026-demo")
NICP_INVITATION_DAYS = 14
# Invitations a community group may send in any 24 hours; revoked ones count too.
NICP_INVITATIONS_PER_GROUP_PER_DAY = int(os.environ.get("NICP_INVITATIONS_PER_GROUP_PER_DAY", "20"))


def site_url_from(environ) -> str:
    """Absolute address used in e-mails (notices, invitations, verification): NICP_SITE_URL, or else the
    HOST and PORT that `make run` serves on (it exports both), so a link opens the server people use.
    A wildcard bind address is not something a browser can open: it becomes the loopback address."""
    if environ.get("NICP_SITE_URL"):
        return environ["NICP_SITE_URL"].rstrip("/")
    host = environ.get("HOST") or "127.0.0.1"
    if host in {"0.0.0.0", "::", "[::]"}:  # noqa: S104 (recognised here, never bound to)
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address in a URL
    return f"http://{host}:{environ.get('PORT') or '8000'}"


NICP_SITE_URL = site_url_from(os.environ)
CSRF_FAILURE_VIEW = "nicp.views.csrf_failure"
AXES_VERBOSE = False

# Uploads: images larger than this many pixels are refused from their header, before any decoding
# (a small file can claim a huge picture); and how many files one proposal takes per hour.
# The RFC the programme's invoices are made out to, unless a call's project rules say another.
NICP_CFDI_RECEIVER_RFC = os.environ.get("NICP_CFDI_RECEIVER_RFC", "SBI180101AB1")
NICP_UPLOAD_MAX_PIXELS = int(os.environ.get("NICP_UPLOAD_MAX_PIXELS", "40000000"))
NICP_UPLOADS_PER_PROPOSAL_PER_HOUR = int(os.environ.get("NICP_UPLOADS_PER_PROPOSAL_PER_HOUR", "30"))
# Progress, logbook and visit photos taken farther than this many metres from the site are flagged.
NICP_PHOTO_FAR_FROM_SITE_M = int(os.environ.get("NICP_PHOTO_FAR_FROM_SITE_M", "500"))

# SAT status of CFDI invoices (projects/sat.py): "off" asks nobody (no network unless configured), "live" asks
# the SAT's public ConsultaCFDIService, "recorded" replays the answers a JSON file names (tests and demos).
NICP_SAT_MODE = os.environ.get("NICP_SAT_MODE", "off")
NICP_SAT_TIMEOUT = float(os.environ.get("NICP_SAT_TIMEOUT", "10"))
NICP_SAT_RECORDED_ANSWERS = os.environ.get("NICP_SAT_RECORDED_ANSWERS", "")

# Open data (issue 13): the files under /datos/ are rebuilt by the worker every night, at 03:00 Mexico City
# time (CELERY_TIMEZONE), and served from those snapshots.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE["build-open-data-snapshots"] = {
    "task": "reports.tasks.build_open_data_snapshots",
    "schedule": crontab(hour=3, minute=0),
}
