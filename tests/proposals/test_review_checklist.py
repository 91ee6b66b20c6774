"""The feasibility checklist: one fieldset and legend per question; the submitted review reads as text."""

import re

import pytest
from django.urls import reverse

from proposals import services
from proposals.models import CHECKLIST
from tests.factories import UserFactory, complete_proposal


@pytest.fixture
def in_review(draft, applicant):
    coordinator, reviewer = UserFactory(roles=["coordinator"]), UserFactory(roles=["technical_reviewer"])
    complete_proposal(draft, applicant)
    services.proposal_transition(actor=applicant, proposal_id=draft.pk, action="submit")
    services.proposal_transition(actor=coordinator, proposal_id=draft.pk, action="accept")
    draft.call.assembly_before_review = False
    draft.call.save(update_fields=["assembly_before_review"])
    services.reviewers_assign(actor=coordinator, proposal_ids=[draft.pk], reviewer=reviewer)
    return draft, reviewer


def test_each_question_is_a_fieldset_with_its_legend(client, in_review):
    proposal, reviewer = in_review
    client.force_login(reviewer)
    html = client.get(reverse("proposals:review_edit", args=[proposal.pk])).content.decode()
    for question in CHECKLIST.values():
        fieldset = re.search(r'<fieldset class="checklist-item">\s*<legend>' + re.escape(str(question)) +
                             r'</legend>(.*?)</fieldset>', html, re.S)
        assert fieldset, question
        assert fieldset.group(1).count('type="radio"') == 3


def test_the_submitted_review_shows_each_answer_in_words(client, in_review):
    proposal, reviewer = in_review
    checklist = {code: {"answer": "yes", "note": ""} for code in CHECKLIST}
    checklist["not_risk_zone"] = {"answer": "no", "note": "Ladera con grietas"}
    checklist["no_duplication"] = {"answer": "na", "note": ""}
    services.review_save(actor=reviewer, proposal_id=proposal.pk, submit=True, data={
        "checklist": checklist, "result": "not_feasible", "reasons": "Zona de riesgo"})
    client.force_login(reviewer)
    html = client.get(reverse("proposals:review_edit", args=[proposal.pk])).content.decode()
    assert 'type="radio"' not in html
    assert re.search(r"<dt>No está en zona de riesgo</dt><dd><strong>No</strong> — Ladera con grietas</dd>", html)
    assert re.search(r"<dt>No duplica otros programas</dt><dd><strong>No aplica</strong>", html)
    assert re.search(r"<dt>El predio es público</dt><dd><strong>Sí</strong>", html)
