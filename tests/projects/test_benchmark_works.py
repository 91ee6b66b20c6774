"""The benchmark's works stage: the generated expenses, invoices, reports and logbook keep the figures the
services keep, the expense pages are measured (their reads until their routes exist), and on PostgreSQL
the two expense read paths are served by their indexes. Speed itself is never asserted."""

import random
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from projects import benchmark
from projects.benchmark_works import BIG_EVERY, BIG_SIZE, split
from projects.management.commands.generate_benchmark_projects import benchmark_projects
from projects.models import Cfdi, Expense, LogbookEntry, ProgressReport
from projects.progress import allocate_proof
from projects.workflow import EXPENSE_COUNTING_STATES, EXPENSE_OPEN_STATES, ExpenseState, ProjectState
from tests.factories import NeighbourhoodFactory

SETTLED = (ProjectState.ACCOUNTABILITY, ProjectState.CLOSED)


@pytest.fixture
def hundred(db):
    NeighbourhoodFactory.create_batch(5)
    call_command("generate_benchmark_projects", projects=100, stdout=StringIO())
    return benchmark_projects()


@given(st.integers(1, 10**9).map(lambda c: Decimal(c) / 100), st.integers(1, 500), st.integers(0, 99))
def test_a_total_splits_into_positive_amounts_that_add_up_to_the_cent(total, parts, seed):
    amounts = split(total, parts, random.Random(seed))
    assert sum(amounts) == total and all(amount >= Decimal("0.01") for amount in amounts)
    assert len(amounts) == min(parts, int(total * 100))


@pytest.mark.django_db
def test_generated_expenses_keep_the_money_rules_of_the_services(hundred):
    projects = list(hundred.prefetch_related("tranches", "expenses", "proposal__budget_lines"))
    assert Counter(Expense.objects.values_list("status", flat=True)).keys() == set(ExpenseState.values)
    for project in projects:
        expenses = list(project.expenses.all())
        tranches = sorted(project.tranches.all(), key=lambda t: t.number)
        verified = sum((e.amount for e in expenses if e.status == ExpenseState.VERIFIED), Decimal(0))
        counting = sum((e.amount for e in expenses if e.status in EXPENSE_COUNTING_STATES), Decimal(0))
        assert project.verified_total == verified <= counting <= project.released_total <= project.approved_amount
        assert [t.proved_amount for t in tranches] == allocate_proof(project.verified_total, tranches)
        assert sum(line.amount for line in project.proposal.budget_lines.all()) == project.approved_amount
        assert bool(expenses) == (project.released_total > 0)
        if project.status in SETTLED:
            assert not [e for e in expenses if e.status in EXPENSE_OPEN_STATES]
    # Every invoice-backed expense has its CFDI row (folios unique by the database), and no simple one has.
    assert not Expense.objects.filter(kind="cfdi", cfdi__isnull=True).exists()
    assert not Cfdi.objects.filter(expense__kind="simple").exists()
    assert Expense.objects.values("project").annotate(n=Count("id")).filter(n=BIG_SIZE).count() == \
        len([p for p in projects if p.released_total and int(p.code[-4:]) - 1 in range(0, 100, BIG_EVERY)])


@pytest.mark.django_db
def test_progress_reports_lead_to_the_endorsed_progress_and_the_logbook_has_entries(hundred):
    with_progress = hundred.filter(physical_progress__gt=0)
    assert with_progress.exists()
    for project in with_progress:
        reports = ProgressReport.objects.filter(project=project, status="endorsed")
        assert max(r.physical_percent for r in reports) == project.physical_progress
        assert LogbookEntry.objects.filter(project=project).count() >= 2
    assert not ProgressReport.objects.filter(project__physical_progress=0).exists()


READ_PATHS = {
    "expense_to_verify": lambda project: Expense.objects.to_verify(),
    "expense_project_recent": lambda project: Expense.objects.filter(project=project).order_by("-spent_on", "-id"),
}


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="PostgreSQL's planner (SQLite never uses a partial index for a query with "
                           "bound parameters): set DATABASE_URL=postgres://… (.ci/run does)")
@pytest.mark.django_db
@pytest.mark.parametrize("index", READ_PATHS)
def test_each_expense_read_path_is_served_by_its_index_in_order(hundred, index):
    """The queue (endorsed, oldest first) and a project's tab (newest first) read their index in the
    order asked, with no sort step. Small test tables would be scanned anyway: the scan is switched off."""
    project = hundred.annotate(n=Count("expenses")).order_by("-n").first()
    sql, params = READ_PATHS[index](project)[:26].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert index in plan and "Sort" not in plan, plan


@pytest.mark.django_db
def test_paging_the_queue_ids_first_reads_the_same_rows_with_one_more_query(hundred):
    finance = benchmark.staff("benchmark-finance@nicp.invalid", "finance_officer")
    pages, counts = {}, {}
    for ids_first in (False, True):
        benchmark.expense_queue_reads(finance, page=2, ids_first=ids_first)()  # the roles read once
        with CaptureQueriesContext(connection) as queries:
            pages[ids_first] = benchmark.expense_queue_reads(finance, page=2, ids_first=ids_first)()
        counts[ids_first] = len(queries)
    assert len(pages[False]) == benchmark.PAGE_SIZE and pages[True] == pages[False]
    assert counts[True] == counts[False] + 1  # the ids, then the rows


@pytest.mark.django_db
def test_the_verification_queue_is_the_endorsed_expenses_oldest_first(hundred):
    rows = list(Expense.objects.to_verify().values_list("status", "updated_at", "id"))
    assert rows and {status for status, *_ in rows} == {ExpenseState.ENDORSED}
    assert rows == sorted(rows, key=lambda row: (row[1], row[2]))
    assert Expense.objects.filter(status=ExpenseState.ENDORSED).aggregate(s=Sum("amount"))["s"] > 0
