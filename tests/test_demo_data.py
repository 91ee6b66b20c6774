"""The demo looks like the programme: each group's proposals in its own unit, a credible number per
call, titles that match their type, dates inside each call's windows, assemblies on weekends in daytime
and never recorded before they happen, and last year's selected proposals with their whole record."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from committees.models import Session
from notifications.models import Notice
from proposals.models import Assembly, Call, Proposal, TechnicalReview
from proposals.models.calls import MEXICO_CITY
from proposals.models.review import AssemblyStatus
from proposals.workflow import CallState, ProposalState

pytestmark = pytest.mark.django_db

WORDS_BY_TYPE = {"park": ("Parque", "Jardín"), "lighting": ("Alumbrado", "Iluminación"),
                 "stairs_walkways": ("Escal",), "sports": ("Cancha", "deportivo"),
                 "community_centre": ("Centro comunitario", "Salón"), "cultural_centre": ("cultura", "Foro"),
                 "site_museum": ("Museo",)}


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())
    today = timezone.now().astimezone(MEXICO_CITY).date()
    return {year: Call.objects.get(fiscal_year=year) for year in (today.year - 1, today.year, today.year + 1)}


def test_each_proposal_is_in_its_groups_unit_and_its_title_matches_its_type(demo):
    proposals = list(Proposal.objects.select_related("group"))
    assert all(p.neighbourhood_id == p.group.neighbourhood_id for p in proposals)
    typed = [p for p in proposals if p.project_type]
    assert len(typed) == len(proposals)
    for p in typed:
        assert any(word.lower() in p.title.lower() for word in WORDS_BY_TYPE[p.project_type]), p.title


def test_each_call_has_a_credible_number_of_proposals(demo):
    last_year, this_year, open_call = demo.values()
    assert 15 <= open_call.proposals.count() <= 30
    assert 20 <= last_year.proposals.count() <= 40
    assert open_call.status == CallState.PUBLISHED and last_year.status == CallState.RESULTS_PUBLISHED
    # One proposal per group and call, but for the two demo applicants' groups in the open call.
    for call in (last_year, this_year):
        assert call.proposals.values("group").distinct().count() == call.proposals.count()


def test_dates_fall_inside_each_calls_windows(demo):
    now = timezone.now()
    for call in demo.values():
        for p in call.proposals.exclude(submitted_at=None):
            day = p.submitted_at.astimezone(MEXICO_CITY).date()
            assert call.registration_opens_on <= day <= call.registration_closes_on, p
        for assembly in Assembly.objects.filter(proposal__call=call):
            local = assembly.scheduled_at.astimezone(MEXICO_CITY)
            assert call.assembly_window_starts_on <= local.date() <= call.assembly_window_ends_on, assembly
            assert local.weekday() >= 5 and 10 <= local.hour <= 19, local  # weekends, in daytime
            if assembly.status == AssemblyStatus.SCHEDULED:
                assert assembly.scheduled_at > now  # still to come
            else:
                assert assembly.scheduled_at < now and assembly.recorded_at > assembly.scheduled_at
        for review in TechnicalReview.objects.filter(proposal__call=call, status=TechnicalReview.Status.SUBMITTED):
            assert review.submitted_at.astimezone(MEXICO_CITY).date() <= call.technical_review_deadline
    last_year = next(iter(demo.values()))
    assert Session.objects.get(committee__call=last_year).held_on == last_year.committee_date


def test_last_years_selected_proposals_have_a_budget_an_assembly_and_a_review(demo):
    last_year = next(iter(demo.values()))
    selected = list(last_year.proposals.filter(status=ProposalState.SELECTED))
    assert selected
    for p in selected:
        lines = list(p.budget_lines.all())
        assert len(lines) >= 3 and sum(line.amount for line in lines) == p.budget_total
        assert p.assemblies.filter(status=AssemblyStatus.APPROVED).exists()
        assert p.technical_reviews.filter(status=TechnicalReview.Status.SUBMITTED, result="feasible").exists()
        assert p.assigned_amount


def test_the_open_call_has_work_waiting_for_each_role(demo):
    open_call = list(demo.values())[-1]
    states = set(open_call.proposals.values_list("status", flat=True))
    assert {ProposalState.DRAFT, ProposalState.SUBMITTED, ProposalState.RETURNED, ProposalState.ELIGIBLE,
            ProposalState.ASSEMBLY_SCHEDULED, ProposalState.IN_REVIEW} <= states
    rosa = User.objects.get(email="solicitante@demo.nicp.mx")
    mine = Proposal.objects.filter(call=open_call, group__memberships__user=rosa)
    assert {ProposalState.DRAFT, ProposalState.RETURNED, ProposalState.ASSEMBLY_SCHEDULED} <= set(
        mine.values_list("status", flat=True))
    for email in ("coordinacion@demo.nicp.mx", "revision@demo.nicp.mx", "comite1@demo.nicp.mx"):
        assert Notice.objects.filter(recipient__email=email).exists(), email  # staff are told too
    # Nobody is told today about last year's history.
    assert not Notice.objects.filter(subject__contains=str(next(iter(demo.values())).fiscal_year)).exists()


def test_seeding_again_changes_nothing(demo):
    counts = (Proposal.objects.count(), Assembly.objects.count(), Notice.objects.count(), User.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Proposal.objects.count(), Assembly.objects.count(), Notice.objects.count(),
            User.objects.count()) == counts
