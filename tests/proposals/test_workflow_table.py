"""Every (state, action) pair of the proposal table is either applied as the table says or refused."""

import itertools

import pytest
from django.http import Http404

from accounts.roles import StaffRole
from nicp.errors import TransitionNotAllowed
from proposals import services
from proposals.models import Proposal
from proposals.workflow import GROUP_ACTIONS, PROPOSAL_TRANSITIONS, ProposalAction, ProposalState
from tests.factories import UserFactory, complete_proposal

PAIRS = list(itertools.product(ProposalState.values, ProposalAction.values))


@pytest.mark.parametrize(("state", "action"), PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_pair(draft, applicant, state, action):
    proposal = complete_proposal(draft, applicant)
    Proposal.objects.filter(pk=proposal.pk).update(status=state)
    actor = applicant if action in GROUP_ACTIONS else UserFactory(roles=[StaffRole.COORDINATOR])
    events_before = proposal.events.count()
    expected = PROPOSAL_TRANSITIONS.get((state, action))
    if expected is None:
        # Staff never see a group's draft: for them it does not exist (404), which refuses it too.
        refusal = Http404 if state == ProposalState.DRAFT and actor is not applicant else TransitionNotAllowed
        with pytest.raises(refusal):
            services.proposal_transition(actor=actor, proposal_id=proposal.pk, action=action, note="motivo")
        proposal.refresh_from_db()
        assert proposal.status == state and proposal.events.count() == events_before
    else:
        result = services.proposal_transition(actor=actor, proposal_id=proposal.pk, action=action, note="motivo")
        assert result.status == expected
        event = proposal.events.last()
        assert (event.action, event.from_state, event.to_state) == (action, state, expected)
        assert proposal.events.count() == events_before + 1


def test_every_state_is_reachable_from_draft():
    reached, frontier = {ProposalState.DRAFT}, [ProposalState.DRAFT]
    while frontier:
        state = frontier.pop()
        for (source, _action), target in PROPOSAL_TRANSITIONS.items():
            if source == state and target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(ProposalState.values)
