"""Opening the Committee session with scores missing: the call's rule, a recorded decision, and no
proposal ranked as 0 for lack of score sheets."""

import re
from datetime import UTC, date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committees import services
from committees.coverage import coverage, unranked
from committees.models import Committee, CommitteeEvent, Session, UnscoredRule
from proposals.models import Proposal
from proposals.workflow import ProposalState
from tests.committees.conftest import members, score_all

DECISION = "Dos integrantes no pudieron calificar a tiempo; el Comité acuerda sesionar con las hojas entregadas."


def open_session(committee, decision=""):
    return services.session_open(actor=committee.secretary, committee=committee, held_on=date.today(),
                                 present_member_ids=[m.pk for m in members(committee)], unscored_decision=decision)


def score_by(committee, proposals, seated):
    """Only the first `seated` members score (all proposals)."""
    everyone = members(committee)
    rubric = list(committee.call.rubric.all())
    for member in everyone[:seated]:
        for proposal in proposals:
            services.score_save(actor=member.user, proposal_id=proposal.pk, submit=True,
                                values={str(c.pk): {"value": 4, "comment": ""} for c in rubric})


def test_missing_scores_need_a_decision_that_names_who_has_not_scored(committee, shortlist):
    score_all(committee, shortlist[1:])
    with pytest.raises(ValidationError) as refused:
        open_session(committee)
    message = " ".join(refused.value.message_dict["unscored_decision"])
    assert all(m.user.get_full_name() in message for m in members(committee))
    assert shortlist[0].folio in message  # the proposal nobody scored is named too
    assert not Session.objects.exists()  # nothing written


def test_the_decision_is_recorded_with_the_session_and_in_the_committee_record(committee, shortlist):
    score_by(committee, shortlist, seated=3)
    session = open_session(committee, DECISION)
    assert session.unscored_decision == DECISION
    event = CommitteeEvent.objects.get(committee=committee, action=CommitteeEvent.Action.OPENED_WITH_UNSCORED)
    assert DECISION in event.note and "Integrante 3" in event.note and "Integrante 4" in event.note
    assert event.actor == committee.secretary


def test_with_every_sheet_in_no_decision_is_asked_nor_recorded(committee, shortlist):
    score_all(committee, shortlist)
    session = open_session(committee)
    assert session.unscored_decision == ""
    assert not CommitteeEvent.objects.filter(action=CommitteeEvent.Action.OPENED_WITH_UNSCORED).exists()
    assert session.entries.count() == len(shortlist)


def test_a_call_that_refuses_does_not_open_even_with_a_decision(committee, shortlist):
    Committee.objects.filter(pk=committee.pk).update(unscored_rule=UnscoredRule.REFUSE)
    committee.refresh_from_db()
    score_by(committee, shortlist, seated=4)
    with pytest.raises(ValidationError, match="Integrante 4"):
        open_session(committee, DECISION)
    assert not Session.objects.exists()


def test_a_proposal_short_of_sheets_is_listed_apart_never_ranked_as_zero(committee, shortlist):
    score_by(committee, shortlist[:6], seated=3)  # a majority of 5 scored these
    score_by(committee, shortlist[6:], seated=2)  # two sheets of the three needed
    session = open_session(committee, DECISION)
    assert set(session.entries.values_list("proposal_id", flat=True)) == {p.pk for p in shortlist[:6]}
    assert not session.entries.filter(weighted_score=0).exists()
    assert unranked(session) == shortlist[6:]
    assert [row.required for row in coverage(committee).proposals] == [3] * len(shortlist)


def test_the_call_can_set_its_own_minimum_of_sheets(committee, shortlist):
    Committee.objects.filter(pk=committee.pk).update(min_score_sheets=2)
    committee.refresh_from_db()
    score_by(committee, shortlist, seated=2)
    session = open_session(committee, DECISION)
    assert session.entries.count() == len(shortlist) and unranked(session) == []


def test_a_recused_member_does_not_count_towards_the_majority(committee, shortlist):
    recused = members(committee)[4]
    services.recusal_declare(actor=recused.user, proposal_id=shortlist[0].pk, reason="Vivo en esa colonia")
    row = next(r for r in coverage(committee).proposals if r.proposal == shortlist[0])
    assert row.required == 3 and recused not in row.missing  # majority of the 4 who may score


def test_unranked_proposals_are_published_as_not_selected_without_a_score(client, committee, shortlist, coordinator):
    score_by(committee, shortlist[:7], seated=3)
    session = open_session(committee, DECISION)
    for member in members(committee):
        services.vote_cast(actor=member.user, session_id=session.pk, choice="for")
    services.session_close(actor=committee.secretary, session_id=session.pk)
    services.results_publish(actor=coordinator, call=committee.call)
    left_out = Proposal.objects.get(pk=shortlist[7].pk)
    assert left_out.status == ProposalState.NOT_SELECTED
    assert "Sin calificaciones suficientes" in left_out.events.last().note
    page = client.get(reverse("committees:results", args=[committee.call_id])).content.decode()
    assert left_out.folio not in page and "0.000" not in page


def test_the_session_page_shows_who_has_not_scored_and_asks_for_the_decision(client, committee, shortlist):
    score_by(committee, shortlist, seated=3)
    client.force_login(committee.secretary)
    url = reverse("committees:session", args=[committee.call_id])
    page = client.get(url).content.decode()
    assert "Falta calificar" in page and "Integrante 3" in page and "Integrante 4" in page
    present = [str(m.pk) for m in members(committee)]
    refused = client.post(url, {"held_on": date.today().isoformat(), "present": present})
    html = refused.content.decode()
    assert refused.status_code == 400 and not Session.objects.exists()
    assert re.search(r"<ul class=\"errorlist\" id=\"id_unscored_decision_error\"><li>Falta calificar a", html)
    assert "Escribe la decisión del Comité" in html and f'value="{date.today().isoformat()}"' in html
    done = client.post(url, {"held_on": date.today().isoformat(), "present": present, "unscored_decision": DECISION})
    assert done.status_code == 302
    assert Session.objects.get().unscored_decision == DECISION


def test_the_coordinator_sets_the_rule_on_the_committee_page(client, committee, coordinator):
    client.force_login(coordinator)
    url = reverse("committees:committee_set", args=[committee.call_id])
    client.post(url, {"secretary": committee.secretary_id, "unscored_rule": "refuse", "min_score_sheets": "2"})
    committee.refresh_from_db()
    assert (committee.unscored_rule, committee.min_score_sheets) == (UnscoredRule.REFUSE, 2)
    page = client.get(reverse("committees:home", args=[committee.call_id])).content.decode()
    assert re.search(r'value="refuse"[^>]*checked', page)
    client.post(url, {"secretary": committee.secretary_id, "unscored_rule": "allow_with_decision",
                      "min_score_sheets": ""})
    committee.refresh_from_db()
    assert (committee.unscored_rule, committee.min_score_sheets) == (UnscoredRule.ALLOW_WITH_DECISION, None)


def test_the_rule_cannot_change_once_the_session_is_open(committee, shortlist, coordinator):
    score_all(committee, shortlist)
    open_session(committee)
    with pytest.raises(ValidationError, match="ya se abrió"):
        services.committee_set(actor=coordinator, call=committee.call, secretary=committee.secretary,
                               unscored_rule=UnscoredRule.REFUSE)


def test_a_session_date_already_gone_is_refused_by_the_field(committee, shortlist):
    from datetime import datetime, time

    from proposals.models.calls import MEXICO_CITY

    score_all(committee, shortlist)
    present = [m.pk for m in members(committee)]
    noon = datetime.combine(date(2026, 11, 28), time(12), MEXICO_CITY)
    with pytest.raises(ValidationError) as refused:
        services.session_open(actor=committee.secretary, committee=committee, held_on=date(2026, 11, 27),
                              present_member_ids=present, now=noon)
    assert "held_on" in refused.value.message_dict
    assert "28 de noviembre de 2026" in refused.value.message_dict["held_on"][0]
    assert not Session.objects.filter(committee=committee).exists()
    # At 03:30 UTC on the 29th it is still the evening of the 28th in Mexico City: the 28th is today there.
    evening_in_mexico = datetime(2026, 11, 29, 3, 30, tzinfo=UTC)
    session = services.session_open(actor=committee.secretary, committee=committee, held_on=date(2026, 11, 28),
                                    present_member_ids=present, now=evening_in_mexico)
    assert session.held_on == date(2026, 11, 28)
