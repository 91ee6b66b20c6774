"""The demo's works stage: a project in execution with spending at every step, progress reports with
photos, a logbook with a correction and a visit whose observation is overdue; and a suspended, a closed and
a cancelled project, each as its role finds it."""

from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from projects.cfdi import cfdi_parse, cfdi_refusals
from projects.models import (
    AccountabilityAssembly,
    Expense,
    Handover,
    LogbookEntry,
    Project,
    ProjectRules,
    Refund,
    VisitObservation,
)
from projects.workflow import ExpenseState, ProjectState, ReportState, TrancheState
from proposals.models import Call
from proposals.models.calls import MEXICO_CITY

pytestmark = pytest.mark.django_db


def _today():
    return timezone.now().astimezone(MEXICO_CITY).date()


def _projects() -> list[Project]:
    call = Call.objects.get(fiscal_year=_today().year - 1)
    return list(Project.objects.filter(call=call).order_by("code"))


@pytest.fixture
def projects(db):
    call_command("seed_demo", stdout=StringIO())
    return _projects()


def _user(login: str) -> User:
    return User.objects.get(email=f"{login}@demo.nicp.mx")


def test_the_project_in_execution_has_spending_at_every_step_reports_logbook_and_a_visit(projects):
    works = projects[2]
    assert works.status == ProjectState.IN_EXECUTION
    expenses = list(works.expenses.select_related("cfdi", "budget_line"))
    states = [e.status for e in expenses]
    assert states.count(ExpenseState.VERIFIED) >= 3
    assert {states.count(s) for s in (ExpenseState.ENDORSED, ExpenseState.OBSERVED, ExpenseState.RECORDED)} == {1}
    observed = next(e for e in expenses if e.status == ExpenseState.OBSERVED)
    assert "Luminarias" in observed.concept and "Malla perimetral" in observed.last_note
    [receipt] = [e for e in expenses if e.kind == Expense.Kind.SIMPLE]
    assert receipt.receipt_file.read().startswith(b"%PDF") and "Mano de obra" in receipt.concept

    # Each invoice is a CFDI 4.0 the reader accepts for this project, to the call's receiver RFC.
    rules = ProjectRules.for_call(works.call)
    for expense in (e for e in expenses if e.kind == Expense.Kind.CFDI):
        with expense.cfdi.xml_file.open("rb") as xml:
            reading = cfdi_parse(xml.read())
        assert reading.receiver_rfc == rules.receiver_rfc and reading.total == expense.amount
        assert not cfdi_refusals(reading, receiver_rfc=rules.receiver_rfc, starts_on=works.execution_starts_on,
                                 ends_on=works.execution_ends_on)
        assert expense.supplier_rfc == reading.issuer_rfc and expense.cfdi.pdf_file
    assert works.verified_total == sum(e.amount for e in expenses if e.status == ExpenseState.VERIFIED)
    assert works.released_total == works.tranches.get(number=1).amount  # only the first tranche left

    endorsed, submitted = works.progress_reports.order_by("due_on")
    assert (endorsed.status, endorsed.physical_percent) == (ReportState.ENDORSED, Decimal("35.00"))
    assert (submitted.status, submitted.physical_percent) == (ReportState.SUBMITTED, Decimal("55.00"))
    assert works.physical_progress == Decimal("35.00")  # only what supervision endorsed counts
    flags = {photo.far_from_site for photo in submitted.photos.all()}
    assert flags == {True, False} and endorsed.photos.exists()
    assert all(photo.latitude is not None and photo.taken_at for photo in submitted.photos.all())

    [correction] = LogbookEntry.objects.filter(project=works, corrects__isnull=False)
    assert correction.corrects.project_id == works.pk and works.logbook.count() >= 4

    overdue = VisitObservation.objects.get(project=works, status=VisitObservation.Status.OPEN)
    assert overdue.answer_due_on < _today()
    assert VisitObservation.objects.get(project=works, status=VisitObservation.Status.ANSWERED).answer
    coordinator = _user("coordinacion")
    late = Project.objects.needing_action_of(coordinator).filter(
        observations__status="open", observations__answer_due_on__lt=_today())
    assert list(late.distinct()) == [works]
    # The committees' demo logins sit on it: one records, the other endorses.
    assert works.seats.filter(user=_user("administracion")).exists()
    assert works.seats.filter(user=_user("supervision")).exists()


def test_a_suspended_a_closed_and_a_cancelled_project_as_each_role_finds_them(projects):
    suspended, closed, cancelled = projects[4:7]

    assert suspended.status == ProjectState.SUSPENDED
    assert "litigio" in suspended.events.get(action="suspend").note
    assert suspended.tranches.get(number=1).status == TrancheState.WITHHELD and suspended.released_total == 0

    assert closed.status == ProjectState.CLOSED and closed.physical_progress == 100
    assert set(closed.expenses.values_list("status", flat=True)) == {ExpenseState.VERIFIED}
    assert closed.tranches.filter(status=TrancheState.RELEASED).count() == 2
    refund = Refund.objects.get(project=closed)
    assert refund.is_recorded and refund.transfer_reference
    assert refund.amount == closed.released_total - closed.verified_total > 0
    handover = Handover.objects.get(project=closed)
    assert handover.generated_file and handover.signed_file
    assert AccountabilityAssembly.objects.get(project=closed).attendance > 0

    assert cancelled.status == ProjectState.CANCELLED and cancelled.events.get(action="cancel").note
    open_refund = Refund.objects.get(project=cancelled)
    assert not open_refund.is_recorded and open_refund.reason == Refund.Reason.CANCELLATION
    assert open_refund.amount == cancelled.released_total - cancelled.verified_total > 0

    finance = Project.objects.needing_action_of(_user("finanzas"))
    assert cancelled in finance and closed not in finance
    assert projects[2] in finance  # the invoice supervision endorsed waits for finance
    assert projects[3] in Project.objects.needing_action_of(_user("coordinacion"))  # the second tranche


def test_a_project_whose_works_are_done_and_one_in_accountability(projects):
    """The steps between the works and the closure: the handover waits for the coordination; then the
    accountability assembly is still to be held while the unspent money waits to be refunded."""
    completed, accountability = projects[7:9]
    for project in (completed, accountability):
        assert project.physical_progress == 100
        assert project.tranches.filter(status=TrancheState.RELEASED).count() == 2
        assert set(project.expenses.values_list("status", flat=True)) == {ExpenseState.VERIFIED}
        assert project.photos.filter(report__isnull=False).exclude(caption="").count() == 2
    assert completed.status == ProjectState.WORKS_COMPLETED and not Handover.objects.filter(project=completed)
    assert completed.verified_total == completed.released_total == completed.approved_amount

    assert accountability.status == ProjectState.ACCOUNTABILITY
    assert Handover.objects.get(project=accountability).signed_file
    assert not AccountabilityAssembly.objects.filter(project=accountability).exists()
    refund = Refund.objects.get(project=accountability)
    assert not refund.is_recorded and refund.amount == accountability.released_total - accountability.verified_total > 0
    assert accountability in Project.objects.needing_action_of(_user("finanzas"))


def test_a_demo_loaded_before_the_works_stage_gets_it_on_the_next_run(db):
    with mock.patch("projects.demo_execution.seed_works", return_value=0):
        call_command("seed_demo", stdout=StringIO())
    assert not Expense.objects.exists()
    call_command("seed_demo", stdout=StringIO())
    projects = _projects()
    assert projects[2].expenses.count() == 8
    assert [p.status for p in projects[4:9]] == [ProjectState.SUSPENDED, ProjectState.CLOSED,
                                                 ProjectState.CANCELLED, ProjectState.WORKS_COMPLETED,
                                                 ProjectState.ACCOUNTABILITY]
