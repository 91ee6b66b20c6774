"""Generate many funded projects for the benchmark (bulk inserts), never mixed with demo data.

    manage.py generate_benchmark_projects --projects 10000

Everything hangs from calls of fiscal years 2098 and below (5,000 projects each) titled as load-test
calls, and from people with @benchmark-projects.nicp.invalid addresses. Running it again tops the set up
to the number asked for and writes nothing when it is already there. Units come from the imported
catalogue (import_territory first). It never runs in the tests' data or the demo's.

Projects that received money get their works stage too (projects/benchmark_works.py): budget lines,
about 29 expenses each in every state with their CFDI rows (about 200,000 for 10,000 projects; every
997th project has 400, for a long expense tab), progress reports and logbook entries.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import CommunityGroup, Membership, User
from neighbourhoods.models import Neighbourhood
from projects.benchmark_works import WorksGenerator, budget_lines
from projects.models import (
    Agreement,
    BankAccount,
    CommitteeKind,
    CommitteeSeat,
    ElectionAssembly,
    Project,
    ProjectCodeCounter,
    ProjectEvent,
    Tranche,
    TrancheEvent,
)
from projects.money import tranche_amounts
from projects.workflow import ProjectState as P
from projects.workflow import TrancheState as T
from proposals.models import BudgetLine, Call, Proposal, TranchePlanItem
from proposals.models.calls import ProjectType

LAST_YEAR = 2098  # the review benchmark uses 2099; project calls count down from here
PER_CALL = 5_000
MAX_PROJECTS = 50_000
TITLE = "Convocatoria de prueba de carga (proyectos)"
DOMAIN = "benchmark-projects.nicp.invalid"
SHARES = [Decimal("70"), Decimal("30")]
VALID_CLABE = "032180000118359719"

# How a year's portfolio spreads over the states (roughly what the programme shows mid-cycle).
STATE_WEIGHTS = {
    P.COMMITTEES_PENDING: 10, P.AGREEMENT_PENDING: 12, P.IN_EXECUTION: 45, P.SUSPENDED: 3,
    P.WORKS_COMPLETED: 12, P.ACCOUNTABILITY: 8, P.CLOSED: 8, P.CANCELLED: 2,
}
POSITIONS = ["president", "secretary", "member"]
LAST_STEPS = {
    P.SUSPENDED: [("suspend", P.SUSPENDED)],
    P.WORKS_COMPLETED: [("complete_works", P.WORKS_COMPLETED)],
    P.ACCOUNTABILITY: [("complete_works", P.WORKS_COMPLETED), ("open_accountability", P.ACCOUNTABILITY)],
    P.CLOSED: [("complete_works", P.WORKS_COMPLETED), ("open_accountability", P.ACCOUNTABILITY),
               ("close", P.CLOSED)],
    P.CANCELLED: [("cancel", P.CANCELLED)],
}


# Every hundred projects hold each state exactly its weight, in a fixed shuffled order.
PATTERN = [state for state, weight in STATE_WEIGHTS.items() for _ in range(weight)]
random.Random(2026).shuffle(PATTERN)


def state_of(n: int) -> str:
    return PATTERN[n % len(PATTERN)]


def benchmark_years(count: int) -> list[int]:
    return [LAST_YEAR - i for i in range(max(1, -(-count // PER_CALL)))]


def benchmark_projects():
    return Project.objects.filter(call__title=TITLE)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=10)

    def handle(self, *args, projects: int, seed: int, **options):
        if not 0 < projects <= MAX_PROJECTS:
            raise CommandError(f"--projects goes from 1 to {MAX_PROJECTS:,}.")
        existing = benchmark_projects().count()
        if existing >= projects:
            self.stdout.write(f"{existing:,} benchmark projects already there.")
            return
        units = list(Neighbourhood.objects.select_related("borough"))
        if not units:
            raise CommandError("Import a territory first (import_territory PATH).")
        with transaction.atomic():  # all or nothing, so a second run never finds half a project
            made = Generator(units, random.Random(seed + existing)).run(existing, projects)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"{made:,} benchmark projects created ({projects:,} in all).")


class Generator:
    """Builds rows in memory, then inserts each table in bulk, in dependency order."""

    def __init__(self, units, rng: random.Random):
        self.units, self.rng = units, rng
        self.now = timezone.now()
        self.rows: dict[type, list] = {}
        self.accounts: dict[str, BankAccount] = {}

    def add(self, obj):
        self.rows.setdefault(type(obj), []).append(obj)
        return obj

    def run(self, start: int, end: int) -> int:
        calls = {year: self.call(year) for year in benchmark_years(end)}
        plans = [(n, calls[LAST_YEAR - n // PER_CALL], state_of(n)) for n in range(start, end)]
        # People first: each project's group representative, and nine elected people per elected project.
        people = self.people(start, end)
        groups = CommunityGroup.objects.bulk_create(
            [CommunityGroup(name=f"Grupo de carga (proyectos) {n}", kind="residents",
                            neighbourhood=self.rng.choice(self.units)) for n, _call, _state in plans],
            batch_size=2000)
        Membership.objects.bulk_create(
            [Membership(group=g, user=people[(n, "rep")], role="representative")
             for g, (n, _c, _s) in zip(groups, plans, strict=True)], batch_size=2000)
        proposals, projects = [], []
        for group, (n, call, state) in zip(groups, plans, strict=True):
            amount = Decimal(self.rng.randrange(800, 1451)) * 1000
            number = n % PER_CALL + 1
            proposals.append(Proposal(
                call=call, group=group, folio=f"MB-{call.fiscal_year}-{number:05d}", status="selected",
                title=f"{self.rng.choice(['Parque', 'Centro comunitario', 'Alumbrado', 'Andador'])} {n}",
                neighbourhood=group.neighbourhood, address="Calle s/n", modality="new",
                project_type=self.rng.choice(ProjectType.values), budget_total=amount, assigned_amount=amount,
                submitted_at=self.now, diagnosis="x", objectives="x", description="x",
                population_benefited=1000, schedule="x"))
            projects.append(Project(
                code=f"PCMB-{call.fiscal_year}-{number:04d}", call=call, group=group,
                neighbourhood=group.neighbourhood, title=proposals[-1].title, status=state,
                approved_amount=amount, execution_starts_on=call.results_date,
                execution_ends_on=call.execution_deadline))
        Proposal.objects.bulk_create(proposals, batch_size=2000)
        lines = {proposal.pk: budget_lines(proposal, proposal.assigned_amount) for proposal in proposals}
        BudgetLine.objects.bulk_create([line for rows in lines.values() for line in rows], batch_size=5000)
        for project, proposal in zip(projects, proposals, strict=True):
            project.proposal = proposal
        Project.objects.bulk_create(projects, batch_size=2000)
        tranches = []
        for project, (n, _call, _state) in zip(projects, plans, strict=True):
            tranches.append(self.story(project, n, people))
            self.last_steps(project)
        self.works(projects, plans, tranches, lines, people)
        Project.objects.bulk_update(projects, ["released_total", "physical_progress", "verified_total"],
                                    batch_size=2000)
        for model in (ElectionAssembly, CommitteeSeat, BankAccount, Agreement, ProjectEvent):
            model.objects.bulk_create(self.rows.get(model, []), batch_size=2000)
        Tranche.objects.bulk_create([t for pair in tranches for t, _events in pair], batch_size=2000)
        TrancheEvent.objects.bulk_create([e for pair in tranches for _t, events in pair for e in events],
                                         batch_size=2000)
        for year in calls:
            last = benchmark_projects().filter(call__fiscal_year=year).count()
            ProjectCodeCounter.objects.update_or_create(year=year, defaults={"last_number": last})
        return end - start

    def works(self, projects, plans, tranches, lines, people) -> None:
        """Expenses, invoices, progress reports and logbook entries, inserted a slice at a time so that
        200,000 expenses never sit in memory at once."""
        authors = {project.pk: people[(n, CommitteeKind.ADMINISTRATION, 0)]
                   for project, (n, _c, _s) in zip(projects, plans, strict=True)}
        works = WorksGenerator(self.rng, self.now, lines, authors)
        for index, (project, pair, (n, _c, _s)) in enumerate(zip(projects, tranches, plans, strict=True), start=1):
            works.project(project, [tranche for tranche, _events in pair], n)
            if index % 500 == 0:
                works.flush()
        works.flush()

    def call(self, year: int) -> Call:
        call = Call.objects.filter(fiscal_year=year).first()
        if call is not None:
            if call.title != TITLE:
                raise CommandError(f"The {year} call is not a benchmark call: refusing to mix data.")
            return call
        today = timezone.localdate()
        call = Call.objects.create(
            fiscal_year=year, title=TITLE, status="results_published", total_budget=Decimal("1e10"),
            eligible_project_types=ProjectType.values, registration_opens_on=today,
            registration_closes_on=today, assembly_window_starts_on=today, assembly_window_ends_on=today,
            technical_review_deadline=today, committee_date=today, results_date=today,
            execution_deadline=today + timedelta(days=240))
        TranchePlanItem.objects.bulk_create([
            TranchePlanItem(call=call, number=1, share_percent=SHARES[0], progress_required_percent=0),
            TranchePlanItem(call=call, number=2, share_percent=SHARES[1], progress_required_percent=70,
                            previous_spending_verified=True, previous_proved_percent=100)])
        return call

    def people(self, start: int, end: int) -> dict:
        """One account per representative and per elected person, with no usable password."""
        keys = [(n, "rep") for n in range(start, end)]
        keys += [(n, kind, i) for n in range(start, end) for kind in CommitteeKind for i in range(3)]
        names = ["-".join(str(part) for part in key) for key in keys]
        users = [User(email=f"p{name}@{DOMAIN}", full_name=f"Persona de carga {name}", password=make_password(None))
                 for name in names]
        User.objects.bulk_create(users, batch_size=5000)
        return dict(zip(keys, users, strict=True))

    def event(self, project, action, source=None, target=None):
        self.add(ProjectEvent(project=project, action=action, from_state=source or project.status,
                              to_state=target or project.status))

    def story(self, project: Project, n: int, people: dict) -> list:
        """The rows a project in its state has: elections, seats, account, agreement, tranche steps."""
        rng, state = self.rng, project.status
        cancelled_early = state == P.CANCELLED and rng.random() < 0.5
        reached = {  # how far the project got before its present state
            P.COMMITTEES_PENDING: 0, P.AGREEMENT_PENDING: 1, P.CANCELLED: 0 if cancelled_early else 2,
        }.get(state, 2)
        self.event(project, "create", "", P.COMMITTEES_PENDING)
        when = self.now - timedelta(days=rng.randrange(1, 200))
        if reached == 0:
            if rng.random() < 0.6:
                self.add(ElectionAssembly(project=project, scheduled_at=when, place="Explanada",
                                          quorum_required=50))
                self.event(project, "election_scheduled")
            return self.tranches(project, [T.PLANNED, T.PLANNED])
        if rng.random() < 0.1:
            self.add(ElectionAssembly(project=project, scheduled_at=when - timedelta(days=14), place="Explanada",
                                      quorum_required=50, status=ElectionAssembly.Status.NO_QUORUM, attendees=20))
            self.event(project, "election_no_quorum")
        election = self.add(ElectionAssembly(
            project=project, scheduled_at=when, place="Explanada", quorum_required=50, attendees=80,
            votes_for=70, votes_against=5, abstentions=5, status=ElectionAssembly.Status.HELD,
            minutes="benchmark/acta.pdf", recorded_at=when))
        self.event(project, "elect_committees", P.COMMITTEES_PENDING, P.AGREEMENT_PENDING)
        for kind in CommitteeKind:
            for i in range(3):
                user = people[(n, kind, i)]
                self.add(CommitteeSeat(project=project, election=election, committee=kind, position=POSITIONS[i],
                                       full_name=user.full_name, email=user.email, user=user,
                                       accepted_at=when if rng.random() < 0.9 else None))
        if reached == 1:
            self.account(project, rng.choice([None, "pending", "pending", "verified"]))
            step = rng.choice(["none", "generated", "uploaded"])
            if step != "none":
                self.agreement(project, uploaded=step == "uploaded", signed=False)
            return self.tranches(project, [T.PLANNED, T.PLANNED])
        self.account(project, "verified")
        self.agreement(project, uploaded=True, signed=True)
        if state in (P.WORKS_COMPLETED, P.ACCOUNTABILITY, P.CLOSED):
            project.physical_progress = Decimal(100)
            return self.tranches(project, [T.RELEASED, T.RELEASED])
        if state == P.SUSPENDED:
            project.physical_progress = Decimal(rng.randrange(10, 70))
            return self.tranches(project, [T.RELEASED, rng.choice([T.PLANNED, T.WITHHELD])])
        first = rng.choices([T.REQUESTED, T.APPROVED, T.RELEASED, T.PLANNED], [10, 8, 80, 2])[0]
        second = T.PLANNED
        if first == T.RELEASED:
            second = rng.choices([T.PLANNED, T.REQUESTED, T.APPROVED, T.RELEASED, T.WITHHELD], [50, 15, 10, 20, 5])[0]
            project.physical_progress = Decimal(rng.randrange(70 if second != T.PLANNED else 5, 100))
            if rng.random() < 0.04:  # the committee changed its account after a release: finance checks again
                self.account(project, "pending")
        return self.tranches(project, [first, second])

    def last_steps(self, project):
        """The timeline's state changes after execution started (or the cancellation)."""
        source = P.COMMITTEES_PENDING if project.status == P.CANCELLED and not project.released_total \
            else P.IN_EXECUTION
        for action, target in LAST_STEPS.get(project.status, []):
            self.event(project, action, source, target)
            source = target

    def account(self, project, status):
        if status is None:
            return
        earlier = self.accounts.get(project.code)
        if earlier is not None:  # a new account replaces the last one
            earlier.status = BankAccount.Status.REPLACED
        self.accounts[project.code] = self.add(BankAccount(
            project=project, bank="Banco de carga", holder="Comité de Administración", clabe=VALID_CLABE,
            proof="benchmark/cuenta.pdf", status=status))
        self.event(project, "account_registered")
        if status == "verified":
            self.event(project, "account_verified")

    def agreement(self, project, *, uploaded: bool, signed: bool):
        self.add(Agreement(project=project, text="Convenio de carga", generated_file="benchmark/convenio.pdf",
                           generated_at=self.now, signed_file="benchmark/firmado.pdf" if uploaded else "",
                           signed_uploaded_at=self.now if uploaded else None,
                           ministry_signed_on=self.now.date() if signed else None))
        self.event(project, "agreement_generated")
        if uploaded:
            self.event(project, "agreement_uploaded")
        if signed:
            self.event(project, "sign_agreement", P.AGREEMENT_PENDING, P.IN_EXECUTION)

    def tranches(self, project: Project, states: list[str]) -> list:
        path = [T.PLANNED, T.REQUESTED, T.APPROVED, T.RELEASED]
        rows = []
        for number, (amount, share, state) in enumerate(
                zip(tranche_amounts(project.approved_amount, SHARES), SHARES, states, strict=True), start=1):
            tranche = Tranche(project=project, number=number, share_percent=share, amount=amount, status=state,
                              progress_required_percent=0 if number == 1 else 70,
                              previous_proved_percent=0 if number == 1 else 100)
            steps = path[:path.index(state) + 1] if state in path else [T.PLANNED, T.REQUESTED, T.WITHHELD]
            events = [TrancheEvent(tranche=tranche, action=action, from_state=a, to_state=b)
                      for a, b, action in zip(steps, steps[1:], ["request", "approve", "release"], strict=False)]
            if state == T.WITHHELD:
                events[-1].action = "withhold"
            for event in events:
                self.event(project, f"tranche_{event.action}")
            if state == T.RELEASED:
                project.released_total += amount
                tranche.transfer_reference, tranche.released_at = f"SPEI{project.code}{number}", self.now
            tranche.version = len(events) + 1
            rows.append((tranche, events))
        return rows
