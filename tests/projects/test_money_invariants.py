"""The money rules hold whatever the order of things: random sequences of what people do on one project
(releases, invoices of random amounts on random lines, endorsement, verification, observation, correction,
rejection, revocation after the SAT cancels an invoice, cancellation, closure), applied through the
services. Refusals are part of the game; after every step the books must add up:

    verified_total ≤ released_total ≤ approved_amount
    released_total == Σ released tranches, verified_total == Σ verified expenses
    each tranche's proved_amount == allocate_proof(verified_total, tranches)
    at cancellation and closure the refund is released − verified, to the cent.

One project is built per test; each example runs in a savepoint rolled back at its end.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nicp.errors import StaleVersion, TransitionNotAllowed
from projects import services
from projects.models import Expense, Refund
from projects.progress import CENT, allocate_proof, refund_due
from projects.sat import SatStatus, recorded_answer
from projects.workflow import (
    EXPENSE_OPEN_STATES,
    ExpenseAction,
    ExpenseState,
    ProjectAction,
    ProjectState,
    ReportAction,
    TrancheAction,
    TrancheState,
)
from tests.factories import PDF_BYTES, upload
from tests.projects.execution_helpers import in_execution_project, photo, record_invoice

pytestmark = pytest.mark.django_db

REFUSALS = (ValidationError, PermissionDenied, TransitionNotAllowed, StaleVersion, Http404)

cents = st.one_of(st.integers(1, 2_000_000), st.integers(1, 40_000_000)).map(lambda c: Decimal(c) / 100)
record_op = st.tuples(st.just("record"), st.integers(0, 2), cents)
# An expense step picks one of the expenses recorded so far by its position (modulo how many there are).
expense_op = st.tuples(st.sampled_from(["endorse", "endorse", "verify", "verify", "observe", "correct", "reject",
                                        "revoke"]), st.integers(0, 30))
# Weighted by repetition: mostly spending and its review, now and then a release, a cancellation or closure.
ops = st.lists(st.one_of(
    record_op, record_op, record_op, expense_op, expense_op, expense_op, expense_op, expense_op,
    st.tuples(st.just("progress"), st.sampled_from([30, 70, 100])),
    st.tuples(st.just("release2")),
    st.tuples(st.just("cancel")),
    st.tuples(st.just("close")),
), min_size=4, max_size=16)

# Paths worth walking every run, whatever the random draw: the second tranche released and proved, a
# revocation after the SAT cancels an invoice, then closure; and a cancellation halfway.
FULL_PATH = [("record", 0, Decimal("400000.00")), ("record", 1, Decimal("299999.99")), ("endorse", 0),
             ("verify", 0), ("endorse", 1), ("verify", 1), ("record", 2, Decimal("0.01")), ("endorse", 2),
             ("verify", 2), ("progress", 70), ("release2",), ("record", 2, Decimal("12345.67")), ("endorse", 3),
             ("verify", 3), ("revoke", 1), ("record", 1, Decimal("50.00")), ("observe", 4), ("correct", 4),
             ("close",)]
HALFWAY = [("record", 0, Decimal("1000.10")), ("endorse", 0), ("verify", 0), ("record", 1, Decimal("2000.00")),
           ("endorse", 1), ("cancel",), ("verify", 1)]

@pytest.fixture
def works(project_call, people):
    return in_execution_project(project_call, people)


class Play:
    """Applies one operation through the services, as the person whose turn it is would."""

    def __init__(self, works, people):
        self.works, self.people = works, people
        self.expenses: list[int] = []

    @property
    def project(self):
        return self.works.refresh()

    def expense(self, index) -> Expense | None:
        if not self.expenses:
            return None
        return Expense.objects.select_related("cfdi").get(pk=self.expenses[index % len(self.expenses)])

    def attempt(self, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except REFUSALS:
            return None
        finally:
            check(self.works)

    def record(self, line, amount):
        expense = self.attempt(record_invoice, self.works, line=line, subtotal=amount, total=amount)
        if expense is not None:
            self.expenses.append(expense.pk)

    def move(self, expense, action, actor, note="Revisa el comprobante."):
        self.attempt(services.expense_transition, actor=actor, expense_id=expense.pk, action=action, note=note)

    def holder(self, expense):
        """Supervision holds a recorded expense; finance an endorsed or observed one."""
        return self.works.supervision if expense.status == ExpenseState.RECORDED else self.people["finance"]

    def on_expense(self, action, index):
        expense = self.expense(index)
        if expense is None:
            return
        if action == "endorse":
            self.move(expense, ExpenseAction.ENDORSE, self.works.supervision)
        elif action == "verify":
            self.move(expense, ExpenseAction.VERIFY, self.people["finance"])
        elif action in ("observe", "reject"):
            self.move(expense, action, self.holder(expense))
        elif action == "correct":
            self.attempt(services.expense_correct, actor=self.works.admin, expense_id=expense.pk,
                         budget_line_id=expense.budget_line_id, concept="Corregido", note="Ya quedó.",
                         over_budget_reason="Subió el precio del material.")
        elif action == "revoke" and expense.kind == Expense.Kind.CFDI:
            with recorded_answer(expense.cfdi.uuid, SatStatus.CANCELLED):
                self.attempt(services.sat_recheck_project, project_id=expense.project_id)
            self.move(expense, ExpenseAction.REVOKE, self.people["finance"], note="Factura cancelada ante el SAT.")

    def progress(self, percent):
        report = self.attempt(services.progress_report_submit, actor=self.works.admin,
                              project_id=self.works.project.pk, physical_percent=percent,
                              summary="Avance de la obra.", photos=[photo()])
        if report is not None:
            self.attempt(services.progress_report_transition, actor=self.works.supervision, report_id=report.pk,
                         action=ReportAction.ENDORSE)

    def release2(self):
        tranche = self.works.project.tranches.get(number=2)
        steps = [(self.works.admin, TrancheAction.REQUEST, {}),
                 (self.people["coordinator"], TrancheAction.APPROVE, {}),
                 (self.people["finance"], TrancheAction.RELEASE,
                  {"transfer_reference": "SPEI-2", "transfer_date": timezone.localdate()})]
        for actor, action, extra in steps:
            self.attempt(services.tranche_transition, actor=actor, tranche_id=tranche.pk, action=action, **extra)

    def cancel(self):
        self.attempt(services.project_transition, actor=self.people["coordinator"],
                     project_id=self.works.project.pk, action=ProjectAction.CANCEL, note="Incumplimiento.")

    def close(self):
        """Everything closing takes, step by step: open expenses settled by rejection, the works at 100 %,
        the handover, the accountability assembly, the refund and the close (each may be refused)."""
        coordinator, finance, pk = self.people["coordinator"], self.people["finance"], self.works.project.pk
        for expense in Expense.objects.filter(project_id=pk, status__in=EXPENSE_OPEN_STATES):
            self.move(expense, ExpenseAction.REJECT, self.holder(expense), note="No se comprobó a tiempo.")
        self.progress(100)
        self.attempt(services.project_transition, actor=coordinator, project_id=pk,
                     action=ProjectAction.COMPLETE_WORKS)
        self.attempt(services.handover_generate, actor=coordinator, project_id=pk, works_delivered="Parque.",
                     delivered_on=timezone.localdate())
        self.attempt(services.handover_upload_signed, actor=self.works.admin, project_id=pk,
                     upload=upload("acta.pdf", PDF_BYTES))
        self.attempt(services.project_transition, actor=coordinator, project_id=pk,
                     action=ProjectAction.OPEN_ACCOUNTABILITY)
        self.attempt(services.accountability_record, actor=self.works.admin, project_id=pk,
                     held_on=timezone.localdate(), attendance=40, reported="Se informó el gasto.",
                     minutes=upload("acta.pdf", PDF_BYTES))
        self.attempt(services.refund_record, actor=finance, project_id=pk, transfer_reference="REINT-1",
                     transfer_date=timezone.localdate())
        self.attempt(services.project_close, actor=coordinator, project_id=pk)

    def run(self, op):
        name, *args = op
        if name in ("endorse", "verify", "observe", "correct", "reject", "revoke"):
            self.on_expense(name, *args)
        else:
            getattr(self, name)(*args)


def check(works):
    """The invariants, read fresh from the database."""
    project = works.refresh()
    tranches = list(project.tranches.order_by("number"))
    released = sum((t.amount for t in tranches if t.status == TrancheState.RELEASED), Decimal(0))
    verified = project.expenses.filter(status=ExpenseState.VERIFIED).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    assert 0 <= project.verified_total <= project.released_total <= project.approved_amount
    assert project.released_total == released
    assert project.verified_total == verified
    assert [t.proved_amount for t in tranches] == allocate_proof(project.verified_total, tranches)
    due = refund_due(project)
    assert due == (project.released_total - project.verified_total).quantize(CENT)
    refund = Refund.objects.filter(project=project).first()
    if project.status == ProjectState.CLOSED:
        assert (refund.amount if refund else Decimal(0)) == due
        assert refund is None or refund.is_recorded
    elif project.status in (ProjectState.CANCELLED, ProjectState.ACCOUNTABILITY):
        if refund is None or not refund.is_recorded:
            # What is owed is always open to be given back: a missing refund means nothing is owed.
            assert (refund.amount if refund else Decimal(0)) == due
        elif refund.amount != due:
            # A recorded refund that no longer matches keeps the project from closing.
            assert services.closure_problems(project, stage="close")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(steps=ops)
@example(steps=FULL_PATH)
@example(steps=HALFWAY)
def test_the_books_add_up_after_every_step(works, people, steps):
    with transaction.atomic():
        play = Play(works, people)
        check(works)
        for op in steps:
            play.run(op)
        transaction.set_rollback(True)



def test_a_revocation_after_a_zero_refund_opens_the_refund_so_the_project_can_close(works, people):
    """Everything released was proved, so going to accountability opened no refund; then the SAT reports
    an invoice cancelled at closing and finance revokes it. That money is owed now: a refund must open, or
    closing waits for a refund nobody can record."""
    coordinator, finance, pk = people["coordinator"], people["finance"], works.project.pk
    play = Play(works, people)
    play.run(("record", 0, Decimal("400000.00")))
    play.run(("record", 1, Decimal("300000.00")))
    for step in (("endorse", 0), ("verify", 0), ("endorse", 1), ("verify", 1), ("progress", 100)):
        play.run(step)
    services.project_transition(actor=coordinator, project_id=pk, action=ProjectAction.COMPLETE_WORKS)
    services.handover_generate(actor=coordinator, project_id=pk, works_delivered="Parque.",
                               delivered_on=timezone.localdate())
    services.handover_upload_signed(actor=works.admin, project_id=pk, upload=upload("acta.pdf", PDF_BYTES))
    services.project_transition(actor=coordinator, project_id=pk, action=ProjectAction.OPEN_ACCOUNTABILITY)
    assert not Refund.objects.filter(project_id=pk).exists()  # nothing owed yet
    services.accountability_record(actor=works.admin, project_id=pk, held_on=timezone.localdate(), attendance=30,
                                   reported="Se informó el gasto.", minutes=upload("acta.pdf", PDF_BYTES))
    cancelled = play.expense(1)
    with recorded_answer(cancelled.cfdi.uuid, SatStatus.CANCELLED), pytest.raises(ValidationError):
        services.project_close(actor=coordinator, project_id=pk)
    services.expense_transition(actor=finance, expense_id=cancelled.pk, action=ExpenseAction.REVOKE,
                                note="Factura cancelada ante el SAT.")
    check(works)
    refund = Refund.objects.get(project_id=pk)
    assert (refund.amount, refund.reason) == (Decimal("300000.00"), Refund.Reason.CLOSURE)
    services.refund_record(actor=finance, project_id=pk, transfer_reference="REINT-7",
                           transfer_date=timezone.localdate())
    assert services.project_close(actor=coordinator, project_id=pk).status == ProjectState.CLOSED
    check(works)
