"""Measure the call report on large generated calls (wall time, queries, peak memory), and the reminder sweep.

    manage.py benchmark_reports [--sizes 10000,50000] [--territory PATH]
    manage.py benchmark_reports --sizes 50000 --sweep [--projects 10000] [--sweep-drafts 5000]

Each size has its own call (generated once with the review benchmark's generator, then given the events,
assemblies and technical reviews its proposals' states imply; see reports/benchmark.py). Each report is
built in a child process of its own, so the peak RSS printed is that build's: the process before the
build, and its peak after. `--sweep` also generates the funded projects (generate_benchmark_projects)
and times two runs of the reminder sweep over everything, the second finding everything sent; with
`--sweep-drafts N` a call closing tomorrow adds N drafts to remind. The sweeps run in a transaction
rolled back at the end, so the benchmark can be run again on the same data (and no e-mail is queued).
Run it against PostgreSQL (DATABASE_URL) for figures that mean something; it never runs in the tests.
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from neighbourhoods.services import territory_import
from reports.benchmark import drafts_closing_tomorrow, report_call
from reports.models import ACTIVE, Report, ReportStatus


class Rollback(Exception):
    pass


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not getrusage: a child started by exec keeps its
    parent's ru_maxrss (the parent grew while generating the data), but its own memory map starts afresh."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="10000,50000", help="Proposals per call, comma-separated.")
        parser.add_argument("--territory", type=Path, default=None)
        parser.add_argument("--sweep", action="store_true", help="Also time the reminder sweep.")
        parser.add_argument("--projects", type=int, default=10_000, help="Funded projects for --sweep.")
        parser.add_argument("--sweep-drafts", type=int, default=0, help="Drafts to remind in --sweep.")
        parser.add_argument("--child", type=int, default=None, help="(internal) build this call's report.")

    def handle(self, *args, sizes: str, territory: Path | None, sweep: bool, projects: int, sweep_drafts: int,
               child: int | None, **options):
        if child is not None:
            return self.build_in_this_process(child)
        try:
            counts = sorted({int(size) for size in sizes.split(",") if size.strip()})
        except ValueError as error:
            raise CommandError("--sizes takes whole numbers separated by commas, e.g. 10000,50000.") from error
        if territory:
            territory_import(territory)
        self.stdout.write(f"Call report on {connection.vendor}, one child process per build")
        self.stdout.write(f"  {'proposals':>10} {'rows':>8} {'seconds':>8} {'CPU s':>6} {'SQL s':>6} "
                          f"{'rows/s':>8} {'queries':>8} "
                          f"{'RSS before':>11} {'RSS peak':>9} {'growth':>8} {'file':>8}")
        for size in counts:
            _coordinator, call = report_call(size)
            self.stdout.write(self.line(size, self.build_in_child(call.pk)))
        # On a shared machine the wall clock waits for the CPU; the CPU and SQL columns move less.
        self.stdout.write("  load average: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
        if sweep:
            self.measure_sweep(projects, sweep_drafts)

    @staticmethod
    def line(size: int, run: dict) -> str:
        return (f"  {size:>10,} {run['rows']:>8,} {run['seconds']:>8.1f} {run['cpu']:>6.1f} {run['sql']:>6.1f} "
                f"{run['rows'] / run['seconds']:>8,.0f} "
                f"{run['queries']:>8} {run['rss_before_mb']:>8.0f} MB {run['rss_peak_mb']:>6.0f} MB "
                f"{run['rss_peak_mb'] - run['rss_before_mb']:>5.0f} MB {run['bytes'] / 2**20:>5.1f} MB")

    def build_in_child(self, call_id: int) -> dict:
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        command = [sys.executable, manage, "benchmark_reports", "--child", str(call_id)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 (our own command)
        if done.returncode:
            raise CommandError(f"The build failed:\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def build_in_this_process(self, call_id: int) -> None:
        """Ask for the report as the benchmark coordinator and build it here; print one JSON line."""
        from accounts.models import User
        from reports.services import report_build, report_request

        coordinator = User.objects.get(email="benchmark-coordinator@nicp.invalid")
        # A run killed midway leaves an active row that would be returned instead of a new one.
        Report.objects.filter(requested_by=coordinator, status__in=ACTIVE).update(status=ReportStatus.FAILED)
        with mock.patch("reports.services._queue"):  # built here, not by a worker
            report, _created = report_request(actor=coordinator, kind="call_report", params={"call": call_id})
        before = peak_rss_mb()
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            report = report_build(report_id=report.pk)
            seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        if report.status != ReportStatus.DONE:
            raise CommandError(f"The report failed: {report.error}")
        self.stdout.write(json.dumps({"rows": report.rows, "seconds": seconds, "cpu": cpu, "queries": len(queries),
                                      "sql": sum(float(query["time"]) for query in queries.captured_queries),
                                      "rss_before_mb": before, "rss_peak_mb": peak_rss_mb(),
                                      "bytes": report.file.size}))

    def measure_sweep(self, projects: int, drafts: int) -> None:
        from notifications.reminders import catalogue, reminders_sweep
        from proposals.models import Proposal

        if projects:
            call_command("generate_benchmark_projects", projects=projects, stdout=self.stdout)
        from projects.models import Project

        today = timezone.localdate()
        self.stdout.write(f"Reminder sweep on {today}: {Proposal.objects.count():,} proposals, "
                          f"{Project.objects.count():,} projects; kinds: {', '.join(catalogue())}")
        try:
            with transaction.atomic():
                if drafts:
                    drafts_closing_tomorrow(drafts, today)
                    self.stdout.write(f"  + {drafts:,} drafts in a call closing tomorrow")
                for label in ("first sweep", "second sweep (everything already sent)"):
                    with CaptureQueriesContext(connection) as queries:
                        started = time.perf_counter()
                        sent = reminders_sweep(today=today)
                        seconds = time.perf_counter() - started
                    self.stdout.write(f"  {label:<40} {seconds:7.2f} s {len(queries):6} queries   "
                                      f"sent {sum(sent.values()):,} {dict(sorted(sent.items()))}")
                raise Rollback
        except Rollback:
            self.stdout.write("  (rolled back: the data is as it was)")
