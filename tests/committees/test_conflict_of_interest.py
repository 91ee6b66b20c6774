"""Recusal holds whenever membership changes, and is checked again at scoring, session and vote."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from accounts import services as accounts
from accounts.models import GroupKind, Membership
from committees import services
from committees.coverage import unranked
from committees.models import Committee, CommitteeEvent, Outcome, Recusal, ScoreSheet
from notifications.models import Notice
from proposals.models import Proposal
from proposals.services import proposal_create
from proposals.workflow import ProposalState
from tests.committees.conftest import members, shortlisted_proposals
from tests.factories import NeighbourhoodFactory


def sheet(committee, value):
    return {str(c.pk): {"value": value, "comment": ""} for c in committee.call.rubric.all()}


def join_by_invitation(user, group):
    representative = group.memberships.get(role="representative").user
    invitation = accounts.invitation_create(actor=representative, group=group, email=user.email)
    return accounts.invitation_accept(user=user, token=invitation.token)


def open_session(committee):
    """These cases score with few members on purpose: the call ranks on one sheet, and the secretary
    records the decision to open with the others' sheets pending (the opening rule has its own tests)."""
    Committee.objects.filter(pk=committee.pk).update(min_score_sheets=1)
    committee.refresh_from_db()
    return services.session_open(actor=committee.secretary, committee=committee, held_on=date.today(),
                                 present_member_ids=[m.pk for m in members(committee)],
                                 unscored_decision="El Comité acuerda sesionar con las hojas entregadas.")


def assert_recused(member, proposal):
    recusal = Recusal.objects.get(member=member, proposal=proposal)
    assert recusal.automatic and recusal.reason
    assert CommitteeEvent.objects.filter(member=member, proposal=proposal,
                                         action=CommitteeEvent.Action.RECUSED).exists()
    assert Notice.objects.filter(recipient=member.user, subject__icontains="excusa").exists()
    assert proposal not in services.committee_proposals(member)
    with pytest.raises(Http404):
        services.score_save(actor=member.user, proposal_id=proposal.pk, values=sheet(member.committee, 4))


def test_joining_the_group_after_the_committee_is_set_up_recuses_at_once(committee, coordinator, committee_call):
    proposal = shortlisted_proposals(committee_call, 1)[0]
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalState.FEASIBLE)  # not yet before the Committee
    member = members(committee)[0]
    join_by_invitation(member.user, proposal.group)
    assert Recusal.objects.filter(member=member, proposal=proposal, automatic=True).exists()
    services.shortlist_ready(actor=coordinator, call=committee_call)
    assert_recused(member, Proposal.objects.get(pk=proposal.pk))


def test_joining_after_shortlisting_recuses(committee, shortlist):
    member = members(committee)[1]
    join_by_invitation(member.user, shortlist[2].group)
    assert_recused(member, shortlist[2])


def test_joining_after_scoring_voids_the_submitted_sheet_and_it_does_not_count(committee, shortlist):
    everyone = members(committee)
    conflicted, proposal = everyone[0], shortlist[0]
    services.score_save(actor=conflicted.user, proposal_id=proposal.pk, values=sheet(committee, 5), submit=True)
    for other in everyone[1:]:
        services.score_save(actor=other.user, proposal_id=proposal.pk, values=sheet(committee, 1), submit=True)
    join_by_invitation(conflicted.user, proposal.group)
    voided = ScoreSheet.objects.get(member=conflicted, proposal=proposal)
    assert voided.status == ScoreSheet.Status.VOIDED and voided.voided_at and voided.void_reason
    assert CommitteeEvent.objects.filter(member=conflicted, proposal=proposal,
                                         action=CommitteeEvent.Action.SCORES_VOIDED).exists()
    assert_recused(conflicted, proposal)
    session = open_session(committee)
    assert session.entries.get(proposal=proposal).weighted_score == Decimal("1.000")  # the 5 does not count


def test_a_conflict_nobody_recorded_is_caught_when_the_session_opens(committee, shortlist):
    """Membership written outside the services (the admin, a data fix): no signal, the session catches it."""
    everyone = members(committee)
    conflicted, proposal = everyone[0], shortlist[0]
    services.score_save(actor=conflicted.user, proposal_id=proposal.pk, values=sheet(committee, 5), submit=True)
    services.score_save(actor=everyone[1].user, proposal_id=proposal.pk, values=sheet(committee, 2), submit=True)
    Membership.objects.create(group=proposal.group, user=conflicted.user)
    session = open_session(committee)
    assert Recusal.objects.filter(member=conflicted, proposal=proposal, automatic=True).exists()
    assert session.entries.get(proposal=proposal).weighted_score == Decimal("2.000")


def test_a_conflict_found_at_vote_time_recomputes_the_list_and_asks_for_a_new_vote(committee, shortlist):
    everyone = members(committee)
    conflicted, proposal = everyone[0], shortlist[0]
    for member in everyone:
        for item in shortlist:
            value = 5 if (member, item) == (conflicted, proposal) else 2
            services.score_save(actor=member.user, proposal_id=item.pk, values=sheet(committee, value), submit=True)
    session = open_session(committee)
    assert session.entries.get(proposal=proposal).rank == 1  # lifted by the conflicted member's 5
    services.vote_cast(actor=everyone[1].user, session_id=session.pk, choice="for")
    Membership.objects.create(group=proposal.group, user=conflicted.user)  # outside the services: no signal
    with pytest.raises(ValidationError, match="recalculó"):
        services.vote_cast(actor=conflicted.user, session_id=session.pk, choice="for")
    assert Recusal.objects.filter(member=conflicted, proposal=proposal, automatic=True).exists()
    assert ScoreSheet.objects.get(member=conflicted, proposal=proposal).status == ScoreSheet.Status.VOIDED
    assert session.entries.get(proposal=proposal).weighted_score == Decimal("2.000")
    assert not session.votes.exists()  # votes on the old list no longer count
    assert CommitteeEvent.objects.filter(committee=committee, action=CommitteeEvent.Action.SELECTION_REBUILT).exists()
    assert Notice.objects.filter(recipient=committee.secretary).exists()
    services.vote_cast(actor=conflicted.user, session_id=session.pk, choice="for")  # on the new list: fine


def test_joining_during_the_session_recomputes_the_list(committee, shortlist):
    everyone = members(committee)
    conflicted, proposal = everyone[0], shortlist[0]
    services.score_save(actor=conflicted.user, proposal_id=proposal.pk, values=sheet(committee, 5), submit=True)
    session = open_session(committee)
    services.vote_cast(actor=everyone[1].user, session_id=session.pk, choice="for")
    join_by_invitation(conflicted.user, proposal.group)
    # Its only sheet was voided: it is listed apart, never ranked with a 0.
    assert not session.entries.filter(proposal=proposal).exists()
    assert proposal in unranked(session)
    assert not session.votes.exists()


def test_a_group_created_by_a_member_is_recused_at_scoring(committee, committee_call):
    member = members(committee)[0]
    group = accounts.group_create(creator=member.user, name="Vecinos del comité", kind=GroupKind.RESIDENTS,
                                  neighbourhood=NeighbourhoodFactory())
    proposal = proposal_create(actor=member.user, call=committee_call, group=group, title="Parque propio")
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalState.SHORTLISTED, folio="MB-2028-09999",
                                                   budget_total=Decimal("1000000"))
    with pytest.raises(Http404):
        services.score_save(actor=member.user, proposal_id=proposal.pk, values=sheet(committee, 5), submit=True)
    assert Recusal.objects.filter(member=member, proposal=proposal, automatic=True).exists()  # kept on record
    assert not ScoreSheet.objects.filter(member=member, proposal=proposal, status="submitted").exists()


def test_taking_over_the_representation_recuses(committee, shortlist):
    member = members(committee)[2]
    group = shortlist[3].group
    Membership.objects.create(group=group, user=member.user)  # outside the services: no signal
    representative = group.memberships.get(role="representative").user
    accounts.representative_hand_over(actor=representative, group=group, new_representative=member.user)
    assert Recusal.objects.filter(member=member, proposal=shortlist[3], automatic=True).exists()


def test_a_former_member_added_later_is_recused_too(committee, shortlist, coordinator):
    person = members(committee)[0].user
    services.member_remove(actor=coordinator, member_id=members(committee)[0].pk)
    join_by_invitation(person, shortlist[1].group)
    accounts.membership_leave(user=person, group=shortlist[1].group)
    member = services.member_add(actor=coordinator, committee=committee, email=person.email,
                                 full_name=person.full_name, sector="academia", institution="UNAM")
    recusal = Recusal.objects.get(member=member, proposal=shortlist[1])
    assert recusal.automatic and "Integró" in recusal.reason


def test_after_the_vote_the_list_stands_but_the_conflict_is_recorded(committee, shortlist):
    everyone = members(committee)
    conflicted, proposal = everyone[0], shortlist[0]
    services.score_save(actor=conflicted.user, proposal_id=proposal.pk, values=sheet(committee, 5), submit=True)
    session = open_session(committee)
    for member in everyone:
        services.vote_cast(actor=member.user, session_id=session.pk, choice="for")
    services.session_close(actor=committee.secretary, session_id=session.pk)
    outcomes = dict(session.entries.values_list("proposal_id", "outcome"))
    join_by_invitation(conflicted.user, proposal.group)
    assert ScoreSheet.objects.get(member=conflicted, proposal=proposal).status == ScoreSheet.Status.VOIDED
    assert dict(session.entries.values_list("proposal_id", "outcome")) == outcomes
    assert session.entries.filter(outcome=Outcome.SELECTED).exists()
