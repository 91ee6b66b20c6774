"""Production: PostgreSQL, Redis, HTTPS. Refuses to start without its required configuration."""

import os

from django.core.exceptions import ImproperlyConfigured

REQUIRED = {
    "SECRET_KEY": "a long random secret (50+ characters)",
    "DATABASE_URL": "the PostgreSQL database, e.g. postgres://nicp:password@db:5432/nicp",
    "CELERY_BROKER_URL": "the Redis broker, e.g. redis://redis:6379/0",
    "ALLOWED_HOSTS": "the comma-separated host names the site answers to",
}
_missing = [f"{name} ({what})" for name, what in REQUIRED.items() if not os.environ.get(name)]
if _missing:
    raise ImproperlyConfigured("Missing required environment variables: " + "; ".join(_missing))
if not os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL in production.")
if not os.environ["CELERY_BROKER_URL"].startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("CELERY_BROKER_URL must point at Redis in production.")

os.environ.setdefault("DEBUG", "false")

from nicp.settings.base import *  # noqa: E402,F403
from nicp.settings.base import DATABASES, env_bool  # noqa: E402

DEBUG = False
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
NICP_STAFF_MFA_REQUIRED = True

# Production always sends real mail: the configured SMTP server, or the host's own mail relay.
MAILERS = {"default": {
    "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "OPTIONS": {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "587" if os.environ.get("EMAIL_HOST") else "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", bool(os.environ.get("EMAIL_HOST"))),
    },
}}

# One cache for every web process: the API throttle counts and allauth's one-use TOTP codes must be
# shared, or each process would count (and accept a replayed code) on its own. Redis, as the broker.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or os.environ["CELERY_BROKER_URL"]
if not CACHE_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("CACHE_URL (or REDIS_URL) must point at Redis in production.")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": "nicp",
    }
}

if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # S3-compatible storage for uploads when configured (django-storages must be installed).
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}  # noqa: F405

# The container health check calls /healthz over plain HTTP on the loopback.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "127.0.0.1", "localhost"]  # noqa: F405
