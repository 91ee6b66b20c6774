"""Every (state, action) pair of the expense and progress-report tables is either in the table and applied
by the role that holds the step, or refused without writing anything."""

import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nicp.errors import TransitionNotAllowed
from projects import services
from projects.models import Cfdi, Expense, ExpenseEvent, ProgressReport, Project, ReportEvent
from projects.sat import SatStatus
from projects.workflow import (
    EXPENSE_TRANSITIONS,
    REPORT_TRANSITIONS,
    ExpenseAction,
    ExpenseState,
    ReportAction,
    ReportState,
)
from tests.projects.execution_helpers import in_execution_project, photo, record_invoice

pytestmark = pytest.mark.django_db

EXPENSE_PAIRS = list(itertools.product(ExpenseState.values, ExpenseAction.values))
REPORT_PAIRS = list(itertools.product(ReportState.values, ReportAction.values))


@pytest.fixture
def works(project_call, people):
    return in_execution_project(project_call, people)


def _expense_actor(works, people, state, action):
    if action == ExpenseAction.CORRECT:
        return works.admin
    if action == ExpenseAction.ENDORSE or (action in (ExpenseAction.OBSERVE, ExpenseAction.REJECT)
                                           and state == ExpenseState.RECORDED):
        return works.supervision
    return people["finance"]


def _apply_expense(works, people, expense, state, action, version=None):
    actor = _expense_actor(works, people, state, action)
    if action == ExpenseAction.CORRECT:
        return services.expense_correct(actor=actor, expense_id=expense.pk, budget_line_id=works.lines[1].pk,
                                        concept="Corregido", note="Corregido", version=version)
    return services.expense_transition(actor=actor, expense_id=expense.pk, action=action, note="Motivo",
                                       version=version)


@pytest.mark.parametrize(("state", "action"), EXPENSE_PAIRS)
def test_every_expense_pair_is_applied_or_refused(works, people, state, action):
    expense = record_invoice(works, subtotal=Decimal("1000.00"))
    Expense.objects.filter(pk=expense.pk).update(status=state)
    if state == ExpenseState.VERIFIED:  # as verification leaves it: counted in the project's proof
        Project.objects.filter(pk=works.project.pk).update(verified_total=expense.amount)
    if action == ExpenseAction.REVOKE:  # revoking is for an invoice the SAT reports cancelled
        Cfdi.objects.filter(expense=expense).update(sat_status=SatStatus.CANCELLED)
    events = ExpenseEvent.objects.count()
    target = EXPENSE_TRANSITIONS.get((state, action))
    if target is None:
        with pytest.raises((TransitionNotAllowed, ValidationError)):
            _apply_expense(works, people, expense, state, action)
        assert Expense.objects.get(pk=expense.pk).status == state and ExpenseEvent.objects.count() == events
        return
    done = _apply_expense(works, people, expense, state, action, version=expense.version)
    assert done.status == target and done.version == expense.version + 1
    event = ExpenseEvent.objects.latest("id")
    assert (event.action, event.from_state, event.to_state) == (action, state, target)
    verified = Project.objects.get(pk=works.project.pk).verified_total
    assert verified == (expense.amount if target == ExpenseState.VERIFIED else 0)


def test_correction_is_only_its_own_form(works, people):
    expense = record_invoice(works)
    Expense.objects.filter(pk=expense.pk).update(status=ExpenseState.OBSERVED)
    with pytest.raises(ValidationError):
        services.expense_transition(actor=works.admin, expense_id=expense.pk, action=ExpenseAction.CORRECT)


def _report_actor(works, action):
    return works.admin if action == ReportAction.CORRECT else works.supervision


@pytest.mark.parametrize(("state", "action"), REPORT_PAIRS)
def test_every_report_pair_is_applied_or_refused(works, state, action):
    report = services.progress_report_submit(actor=works.admin, project_id=works.project.pk, physical_percent=20,
                                             summary="Avance", photos=[photo()])
    ProgressReport.objects.filter(pk=report.pk).update(status=state)
    events = ReportEvent.objects.count()
    target = REPORT_TRANSITIONS.get((state, action))
    kwargs = {"note": "Motivo", "physical_percent": 25, "summary": "Corregido"}
    if target is None:
        with pytest.raises(TransitionNotAllowed):
            services.progress_report_transition(actor=_report_actor(works, action), report_id=report.pk,
                                                action=action, **kwargs)
        assert ProgressReport.objects.get(pk=report.pk).status == state and ReportEvent.objects.count() == events
        return
    done = services.progress_report_transition(actor=_report_actor(works, action), report_id=report.pk,
                                               action=action, version=report.version, **kwargs)
    assert done.status == target
    expected = Decimal("20.00") if target == ReportState.ENDORSED else Decimal("0")
    assert Project.objects.get(pk=works.project.pk).physical_progress == expected
