"""The Celery application. Configuration comes from Django settings (CELERY_* names)."""

import os
from pathlib import Path

from celery import Celery
from celery.signals import import_modules

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nicp.settings.base")

app = Celery("nicp", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_filesystem_broker_folders(conf) -> None:
    """The embedded file-system broker needs its folders before the first message."""
    if not str(conf.broker_url).startswith("filesystem://"):
        return
    options = conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
    backend = str(conf.result_backend or "")
    if backend.startswith("file://"):
        Path(backend.removeprefix("file://")).mkdir(parents=True, exist_ok=True)


@import_modules.connect
def _prepare_worker(sender=None, **kwargs):
    ensure_filesystem_broker_folders(app.conf)


@app.on_after_configure.connect
def _prepare_client(sender, **kwargs):
    ensure_filesystem_broker_folders(sender.conf)
