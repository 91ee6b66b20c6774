"""seed_scale: the large dataset's generator, on sizes small enough for a test. What it makes (every kind of
row, every state, the figures the services keep), that a second run writes nothing, that it never touches
the demo's data and that --reset removes exactly what it made. Speed is never asserted here."""

import random
from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Count, F, Sum

from accounts.roles import StaffRole, roles_of
from committees.models import ScoreSheet, SelectionEntry
from neighbourhoods.models import Neighbourhood
from nicp.scale.seed import SIZES, scale_reset, seed_scale
from nicp.scale.seed_plan import plan_for
from nicp.scale.seed_projects import STATE_WEIGHTS
from nicp.scale.seed_proposals import IN_REVIEW_WEIGHTS, MANY_LINES, RESULTS_WEIGHTS
from nicp.scale.seed_tag import scale_calls
from nicp.scale.seed_works import allot
from projects.models import (
    Agreement,
    BankAccount,
    Cfdi,
    CommitteeSeat,
    Expense,
    LogbookEntry,
    Project,
    ProjectCodeCounter,
    ProjectEvent,
    Tranche,
)
from projects.workflow import ExpenseState, ProjectState, TrancheState
from proposals.models import FolioCounter, Proposal, TechnicalReview
from proposals.workflow import ProposalState
from tests.factories import NeighbourhoodFactory, UserFactory

pytestmark = pytest.mark.django_db

# Enough for every state: 200 proposals in review, 100 besides the funded per call with results, 100 projects.
EVERY_STATE = {"proposals": 500, "projects": 100, "expenses": 1_000}


@pytest.fixture(scope="module")
def scale(django_db_setup, django_db_blocker):
    """One dataset for the module's tests, which only read it (each test's own writes roll back); removed
    at the end so no other module sees it."""
    with django_db_blocker.unblock():
        units = NeighbourhoodFactory.create_batch(6)
        data = seed_scale(**EVERY_STATE)
        yield data
        scale_reset()
        Neighbourhood.objects.filter(pk__in=[unit.pk for unit in units]).delete()


def test_it_makes_every_kind_of_row_in_the_numbers_asked_for(scale):
    counts = scale.counts
    assert counts["proposals"] == 500 and counts["projects"] == 100 and counts["expenses"] == 1_000
    for kind in ("proposal events", "budget lines", "attachments", "assemblies", "technical reviews", "score sheets",
                 "selection entries", "project events", "committee seats", "tranches", "cfdi", "progress reports",
                 "logbook entries", "groups", "users"):
        assert counts[kind] > 0, kind
    assert counts["tranches"] == 200  # two per project, the calls' plan
    assert scale.created and set(scale.seconds) >= {"proposals", "projects", "works and expenses", "total"}
    assert len(scale.call_ids) == 3 and list(scale_calls().values_list("pk", flat=True).order_by("-fiscal_year")) \
        == scale.call_ids


def test_every_proposal_and_project_state_is_there(scale):
    proposal_states = set(Proposal.objects.values_list("status", flat=True))
    assert proposal_states == set(IN_REVIEW_WEIGHTS) | set(RESULTS_WEIGHTS) | {ProposalState.SELECTED}
    assert proposal_states == set(ProposalState.values)
    assert Counter(Project.objects.values_list("status", flat=True)) == STATE_WEIGHTS
    assert set(Expense.objects.values_list("status", flat=True)) >= {
        ExpenseState.VERIFIED, ExpenseState.ENDORSED, ExpenseState.RECORDED, ExpenseState.OBSERVED,
        ExpenseState.REJECTED}
    assert set(Tranche.objects.values_list("status", flat=True)) >= {
        TrancheState.PLANNED, TrancheState.REQUESTED, TrancheState.APPROVED, TrancheState.RELEASED}


def test_proposals_carry_what_their_state_implies(scale):
    for proposal in Proposal.objects.prefetch_related("budget_lines", "events", "technical_reviews"):
        assert sum(line.amount for line in proposal.budget_lines.all()) == proposal.budget_total
        events = list(proposal.events.all())
        assert events[0].action == "create" and events[-1].to_state == proposal.status
        changes = [e for e in events if e.from_state != e.to_state]
        assert all(a.to_state == b.from_state for a, b in zip(changes, changes[1:], strict=False))
        assert (proposal.folio == "") == (proposal.status == ProposalState.DRAFT)
        reviewed = bool(proposal.technical_reviews.all())
        assert reviewed == any(e.action == "start_review" for e in events)
    for call in scale_calls():
        folios = Proposal.objects.filter(call=call).exclude(folio="")
        assert FolioCounter.objects.get(call=call).last_number == folios.count()
        assert folios.values("folio").distinct().count() == folios.count()
    many = Proposal.objects.get(pk=scale.samples["proposal_many_lines"])
    assert many.budget_lines.count() == MANY_LINES
    assert not TechnicalReview.objects.filter(proposal__status=ProposalState.IN_REVIEW, status="submitted").exists()


def test_the_committee_scored_and_ranked_what_reached_it(scale):
    results_calls = scale.call_ids[1:]
    decided = Proposal.objects.filter(call__in=results_calls, status__in=[
        ProposalState.SELECTED, ProposalState.WAITLISTED, ProposalState.NOT_SELECTED])
    assert SelectionEntry.objects.count() == decided.count()
    for entry in SelectionEntry.objects.all()[:50]:
        assert entry.outcome == Proposal.objects.get(pk=entry.proposal_id).status
    sheets = ScoreSheet.objects.filter(status="submitted")
    assert not sheets.filter(weighted_score__lt=1).exists()
    assert not ScoreSheet.objects.exclude(proposal__status__in=[
        ProposalState.SHORTLISTED, ProposalState.SELECTED, ProposalState.WAITLISTED,
        ProposalState.NOT_SELECTED]).exists()
    assert ScoreSheet.objects.filter(status="draft", proposal__call=scale.call_ids[0]).exists()


def test_money_and_progress_hold_on_the_generated_rows(scale):
    verified = dict(Expense.objects.filter(status=ExpenseState.VERIFIED).values_list("project_id")
                    .annotate(total=Sum("amount")))
    for project in Project.objects.prefetch_related("tranches"):
        tranches = list(project.tranches.all())
        assert sum(t.amount for t in tranches) == project.approved_amount == project.proposal.assigned_amount
        released = sum((t.amount for t in tranches if t.status == TrancheState.RELEASED), Decimal(0))
        assert project.released_total == released <= project.approved_amount
        assert project.verified_total == verified.get(project.pk, Decimal(0)) <= project.released_total
        assert sum(t.proved_amount for t in tranches) == project.verified_total
        assert project.proposal.status == ProposalState.SELECTED and project.group_id == project.proposal.group_id
    spent = Expense.objects.values("project_id").annotate(total=Sum("amount"))
    for row in spent:
        assert row["total"] <= Project.objects.get(pk=row["project_id"]).released_total
    assert not Expense.objects.filter(project__released_total=0).exists()
    assert not Expense.objects.filter(project__status__in=[ProjectState.ACCOUNTABILITY, ProjectState.CLOSED]).exclude(
        status__in=[ExpenseState.VERIFIED, ExpenseState.REJECTED]).exists()
    invoices = Cfdi.objects.all()
    assert invoices.values("uuid").distinct().count() == invoices.count()
    assert invoices.count() == Expense.objects.filter(kind=Expense.Kind.CFDI).count()
    assert not Expense.objects.exclude(budget_line__proposal=F("project__proposal")).exists()
    for call in scale_calls().exclude(pk=scale.call_ids[0]):
        last = Project.objects.filter(call=call).count()
        assert ProjectCodeCounter.objects.get(year=call.fiscal_year).last_number == last
    assert LogbookEntry.objects.filter(is_public=True).exists()


def test_projects_have_the_rows_their_state_needs(scale):
    running = Project.objects.filter(status=ProjectState.IN_EXECUTION)
    # Verified before the money went out (a few changed their account since: the old one is replaced).
    assert not running.exclude(bank_accounts__status__in=[BankAccount.Status.VERIFIED,
                                                           BankAccount.Status.REPLACED]).exists()
    assert not running.filter(agreement__ministry_signed_on__isnull=True).exists()
    assert Agreement.objects.filter(ministry_signed_on__isnull=False, is_public=True).exists()
    elected = Project.objects.exclude(seats=None)
    assert elected.count() >= STATE_WEIGHTS[ProjectState.IN_EXECUTION]
    seats = CommitteeSeat.objects.filter(project__in=elected, ended_at__isnull=True)
    assert set(Counter(seats.values_list("project_id", flat=True)).values()) == {9}
    assert not Project.objects.filter(status=ProjectState.COMMITTEES_PENDING).exclude(seats=None).exists()
    assert ProjectEvent.objects.filter(action="create").count() == Project.objects.count()
    closed = Project.objects.filter(status=ProjectState.CLOSED)
    assert closed.count() == closed.filter(handover__isnull=False, accountability__isnull=False).count()


def test_the_named_accounts_cover_every_role_and_the_samples_exist(scale):
    accounts = scale.accounts
    for role in (StaffRole.COORDINATOR, StaffRole.TECHNICAL_REVIEWER, StaffRole.COMMITTEE_MEMBER,
                 StaffRole.COMMITTEE_SECRETARY, StaffRole.FINANCE_OFFICER, StaffRole.AUDITOR):
        assert role in roles_of(accounts[role.value]), role
        assert not accounts[role.value].has_usable_password()
    representative = accounts["representative"]
    assert Project.objects.filter(group__memberships__user=representative,
                                  group__memberships__role="representative").exists()
    assert CommitteeSeat.objects.filter(user=accounts["project_committee"]).exists()
    assert accounts["group_member"].memberships.exists()
    assert TechnicalReview.objects.filter(reviewer=accounts["technical_reviewer"]).exists()
    assert ScoreSheet.objects.filter(member__user=accounts["committee_member"]).exists()
    for key, pk in scale.samples.items():
        assert pk is not None, key
    busiest = Expense.objects.filter(project_id=scale.samples["project_many_expenses"]).count()
    assert busiest == Expense.objects.values("project_id").annotate(n=Count("id")).order_by("-n")[0]["n"]
    assert Project.objects.get(pk=scale.samples["project_closed"]).status == ProjectState.CLOSED


def test_the_sizes_and_the_expense_allotment():
    assert plan_for("full") == SIZES["full"] and SIZES["full"].proposals == 50_000
    assert SIZES["full"].projects == 10_000 and SIZES["full"].expenses == 200_000
    assert plan_for("small", projects=30).projects == 30

    for total, projects in ((200_000, 6_700), (1_000, 60), (7, 3), (0, 5), (400, 1)):
        counts = allot(total, projects, random.Random(1))
        assert sum(counts) == total and len(counts) == projects and min(counts) >= 0
    assert allot(200_000, 6_700, random.Random(1))[0] == 400


def test_needing_action_reads_each_waiting_kind_without_joins(scale):
    """Ported from the old generator's tests, on the generated projects."""
    coordinator = UserFactory(roles=[StaffRole.COORDINATOR])
    finance = UserFactory(roles=[StaffRole.FINANCE_OFFICER])
    projects = list(Project.objects.prefetch_related("tranches", "bank_accounts", "expenses")
                    .select_related("agreement", "refund"))

    def waiting(project, *tranche_states):
        return any(t.status in tranche_states for t in project.tranches.all())

    for_coordinator = {p.pk for p in projects
                       if p.status == ProjectState.COMMITTEES_PENDING or waiting(p, TrancheState.REQUESTED)}
    for_finance = {p.pk for p in projects
                   if any(a.status == "pending" for a in p.bank_accounts.all()) or waiting(p, TrancheState.APPROVED)
                   or (p.status == ProjectState.AGREEMENT_PENDING and hasattr(p, "agreement")
                       and p.agreement.signed_file and p.agreement.ministry_signed_on is None)
                   or any(e.status == "endorsed" for e in p.expenses.all())
                   or (hasattr(p, "refund") and p.refund.recorded_at is None)}
    assert for_coordinator and for_finance
    for user, expected in ((coordinator, for_coordinator), (finance, for_finance)):
        rows = Project.objects.visible_to(user).needing_action_of(user)
        assert set(rows.values_list("pk", flat=True)) == expected
        assert " JOIN " not in str(rows.query)
