"""Measure the staff review queue, and the funded projects' list and finance queue, on a large generated
dataset (server time per page, p50/p95, queries).

    manage.py benchmark_review_queue --proposals 50000 [--territory PATH] [--repeat 30]
    manage.py benchmark_review_queue --proposals 0 --projects 10000 [--territory PATH]

Generates the data once (bulk inserts, tagged by benchmark call years) and reuses it on later runs.
`--proposals 0` leaves the review queue out; `--projects N` adds the projects case (see
projects/benchmark.py). Run it against PostgreSQL (DATABASE_URL) for figures that mean something; it
never runs in the tests.
"""

import random
import statistics
import time
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import CommunityGroup, Membership, User
from accounts.roles import StaffRole
from accounts.services import role_grant
from neighbourhoods.models import Neighbourhood, Stratum
from neighbourhoods.services import territory_import
from proposals.models import Call, Proposal
from proposals.workflow import ProposalState

BENCH_YEAR = 2099
STATES = [ProposalState.SUBMITTED, ProposalState.RETURNED, ProposalState.ELIGIBLE, ProposalState.INELIGIBLE,
          ProposalState.ASSEMBLY_SCHEDULED, ProposalState.ASSEMBLY_APPROVED, ProposalState.IN_REVIEW,
          ProposalState.FEASIBLE]


def ok(response, url):
    assert response.status_code == 200, (url, response.status_code)
    return response


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--proposals", type=int, default=50_000)
        parser.add_argument("--territory", type=Path, default=None)
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--projects", type=int, default=0,
                            help="Also measure the funded projects' pages with this many projects.")

    def handle(self, *args, proposals: int, territory: Path | None, repeat: int, projects: int, **options):
        if territory:
            territory_import(territory)
        # The benchmark accounts have no authenticator; two-factor enrolment is not what is measured.
        with override_settings(NICP_STAFF_MFA_REQUIRED=False):
            if proposals:
                self._measure(self._dataset(proposals), repeat)
            if projects:
                # Projects sit above the kernel: imported only when their case is asked for.
                from projects.benchmark import measure_projects

                call_command("generate_benchmark_projects", projects=projects, stdout=self.stdout)
                for label, run in measure_projects():
                    self.report(label, run, repeat)

    def report(self, label: str, run, repeat: int) -> None:
        """Time `run` (a request or the reads a page makes) `repeat` times after a warm-up; print the
        median and 95th percentile of server time, the queries, and the medians of the time spent in
        SQL and of this process's CPU time: on a shared machine those two move less than the wall clock."""
        run()  # warm caches
        times, sql, cpu = [], [], []
        for _ in range(repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                started, started_cpu = time.perf_counter(), time.process_time()
                run()
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            sql.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
        self.stdout.write(f"  {label:<44} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
                          f"{len(queries):2d} queries   (SQL p50 {statistics.median(sql):6.1f} ms, "
                          f"CPU p50 {statistics.median(cpu):6.1f} ms)")

    def _measure(self, coordinator, repeat: int) -> None:
        client = Client()
        client.force_login(coordinator)
        some = Proposal.objects.filter(call__fiscal_year=BENCH_YEAR).exclude(folio="").first()
        pages = {
            "queue, first page": "/revision/",
            "queue, state filter": "/revision/?status=eligible",
            "queue, borough + stratum": "/revision/?borough=007&stratum=bajo",
            "queue, folio search": f"/revision/?q={some.folio}",
            "queue, title search, page 20": "/revision/?q=Parque&page=20",
            "queue, group or unit name search": f"/revision/?q={some.group.name[:8]}",
            "queue, sorted by amount": "/revision/?sort=monto",
            "proposal page (staff)": f"/propuestas/{some.pk}/",
        }
        self.stdout.write(f"{Proposal.objects.count():,} proposals on {connection.vendor}; {repeat} runs each")
        for label, url in pages.items():
            self.report(label, lambda url=url: ok(client.get(url), url), repeat)
        started = time.perf_counter()
        csv_response = client.get("/revision/propuestas.csv")
        rows = sum(chunk.count(b"\n") for chunk in csv_response.streaming_content) - 1
        elapsed = time.perf_counter() - started
        self.stdout.write(f"  CSV export: {rows:,} rows in {elapsed:.1f} s ({rows / elapsed:,.0f} rows/s)")

    def _dataset(self, count: int) -> User:
        return proposals_dataset(count)[0]


def proposals_dataset(count: int, *, year: int = BENCH_YEAR,
                      title: str = "Convocatoria de prueba de carga") -> tuple[User, Call]:
    """A call of `year` with at least `count` submitted proposals (bulk inserts; a second run tops it up),
    and the benchmark coordinator. The report benchmark uses it too, with calls of its own years."""
    coordinator, _ = User.objects.get_or_create(email="benchmark-coordinator@nicp.invalid")
    role_grant(user=coordinator, role=StaffRole.COORDINATOR)
    call = Call.objects.filter(fiscal_year=year).first()
    existing = Proposal.objects.filter(call=call).count() if call else 0
    if existing >= count:
        return coordinator, call
    units = list(Neighbourhood.objects.all())
    if not units:
        raise SystemExit("Import a territory first (--territory PATH or seed_demo).")
    strata = list(Stratum.values)
    for unit in units:
        if not unit.stratum:
            unit.stratum = random.choice(strata)  # noqa: S311
    Neighbourhood.objects.bulk_update(units, ["stratum"], batch_size=1000)
    today = timezone.localdate()
    call = call or Call.objects.create(
        fiscal_year=year, title=title, total_budget=Decimal("1e9"),
        eligible_project_types=["park"], registration_opens_on=today, registration_closes_on=today,
        assembly_window_starts_on=today, assembly_window_ends_on=today, technical_review_deadline=today,
        committee_date=today, results_date=today, execution_deadline=today)
    groups = []
    for i in range(0, 2000):
        groups.append(CommunityGroup(name=f"Grupo de carga {i}", kind="residents",
                                     neighbourhood=units[i % len(units)]))
    groups = CommunityGroup.objects.bulk_create(groups, batch_size=1000)
    Membership.objects.bulk_create([Membership(group=g, user=coordinator, role="member") for g in groups[:1]])
    rng = random.Random(7)
    now = timezone.now()
    batch = []
    for n in range(existing, count):
        group = groups[n % len(groups)]
        batch.append(Proposal(
            call=call, group=group, folio=f"MB-{year}-{n + 1:05d}", status=rng.choice(STATES),
            title=f"{rng.choice(['Parque', 'Centro comunitario', 'Alumbrado', 'Andador'])} {n}",
            neighbourhood=group.neighbourhood, address="Calle s/n", project_type="park", modality="new",
            budget_total=Decimal(rng.randrange(800_000, 1_450_000)), submitted_at=now,
            diagnosis="x", objectives="x", description="x", population_benefited=1000, schedule="x"))
        if len(batch) == 5000:
            Proposal.objects.bulk_create(batch)
            batch = []
    Proposal.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    return coordinator, call
