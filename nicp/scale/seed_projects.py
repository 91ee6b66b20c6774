"""Funded projects in every state, one per selected proposal of the calls with results: committees elected
(nine seats, their people), bank account, agreement, tranches and the timeline, as far as each state
implies. Rows are built in memory and inserted a table at a time, in dependency order."""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import User
from nicp.scale.seed_proposals import Funded
from nicp.scale.seed_tag import FILES, email
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

SHARES = [Decimal("70"), Decimal("30")]
VALID_CLABE = "032180000118359719"
# How the portfolio spreads over the states (roughly what the programme shows mid-cycle); each hundred
# projects hold each state exactly its weight, in a fixed shuffled order.
STATE_WEIGHTS = {
    P.COMMITTEES_PENDING: 10, P.AGREEMENT_PENDING: 12, P.IN_EXECUTION: 45, P.SUSPENDED: 3,
    P.WORKS_COMPLETED: 12, P.ACCOUNTABILITY: 8, P.CLOSED: 8, P.CANCELLED: 2,
}
PATTERN = [state for state, weight in STATE_WEIGHTS.items() for _ in range(weight)]
random.Random(2026).shuffle(PATTERN)
POSITIONS = ["president", "secretary", "member"]
NAMED_SEAT_EVERY = 50  # the named community account presides the administration committee of every 50th project
LAST_STEPS = {
    P.SUSPENDED: [("suspend", P.SUSPENDED)],
    P.WORKS_COMPLETED: [("complete_works", P.WORKS_COMPLETED)],
    P.ACCOUNTABILITY: [("complete_works", P.WORKS_COMPLETED), ("open_accountability", P.ACCOUNTABILITY)],
    P.CLOSED: [("complete_works", P.WORKS_COMPLETED), ("open_accountability", P.ACCOUNTABILITY),
               ("close", P.CLOSED)],
    P.CANCELLED: [("cancel", P.CANCELLED)],
}


def state_of(k: int) -> str:
    return PATTERN[k % len(PATTERN)]


class ProjectsStage:
    def __init__(self, funded: list[Funded], named: dict, rng: random.Random):
        self.funded, self.named, self.rng = funded, named, rng
        self.now = timezone.now()
        self.rows: dict[type, list] = {}
        self.accounts: dict[str, BankAccount] = {}
        self.tranches: list[list[tuple[Tranche, list]]] = []

    def add(self, obj):
        self.rows.setdefault(type(obj), []).append(obj)
        return obj

    def run(self) -> list[Project]:
        """Inserts the projects and their rows except the tranches (the works stage sets their proof first:
        `insert_tranches` after it). Returns the projects, with their denormalised figures set."""
        numbers: dict[int, int] = {}
        projects = []
        for k, item in enumerate(self.funded):
            proposal = item.proposal
            call = proposal.call
            numbers[call.fiscal_year] = numbers.get(call.fiscal_year, 0) + 1
            projects.append(Project(
                code=f"PCMB-{call.fiscal_year}-{numbers[call.fiscal_year]:04d}", call=call, proposal=proposal,
                group=proposal.group, neighbourhood=proposal.neighbourhood, title=proposal.title,
                status=state_of(k), approved_amount=proposal.assigned_amount,
                execution_starts_on=call.results_date, execution_ends_on=call.execution_deadline))
        Project.objects.bulk_create(projects, batch_size=2000)
        people = self.people(len(projects))
        for k, project in enumerate(projects):
            self.tranches.append(self.story(project, k, people))
            self.last_steps(project)
        for model in (ElectionAssembly, CommitteeSeat, BankAccount, Agreement, ProjectEvent):
            model.objects.bulk_create(self.rows.get(model, []), batch_size=2000)
        for year, last in numbers.items():
            ProjectCodeCounter.objects.update_or_create(year=year, defaults={"last_number": last})
        self.people_by_project = people
        return projects

    def insert_tranches(self) -> None:
        Tranche.objects.bulk_create([t for pair in self.tranches for t, _events in pair], batch_size=2000)
        TrancheEvent.objects.bulk_create([e for pair in self.tranches for _t, events in pair for e in events],
                                         batch_size=5000)

    def people(self, count: int) -> dict:
        """Nine people per project (three per committee), no usable password; the named community account
        takes the administration committee's presidency of every 50th."""
        unusable = make_password(None)
        keys = [(k, kind, i) for k in range(count) for kind in CommitteeKind for i in range(3)]
        people = {}
        for key in keys:
            k, kind, i = key
            if k % NAMED_SEAT_EVERY == 0 and kind == CommitteeKind.ADMINISTRATION and i == 0:
                people[key] = self.named["project_committee"]
            else:
                name = f"p{k}-{kind}-{i}"
                people[key] = User(email=email(name), full_name=f"Persona de escala {name}", password=unusable)
        User.objects.bulk_create([user for user in people.values() if user.pk is None], batch_size=5000)
        return people

    def event(self, project, action, source=None, target=None):
        self.add(ProjectEvent(project=project, action=action, from_state=source or project.status,
                              to_state=target or project.status))

    def story(self, project: Project, k: int, people: dict) -> list:
        """The rows a project in its state has: elections, seats, account, agreement, tranche steps."""
        rng, state = self.rng, project.status
        cancelled_early = state == P.CANCELLED and rng.random() < 0.5
        reached = {P.COMMITTEES_PENDING: 0, P.AGREEMENT_PENDING: 1, P.CANCELLED: 0 if cancelled_early else 2,
                   }.get(state, 2)  # how far the project got before its present state
        self.event(project, "create", "", P.COMMITTEES_PENDING)
        when = self.now - timedelta(days=rng.randrange(1, 200))
        if reached == 0:
            if rng.random() < 0.6:
                self.add(ElectionAssembly(project=project, scheduled_at=when, place="Explanada",
                                          quorum_required=50))
                self.event(project, "election_scheduled")
            return self.make_tranches(project, [T.PLANNED, T.PLANNED])
        if rng.random() < 0.1:
            self.add(ElectionAssembly(project=project, scheduled_at=when - timedelta(days=14), place="Explanada",
                                      quorum_required=50, status=ElectionAssembly.Status.NO_QUORUM, attendees=20))
            self.event(project, "election_no_quorum")
        election = self.add(ElectionAssembly(
            project=project, scheduled_at=when, place="Explanada", quorum_required=50, attendees=80,
            votes_for=70, votes_against=5, abstentions=5, status=ElectionAssembly.Status.HELD,
            minutes=f"{FILES}/acta.pdf", recorded_at=when))
        self.event(project, "elect_committees", P.COMMITTEES_PENDING, P.AGREEMENT_PENDING)
        for kind in CommitteeKind:
            for i in range(3):
                user = people[(k, kind, i)]
                self.add(CommitteeSeat(project=project, election=election, committee=kind, position=POSITIONS[i],
                                       full_name=user.full_name, email=user.email, user=user,
                                       accepted_at=when if rng.random() < 0.9 else None))
        if reached == 1:
            self.account(project, rng.choice([None, "pending", "pending", "verified"]))
            step = rng.choice(["none", "generated", "uploaded"])
            if step != "none":
                self.agreement(project, uploaded=step == "uploaded", signed=False)
            return self.make_tranches(project, [T.PLANNED, T.PLANNED])
        self.account(project, "verified")
        self.agreement(project, uploaded=True, signed=True)
        if state in (P.WORKS_COMPLETED, P.ACCOUNTABILITY, P.CLOSED):
            project.physical_progress = Decimal(100)
            return self.make_tranches(project, [T.RELEASED, T.RELEASED])
        if state in (P.SUSPENDED, P.CANCELLED):
            project.physical_progress = Decimal(rng.randrange(10, 70))
            return self.make_tranches(project, [T.RELEASED, rng.choice([T.PLANNED, T.WITHHELD])])
        first = rng.choices([T.REQUESTED, T.APPROVED, T.RELEASED, T.PLANNED], [10, 8, 80, 2])[0]
        second = T.PLANNED
        if first == T.RELEASED:
            second = rng.choices([T.PLANNED, T.REQUESTED, T.APPROVED, T.RELEASED, T.WITHHELD], [50, 15, 10, 20, 5])[0]
            project.physical_progress = Decimal(rng.randrange(70 if second != T.PLANNED else 5, 100))
            if rng.random() < 0.04:  # the committee changed its account after a release: finance checks again
                self.account(project, "pending")
        return self.make_tranches(project, [first, second])

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
            project=project, bank="Banco de escala", holder="Comité de Administración", clabe=VALID_CLABE,
            proof=f"{FILES}/cuenta.pdf", status=status))
        self.event(project, "account_registered")
        if status == "verified":
            self.event(project, "account_verified")

    def agreement(self, project, *, uploaded: bool, signed: bool):
        self.add(Agreement(project=project, text="Convenio de escala", generated_file=f"{FILES}/convenio.pdf",
                           generated_at=self.now, signed_file=f"{FILES}/firmado.pdf" if uploaded else "",
                           signed_uploaded_at=self.now if uploaded else None,
                           ministry_signed_on=self.now.date() if signed else None, is_public=signed))
        self.event(project, "agreement_generated")
        if uploaded:
            self.event(project, "agreement_uploaded")
        if signed:
            self.event(project, "sign_agreement", P.AGREEMENT_PENDING, P.IN_EXECUTION)

    def make_tranches(self, project: Project, states: list[str]) -> list:
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
            if state in (T.APPROVED, T.RELEASED):
                tranche.approved_at = self.now
            if state == T.RELEASED:
                project.released_total += amount
                tranche.transfer_reference, tranche.released_at = f"SPEI{project.code}{number}", self.now
            tranche.version = len(events) + 1
            rows.append((tranche, events))
        return rows
