"""Measure the public side on the generated funded projects: pages and endpoints in process, the big
exports, and (with --http) requests per second under gunicorn compared with /healthz.

    manage.py benchmark_public [--projects 10000] [--repeat 30] [--territory PATH] [--http] [--seconds 20]

The data comes from generate_benchmark_projects (generated once, reused after). In process, as an anonymous
visitor with Django's test client: p50/p95 server time and queries of the listing (page 1, a deep page, a
borough, a search, sort by amount), the map's GeoJSON for a borough, the project page with the most
expenses, the statistics, the public API (first page, a cursor page, a project). Then gastos.csv and
oc4ids.json written by their dataset writers over every public project: seconds, rows/s, peak RSS growth
and tracemalloc's peak over a tenth and over all of them. `--http` starts gunicorn (2 workers) on
--port and compares requests per second of /healthz, /proyectos/ and /api/v1/public/projects/ with one
4-thread client, interleaved twice. Exits non-zero only when a list page or endpoint reads more than its
query budget. Run it against PostgreSQL (DATABASE_URL) for figures that mean something.
"""

import logging
import os
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from neighbourhoods.services import territory_import
from projects.management.commands.generate_benchmark_projects import benchmark_projects
from projects.public import benchmark as bench
from projects.public.querysets import public_projects

# The benchmark measures every layer at once: the export writers live in the app above projects.
from reports.opendata.datasets import dataset

EXPORTS = ("gastos.csv", "oc4ids.json")
RATIO_TARGET = 0.5  # the listing and the API list serve at least half the rps of /healthz


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=10_000, help="Generated funded projects.")
        parser.add_argument("--repeat", type=int, default=30, help="Timed requests per page.")
        parser.add_argument("--territory", type=Path, default=None, help="Import this catalogue first.")
        parser.add_argument("--http", action="store_true", help="Also compare rps under gunicorn.")
        parser.add_argument("--seconds", type=float, default=20, help="Seconds per path and round (--http).")
        parser.add_argument("--port", type=int, default=8148, help="gunicorn's port (--http).")
        parser.add_argument("--deep-page", type=int, default=200, help="The listing's deep page.")
        parser.add_argument("--skip-exports", action="store_true", help="Leave the exports out.")

    def handle(self, *args, projects: int, repeat: int, territory: Path | None, http: bool, seconds: float,
               port: int, deep_page: int, skip_exports: bool, **options):
        if territory:
            territory_import(territory)
        self.dataset(projects)
        timings = self.pages(repeat, deep_page)
        if not skip_exports:
            self.exports()
        if http:
            self.http(port, seconds)
        self.stdout.write("  load average: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
        over = [t.case.label for t in timings if t.over_budget]
        if over:
            raise CommandError(f"Over the query budget: {', '.join(over)}.")

    def dataset(self, projects: int) -> None:
        existing = benchmark_projects().count()
        if existing >= projects:
            self.stdout.write(f"{existing:,} benchmark projects already there: nothing generated.")
        else:
            call_command("generate_benchmark_projects", projects=projects, stdout=self.stdout)
        placed = bench.place_sites(benchmark_projects())
        if placed:
            self.stdout.write(f"{placed:,} generated proposals given a site on the map.")

    def pages(self, repeat: int, deep_page: int) -> list[bench.Timing]:
        client = Client()  # anonymous
        # A missing page is an error row of the table; its "Not Found" warning on every request is noise.
        logging.getLogger("django.request").setLevel(logging.ERROR)
        self.stdout.write(f"\nPublic pages on {connection.vendor}: {public_projects().count():,} public projects, "
                          f"anonymous, in process, {repeat} timed requests each after a warm-up")
        self.stdout.write(bench.TABLE_HEADER)
        timings = []
        for case in bench.cases(client, deep_page=deep_page):
            timing = bench.measure(client, case, repeat)
            timings.append(timing)
            self.stdout.write(bench.table_row(timing))
        return timings

    def exports(self) -> None:
        projects = public_projects()
        self.stdout.write(f"\nExports over {projects.count():,} public projects (dataset writers, read to the end)")
        for name in EXPORTS:
            found = dataset(name)
            if found is None:
                self.stdout.write(f"  {name:<12} ERROR: no such dataset registered yet")
                continue
            run = bench.measure_export(found.write, projects)
            timed, small, whole = run["timed"], run["small"], run["whole"]
            rows = max(0, timed.lines - 1) if name.endswith(".csv") else projects.count()
            growth = f"{timed.rss_growth_mb:.0f} MB" if timed.rss_growth_mb is not None else "n/a"
            self.stdout.write(
                f"  {name:<12} {rows:>9,} {'rows' if name.endswith('.csv') else 'projects'} in "
                f"{timed.seconds:6.1f} s = {rows / timed.seconds if timed.seconds else 0:>9,.0f}/s, "
                f"{timed.bytes / 2**20:6.1f} MB in {timed.chunks:,} chunks; peak RSS growth {growth}")
            self.stdout.write(
                f"  {'':<12} tracemalloc peak: {small.traced_peak_mb:.1f} MB over {run['tenth']:,} projects, "
                f"{whole.traced_peak_mb:.1f} MB over all (traced pass {whole.seconds:.1f} s)")

    def http(self, port: int, seconds: float) -> None:
        paths = ["/healthz", bench.route("public:project_list") or "/proyectos/",
                 bench.route("api:public-projects") or "/api/v1/public/projects/"]
        log = Path(os.environ.get("NICP_VAR_DIR", tempfile.gettempdir())) / "benchmark-gunicorn.log"
        self.stdout.write(f"\nRequests per second under gunicorn (2 sync workers, 127.0.0.1:{port}), one client of "
                          f"4 threads, {seconds:g} s per path, interleaved twice")
        try:
            with bench.Gunicorn(port, dict(os.environ), log):
                loads = bench.compare(port, paths, seconds)
        except RuntimeError as error:
            self.stdout.write(f"  ERROR: {error}")
            return
        base = bench.rps(loads["/healthz"])
        for path, runs in loads.items():
            rate = bench.rps(runs)
            ratio = rate / base if base else 0.0
            rounds = " + ".join(f"{load.rps:,.0f}" for load in runs)
            flag = "" if path == "/healthz" or ratio >= RATIO_TARGET else "   UNDER 50 %"
            self.stdout.write(f"  {path:<28} {rate:>8,.1f} rps ({rounds})  {ratio:>6.0%} of /healthz  "
                              f"statuses {bench.statuses_text(runs)}{flag}")
