"""The group's and the reviewer's irreversible actions go through the confirmation pattern (nicp.confirm):
refused without the checkbox (nothing changes, the error sits next to it), done with it."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from proposals import services
from proposals.models import CHECKLIST, Call, Proposal, TechnicalReview
from proposals.workflow import ProposalState
from tests.factories import UserFactory, complete_proposal

CHECKBOX_ERROR = re.compile(r'<ul class="errorlist" id="id_[a-z_]*confirm_error"><li>Marca la casilla para confirmar')


def action(client, proposal, code, **extra):
    return client.post(reverse("proposals:proposal_action", args=[proposal.pk]),
                       {"action": code, "version": proposal.version, **extra})


@pytest.fixture
def complete(draft, applicant):
    complete_proposal(draft, applicant)
    return Proposal.objects.get(pk=draft.pk)


def test_submitting_without_confirming_changes_nothing_and_asks_again(client, complete, applicant):
    client.force_login(applicant)
    page = client.get(reverse("proposals:proposal_review", args=[complete.pk])).content.decode()
    assert 'name="confirm"' in page and "Entiendo que al enviarla ya no podremos editarla" in page
    refused = action(client, complete, "submit")
    html = refused.content.decode()
    assert refused.status_code == 400 and CHECKBOX_ERROR.search(html)
    assert Proposal.objects.get(pk=complete.pk).status == ProposalState.DRAFT
    # The confirmation page keeps what was sent, so ticking the box is all that is left to do.
    assert 'name="action" value="submit"' in html and f'name="version" value="{complete.version}"' in html
    done = action(client, complete, "submit", confirm="on")
    assert done.status_code == 302 and Proposal.objects.get(pk=complete.pk).status == ProposalState.SUBMITTED


def test_withdrawing_needs_confirmation_and_looks_dangerous(client, complete, applicant):
    client.force_login(applicant)
    page = client.get(reverse("proposals:proposal_detail", args=[complete.pk])).content.decode()
    assert 'class="button danger">Retirar la propuesta' in page and "Entiendo que al retirar la propuesta" in page
    refused = action(client, complete, "withdraw", note="Ya no podemos")
    html = refused.content.decode()
    assert refused.status_code == 400 and CHECKBOX_ERROR.search(html) and 'value="Ya no podemos"' in html
    assert 'class="button danger"' in html and "No retirar, volver a la propuesta" in html
    assert Proposal.objects.get(pk=complete.pk).status == ProposalState.DRAFT
    action(client, complete, "withdraw", note="Ya no podemos", confirm="on")
    assert Proposal.objects.get(pk=complete.pk).status == ProposalState.WITHDRAWN


def test_the_api_asks_for_confirm_true_to_withdraw(complete, applicant):
    api = APIClient()
    api.force_authenticate(applicant)
    url = f"/api/v1/proposals/{complete.pk}/transitions/"
    refused = api.post(url, {"action": "withdraw"}, format="json")
    assert refused.status_code == 400 and "Marca la casilla para confirmar" in refused.json()["confirm"][0]
    assert Proposal.objects.get(pk=complete.pk).status == ProposalState.DRAFT
    assert api.post(url, {"action": "withdraw", "confirm": True}, format="json").status_code == 200
    assert Proposal.objects.get(pk=complete.pk).status == ProposalState.WITHDRAWN


def test_delivering_the_technical_review_needs_confirmation(client, complete, applicant):
    coordinator = UserFactory(roles=["coordinator"])
    reviewer = UserFactory(roles=["technical_reviewer"])
    Call.objects.filter(pk=complete.call_id).update(assembly_before_review=False)  # review comes first
    services.proposal_transition(actor=applicant, proposal_id=complete.pk, action="submit")
    services.proposal_transition(actor=coordinator, proposal_id=complete.pk, action="accept")
    services.reviewers_assign(actor=coordinator, proposal_ids=[complete.pk], reviewer=reviewer)
    client.force_login(reviewer)
    url = reverse("proposals:review_edit", args=[complete.pk])
    data = {f"answer_{code}": "yes" for code in CHECKLIST} | {"result": "feasible", "observations": "Bien"}
    refused = client.post(url, {**data, "submit": "1"})
    html = refused.content.decode()
    assert refused.status_code == 400 and CHECKBOX_ERROR.search(html)
    assert "Bien</textarea>" in html  # what was typed is kept
    assert not TechnicalReview.objects.filter(proposal=complete, status="submitted").exists()
    client.post(url, {**data, "save": "1"})  # a draft needs no confirmation
    assert TechnicalReview.objects.get(proposal=complete).status == "draft"
    review = TechnicalReview.objects.get(proposal=complete)
    done = client.post(url, {**data, "version": review.version, "submit": "1", "confirm": "on"})
    assert done.status_code == 302, re.findall(r"errorlist[^<]*<li>([^<]*)", done.content.decode())
    assert TechnicalReview.objects.get(proposal=complete).status == "submitted"
