"""Coordination's panel: the queue by state, and what is overdue (correction deadlines passed with no
decision, assemblies past their date with no outcome, reviews past the call's deadline, proposals
approved in assembly that still have no reviewer)."""

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from accounts.roles import StaffRole
from dashboard.panels.base import Panel, first
from proposals.models import Assembly, Proposal, ReviewAssignment
from proposals.models.review import AssemblyStatus
from proposals.workflow import ProposalState

# The states in which a proposal waits for coordination (or for someone coordination follows up).
QUEUE_STATES = [ProposalState.SUBMITTED, ProposalState.RETURNED, ProposalState.ELIGIBLE,
                ProposalState.ASSEMBLY_SCHEDULED, ProposalState.ASSEMBLY_APPROVED, ProposalState.IN_REVIEW,
                ProposalState.FEASIBLE, ProposalState.SHORTLISTED]


def applies(user, roles) -> bool:
    return StaffRole.COORDINATOR in roles


def build(user, today) -> dict:
    visible = Proposal.objects.visible_to(user)
    counts = dict(visible.filter(status__in=QUEUE_STATES).values_list("status").annotate(n=Count("id"))
                  .order_by())
    queue = [(state, ProposalState(state).label, counts.get(state, 0)) for state in QUEUE_STATES]
    late_corrections = visible.filter(status=ProposalState.RETURNED, correction_deadline__lt=today)
    late_assemblies = Assembly.objects.filter(proposal__in=visible, status=AssemblyStatus.SCHEDULED,
                                              scheduled_at__lt=timezone.now())
    late_reviews = visible.filter(status=ProposalState.IN_REVIEW, call__technical_review_deadline__lt=today)
    unassigned = visible.filter(status=ProposalState.ASSEMBLY_APPROVED, call__assembly_before_review=True).exclude(
        Exists(ReviewAssignment.objects.filter(proposal=OuterRef("pk"))))
    overdue = {
        "corrections": first(late_corrections.select_related("group").order_by("correction_deadline", "id")),
        "assemblies": first(late_assemblies.select_related("proposal").order_by("scheduled_at", "id")),
        "reviews": first(late_reviews.select_related("call").order_by("call__technical_review_deadline", "id")),
        "unassigned": first(unassigned.order_by("updated_at", "id")),
    }
    return {"queue": queue, "queue_total": sum(counts.values()), "overdue": overdue,
            "overdue_total": sum(total for _items, total in overdue.values())}


PANEL = Panel(key="coordinator", template="dashboard/panels/coordinator.html", applies=applies, build=build)
