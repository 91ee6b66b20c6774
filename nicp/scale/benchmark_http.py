"""Requests per second through a real gunicorn (2 sync workers, loopback) against the benchmark's own
database, each path compared with /healthz on the same server in the same run: the ratio is the figure,
the absolute rate depends on the machine. Staff paths carry a token or a session cookie made for the run.
"""

import http.client
import json
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

WORKERS = 2
THREADS = 4  # one client of 4 threads: enough to keep 2 sync workers busy


@dataclass(frozen=True)
class Target:
    label: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()


def gunicorn_command(port: int, workers: int = WORKERS) -> list[str]:
    binary = Path(sys.executable).with_name("gunicorn")
    return [str(binary), "nicp.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"]


def gunicorn_env(environ: dict, port: int) -> dict:
    """The benchmark's own environment (database, NICP_VAR_DIR) served as production would: no debug, its
    host allowed, persistent connections; staff without a second factor (the benchmark's accounts have
    none) and no public cache (a cache hit is not what is measured)."""
    return {**environ, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "NICP_SITE_URL": f"http://127.0.0.1:{port}", "DB_CONN_MAX_AGE": environ.get("DB_CONN_MAX_AGE", "60"),
            "NICP_STAFF_MFA_REQUIRED": "false", "NICP_PUBLIC_CACHE_SECONDS": "0",
            "DJANGO_SETTINGS_MODULE": environ.get("DJANGO_SETTINGS_MODULE", "nicp.settings.base")}


class Gunicorn:
    """gunicorn started for the measurement and stopped after it, whatever happens in between."""

    def __init__(self, port: int, environ: dict, log: Path):
        self.port, self.environ, self.log = port, environ, log
        self.process = None

    def __enter__(self):
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603 (our own server, fixed arguments)
                gunicorn_command(self.port), cwd=settings.BASE_DIR, env=gunicorn_env(self.environ, self.port),
                stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start:\n{self.log.read_text()[-2000:]}")
            if get(self.port, Target("health", "/healthz")) == 200:
                return self
            time.sleep(0.25)
        self.__exit__()
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def get(port: int, target: Target) -> int | None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", target.path, headers=dict(target.headers))
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return None
    finally:
        conn.close()


@dataclass
class Load:
    target: Target
    seconds: float
    ok: int
    failed: int
    statuses: dict

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


def hammer(port: int, target: Target, seconds: float, threads: int = THREADS) -> Load:
    """`threads` clients, each on its own keep-alive connection (reopened when the server closes it, as
    gunicorn's sync workers do), GET the path back to back for `seconds`; only 200s count as served."""
    lock, counts, statuses = threading.Lock(), {"ok": 0, "failed": 0}, {}
    start = threading.Barrier(threads + 1)
    headers = dict(target.headers)

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        ok = failed = 0
        seen: dict = {}
        start.wait()
        while time.monotonic() < deadline:
            try:
                conn.request("GET", target.path, headers=headers)
                response = conn.getresponse()
                response.read()
                seen[response.status] = seen.get(response.status, 0) + 1
                ok, failed = (ok + 1, failed) if response.status == 200 else (ok, failed + 1)
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
        conn.close()
        with lock:
            counts["ok"] += ok
            counts["failed"] += failed
            for status, n in seen.items():
                statuses[status] = statuses.get(status, 0) + n

    workers = [threading.Thread(target=client, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + seconds
    began = time.monotonic()
    start.wait()
    for worker in workers:
        worker.join()
    return Load(target, time.monotonic() - began, counts["ok"], counts["failed"], statuses)


def compare(port: int, targets: list[Target], seconds: float, *, rounds: int = 2, threads: int = THREADS,
            warm: float = 1.0) -> dict[Target, list[Load]]:
    """Each target in turn, `rounds` times interleaved, after a short warm-up of each, with the same
    client: the ratios compare like with like on a machine whose load drifts."""
    for target in targets:
        hammer(port, target, warm, threads)
    loads: dict[Target, list[Load]] = {target: [] for target in targets}
    for _ in range(rounds):
        for target in targets:
            loads[target].append(hammer(port, target, seconds, threads))
    return loads


def rps(loads: list[Load]) -> float:
    seconds = sum(load.seconds for load in loads)
    return sum(load.ok for load in loads) / seconds if seconds else 0.0


def statuses_text(loads: list[Load]) -> str:
    merged: dict = {}
    for load in loads:
        for status, n in load.statuses.items():
            merged[status] = merged.get(status, 0) + n
    return json.dumps({str(k): v for k, v in sorted(merged.items())})
