"""Test settings: SQLite in memory unless DATABASE_URL points at PostgreSQL (as CI does)."""

import os
import tempfile

os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
os.environ.setdefault("NICP_VAR_DIR", os.path.join(tempfile.gettempdir(), "nicp-test-var"))
# Under pytest-xdist each test process keeps its own files and Celery queue, so a real worker started by one
# process never takes a task queued by the other (the worker it starts inherits both, and agrees).
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER and not os.environ["NICP_VAR_DIR"].endswith(f"-{XDIST_WORKER}"):
    os.environ["NICP_VAR_DIR"] += f"-{XDIST_WORKER}"

from nicp.settings.base import *  # noqa: E402,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks queued by services run inline in unit tests; the worker test uses a real worker instead.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_DEFAULT_QUEUE = f"celery-{XDIST_WORKER}" if XDIST_WORKER else "celery"
CELERY_TASK_EAGER_PROPAGATES = True
NICP_STAFF_MFA_REQUIRED = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (whitenoise scans it at start)
# The SAT is never asked from tests: its recorded answers are replayed (tests/fixtures/sat/).
NICP_SAT_MODE = "recorded"
NICP_SAT_RECORDED_ANSWERS = str(BASE_DIR / "tests" / "fixtures" / "sat" / "answers.json")  # noqa: F405
# Tests change data and read pages at once: the public pages' short cache is off (tests/public/test_public_cache.py
# turns it on).
PUBLIC_CACHE_SECONDS = 0
