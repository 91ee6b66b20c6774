import os
import subprocess
import sys
import uuid

import pytest
from celery.result import EagerResult
from django.conf import settings

from nicp.celery import app


def test_every_scheduled_name_is_a_registered_task(db):
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_celery_runs_in_mexico_city_time_with_json_only():
    assert app.conf.timezone == "America/Mexico_City"
    assert app.conf.accept_content == ["json"] and app.conf.task_serializer == "json"
    assert app.conf.task_time_limit and app.conf.task_soft_time_limit < app.conf.task_time_limit


@pytest.fixture
def real_worker(tmp_path):
    """A real worker process on the configured broker: the embedded file-system one unless
    CELERY_BROKER_URL points at Redis (as CI sets it)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nicp.settings.test",
           "CELERY_FILESYSTEM_DIR": str(settings.CELERY_FILESYSTEM_DIR)}
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "nicp", "worker", "--pool", "solo", "--loglevel", "INFO",
             "--hostname", f"test-{uuid.uuid4().hex[:8]}@%h", "--without-gossip", "--without-mingle"],
            env=env, stdout=out, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR,
        )
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield log
    finally:
        app.conf.task_always_eager = eager
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.worker
def test_a_real_worker_runs_a_task_and_returns_its_result(real_worker):
    from nicp.tasks import ping

    token = uuid.uuid4().hex
    result = ping.apply_async(args=[token])
    assert not isinstance(result, EagerResult)
    try:
        # Eager tasks run earlier in this process leave Celery's "inside a task" flag set; this test
        # is not inside a task, so the guard against blocking on subtasks does not apply.
        value = result.get(timeout=60, disable_sync_subtasks=False)
    except Exception:
        pytest.fail("worker did not answer in 60 s; its log:\n" + real_worker.read_text()[-3000:])
    assert value["token"] == token
    assert "nicp.tasks.ping" in real_worker.read_text()
