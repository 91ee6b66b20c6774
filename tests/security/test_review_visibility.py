"""One rule for who reads technical reviews, on the pages, in the API and for the site-visit photos.

Drafts: only their author, coordination and audit. Submitted reviews: the group reads the verdict;
the proposal's other staff readers (secretary, finance, the other reviewers, Committee members) the
verdict, adjusted cost and photos; internal notes only the author, coordination and audit.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import StaffRole
from committees.services import committee_set, member_add
from proposals import services
from proposals.models import CHECKLIST, Proposal, TechnicalReview
from proposals.workflow import ProposalState
from tests.factories import UserFactory, complete_proposal, jpeg_bytes, make_open_call, upload

DRAFT_NOTE, SUBMITTED_NOTE = "NOTA-INTERNA-BORRADOR", "NOTA-INTERNA-ENTREGADA"
DRAFT_COST, SUBMITTED_COST = "1234567.89", "987654.32"


@pytest.fixture
def reviewed(db, group, applicant, staff):
    """A proposal in review: reviewer A has a draft, reviewer B has submitted; each with a photo."""
    coordinator = staff[StaffRole.COORDINATOR]
    call = make_open_call()
    proposal = complete_proposal(services.proposal_create(actor=applicant, call=call, group=group, title="P"),
                                 applicant)
    services.proposal_transition(actor=applicant, proposal_id=proposal.pk, action="submit")
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalState.IN_REVIEW)
    first, second = staff[StaffRole.TECHNICAL_REVIEWER], UserFactory(roles=[StaffRole.TECHNICAL_REVIEWER])
    services.reviewers_assign(actor=coordinator, proposal_ids=[proposal.pk], reviewer=first)
    services.reviewers_assign(actor=coordinator, proposal_ids=[proposal.pk], reviewer=second)
    services.review_save(actor=first, proposal_id=proposal.pk, data={
        "internal_notes": DRAFT_NOTE, "adjusted_cost": Decimal(DRAFT_COST), "result": "not_feasible",
        "reasons": "MOTIVO-BORRADOR"})
    draft_photo = services.review_photo_add(actor=first, proposal_id=proposal.pk,
                                            upload=upload("borrador.jpg", jpeg_bytes()))
    submitted_photo = services.review_photo_add(actor=second, proposal_id=proposal.pk,
                                                upload=upload("entregada.jpg", jpeg_bytes()))
    services.review_save(actor=second, proposal_id=proposal.pk, submit=True, data={
        "checklist": {code: {"answer": "yes", "note": "NOTA-CUESTIONARIO"} for code in CHECKLIST},
        "result": "feasible_with_observations", "observations": "OBSERVACION-ENTREGADA",
        "internal_notes": SUBMITTED_NOTE, "adjusted_cost": Decimal(SUBMITTED_COST)})
    return {"proposal": proposal, "first": first, "second": second, "draft_photo": draft_photo,
            "submitted_photo": submitted_photo, "call": call}


def seat_committee_member(reviewed, staff):
    """Committee members read the proposal once it is before the Committee."""
    coordinator = staff[StaffRole.COORDINATOR]
    committee = committee_set(actor=coordinator, call=reviewed["call"], secretary=staff[StaffRole.COMMITTEE_SECRETARY])
    member_add(actor=coordinator, committee=committee, email=staff[StaffRole.COMMITTEE_MEMBER].email,
               full_name="Integrante", sector="academia", institution="UNAM")
    Proposal.objects.filter(pk=reviewed["proposal"].pk).update(status=ProposalState.SHORTLISTED)
    return staff[StaffRole.COMMITTEE_MEMBER]


def panel(client, user, proposal):
    client.force_login(user)
    response = client.get(reverse("proposals:proposal_detail", args=[proposal.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", [StaffRole.FINANCE_OFFICER, StaffRole.COMMITTEE_SECRETARY, "second_reviewer",
                                  StaffRole.COMMITTEE_MEMBER])
def test_other_staff_never_see_a_draft_or_internal_notes_in_the_panel(client, reviewed, staff, role):
    if role == StaffRole.COMMITTEE_MEMBER:
        user = seat_committee_member(reviewed, staff)
    else:
        user = reviewed["second"] if role == "second_reviewer" else staff[role]
    html = panel(client, user, reviewed["proposal"])
    assert DRAFT_NOTE not in html and "1234567.89" not in html and "MOTIVO-BORRADOR" not in html
    assert "NOTA-CUESTIONARIO" not in html
    assert "OBSERVACION-ENTREGADA" in html and "987654.32" in html  # the submitted verdict
    if role == "second_reviewer":
        assert SUBMITTED_NOTE in html  # their own review, in full
    else:
        assert SUBMITTED_NOTE not in html


@pytest.mark.parametrize("role", [StaffRole.COORDINATOR, StaffRole.AUDITOR])
def test_coordination_and_audit_see_every_review_in_full(client, reviewed, staff, role):
    html = panel(client, staff[role], reviewed["proposal"])
    assert DRAFT_NOTE in html and "1234567.89" in html and SUBMITTED_NOTE in html


def test_the_author_sees_their_own_draft_and_only_the_verdict_of_the_other(client, reviewed):
    html = panel(client, reviewed["first"], reviewed["proposal"])
    assert DRAFT_NOTE in html and "1234567.89" in html
    assert SUBMITTED_NOTE not in html and "OBSERVACION-ENTREGADA" in html


def test_the_group_reads_only_the_submitted_verdict(client, reviewed, applicant):
    html = panel(client, applicant, reviewed["proposal"])
    assert "OBSERVACION-ENTREGADA" in html
    for secret in (DRAFT_NOTE, SUBMITTED_NOTE, "MOTIVO-BORRADOR", "987654.32", "1234567.89"):
        assert secret not in html


def photo_status(client, user, proposal, photo):
    client.logout()
    client.force_login(user)
    return client.get(reverse("proposals:review_photo_file", args=[proposal.pk, photo.pk])).status_code


def test_site_visit_photos_follow_the_review(client, reviewed, staff, applicant):
    proposal, draft_photo, submitted_photo = reviewed["proposal"], reviewed["draft_photo"], reviewed["submitted_photo"]
    draft_readers = {staff[StaffRole.COORDINATOR], staff[StaffRole.AUDITOR], reviewed["first"]}
    for user in [*draft_readers, reviewed["second"], staff[StaffRole.FINANCE_OFFICER],
                 staff[StaffRole.COMMITTEE_SECRETARY], applicant]:
        assert photo_status(client, user, proposal, draft_photo) == (200 if user in draft_readers else 404), user
    for user in [*draft_readers, reviewed["second"], staff[StaffRole.FINANCE_OFFICER],
                 staff[StaffRole.COMMITTEE_SECRETARY]]:
        assert photo_status(client, user, proposal, submitted_photo) == 200, user
    assert photo_status(client, applicant, proposal, submitted_photo) == 404
    assert photo_status(client, staff[StaffRole.COMMITTEE_MEMBER], proposal, submitted_photo) == 404
    member = seat_committee_member(reviewed, staff)
    assert photo_status(client, member, proposal, submitted_photo) == 200
    assert photo_status(client, member, proposal, draft_photo) == 404


def api_reviews(user, proposal):
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(f"/api/v1/proposals/{proposal.pk}/reviews/")
    assert response.status_code == 200
    return response.json()


def test_the_api_applies_the_same_rule(reviewed, staff, applicant):
    proposal = reviewed["proposal"]
    full = api_reviews(staff[StaffRole.COORDINATOR], proposal)
    assert {r["internal_notes"] for r in full} == {DRAFT_NOTE, SUBMITTED_NOTE}
    finance = api_reviews(staff[StaffRole.FINANCE_OFFICER], proposal)
    assert len(finance) == 1 and finance[0]["adjusted_cost"] == SUBMITTED_COST
    assert "internal_notes" not in finance[0] and "checklist" not in finance[0]
    first = api_reviews(reviewed["first"], proposal)
    assert {r["status"]: r.get("internal_notes") for r in first} == {"draft": DRAFT_NOTE, "submitted": None}
    second = api_reviews(reviewed["second"], proposal)
    assert [r["internal_notes"] for r in second] == [SUBMITTED_NOTE]
    group = api_reviews(applicant, proposal)
    assert group == [{"result": "feasible_with_observations", "observations": "OBSERVACION-ENTREGADA",
                      "reasons": "", "submitted_at": group[0]["submitted_at"]}]


def test_the_queryset_is_the_rule(reviewed, staff, applicant):
    def statuses(user):
        return sorted(TechnicalReview.objects.visible_to(user).values_list("status", flat=True))

    assert statuses(staff[StaffRole.AUDITOR]) == ["draft", "submitted"]
    assert statuses(reviewed["first"]) == ["draft", "submitted"]
    assert statuses(reviewed["second"]) == ["submitted"]
    assert statuses(staff[StaffRole.FINANCE_OFFICER]) == ["submitted"]
    assert statuses(applicant) == ["submitted"]
    assert statuses(staff[StaffRole.COMMITTEE_MEMBER]) == []  # not before the Committee yet
    assert statuses(UserFactory(roles=[StaffRole.TECHNICAL_REVIEWER])) == []  # not assigned
