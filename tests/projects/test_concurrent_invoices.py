"""One invoice uploaded to two projects at the same instant, and two expenses of one project verified at
once, on PostgreSQL: the folio fiscal's unique index decides the first (the loser gets the Spanish refusal,
never an IntegrityError), the project's row lock serialises the second (the verified total is the sum).

SQLite serialises writers, so these run only against PostgreSQL (set DATABASE_URL, as .ci/run does):
    DATABASE_URL=postgres://… python -m pytest tests/projects/test_concurrent_invoices.py
Transactional tests empty the tables when they end, migrated rows included: each builds what it needs.
"""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from projects import services
from projects.models import Cfdi, Expense, ExpenseEvent
from projects.progress import allocate_proof
from projects.workflow import ExpenseAction, ExpenseState
from tests.factories import upload
from tests.projects.conftest import two_tranche_call
from tests.projects.execution_helpers import endorse, in_execution_project, invoice, record_invoice
from tests.projects.helpers import staff_people
from tests.projects.test_concurrent_release import waits_on_a_lock
from tests.proposals.test_concurrency import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: set DATABASE_URL=postgres://… (.ci/run does)"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def people():
    return staff_people()


@pytest.fixture
def two_projects(people):
    call = two_tranche_call(year=2033)
    return in_execution_project(call, people), in_execution_project(call, people)


def upload_to(works, xml: bytes):
    return lambda: services.expense_record_invoice(
        actor=works.admin, project_id=works.project.pk, xml=upload("factura.xml", xml),
        budget_line_id=works.lines[0].pk, concept="Cemento")


def test_one_invoice_uploaded_to_two_projects_at_once_proves_one_expense(two_projects):
    first, second = two_projects
    xml = invoice(subtotal=Decimal("5000.00"))

    results = run_together(upload_to(first, xml), upload_to(second, xml))

    recorded = [r for r in results if isinstance(r, Expense)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(recorded) == 1 and len(refused) == 1, results
    assert type(refused[0]) is ValidationError, results  # not an IntegrityError (a 500)
    uuid = Cfdi.objects.get().uuid
    assert uuid in " ".join(refused[0].message_dict["xml"]) and "ya " in " ".join(refused[0].messages)
    assert Expense.objects.count() == 1 and ExpenseEvent.objects.count() == 1


def test_the_upload_that_loses_at_the_unique_index_says_the_invoice_was_used(two_projects, monkeypatch):
    """The first upload is held after writing its invoice and before committing, so the second passes the
    read check (the first is not visible yet) and waits on the folio's unique index; once the first
    commits, the second's insert fails and becomes the refusal, with nothing of it written."""
    first, second = two_projects
    xml = invoice(subtotal=Decimal("5000.00"))
    inside, go = threading.Event(), threading.Event()
    create = ExpenseEvent.objects.create

    def create_then_hold(**fields):
        if threading.current_thread().name == "first":
            inside.set()
            go.wait(20)
        return create(**fields)

    monkeypatch.setattr(ExpenseEvent.objects, "create", create_then_hold)
    results = {}

    def run(name, call):
        try:
            results[name] = call()
        except Exception as error:  # noqa: BLE001  (the test inspects what each thread got)
            results[name] = error
        finally:
            connection.close()

    holder = threading.Thread(target=run, name="first", args=("first", upload_to(first, xml)))
    holder.start()
    assert inside.wait(20), "the first upload never wrote its invoice"
    loser = threading.Thread(target=run, name="second", args=("second", upload_to(second, xml)))
    loser.start()
    assert waits_on_a_lock(), "the second upload did not wait on the folio's unique index"
    go.set()
    holder.join(30)
    loser.join(30)

    assert isinstance(results["first"], Expense), results
    refusal = results["second"]
    assert type(refusal) is ValidationError, results
    assert "ya se usó" in " ".join(refusal.message_dict["xml"]), refusal.messages
    assert list(Expense.objects.values_list("project_id", flat=True)) == [first.project.pk]
    assert Cfdi.objects.count() == 1


def test_two_expenses_verified_at_once_both_count(people):
    works = in_execution_project(two_tranche_call(year=2034), people)
    expenses = [record_invoice(works, subtotal=Decimal(amount), total=Decimal(amount))
                for amount in ("123456.78", "20000.05")]
    for expense in expenses:
        endorse(works, expense)

    results = run_together(*(
        lambda expense=expense, finance=finance: services.expense_transition(
            actor=finance, expense_id=expense.pk, action=ExpenseAction.VERIFY)
        for expense, finance in zip(expenses, (people["finance"], people["finance2"]), strict=True)))

    assert all(isinstance(r, Expense) for r in results), results
    project = works.refresh()
    assert Expense.objects.filter(project=project, status=ExpenseState.VERIFIED).count() == 2
    assert project.verified_total == Decimal("143456.83")
    tranches = list(project.tranches.order_by("number"))
    assert [t.proved_amount for t in tranches] == allocate_proof(project.verified_total, tranches)
