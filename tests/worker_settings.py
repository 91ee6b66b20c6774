"""Settings of the real worker started by tests/test_background_work.py: the test settings, with files in a
folder the test process reads too (the worker is another process: in-memory storage would be its own), and
the test-only report kind imported at start-up so that the worker can build it."""

import os

from nicp.settings.test import *  # noqa: F403

MEDIA_ROOT = os.environ["NICP_TEST_MEDIA_ROOT"]
STORAGES = {**STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}  # noqa: F405
CELERY_IMPORTS = ("tests.worker_kinds",)
