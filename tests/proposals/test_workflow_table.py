"""Every (state, action) pair of the proposal table is either applied as the table says or refused."""

import itertools
from datetime import date, timedelta
from functools import partial

import pytest
from django.http import Http404

from accounts.roles import StaffRole
from nicp.errors import TransitionNotAllowed
from proposals import services
from proposals.models import Call, Proposal
from proposals.workflow import (
    GROUP_ACTIONS,
    ORDER_DEPENDENT,
    PROPOSAL_TRANSITIONS,
    SYSTEM_ACTIONS,
    ProposalAction,
    ProposalState,
)
from tests.factories import UserFactory, complete_proposal

PAIRS = list(itertools.product(ProposalState.values, ProposalAction.values))


@pytest.mark.parametrize(("state", "action"), PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_pair(draft, applicant, state, action):
    proposal = complete_proposal(draft, applicant)
    Proposal.objects.filter(pk=proposal.pk).update(status=state)
    order = ORDER_DEPENDENT.get((state, action))
    if order is not None:  # the call decides whether this pair exists: give it the order it needs
        Call.objects.filter(pk=proposal.call_id).update(assembly_before_review=order)
    actor = applicant if action in GROUP_ACTIONS else UserFactory(roles=[StaffRole.COORDINATOR])
    events_before = proposal.events.count()
    expected = PROPOSAL_TRANSITIONS.get((state, action))
    apply = partial(services.proposal_transition, actor=actor, proposal_id=proposal.pk, action=action, note="motivo",
                    system=action in SYSTEM_ACTIONS, correction_deadline=date.today() + timedelta(days=3),
                    reason_code="other")
    if expected is None:
        # Staff never see a group's draft: for them it does not exist (404), which refuses it too.
        # System steps read the row directly, so the table itself refuses them.
        hidden = state == ProposalState.DRAFT and actor is not applicant and action not in SYSTEM_ACTIONS
        refusal = Http404 if hidden else TransitionNotAllowed
        with pytest.raises(refusal):
            apply()
        proposal.refresh_from_db()
        assert proposal.status == state and proposal.events.count() == events_before
    else:
        result = apply()
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


@pytest.mark.parametrize(("pair", "before_review"), list(ORDER_DEPENDENT.items()))
def test_order_dependent_pairs_are_refused_in_the_other_order(draft, applicant, pair, before_review):
    state, action = pair
    proposal = complete_proposal(draft, applicant)
    Proposal.objects.filter(pk=proposal.pk).update(status=state)
    Call.objects.filter(pk=proposal.call_id).update(assembly_before_review=not before_review)
    with pytest.raises(TransitionNotAllowed, match="En esta convocatoria"):
        services.proposal_transition(actor=UserFactory(roles=[StaffRole.COORDINATOR]), proposal_id=proposal.pk,
                                     action=action, system=True)


@pytest.mark.parametrize("action", sorted(SYSTEM_ACTIONS))
def test_outcomes_are_not_applied_bare(draft, applicant, action):
    state = next(s for (s, a) in PROPOSAL_TRANSITIONS if a == action)
    proposal = complete_proposal(draft, applicant)
    Proposal.objects.filter(pk=proposal.pk).update(status=state)
    with pytest.raises(TransitionNotAllowed, match="propio formulario"):
        services.proposal_transition(actor=UserFactory(roles=[StaffRole.COORDINATOR]), proposal_id=proposal.pk,
                                     action=action)
