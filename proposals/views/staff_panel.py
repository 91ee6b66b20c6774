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
from proposals.models import AssemblyStatus, Proposal, TechnicalReview
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


# The parts of a review the panel can show, each behind the field of permissions.review_fields_for it needs.
SHOWN_REVIEW_FIELDS = ("adjusted_cost", "site_visit_on", "observations", "reasons", "internal_notes")


def review_as_seen(user, review: TechnicalReview) -> dict:
    """A review with only what this reader may see of it; everything else is None (or no photos)."""
    fields = permissions.review_fields_for(user, review)
    return {
        "pk": review.pk, "status": review.status, "status_label": review.get_status_display(),
        "result_label": review.get_result_display() if review.result else "",
        "reviewer": (review.reviewer.full_name or review.reviewer.email) if "reviewer" in fields else None,
        "photos": list(review.photos.all()) if "photos" in fields else [],
        **{name: getattr(review, name) if name in fields else None for name in SHOWN_REVIEW_FIELDS},
    }


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
        "reviews": [review_as_seen(user, review) for review in TechnicalReview.objects.visible_to(user)
                    .filter(proposal=proposal).select_related("reviewer").prefetch_related("photos")],
        "assign_form": ReviewerAssignForm(actor=user) if coordinator else None,
        "pending_assembly": pending_assembly,
        "schedule_form": AssemblyScheduleForm() if can_schedule else None,
        "record_form": AssemblyRecordForm() if coordinator and pending_assembly else None,
    }
