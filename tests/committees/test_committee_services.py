import re
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from accounts.models import Membership
from committees import services
from committees.models import Outcome, Recusal, ScoreSheet, Vote
from proposals.models import Proposal
from proposals.workflow import CallState, ProposalState
from tests.committees.conftest import members, score_all
from tests.factories import UserFactory


def sheet_values(committee, value=4):
    return {str(c.pk): {"value": value, "comment": "ok"} for c in committee.call.rubric.all()}


def test_an_external_expert_gets_an_account_and_an_email_to_choose_a_password(
        committee, coordinator, django_capture_on_commit_callbacks, client):
    with django_capture_on_commit_callbacks(execute=True):
        member = services.member_add(actor=coordinator, committee=committee, email="experta@uam.mx",
                                     full_name="Dra. Experta", sector="academia", institution="UAM")
    assert member.user.groups.filter(name="committee_member").exists()
    assert not member.user.has_usable_password()
    invitation = next(m for m in mail.outbox if "experta@uam.mx" in m.to)
    assert "/accounts/password/reset/key/" in invitation.body and "Comité Técnico Mixto" in invitation.body
    link = re.search(r"http://\S+(/accounts/password/reset/key/\S+/)", invitation.body).group(1)
    page = client.get(link, follow=True)
    assert 'name="password1"' in page.content.decode()  # the link opens the form to choose a password


def test_scores_are_independent(committee, shortlist):
    first, second = members(committee)[:2]
    proposal = shortlist[0]
    services.score_save(actor=first.user, proposal_id=proposal.pk, values=sheet_values(committee, 5), submit=True)
    assert services.visible_scores(actor=second.user, proposal=proposal) == []  # not before their own
    services.score_save(actor=second.user, proposal_id=proposal.pk, values=sheet_values(committee, 2))
    assert services.visible_scores(actor=second.user, proposal=proposal) == []  # a draft is not enough
    services.score_save(actor=second.user, proposal_id=proposal.pk, values=sheet_values(committee, 2), submit=True)
    others = services.visible_scores(actor=second.user, proposal=proposal)
    assert [s.member_id for s in others] == [first.pk]


def test_secretary_sees_who_scored_not_the_values(committee, shortlist):
    member = members(committee)[0]
    services.score_save(actor=member.user, proposal_id=shortlist[0].pk, values=sheet_values(committee), submit=True)
    rows = dict(services.scoring_status(committee))
    assert rows[member][shortlist[0].pk] == "submitted" and rows[member][shortlist[1].pk] == ""
    assert services.visible_scores(actor=committee.secretary, proposal=shortlist[0]) == []


def test_scores_must_be_1_to_5_and_complete_to_submit(committee, shortlist):
    member = members(committee)[0]
    values = sheet_values(committee)
    key = next(iter(values))
    with pytest.raises(ValidationError, match="de 1 a 5"):
        services.score_save(actor=member.user, proposal_id=shortlist[0].pk, values={**values, key: {"value": 9}})
    with pytest.raises(ValidationError, match="falta"):
        services.score_save(actor=member.user, proposal_id=shortlist[0].pk, values={**values, key: {"value": ""}},
                            submit=True)


def test_computed_criteria_are_filled_in(committee, shortlist, coordinator):
    call = committee.call
    rubric = list(call.rubric.all())
    rubric[0].computed = "stratum"
    rubric[0].save()
    member = members(committee)[0]
    proposal = shortlist[0]  # stratum muy_bajo
    sheet = services.score_save(actor=member.user, proposal_id=proposal.pk,
                                values={str(rubric[0].pk): {"value": 1}}, submit=True)
    assert sheet.scores[str(rubric[0].pk)] == {"value": 5, "comment": "", "computed": True}


def test_automatic_and_declared_recusals_hide_the_proposal(committee, shortlist, coordinator):
    member = members(committee)[0]
    Membership.objects.create(group=shortlist[0].group, user=member.user)
    assert services.recusals_refresh(committee=committee) == 1
    with pytest.raises(Http404):
        services.score_save(actor=member.user, proposal_id=shortlist[0].pk, values=sheet_values(committee))
    assert shortlist[0] not in services.committee_proposals(member)  # seen as group member, never scored
    services.recusal_declare(actor=member.user, proposal_id=shortlist[1].pk, reason="Mi hermana vive ahí")
    assert Recusal.objects.get(member=member, proposal=shortlist[1]).automatic is False
    assert not Proposal.objects.visible_to(member.user).filter(pk=shortlist[1].pk).exists()
    assert Proposal.objects.visible_to(member.user).filter(pk=shortlist[2].pk).exists()


def test_session_needs_quorum_and_closes_scoring(committee, shortlist):
    everyone = members(committee)
    with pytest.raises(PermissionDenied):
        services.session_open(actor=everyone[0].user, committee=committee, held_on=date.today(),
                              present_member_ids=[m.pk for m in everyone])
    with pytest.raises(ValidationError, match="quórum es 3"):
        services.session_open(actor=committee.secretary, committee=committee, held_on=date.today(),
                              present_member_ids=[m.pk for m in everyone[:2]])
    services.session_open(actor=committee.secretary, committee=committee, held_on=date.today(),
                          present_member_ids=[m.pk for m in everyone[:3]],
                          unscored_decision="Se sesiona sin calificaciones para probar el cierre.")
    with pytest.raises(ValidationError, match="cerró"):
        services.score_save(actor=everyone[0].user, proposal_id=shortlist[0].pk, values=sheet_values(committee))


def open_session(committee):
    return services.session_open(actor=committee.secretary, committee=committee, held_on=date.today(),
                                 present_member_ids=[m.pk for m in members(committee)])


def test_the_proposed_selection_stays_within_the_budget(committee, shortlist):
    # 8 proposals of 1,000,000 for 5,000,000: five are selected, two waitlisted, one not selected.
    score_all(committee, shortlist, value_for=lambda m, p: 1 + (p.pk % 5))
    session = open_session(committee)
    outcomes = [e.outcome for e in session.entries.all()]
    assert outcomes.count(Outcome.SELECTED) == 5
    assert outcomes.count(Outcome.WAITLISTED) == 2 and outcomes.count(Outcome.NOT_SELECTED) == 1
    ranked = [e.weighted_score for e in session.entries.order_by("rank")]
    assert ranked == sorted(ranked, reverse=True)


def test_changes_need_a_reason_keep_the_budget_and_reset_the_votes(committee, shortlist):
    score_all(committee, shortlist)
    session = open_session(committee)
    first = members(committee)[0]
    services.vote_cast(actor=first.user, session_id=session.pk, choice="for")
    waitlisted = session.entries.filter(outcome=Outcome.WAITLISTED).first()
    with pytest.raises(ValidationError, match="presupuesto"):
        services.selection_change(actor=committee.secretary, session_id=session.pk,
                                  proposal_id=waitlisted.proposal_id, outcome="selected", reason="Urgente")
    with pytest.raises(ValidationError, match="motivo"):
        services.selection_change(actor=committee.secretary, session_id=session.pk,
                                  proposal_id=waitlisted.proposal_id, outcome="not_selected", reason="")
    selected = session.entries.filter(outcome=Outcome.SELECTED).last()
    services.selection_change(actor=committee.secretary, session_id=session.pk, proposal_id=selected.proposal_id,
                              outcome="waitlisted", reason="Predio en litigio reciente")
    services.selection_change(actor=committee.secretary, session_id=session.pk,
                              proposal_id=waitlisted.proposal_id, outcome="selected", reason="Mayor impacto")
    assert not session.votes.exists()


def test_close_needs_every_present_vote_and_a_majority_then_minutes(committee, shortlist):
    score_all(committee, shortlist)
    session = open_session(committee)
    everyone = members(committee)
    for member in everyone[:4]:
        services.vote_cast(actor=member.user, session_id=session.pk, choice="for")
    with pytest.raises(ValidationError, match="Falta el voto de: Integrante 4"):
        services.session_close(actor=committee.secretary, session_id=session.pk)
    with pytest.raises(PermissionDenied):
        services.vote_cast(actor=UserFactory(), session_id=session.pk, choice="for")
    services.vote_cast(actor=everyone[4].user, session_id=session.pk, choice=Vote.Choice.ABSTAIN)
    closed = services.session_close(actor=committee.secretary, session_id=session.pk)
    pdf = closed.minutes.read()
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000


def test_publishing_moves_every_proposal_and_the_call(committee, shortlist, coordinator):
    score_all(committee, shortlist)
    session = open_session(committee)
    for member in members(committee):
        services.vote_cast(actor=member.user, session_id=session.pk, choice="for")
    with pytest.raises(ValidationError, match="sesión del Comité debe cerrarse"):
        services.results_publish(actor=coordinator, call=committee.call)
    services.session_close(actor=committee.secretary, session_id=session.pk)
    call = services.results_publish(actor=coordinator, call=committee.call)
    assert call.status == CallState.RESULTS_PUBLISHED
    states = list(Proposal.objects.filter(call=call).values_list("status", flat=True))
    assert states.count(ProposalState.SELECTED) == 5 and states.count(ProposalState.WAITLISTED) == 2
    assert sum(Proposal.objects.filter(status="selected").values_list("assigned_amount", flat=True)) == \
        Decimal("5000000")


def test_a_withdrawal_gives_the_place_to_the_first_waitlisted(committee, shortlist, coordinator):
    score_all(committee, shortlist)
    session = open_session(committee)
    for member in members(committee):
        services.vote_cast(actor=member.user, session_id=session.pk, choice="for")
    services.session_close(actor=committee.secretary, session_id=session.pk)
    services.results_publish(actor=coordinator, call=committee.call)
    leaving = Proposal.objects.filter(status="selected").first()
    first_waiting = session.entries.filter(outcome=Outcome.WAITLISTED).order_by("rank").first().proposal
    from proposals.services import proposal_transition

    representative = leaving.group.memberships.get(role="representative").user
    proposal_transition(actor=representative, proposal_id=leaving.pk, action="withdraw", note="Ya no podemos")
    promoted = Proposal.objects.get(pk=first_waiting.pk)
    assert promoted.status == ProposalState.SELECTED
    assert leaving.folio in promoted.events.last().note


def test_only_the_member_writes_their_sheet(committee, shortlist):
    outsider = UserFactory(roles=["committee_member"])
    with pytest.raises(Http404):
        services.score_save(actor=outsider, proposal_id=shortlist[0].pk, values={})
    assert not ScoreSheet.objects.exists()


def test_who_sits_on_the_committee_is_fixed_once_the_session_opens(committee, shortlist, coordinator):
    score_all(committee, shortlist)
    seated = members(committee)
    services.session_open(actor=committee.secretary, committee=committee, held_on=date.today(),
                          present_member_ids=[m.pk for m in seated])
    with pytest.raises(ValidationError, match="ya se abrió"):
        services.member_remove(actor=coordinator, member_id=seated[0].pk)
    with pytest.raises(ValidationError, match="ya se abrió"):
        services.member_add(actor=coordinator, committee=committee, email="tarde@ejemplo.mx", full_name="Tarde",
                            sector="academia", institution="UNAM")
    assert committee.members.count() == len(seated)
