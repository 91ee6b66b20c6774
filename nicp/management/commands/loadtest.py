"""Load and faults, bounded, on loopback: mixed reads and writes through gunicorn with a real worker, the worker
killed mid-task, PostgreSQL restarted under load (nicp/scale/load.py says what each check proves).

    manage.py loadtest [--clients 20] [--seconds 60] [--port 8765]
                       [--pg-ctl PATH --pg-data DIR [--pg-run-as postgres]] [--skip-worker-kill]

Needs PostgreSQL (DATABASE_URL) and Redis (CELERY_BROKER_URL) and the demo (`seed_demo`): it signs in as
the demo's people and WRITES marked test rows (drafts, logbook entries «carga …») and re-sends the demo's due
reminders — run it on a demo or throwaway database, never on a real one. Exits non-zero on any 5xx outside
the restart, any lost write, or any fault check that fails.
"""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from nicp.scale.faults import check_worker_killed
from nicp.scale.faults_postgres import Cluster, check_postgres_restart
from nicp.scale.load import load_run
from nicp.scale.load_processes import gunicorn_start, worker_start
from nicp.scale.load_stats import figures_table
from nicp.scale.load_world import world_build, world_forget
from nicp.scale.load_writes import WriteLog, lost_writes


def refuse_unless_real_services() -> None:
    if connection.vendor != "postgresql":
        raise CommandError("loadtest needs PostgreSQL: set DATABASE_URL=postgres://… (SQLite serialises writers, "
                           "so its figures would mean nothing, and PostgreSQL is what check 3 restarts).")
    if not str(settings.CELERY_BROKER_URL).startswith(("redis://", "rediss://")):
        raise CommandError("loadtest needs Redis as the Celery broker: set CELERY_BROKER_URL=redis://….")


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=20, help="Concurrent clients (1–200).")
        parser.add_argument("--seconds", type=float, default=60, help="How long the load runs (1–600).")
        parser.add_argument("--port", type=int, default=8765, help="The loopback port gunicorn listens on.")
        parser.add_argument("--pg-ctl", type=Path, default=None, help="pg_ctl of the cluster to restart (check 3).")
        parser.add_argument("--pg-data", type=Path, default=None, help="That cluster's data directory.")
        parser.add_argument("--pg-run-as", default="", help="Run pg_ctl as this user (e.g. postgres) via runuser.")
        parser.add_argument("--skip-worker-kill", action="store_true", help="Leave out check 2.")

    def handle(self, *args, clients, seconds, port, pg_ctl, pg_data, pg_run_as, skip_worker_kill, **options):
        refuse_unless_real_services()
        if not 1 <= clients <= 200 or not 1 <= seconds <= 600:
            raise CommandError("--clients must be 1–200 and --seconds 1–600: the run is bounded.")
        if not 1024 <= port <= 65535:
            raise CommandError("--port must be 1024–65535.")
        if bool(pg_ctl) != bool(pg_data):
            raise CommandError("Give both --pg-ctl and --pg-data to restart PostgreSQL, or neither.")
        folder = Path(tempfile.mkdtemp(prefix="nicp-loadtest-"))
        self.stdout.write(f"logs in {folder}")
        world = world_build()
        problems: list[str] = []
        writes = WriteLog()
        server = gunicorn_start(port, folder)
        try:
            self._load(folder, port, world, clients, seconds, writes, problems)
            if skip_worker_kill:
                self.stdout.write("\n2. worker killed mid-task: skipped (--skip-worker-kill)")
            else:
                self._worker_killed(folder, port, world, problems)
            if pg_ctl:
                self._postgres(port, world, clients, Cluster(pg_ctl, pg_data, pg_run_as), writes, problems)
            else:
                self.stdout.write("\n3. PostgreSQL restarted under load: skipped (give --pg-ctl and --pg-data)")
            self._lost(writes, problems)
        finally:
            server.stop()
            connection.close()
            world_forget(world)
        if problems:
            raise CommandError("loadtest found problems:\n- " + "\n- ".join(problems))
        self.stdout.write(self.style.SUCCESS("\nloadtest: no 5xx outside the restart, no lost write, faults survived"))

    def _load(self, folder, port, world, clients, seconds, writes, problems):
        self.stdout.write(f"\n1. load: {clients} clients for {seconds:.0f} s through gunicorn (2 workers) on "
                          f"127.0.0.1:{port}, a real worker on {settings.CELERY_BROKER_URL.split('@')[-1]}")
        worker = worker_start(folder)
        try:
            figures = load_run(port=port, world=world, clients=clients, seconds=seconds, writes=writes)
        finally:
            worker.stop()
        self.stdout.write(figures_table(figures.rows))
        self.stdout.write(f"writes answered with a success: {figures.writes}")
        if figures.server_errors or figures.connection_errors:
            problems.append(f"load: {figures.server_errors} 5xx and {figures.connection_errors} connection errors")
        refused = figures.rows[-1].refused
        if refused:
            problems.append(f"load: {refused} answers 4xx where the scenario expected a success (see the table)")

    def _worker_killed(self, folder, port, world, problems):
        self.stdout.write("\n2. worker killed mid-task")
        figures = check_worker_killed(folder=folder, port=port, world=world)
        for line in figures.lines:
            self.stdout.write("   " + line)
        problems.extend(f"worker killed: {p}" for p in figures.problems)

    def _postgres(self, port, world, clients, cluster, writes, problems):
        self.stdout.write(f"\n3. PostgreSQL restarted under load ({clients} clients; pg_ctl restart -m fast)")
        figures = check_postgres_restart(port=port, world=world, clients=clients, cluster=cluster, writes=writes)
        connection.close()  # this process's own connection died with the server
        for line in figures.lines():
            self.stdout.write("   " + line)
        if figures.failed_before:
            problems.append(f"restart: {figures.failed_before} requests failed before the restart began")
        if not figures.recovered:
            problems.append("restart: the application did not answer steadily again after PostgreSQL came back")

    def _lost(self, writes, problems):
        lost = lost_writes(writes)
        total = sum(len(markers) for markers in lost.values())
        by_kind = ", ".join(f"{kind} {len(writes.confirmed[kind])}" for kind in sorted(writes.confirmed))
        self.stdout.write(f"\nlost writes: {total} of {writes.total} answered with a success ({by_kind})")
        if total:
            problems.append(f"{total} writes answered with a success are not in the database: "
                            + ", ".join(sorted(m for markers in lost.values() for m in markers)[:10]))
