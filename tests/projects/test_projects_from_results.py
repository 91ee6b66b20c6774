"""Projects are made by the publication and the promotion services, never by hand; a selected proposal
that withdraws before its agreement cancels its project and frees its place to the waitlist."""

import pytest
from django.core.exceptions import ValidationError

from projects.models import Project
from projects.workflow import ProjectState
from proposals.models import Proposal
from proposals.services import proposal_transition
from proposals.workflow import ProposalAction, ProposalState
from tests.committees.conftest import committee, committee_call, coordinator, shortlist  # noqa: F401
from tests.committees.test_committee_pages import publish
from tests.projects.helpers import elect, staff_people, start_execution


def test_publication_makes_one_project_per_selected_proposal(committee, shortlist, coordinator):  # noqa: F811
    publish(committee, shortlist, coordinator)
    selected = Proposal.objects.filter(call=committee.call, status=ProposalState.SELECTED).order_by("pk")
    projects = Project.objects.filter(call=committee.call)
    assert projects.count() == selected.count() > 0
    year = committee.call.fiscal_year
    assert sorted(p.code for p in projects) == [f"PCMB-{year}-{n:04d}" for n in range(1, selected.count() + 1)]
    for proposal in selected:
        project = proposal.project
        assert project.approved_amount == proposal.assigned_amount
        assert (project.group_id, project.neighbourhood_id) == (proposal.group_id, proposal.neighbourhood_id)
        assert project.status == ProjectState.COMMITTEES_PENDING
        assert sum(t.amount for t in project.tranches.all()) == project.approved_amount
    assert not Project.objects.filter(proposal__status=ProposalState.WAITLISTED).exists()


def test_withdrawal_before_the_agreement_cancels_the_project_and_promotes_the_waitlist(
        committee, shortlist, coordinator):  # noqa: F811
    publish(committee, shortlist, coordinator)
    leaving = Proposal.objects.filter(call=committee.call, status=ProposalState.SELECTED).first()
    waiting = list(Proposal.objects.filter(call=committee.call, status=ProposalState.WAITLISTED))
    representative = leaving.group.memberships.get(role="representative").user
    proposal_transition(actor=representative, proposal_id=leaving.pk, action=ProposalAction.WITHDRAW,
                        note="Ya no podemos")
    project = Project.objects.get(proposal=leaving)
    assert project.status == ProjectState.CANCELLED
    assert project.events.filter(action="cancel", note__contains=leaving.folio).exists()
    promoted = [p for p in waiting if Proposal.objects.get(pk=p.pk).status == ProposalState.SELECTED]
    assert promoted and all(Project.objects.filter(proposal=p).exists() for p in promoted)


def test_no_withdrawal_once_the_agreement_is_signed(committee, shortlist, coordinator):  # noqa: F811
    publish(committee, shortlist, coordinator)
    project = Project.objects.filter(call=committee.call).first()
    people = staff_people()
    elect(project, people["coordinator"])
    start_execution(project, people["coordinator"], people["finance"])
    representative = project.proposal.group.memberships.get(role="representative").user
    with pytest.raises(ValidationError, match="ya firmó su convenio"):
        proposal_transition(actor=representative, proposal_id=project.proposal_id, action=ProposalAction.WITHDRAW,
                            note="Ya no")
    assert Proposal.objects.get(pk=project.proposal_id).status == ProposalState.SELECTED
    assert Project.objects.get(pk=project.pk).status == ProjectState.IN_EXECUTION
