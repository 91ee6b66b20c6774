"""What the staff panel of a proposal page shows, and the forms it offers to whom."""

from datetime import timedelta

from django.utils import timezone

from proposals import permissions
from proposals.forms import (
    AssemblyRecordForm,
    AssemblyScheduleForm,
    CommentForm,
    ReviewerAssignForm,
    StaffActionForm,
)
from proposals.models import AssemblyStatus, Proposal
from proposals.models.calls import MEXICO_CITY
from proposals.workflow import (
    GROUP_ACTIONS,
    ORDER_DEPENDENT,
    PROPOSAL_TRANSITIONS,
    SYSTEM_ACTIONS,
    ProposalAction,
    ProposalState,
)


def staff_actions(proposal: Proposal) -> list[tuple[str, str]]:
    """The coordinator's plain actions available now (outcomes have their own forms)."""
    available = []
    for (state, action), _target in PROPOSAL_TRANSITIONS.items():
        if state != proposal.status or action in GROUP_ACTIONS or action in SYSTEM_ACTIONS:
            continue
        order = ORDER_DEPENDENT.get((state, action))
        if order is not None and order != proposal.call.assembly_before_review:
            continue
        available.append((action, ProposalAction(action).label))
    return available


def staff_panel_context(user, proposal: Proposal) -> dict:
    coordinator = permissions.is_coordinator(user)
    assemblies = list(proposal.assemblies.all())
    pending_assembly = next((a for a in assemblies if a.status == AssemblyStatus.SCHEDULED), None)
    can_schedule = coordinator and pending_assembly is None and (
        (proposal.status == ProposalState.ELIGIBLE and proposal.call.assembly_before_review)
        or (proposal.status == ProposalState.FEASIBLE and not proposal.call.assembly_before_review)
        or proposal.status == ProposalState.ASSEMBLY_SCHEDULED)
    today = timezone.now().astimezone(MEXICO_CITY).date()
    return {
        "is_staff_view": True,
        "is_coordinator": coordinator,
        "staff_actions": staff_actions(proposal) if coordinator else [],
        "staff_action_form": StaffActionForm(initial={"version": proposal.version,
                                                     "correction_deadline": today + timedelta(days=10)}),
        "comments": proposal.staff_comments.select_related("author"),
        "comment_form": CommentForm(),
        "assignments": proposal.review_assignments.select_related("reviewer"),
        "reviews": proposal.technical_reviews.select_related("reviewer"),
        "assign_form": ReviewerAssignForm(actor=user) if coordinator else None,
        "pending_assembly": pending_assembly,
        "schedule_form": AssemblyScheduleForm() if can_schedule else None,
        "record_form": AssemblyRecordForm() if coordinator and pending_assembly else None,
    }
