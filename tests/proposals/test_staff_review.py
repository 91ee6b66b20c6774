from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from nicp.errors import TransitionNotAllowed
from proposals import services
from proposals.models import CHECKLIST, AssemblyStatus, Call, Proposal, TechnicalReview
from proposals.models.calls import MEXICO_CITY
from proposals.workflow import ProposalState
from tests.factories import PDF_BYTES, UserFactory, complete_proposal, upload


@pytest.fixture
def coordinator(db):
    return UserFactory(roles=["coordinator"])


@pytest.fixture
def reviewer(db):
    return UserFactory(roles=["technical_reviewer"])


@pytest.fixture
def submitted(draft, applicant):
    complete_proposal(draft, applicant)
    return services.proposal_transition(actor=applicant, proposal_id=draft.pk, action="submit")


def act(actor, proposal, action, **kwargs):
    return services.proposal_transition(actor=actor, proposal_id=proposal.pk, action=action, **kwargs)


def today():
    return datetime.now(MEXICO_CITY).date()


def test_return_needs_a_deadline_and_the_group_resubmits_until_that_day(submitted, applicant, coordinator):
    with pytest.raises(ValidationError) as error:
        act(coordinator, submitted, "return", note="Falta la constancia")
    assert "correction_deadline" in error.value.message_dict
    deadline = today() + timedelta(days=2)
    act(coordinator, submitted, "return", note="Falta la constancia", correction_deadline=deadline)
    last_second = datetime(deadline.year, deadline.month, deadline.day, 23, 59, 59, tzinfo=MEXICO_CITY)
    with time_machine.travel(last_second + timedelta(seconds=1), tick=False), \
            pytest.raises(ValidationError, match="venció"):
        act(applicant, submitted, "resubmit")
    with time_machine.travel(last_second, tick=False):
        assert act(applicant, submitted, "resubmit").status == ProposalState.SUBMITTED


def test_staff_decide_after_the_deadline(submitted, coordinator):
    act(coordinator, submitted, "return", note="Corrige", correction_deadline=today())
    assert act(coordinator, submitted, "accept").status == ProposalState.ELIGIBLE


def test_rejection_needs_a_reason_from_the_list(submitted, coordinator):
    with pytest.raises(ValidationError) as error:
        act(coordinator, submitted, "reject_ineligible", note="No cumple")
    assert "reason_code" in error.value.message_dict
    rejected = act(coordinator, submitted, "reject_ineligible", note="Pavimentación", reason_code="excluded_work")
    assert (rejected.status, rejected.ineligibility_reason) == (ProposalState.INELIGIBLE, "excluded_work")


def test_batch_accept_reports_each_result(call, group, applicant, coordinator, submitted):
    other = services.proposal_create(actor=applicant, call=call, group=group, title="Borrador")
    results = services.proposals_batch(actor=coordinator, proposal_ids=[submitted.pk, other.pk, 999999],
                                       action="accept")
    assert [r.ok for r in results] == [True, False, False]
    assert Proposal.objects.get(pk=submitted.pk).status == ProposalState.ELIGIBLE


def test_only_coordinators_apply_staff_actions(submitted):
    with pytest.raises(PermissionDenied):
        act(UserFactory(roles=["auditor"]), submitted, "accept")


def test_internal_comments_are_for_staff(submitted, applicant, coordinator):
    services.staff_comment_add(actor=coordinator, proposal_id=submitted.pk, body="Revisar el predio")
    with pytest.raises(PermissionDenied):
        services.staff_comment_add(actor=applicant, proposal_id=submitted.pk, body="Hola")


@pytest.fixture
def eligible(submitted, coordinator):
    return act(coordinator, submitted, "accept")


def schedule(coordinator, proposal):
    return services.assembly_schedule(actor=coordinator, proposal_id=proposal.pk,
                                      scheduled_at=timezone.now() + timedelta(days=3), place="Plaza",
                                      convened_by="Comité vecinal")


def record(coordinator, assembly, **counts):
    values = {"attendees": 40, "votes_for": 30, "votes_against": 5, "abstentions": 5} | counts
    return services.assembly_record(actor=coordinator, assembly_id=assembly.pk,
                                    minutes=upload("acta.pdf", PDF_BYTES),
                                    now=assembly.scheduled_at + timedelta(hours=2), **values)


def test_assembly_approves_by_majority(eligible, coordinator):
    assembly = schedule(coordinator, eligible)
    assert Proposal.objects.get(pk=eligible.pk).status == ProposalState.ASSEMBLY_SCHEDULED
    assert assembly.quorum_required == eligible.call.assembly_quorum
    recorded = record(coordinator, assembly)
    assert recorded.status == AssemblyStatus.APPROVED
    assert Proposal.objects.get(pk=eligible.pk).status == ProposalState.ASSEMBLY_APPROVED


def test_assembly_rejects_when_against_wins(eligible, coordinator):
    record(coordinator, schedule(coordinator, eligible), votes_for=10, votes_against=20, abstentions=2)
    assert Proposal.objects.get(pk=eligible.pk).status == ProposalState.ASSEMBLY_REJECTED


def test_without_quorum_it_is_recorded_and_rescheduled(eligible, coordinator):
    first = schedule(coordinator, eligible)
    with pytest.raises(ValidationError, match="Ya hay una asamblea programada"):
        schedule(coordinator, eligible)
    recorded = record(coordinator, first, attendees=12, votes_for=10, votes_against=1, abstentions=1)
    assert recorded.status == AssemblyStatus.NO_QUORUM
    assert Proposal.objects.get(pk=eligible.pk).status == ProposalState.ASSEMBLY_SCHEDULED
    second = schedule(coordinator, eligible)
    record(coordinator, second)
    assert Proposal.objects.get(pk=eligible.pk).status == ProposalState.ASSEMBLY_APPROVED
    assert list(eligible.events.values_list("action", flat=True))[-3:] == [
        "assembly_no_quorum", "reschedule_assembly", "approve_in_assembly"]


@pytest.mark.parametrize("counts", [
    {"votes_for": 30, "votes_against": 10, "abstentions": 5},  # 45 votes, 40 people
    {"attendees": -1},
])
def test_inconsistent_assembly_numbers_are_refused(eligible, coordinator, counts):
    assembly = schedule(coordinator, eligible)
    with pytest.raises(ValidationError):
        record(coordinator, assembly, **counts)
    assembly.refresh_from_db()
    assert assembly.status == AssemblyStatus.SCHEDULED and assembly.attendees is None


def test_the_minutes_are_required(eligible, coordinator):
    assembly = schedule(coordinator, eligible)
    with pytest.raises(ValidationError, match="acta"):
        services.assembly_record(actor=coordinator, assembly_id=assembly.pk, attendees=40, votes_for=30,
                                 votes_against=5, abstentions=5, now=assembly.scheduled_at)


@pytest.fixture
def approved(eligible, coordinator):
    record(coordinator, schedule(coordinator, eligible))
    return Proposal.objects.get(pk=eligible.pk)


def full_review(result="feasible", **extra):
    return {"checklist": {code: {"answer": "yes", "note": ""} for code in CHECKLIST}, "result": result,
            "adjusted_cost": "950000.00", **extra}


def test_reviewers_see_only_what_is_assigned_to_them(approved, coordinator, reviewer, client):
    with pytest.raises(Http404):
        services.review_save(actor=reviewer, proposal_id=approved.pk, data={})
    client.force_login(reviewer)
    attachment = approved.attachments.first()
    assert client.get(f"/propuestas/{approved.pk}/").status_code == 404
    assert client.get(f"/propuestas/{approved.pk}/anexos/{attachment.pk}/").status_code == 404
    services.reviewers_assign(actor=coordinator, proposal_ids=[approved.pk], reviewer=reviewer)
    assert client.get(f"/propuestas/{approved.pk}/anexos/{attachment.pk}/").status_code == 200
    assert Proposal.objects.get(pk=approved.pk).status == ProposalState.IN_REVIEW


def test_review_drafts_then_a_final_submission_moves_the_proposal(approved, coordinator, reviewer):
    services.reviewers_assign(actor=coordinator, proposal_ids=[approved.pk], reviewer=reviewer)
    services.review_save(actor=reviewer, proposal_id=approved.pk, data={"internal_notes": "Visitar el lunes"})
    with pytest.raises(ValidationError) as error:
        services.review_save(actor=reviewer, proposal_id=approved.pk, data={"result": "feasible"}, submit=True)
    assert "checklist" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.review_save(actor=reviewer, proposal_id=approved.pk,
                             data=full_review("feasible_with_observations"), submit=True)
    assert "observations" in error.value.message_dict
    services.review_save(actor=reviewer, proposal_id=approved.pk,
                         data=full_review("feasible_with_observations", observations="Cambiar luminarias"),
                         submit=True)
    assert Proposal.objects.get(pk=approved.pk).status == ProposalState.FEASIBLE
    with pytest.raises(ValidationError, match="ya fue entregado"):
        services.review_save(actor=reviewer, proposal_id=approved.pk, data={"result": "not_feasible"})


def test_it_waits_for_every_assigned_review_and_one_not_feasible_decides(approved, coordinator, reviewer):
    second = UserFactory(roles=["technical_reviewer"])
    services.reviewers_assign(actor=coordinator, proposal_ids=[approved.pk], reviewer=reviewer)
    services.reviewers_assign(actor=coordinator, proposal_ids=[approved.pk], reviewer=second)
    services.review_save(actor=reviewer, proposal_id=approved.pk, data=full_review(), submit=True)
    assert Proposal.objects.get(pk=approved.pk).status == ProposalState.IN_REVIEW
    with pytest.raises(ValidationError) as error:
        services.review_save(actor=second, proposal_id=approved.pk, data=full_review("not_feasible"), submit=True)
    assert "reasons" in error.value.message_dict
    services.review_save(actor=second, proposal_id=approved.pk,
                         data=full_review("not_feasible", reasons="Zona de riesgo por deslave"), submit=True)
    proposal = Proposal.objects.get(pk=approved.pk)
    assert proposal.status == ProposalState.NOT_FEASIBLE
    assert "deslave" in proposal.events.last().note


def test_a_coordinator_reopens_a_review_on_the_record(approved, coordinator, reviewer):
    services.reviewers_assign(actor=coordinator, proposal_ids=[approved.pk], reviewer=reviewer)
    review = services.review_save(actor=reviewer, proposal_id=approved.pk, data=full_review(), submit=True)
    with pytest.raises(ValidationError):
        services.review_reopen(actor=coordinator, review_id=review.pk, note=" ")
    services.review_reopen(actor=coordinator, review_id=review.pk, note="Falta la visita")
    assert TechnicalReview.objects.get(pk=review.pk).status == TechnicalReview.Status.DRAFT
    proposal = Proposal.objects.get(pk=approved.pk)
    assert proposal.status == ProposalState.IN_REVIEW
    assert proposal.events.last().note == "Falta la visita"


def test_a_call_that_reviews_first_then_holds_the_assembly(submitted, coordinator, reviewer):
    Call.objects.filter(pk=submitted.call_id).update(assembly_before_review=False)
    eligible = act(coordinator, submitted, "accept")
    with pytest.raises(TransitionNotAllowed, match="dictamen técnico va antes"):
        schedule(coordinator, eligible)
    services.reviewers_assign(actor=coordinator, proposal_ids=[eligible.pk], reviewer=reviewer)
    assert Proposal.objects.get(pk=eligible.pk).status == ProposalState.IN_REVIEW
    services.review_save(actor=reviewer, proposal_id=eligible.pk, data=full_review(), submit=True)
    record(coordinator, schedule(coordinator, eligible))
    assert act(coordinator, eligible, "shortlist").status == ProposalState.SHORTLISTED


def test_assigning_needs_a_reviewer_role(submitted, coordinator):
    with pytest.raises(ValidationError):
        services.reviewers_assign(actor=coordinator, proposal_ids=[submitted.pk], reviewer=UserFactory())
