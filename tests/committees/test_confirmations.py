"""The Committee's irreversible actions (submit scores, close the session, publish results) are refused
without their confirmation checkbox, change nothing, say why next to it; with it they are done."""

import re
from datetime import date

import pytest
from django.urls import reverse

from committees import services
from committees.models import ScoreSheet, Session
from proposals.workflow import CallState
from tests.committees.conftest import members, score_all

CHECKBOX_ERROR = re.compile(r'<ul class="errorlist" id="id_confirm_error"><li>Marca la casilla para confirmar')


@pytest.fixture
def voted_session(committee, shortlist):
    score_all(committee, shortlist)
    session = services.session_open(actor=committee.secretary, committee=committee, held_on=date.today(),
                                    present_member_ids=[m.pk for m in members(committee)])
    for member in members(committee):
        services.vote_cast(actor=member.user, session_id=session.pk, choice="for")
    return session


def test_submitting_scores_needs_confirmation_but_a_draft_does_not(client, committee, shortlist):
    member, proposal = members(committee)[0], shortlist[0]
    rubric = list(committee.call.rubric.all())
    values = {f"value_{c.pk}": "4" for c in rubric if not c.computed}
    client.force_login(member.user)
    url = reverse("committees:score", args=[committee.call_id, proposal.pk])
    refused = client.post(url, {**values, "submit": "1"})
    html = refused.content.decode()
    assert refused.status_code == 400 and CHECKBOX_ERROR.search(html)
    assert re.search(r'value="4"[^>]*checked', html)  # what was chosen is kept
    assert not ScoreSheet.objects.filter(member=member, proposal=proposal).exists()
    assert client.post(url, {**values, "save": "1"}).status_code == 302
    assert ScoreSheet.objects.get(member=member, proposal=proposal).status == ScoreSheet.Status.DRAFT
    sheet = ScoreSheet.objects.get(member=member, proposal=proposal)
    client.post(url, {**values, "version": sheet.version, "submit": "1", "confirm": "on"})
    assert ScoreSheet.objects.get(member=member, proposal=proposal).status == ScoreSheet.Status.SUBMITTED


def test_closing_the_session_needs_confirmation(client, committee, voted_session):
    client.force_login(committee.secretary)
    page = client.get(reverse("committees:session", args=[committee.call_id])).content.decode()
    assert "Entiendo que al cerrar la sesión la selección votada queda firme" in page
    url = reverse("committees:session_close", args=[committee.call_id])
    refused = client.post(url)
    assert refused.status_code == 400 and CHECKBOX_ERROR.search(refused.content.decode())
    assert Session.objects.get().status == Session.Status.OPEN
    client.post(url, {"confirm": "on"})
    assert Session.objects.get().status == Session.Status.CLOSED


def test_publishing_results_needs_confirmation(client, committee, voted_session, coordinator):
    services.session_close(actor=committee.secretary, session_id=voted_session.pk)
    client.force_login(coordinator)
    page = client.get(reverse("committees:home", args=[committee.call_id])).content.decode()
    assert "Entiendo que los resultados se publican para todo el público" in page
    url = reverse("committees:publish", args=[committee.call_id])
    refused = client.post(url)
    assert refused.status_code == 400 and CHECKBOX_ERROR.search(refused.content.decode())
    committee.call.refresh_from_db()
    assert committee.call.status != CallState.RESULTS_PUBLISHED
    assert client.post(url, {"confirm": "on"}).status_code == 302
    committee.call.refresh_from_db()
    assert committee.call.status == CallState.RESULTS_PUBLISHED
