"""A real Celery worker process for tests, on the configured broker (the embedded file-system one unless
CELERY_BROKER_URL points at Redis, as CI sets it), and the database the test and the worker share.
Used by tests/test_background_work.py and the whole-cycle browser test (tests/e2e/test_whole_cycle.py)."""

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from nicp.celery import app


@dataclass(frozen=True)
class Worker:
    process: subprocess.Popen
    log: Path

    def tail(self) -> str:
        return "worker log:\n" + self.log.read_text()[-3000:]


@contextmanager
def worker_process(log, **env):
    """A real worker process on the configured broker: the embedded file-system one unless
    CELERY_BROKER_URL points at Redis (as CI sets it)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nicp.settings.test",
           "CELERY_FILESYSTEM_DIR": str(settings.CELERY_FILESYSTEM_DIR), **env}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "nicp", "worker", "--pool", "solo", "--loglevel", "INFO",
             "--hostname", f"test-{uuid.uuid4().hex[:8]}@%h", "--without-gossip", "--without-mingle"],
            env=env, stdout=out, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR,
        )
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield Worker(process, log)
    finally:
        app.conf.task_always_eager = eager
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def database_shared_with_a_worker(folder: Path):
    """The worker is another process: it must read and write this test's rows. On PostgreSQL it connects to
    the test database; SQLite's in-memory test database is copied to a file in `folder` that both use (the
    in-memory one is put back afterwards). Yields the worker's DATABASE_URL."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        yield (f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}@{db['HOST'] or 'localhost'}:"
               f"{db['PORT'] or 5432}/{db['NAME']}")
        return
    path = folder / "shared.sqlite3"
    connection.ensure_connection()
    memory = connection.connection
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.close()
    name = connection.settings_dict["NAME"]
    connection.connection = None  # closing would destroy the in-memory database; it is set aside instead
    connection.settings_dict["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory


def wait_until(check, worker: Worker, what: str, seconds: float = 90):
    """Poll until `check()` is true; a worker that never gets there fails with its log."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.2)
    pytest.fail(f"{what}: not reached in {seconds} s. {worker.tail()}")
