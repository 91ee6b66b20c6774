"""Publication never breaks on what a proposal went through after the Committee looked at it.

The states are derived from the workflow table: every state a shortlisted proposal can reach by any
action other than the Committee's own outcomes. A new way out of `shortlisted` is covered here with no
change to this file."""

from collections import deque
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committees import services
from committees.models import Committee, CommitteeEvent, Outcome, Session
from proposals.models import IneligibilityReason, Proposal, ProposalEvent, TechnicalReview
from proposals.services import attachment_add, budget_lines_save, proposal_transition, proposal_update, review_reopen
from proposals.workflow import (
    GROUP_ACTIONS,
    ORDER_DEPENDENT,
    PROPOSAL_TRANSITIONS,
    CallState,
    ProposalAction,
    ProposalState,
)
from tests.committees.conftest import members, shortlisted_proposals
from tests.factories import jpeg_bytes, make_open_call

# Only publication (and a later withdrawal) applies these; everything else may happen meanwhile.
COMMITTEE_OUTCOMES = {ProposalAction.SELECT, ProposalAction.WAITLIST, ProposalAction.NOT_SELECT,
                      ProposalAction.PROMOTE}


def paths_from_shortlisted(assembly_before_review: bool) -> dict[str, list[str]]:
    """Shortest action path from `shortlisted` to every state reachable without a Committee outcome."""
    paths = {ProposalState.SHORTLISTED: []}
    queue = deque([ProposalState.SHORTLISTED])
    while queue:
        state = queue.popleft()
        for (source, action), target in PROPOSAL_TRANSITIONS.items():
            order = ORDER_DEPENDENT.get((source, action))
            if source != state or action in COMMITTEE_OUTCOMES or target in paths or \
                    (order is not None and order != assembly_before_review):
                continue
            paths[target] = paths[state] + [action]
            queue.append(target)
    return paths


# Each reachable state once, with a call order in which it is reachable (both orders are walked).
REACHABLE = sorted({state: order for order in (False, True) for state in paths_from_shortlisted(order)}.items())


def test_the_derivation_sees_a_withdrawal():
    assert (ProposalState.WITHDRAWN, True) in REACHABLE and (ProposalState.SHORTLISTED, True) in REACHABLE


def score_all(committee, proposals):
    """One member's equal scores are enough for a ranking: it falls to stratum, then submission."""
    member = members(committee)[0]
    values = {str(c.pk): {"value": 3, "comment": ""} for c in committee.call.rubric.all()}
    for proposal in proposals:
        services.score_save(actor=member.user, proposal_id=proposal.pk, values=values, submit=True)


def drive(proposal, path, coordinator):
    """Apply the actions the way their actors would: the group's by its representative, staff's as a
    recorded outcome."""
    for action in path:
        if action in GROUP_ACTIONS:
            representative = proposal.group.memberships.get(role="representative").user
            proposal_transition(actor=representative, proposal_id=proposal.pk, action=action, note="Ya no podemos")
        else:
            proposal_transition(actor=coordinator, proposal_id=proposal.pk, action=action, note="Motivo de prueba",
                                correction_deadline=date.today() + timedelta(days=7),
                                reason_code=IneligibilityReason.INCOMPLETE, system=True)


def open_session(committee):
    """These cases score with few members on purpose: the call ranks on one sheet, and the secretary
    records the decision to open with the others' sheets pending (the opening rule has its own tests)."""
    Committee.objects.filter(pk=committee.pk).update(min_score_sheets=1)
    committee.refresh_from_db()
    return services.session_open(actor=committee.secretary, committee=committee, held_on=date.today(),
                                 present_member_ids=[m.pk for m in members(committee)],
                                 unscored_decision="El Comité acuerda sesionar con las hojas entregadas.")


def vote_and_close(committee, session):
    for member in members(committee):
        services.vote_cast(actor=member.user, session_id=session.pk, choice="for")
    return services.session_close(actor=committee.secretary, session_id=session.pk)


def entry_with(session, outcome, position=0):
    return list(session.entries.filter(outcome=outcome).order_by("rank"))[position]


def public_folios(client, call):
    page = client.get(reverse("committees:results", args=[call.pk])).content.decode()
    api = client.get(f"/api/v1/calls/{call.pk}/results/")
    return page, api


def assert_consistent(call):
    """What is published: only proposals that took an outcome, within the budget."""
    call.refresh_from_db()
    assert call.status == CallState.RESULTS_PUBLISHED
    session = Session.objects.get(committee__call=call)
    for entry in session.entries.select_related("proposal"):
        if entry.dropped:
            assert entry.after_vote_note and entry.proposal.status not in (ProposalState.SELECTED,
                                                                          ProposalState.WAITLISTED)
        else:
            assert entry.proposal.status == {Outcome.SELECTED: ProposalState.SELECTED,
                                             Outcome.WAITLISTED: ProposalState.WAITLISTED,
                                             Outcome.NOT_SELECTED: ProposalState.NOT_SELECTED}[entry.outcome]
    selected = Proposal.objects.filter(call=call, status=ProposalState.SELECTED)
    assert sum(p.assigned_amount for p in selected) <= call.total_budget
    assert not Proposal.objects.filter(call=call, status=ProposalState.SHORTLISTED).exists()


@pytest.mark.parametrize("moment", ["session_open", "session_closed"])
@pytest.mark.parametrize("outcome", [Outcome.SELECTED, Outcome.WAITLISTED, Outcome.NOT_SELECTED])
@pytest.mark.parametrize("state,assembly_first", REACHABLE)
def test_publication_survives_every_state_reached_after_the_ranking(
        committee, shortlist, coordinator, client, state, assembly_first, outcome, moment):
    call = committee.call
    call.assembly_before_review = assembly_first
    call.save(update_fields=["assembly_before_review"])
    score_all(committee, shortlist)
    session = open_session(committee)
    leaving = entry_with(session, outcome).proposal
    first_waiting = next(e.proposal for e in session.entries.filter(outcome=Outcome.WAITLISTED).order_by("rank")
                         if e.proposal_id != leaving.pk)
    if moment == "session_closed":
        vote_and_close(committee, session)
    drive(leaving, paths_from_shortlisted(assembly_first)[state], coordinator)
    if moment == "session_open":
        vote_and_close(committee, session)

    services.results_publish(actor=coordinator, call=call)

    assert_consistent(call)
    leaving.refresh_from_db()
    entry = session.entries.get(proposal=leaving)
    if state == ProposalState.SHORTLISTED:
        assert not entry.dropped and leaving.status != ProposalState.SHORTLISTED
        return
    assert leaving.status == state and entry.dropped
    assert ProposalEvent.objects.filter(proposal=leaving, action="results_excluded").exclude(note="").exists()
    assert CommitteeEvent.objects.filter(committee=committee, proposal=leaving,
                                         action=CommitteeEvent.Action.DROPPED).exclude(note="").exists()
    assert CommitteeEvent.objects.filter(committee=committee, proposal=leaving,
                                         action=CommitteeEvent.Action.PROPOSAL_LEFT).exists()
    page, api = public_folios(client, call)
    assert leaving.folio not in page and leaving.folio not in api.content.decode()
    first_waiting.refresh_from_db()
    if outcome == Outcome.SELECTED:  # its place went to the first of the waitlist
        assert first_waiting.status == ProposalState.SELECTED and first_waiting.assigned_amount
        assert leaving.folio in first_waiting.events.last().note
        assert CommitteeEvent.objects.filter(proposal=first_waiting, action=CommitteeEvent.Action.PROMOTED).exists()
        assert Proposal.objects.filter(call=call, status=ProposalState.SELECTED).count() == 5
    else:
        assert first_waiting.status == ProposalState.WAITLISTED


@pytest.mark.parametrize("state", sorted(set(ProposalState.values) - {ProposalState.SELECTED,
                                                                        ProposalState.WAITLISTED,
                                                                        ProposalState.NOT_SELECTED}))
def test_publication_survives_any_state_at_all(committee, shortlist, coordinator, state):
    """Beyond what the table allows today (a data fix, a future action): any state, forced."""
    score_all(committee, shortlist)
    session = open_session(committee)
    leaving = entry_with(session, Outcome.SELECTED).proposal
    vote_and_close(committee, session)
    Proposal.objects.filter(pk=leaving.pk).update(status=state)
    services.results_publish(actor=coordinator, call=committee.call)
    assert_consistent(committee.call)
    assert session.entries.get(proposal=leaving).dropped is (state != ProposalState.SHORTLISTED)


@pytest.mark.parametrize("state,assembly_first", [r for r in REACHABLE if r[0] != ProposalState.SHORTLISTED])
def test_a_proposal_that_leaves_before_the_session_is_not_ranked(committee, shortlist, coordinator, state,
                                                                  assembly_first):
    committee.call.assembly_before_review = assembly_first
    committee.call.save(update_fields=["assembly_before_review"])
    score_all(committee, shortlist)
    drive(shortlist[0], paths_from_shortlisted(assembly_first)[state], coordinator)
    session = open_session(committee)
    assert not session.entries.filter(proposal=shortlist[0]).exists()
    vote_and_close(committee, session)
    services.results_publish(actor=coordinator, call=committee.call)
    assert_consistent(committee.call)
    shortlist[0].refresh_from_db()
    assert shortlist[0].status == state


def test_a_review_reopened_after_shortlisting_is_not_published_as_selected(committee, shortlist, coordinator):
    score_all(committee, shortlist)
    session = open_session(committee)
    doubtful = entry_with(session, Outcome.SELECTED).proposal
    first_waiting = entry_with(session, Outcome.WAITLISTED).proposal
    vote_and_close(committee, session)
    review = TechnicalReview.objects.create(proposal=doubtful, reviewer=coordinator, status="submitted",
                                            result="feasible")
    review_reopen(actor=coordinator, review_id=review.pk, note="El predio tiene un litigio nuevo")
    services.results_publish(actor=coordinator, call=committee.call)
    assert_consistent(committee.call)
    doubtful.refresh_from_db()
    assert doubtful.status == ProposalState.NOT_SELECTED and doubtful.assigned_amount is None
    assert "dictamen técnico se reabrió" in doubtful.events.last().note
    first_waiting.refresh_from_db()
    assert first_waiting.status == ProposalState.SELECTED


def test_publishing_twice_is_refused_cleanly(committee, shortlist, coordinator):
    score_all(committee, shortlist)
    vote_and_close(committee, open_session(committee))
    services.results_publish(actor=coordinator, call=committee.call)
    with pytest.raises(ValidationError, match="ya se publicaron"):
        services.results_publish(actor=coordinator, call=committee.call)


# --- The fill rule for a freed place ------------------------------------------------------------------

@pytest.fixture
def priced_shortlist(committee_call):
    """Eight proposals of 1,000,000 except the sixth in rank (1,200,000): equal scores rank them by
    stratum then submission, i.e. 0, 4, 1, 5, 2, 6, 3, 7 over four boroughs."""
    proposals = shortlisted_proposals(committee_call, 8)
    Proposal.objects.filter(pk=proposals[6].pk).update(budget_total=Decimal("1200000"))
    return proposals


@pytest.mark.parametrize("published_first", [False, True])
def test_a_freed_place_skips_a_waitlisted_proposal_that_does_not_fit_the_budget(
        committee, priced_shortlist, coordinator, published_first):
    score_all(committee, priced_shortlist)
    session = open_session(committee)
    waitlist = [e.proposal for e in session.entries.filter(outcome=Outcome.WAITLISTED).order_by("rank")]
    assert waitlist[0] == priced_shortlist[6]  # 1,200,000: more than the place freed
    vote_and_close(committee, session)
    if published_first:
        services.results_publish(actor=coordinator, call=committee.call)
    leaving = entry_with(session, Outcome.SELECTED).proposal
    drive(leaving, [ProposalAction.WITHDRAW], coordinator)
    if not published_first:
        services.results_publish(actor=coordinator, call=committee.call)
    assert Proposal.objects.get(pk=waitlist[0].pk).status == ProposalState.WAITLISTED
    assert Proposal.objects.get(pk=waitlist[1].pk).status == ProposalState.SELECTED
    assert_consistent(committee.call)
    page = services.Session.objects.get(pk=session.pk).entries.get(proposal=leaving)
    assert page.dropped


@pytest.mark.parametrize("published_first", [False, True])
def test_a_freed_place_respects_the_borough_cap(committee_call, committee, shortlist, coordinator, published_first):
    committee_call.max_selected_per_borough = 1
    committee_call.save(update_fields=["max_selected_per_borough"])
    score_all(committee, shortlist)
    session = open_session(committee)
    # Ranked 0, 4, 1, 5, ...: one per borough is selected (0, 1, 2, 3); 4 and 5 wait, capped.
    assert [e.proposal for e in session.entries.filter(outcome=Outcome.WAITLISTED).order_by("rank")] == \
        [shortlist[4], shortlist[5]]
    vote_and_close(committee, session)
    if published_first:
        services.results_publish(actor=coordinator, call=committee.call)
    drive(shortlist[1], [ProposalAction.WITHDRAW], coordinator)  # frees borough 1's place
    if not published_first:
        services.results_publish(actor=coordinator, call=committee.call)
    assert Proposal.objects.get(pk=shortlist[4].pk).status == ProposalState.WAITLISTED  # borough 0 is full
    assert Proposal.objects.get(pk=shortlist[5].pk).status == ProposalState.SELECTED
    assert_consistent(committee.call)


def test_after_the_session_closes_the_group_can_only_withdraw(committee, shortlist, coordinator):
    """What was scored stays what was scored: no edit, budget or attachment once before the Committee."""
    score_all(committee, shortlist)
    session = open_session(committee)
    vote_and_close(committee, session)
    proposal = shortlist[0]
    representative = proposal.group.memberships.get(role="representative").user
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError, match="ya fue enviada"):
        proposal_update(actor=representative, proposal_id=proposal.pk, data={"title": "Otro proyecto"})
    with pytest.raises(ValidationError, match="ya fue enviada"):
        budget_lines_save(actor=representative, proposal_id=proposal.pk,
                          lines=[{"concept": "Todo", "unit": "lote", "quantity": 1, "unit_price": 1}])
    with pytest.raises(ValidationError, match="ya fue enviada"):
        attachment_add(actor=representative, proposal_id=proposal.pk, kind="site_photo",
                       upload=SimpleUploadedFile("sitio.jpg", jpeg_bytes(), content_type="image/jpeg"))
    before = Proposal.objects.get(pk=proposal.pk)
    assert (before.title, before.budget_total) == (proposal.title, proposal.budget_total)
    proposal_transition(actor=representative, proposal_id=proposal.pk, action=ProposalAction.WITHDRAW,
                        note="Ya no podemos")
    assert CommitteeEvent.objects.filter(proposal=proposal, action=CommitteeEvent.Action.PROPOSAL_LEFT).exists()


def test_the_results_page_and_api_leave_out_a_dropped_proposal(client, coordinator):
    call = make_open_call(year=2029, total_budget=Decimal("5000000"), committee_quorum=1, waitlist_size=2)
    from tests.factories import UserFactory

    committee = services.committee_set(actor=coordinator, call=call, secretary=UserFactory())
    services.member_add(actor=coordinator, committee=committee, email="solo@ejemplo.mx", full_name="Única",
                        sector="academia", institution="UNAM")
    proposals = shortlisted_proposals(call, 3)
    score_all(committee, proposals)
    session = open_session(committee)
    vote_and_close(committee, session)
    drive(proposals[0], [ProposalAction.WITHDRAW], coordinator)
    services.results_publish(actor=coordinator, call=call)
    page, api = public_folios(client, call)
    assert api.status_code == 200
    assert proposals[0].folio not in page and proposals[0].folio not in api.content.decode()
    assert proposals[1].folio in page and proposals[1].folio in api.content.decode()


@pytest.mark.parametrize("outcome", [Outcome.SELECTED, Outcome.WAITLISTED])
def test_leaving_after_publication_takes_the_proposal_out_of_the_published_results(
        committee, shortlist, coordinator, client, monkeypatch, outcome):
    # Today only a selected proposal can withdraw after publication; a new way out (here a waitlisted
    # withdrawal) is handled the same, without touching the Committee's code.
    monkeypatch.setitem(PROPOSAL_TRANSITIONS, (ProposalState.WAITLISTED, ProposalAction.WITHDRAW),
                        ProposalState.WITHDRAWN)
    score_all(committee, shortlist)
    session = open_session(committee)
    vote_and_close(committee, session)
    services.results_publish(actor=coordinator, call=committee.call)
    leaving = entry_with(session, outcome).proposal
    drive(leaving, [ProposalAction.WITHDRAW], coordinator)
    entry = session.entries.get(proposal=leaving)
    assert entry.dropped and entry.after_vote_note
    page, api = public_folios(client, committee.call)
    assert leaving.folio not in page and leaving.folio not in api.content.decode()
    selected = Proposal.objects.filter(call=committee.call, status=ProposalState.SELECTED).count()
    assert selected == 5  # a selected place was refilled; a waitlisted one leaving changes no place
