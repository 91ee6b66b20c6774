"""Measure every list page and list endpoint of every role and of the public, the heavy detail pages, the
exports and the reminder sweep (nicp/scale/cases.py), in process; with --http, requests per second through
gunicorn compared with /healthz in the same run.

    manage.py benchmark [--seed small|full|none] [--repeat 30] [--only TEXT] [--smoke]
    manage.py benchmark --http [--seconds 20] [--port 8148]

Each case is requested as its role (Django's test client, signed in; two-factor enrolment and the public
cache off, so neither is what is timed): a warm-up, then --repeat timed requests; p50/p95 server time and
queries per request. Exports, the call report and the sweep run once. Exits non-zero when a case reads more
queries than its budget or answers other than 200; timings are printed, never judged. Run it against
PostgreSQL (DATABASE_URL) for figures that mean something; --smoke (2 requests each) is CI's check of the
budgets on a small dataset.
"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings

from nicp.scale import benchmark, benchmark_http
from nicp.scale.benchmark_world import COORDINATOR, find_world

SMOKE_REPEAT = 2


def seed(size: str, stdout):
    """seed_scale's data at `size`, and its result (the accounts it made); None for --seed none."""
    if size == "none":
        return None
    try:
        from nicp.scale.seed import seed_scale
    except ImportError as error:
        raise CommandError("seed_scale is not available in this version: run the benchmark with --seed none "
                           "on data you loaded.") from error
    return seed_scale(size=size, stdout=stdout)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--seed", choices=["none", "small", "full"], default="none",
                            help="Run seed_scale at this size first (default: measure the data there is).")
        parser.add_argument("--repeat", type=int, default=30, help="Timed requests per page after a warm-up.")
        parser.add_argument("--only", default="", help="Only the cases whose label, role or route contain this.")
        parser.add_argument("--smoke", action="store_true",
                            help=f"{SMOKE_REPEAT} requests per page: the query budgets, quickly (CI).")
        parser.add_argument("--http", action="store_true", help="Also requests per second under gunicorn.")
        parser.add_argument("--seconds", type=float, default=20, help="Seconds per path and round (--http).")
        parser.add_argument("--port", type=int, default=8148, help="gunicorn's port (--http).")

    def handle(self, *args, seed: str, repeat: int, only: str, smoke: bool, http: bool, seconds: float, port: int,
               **options):
        repeat = SMOKE_REPEAT if smoke else repeat
        if repeat < 1:
            raise CommandError("--repeat must be at least 1.")
        if seconds <= 0:
            raise CommandError("--seconds must be more than 0.")
        chosen = benchmark.select(benchmark.CASES, only)
        if not chosen:
            raise CommandError(f"No case matches --only {only!r}.")
        seeded = self.seed(seed)
        with override_settings(NICP_STAFF_MFA_REQUIRED=False, PUBLIC_CACHE_SECONDS=0):
            world = find_world(seeded)
            self.stdout.write(f"{len(chosen)} cases on {connection.vendor}, in process, a warm-up then {repeat} "
                              f"timed requests each (exports, report and sweep once)")
            self.stdout.write(benchmark.HEADER)
            timings = benchmark.run(world, repeat=repeat, cases=chosen,
                                    report=lambda timing: self.stdout.write(benchmark.row(timing)))
            if http:
                self.http(world, port, seconds)
        self.stdout.write("load average: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
        over = [f"{t.case.label} ({t.case.role})" for t in timings if t.over_budget]
        broken = [f"{t.case.label} ({t.case.role}): {t.error}" for t in timings if t.error]
        if over or broken:
            raise CommandError("; ".join(
                ([f"over the query budget: {', '.join(over)}"] if over else [])
                + ([f"failed: {', '.join(broken)}"] if broken else [])))

    def seed(self, size: str):
        return seed(size, self.stdout)

    def http(self, world, port: int, seconds: float) -> None:
        from accounts.tokens import api_token_create

        coordinator = world.users[COORDINATOR]
        token, key = api_token_create(user=coordinator, second_factor_verified=True)
        session = Client()
        with benchmark.quiet_logs():
            session.force_login(coordinator)
        cookie = f"sessionid={session.cookies['sessionid'].value}"
        targets = [
            benchmark_http.Target("/healthz", "/healthz"),
            benchmark_http.Target("API proposals (token)", "/api/v1/proposals/", (("Authorization", f"Token {key}"),)),
            benchmark_http.Target("public projects", "/proyectos/"),
            benchmark_http.Target("API public projects", "/api/v1/public/projects/"),
            benchmark_http.Target("review queue (session)", "/revision/", (("Cookie", cookie),)),
        ]
        log = Path(os.environ.get("NICP_VAR_DIR", tempfile.gettempdir())) / "benchmark-gunicorn.log"
        self.stdout.write(f"\nRequests per second under gunicorn ({benchmark_http.WORKERS} sync workers, "
                          f"127.0.0.1:{port}), one client of {benchmark_http.THREADS} threads, {seconds:g} s per "
                          f"path and round, two rounds interleaved")
        try:
            with benchmark_http.Gunicorn(port, dict(os.environ), log):
                loads = benchmark_http.compare(port, targets, seconds)
        except RuntimeError as error:
            raise CommandError(f"gunicorn: {error}") from error
        finally:
            token.delete()
            with benchmark.quiet_logs():
                session.logout()
        base = benchmark_http.rps(loads[targets[0]])
        for target, runs in loads.items():
            rate = benchmark_http.rps(runs)
            rounds = " + ".join(f"{load.rps:,.0f}" for load in runs)
            self.stdout.write(f"  {target.label:<26} {rate:>8,.1f} rps ({rounds})  {rate / base if base else 0:>6.0%} "
                              f"of /healthz  statuses {benchmark_http.statuses_text(runs)}")
