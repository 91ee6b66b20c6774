"""The processes the load test runs against: gunicorn (2 workers, nicp.wsgi) on a loopback port, and a real
Celery worker on the configured broker (prefork, as docker-compose runs it, one child so "the child running
the task" is unambiguous). Each runs in its own session so it can be killed as a whole, and logs to a file."""

import contextlib
import http.client
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError


def child_env(**extra: str) -> dict[str, str]:
    """This process's environment and settings for the children; staff two-factor enrolment is off as in the
    demo (the run signs staff in directly, and enrolment redirects are not what is measured), and DEBUG is off
    unless set, as in production (DEBUG keeps every query of a request in memory)."""
    return {"DEBUG": "false", **os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
            "NICP_STAFF_MFA_REQUIRED": "false", **extra}


@dataclass
class Running:
    name: str
    process: subprocess.Popen
    log: Path

    def tail(self, chars: int = 3000) -> str:
        return f"{self.name} log ({self.log}):\n" + self.log.read_text(errors="replace")[-chars:]

    def alive(self) -> bool:
        return self.process.poll() is None

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def ran(self, task_id: str) -> bool:
        """Whether this worker's log says it finished that task."""
        return f"[{task_id}] succeeded" in self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the whole process group: what a container kill or an OOM of everything does."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if not self.alive():
            return
        try:  # the main process only: a worker's warm shutdown lets its child finish the task it runs
            self.process.terminate()
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
        except ProcessLookupError:
            pass


def _start(name: str, command: list[str], log: Path, env: dict[str, str]) -> Running:
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT,  # noqa: S603 (our own)
                                   cwd=settings.BASE_DIR, start_new_session=True)
    return Running(name, process, log)


def healthy(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/healthz")
        ok = connection.getresponse().status == 200
        connection.close()
        return ok
    except (OSError, http.client.HTTPException):
        return False


def gunicorn_start(port: int, folder: Path, workers: int = 2) -> Running:
    if healthy(port):
        raise CommandError(f"Something already answers on 127.0.0.1:{port}: choose another --port.")
    server = _start("gunicorn", [sys.executable, "-m", "gunicorn", "nicp.wsgi", "--workers", str(workers),
                                 "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--graceful-timeout", "5"],
                    folder / "gunicorn.log", child_env())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if healthy(port):
            return server
        if not server.alive():
            break
        time.sleep(0.2)
    server.stop()
    raise CommandError("gunicorn did not start. " + server.tail())


def worker_start(folder: Path, **env: str) -> Running:
    name = f"loadtest-{uuid.uuid4().hex[:8]}"
    log = folder / f"{name}.log"
    worker = _start("worker", [sys.executable, "-m", "celery", "-A", "nicp", "worker", "--pool", "prefork",
                               "--concurrency", "1", "--loglevel", "INFO", "--hostname", f"{name}@%h",
                               "--without-gossip", "--without-mingle"], log, child_env(**env))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if "ready." in log.read_text(errors="replace"):
            return worker
        if not worker.alive():
            break
        time.sleep(0.2)
    worker.stop()
    raise CommandError("The Celery worker did not start. " + worker.tail())
