"""PostgreSQL restarted under load: while the clients run, `pg_ctl restart -m fast` the cluster, and measure
how many requests failed, when the last failure was, and how long after the server was back the application
answered again — with the same gunicorn, never restarted."""

import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import CommandError

from nicp.scale.load_clients import run_clients
from nicp.scale.load_stats import Tally
from nicp.scale.load_world import World
from nicp.scale.load_writes import WriteLog


@dataclass(frozen=True)
class Cluster:
    pg_ctl: Path
    data: Path
    run_as: str = ""  # run pg_ctl as this user (runuser): the cluster's owner, when we are root

    def restart_command(self) -> list[str]:
        command = [str(self.pg_ctl), "-D", str(self.data), "-m", "fast", "-w", "-t", "60",
                   "-l", str(self.data / "loadtest-restart.log"), "restart"]
        return ["runuser", "-u", self.run_as, "--", *command] if self.run_as else command


@dataclass
class RestartFigures:
    requests: int
    failed_before: int  # failures before the restart began: there should be none
    failed_during: int  # from the restart's start until the server was back
    failed_during_5xx: int  # of which answered 5xx (the rest: no answer at all)
    failed_after: int  # after pg_ctl said the server was ready
    restart_seconds: float  # how long pg_ctl restart took
    last_failure_after_ready: float | None  # seconds after the server was ready (None: no failure after it)
    first_success_after_ready: float | None  # seconds after the server was ready
    quiet_tail_seconds: float  # the run's end without any failure: the application answers again

    def lines(self) -> list[str]:
        def seconds(value):
            return "—" if value is None else f"{value:.2f} s"

        return [f"requests: {self.requests}; failed before the restart: {self.failed_before}, during it: "
                f"{self.failed_during} ({self.failed_during_5xx} 5xx, {self.failed_during - self.failed_during_5xx} "
                f"connection errors), after the server was back: {self.failed_after}",
                f"pg_ctl restart took {self.restart_seconds:.2f} s; first success after it "
                f"{seconds(self.first_success_after_ready)}, "
                f"last failure after it {seconds(self.last_failure_after_ready)}; then {self.quiet_tail_seconds:.1f} s "
                f"without a failure until the end"]

    @property
    def recovered(self) -> bool:
        return self.first_success_after_ready is not None and self.quiet_tail_seconds >= 3


def restart_figures(tally: Tally, began: float, ready: float, ended: float) -> RestartFigures:
    failures = tally.failures
    after = [o for o in failures if o.at >= ready]
    successes_after = [o.at for o in tally.outcomes if o.at >= ready and not o.failed]
    last_failure = max((o.at for o in failures), default=None)
    return RestartFigures(
        requests=len(tally.outcomes), failed_before=sum(o.at < began for o in failures),
        failed_during=sum(began <= o.at < ready for o in failures), failed_after=len(after),
        failed_during_5xx=sum(began <= o.at < ready and o.server_error for o in failures),
        restart_seconds=ready - began,
        last_failure_after_ready=max(o.at for o in after) - ready if after else None,
        first_success_after_ready=min(successes_after) - ready if successes_after else None,
        quiet_tail_seconds=ended - max(last_failure or began, began))


def check_postgres_restart(*, port: int, world: World, clients: int, cluster: Cluster, writes: WriteLog,
                           before: float = 5, after: float = 15) -> RestartFigures:
    tally = Tally()
    stop = threading.Event()
    threads = run_clients(port=port, world=world, clients=clients, stop=stop, tally=tally, writes=writes)
    try:
        time.sleep(before)
        began = time.monotonic()
        done = subprocess.run(cluster.restart_command(), capture_output=True, text=True,  # noqa: S603
                              timeout=120)
        ready = time.monotonic()
        if done.returncode:
            raise CommandError(f"pg_ctl restart failed ({done.returncode}): {done.stderr or done.stdout}")
        time.sleep(after)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    return restart_figures(tally, began, ready, time.monotonic())
