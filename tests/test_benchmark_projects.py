"""The projects case of the benchmark: its data generator, what it measures, and the read paths and
indexes the measurements called for. Speed itself is never asserted here (README: Benchmarks)."""

from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.roles import StaffRole
from projects.management.commands.generate_benchmark_projects import STATE_WEIGHTS, benchmark_projects
from projects.models import BankAccount, CommitteeSeat, Project, ProjectEvent, Tranche
from projects.workflow import ProjectState, TrancheState
from tests.factories import NeighbourhoodFactory, UserFactory, make_open_call

pytestmark = pytest.mark.django_db


def generate(count: int) -> str:
    out = StringIO()
    call_command("generate_benchmark_projects", projects=count, stdout=out)
    return out.getvalue()


@pytest.fixture
def hundred(db):
    NeighbourhoodFactory.create_batch(5)
    generate(100)
    return benchmark_projects()


def test_generated_projects_spread_over_every_state_with_their_rows_as_the_services_keep_them(hundred):
    assert Counter(hundred.values_list("status", flat=True)) == STATE_WEIGHTS
    assert ProjectEvent.objects.filter(action="create").count() == 100
    for project in hundred.prefetch_related("tranches"):
        tranches = list(project.tranches.all())
        assert sum(t.amount for t in tranches) == project.approved_amount
        released = sum((t.amount for t in tranches if t.status == TrancheState.RELEASED), Decimal(0))
        assert project.released_total == released <= project.approved_amount
    running = hundred.filter(status=ProjectState.IN_EXECUTION)
    assert not running.exclude(bank_accounts__status=BankAccount.Status.VERIFIED).exists()
    assert not running.filter(agreement__ministry_signed_on__isnull=True).exists()
    assert Tranche.objects.filter(status=TrancheState.APPROVED, project__in=running).exists()
    # Three committees of three people wherever the election was held; none before.
    elected = hundred.exclude(seats=None)
    assert elected.count() >= STATE_WEIGHTS[ProjectState.IN_EXECUTION]
    seats = CommitteeSeat.objects.filter(project__in=elected, ended_at__isnull=True)
    assert set(Counter(seats.values_list("project_id", flat=True)).values()) == {9}
    assert not hundred.filter(status=ProjectState.COMMITTEES_PENDING).exclude(seats=None).exists()


def test_the_generator_tops_up_and_writes_nothing_when_the_set_is_there(hundred):
    rows = (Project.objects.count(), ProjectEvent.objects.count(), Tranche.objects.count())
    assert "already there" in generate(100)
    assert (Project.objects.count(), ProjectEvent.objects.count(), Tranche.objects.count()) == rows
    generate(110)
    assert hundred.count() == 110
    assert hundred.order_by("-id").first().code == "PCMB-2098-0110"


def test_the_generator_never_mixes_with_a_real_call_of_its_years(db):
    NeighbourhoodFactory()
    make_open_call(year=2098)
    with pytest.raises(CommandError, match="not a benchmark call"):
        generate(10)
    assert not Project.objects.exists()


def test_the_generator_asks_for_a_territory_first(db):
    with pytest.raises(CommandError, match="import_territory"):
        generate(10)


def test_needing_action_reads_each_waiting_kind_without_joins(hundred):
    coordinator = UserFactory(roles=[StaffRole.COORDINATOR])
    finance = UserFactory(roles=[StaffRole.FINANCE_OFFICER])
    projects = list(hundred.prefetch_related("tranches", "bank_accounts", "expenses").select_related("agreement"))

    def waiting(project, *tranche_states):
        return any(t.status in tranche_states for t in project.tranches.all())

    for_coordinator = {p.pk for p in projects
                       if p.status == ProjectState.COMMITTEES_PENDING or waiting(p, TrancheState.REQUESTED)}
    for_finance = {p.pk for p in projects
                   if any(a.status == "pending" for a in p.bank_accounts.all()) or waiting(p, TrancheState.APPROVED)
                   or (p.status == ProjectState.AGREEMENT_PENDING and hasattr(p, "agreement")
                       and p.agreement.signed_file and p.agreement.ministry_signed_on is None)
                   or any(e.status == "endorsed" for e in p.expenses.all())}
    assert for_coordinator and for_finance
    for user, expected in ((coordinator, for_coordinator), (finance, for_finance)):
        rows = Project.objects.visible_to(user).needing_action_of(user)
        assert set(rows.values_list("pk", flat=True)) == expected
        assert " JOIN " not in str(rows.query)  # an OR across joins scanned every project and tranche


