"""The technical reviewer's panel: the reviews assigned to them that are not submitted yet, with the
call's review deadline."""

from django.db.models import Exists, OuterRef

from accounts.roles import StaffRole
from dashboard.panels.base import Panel, first
from proposals.models import Proposal, ReviewAssignment, TechnicalReview
from proposals.workflow import ProposalState


def applies(user, roles) -> bool:
    return StaffRole.TECHNICAL_REVIEWER in roles


def build(user, today) -> dict:
    assigned = Proposal.objects.visible_to(user).filter(
        Exists(ReviewAssignment.objects.filter(proposal=OuterRef("pk"), reviewer=user)))
    submitted = TechnicalReview.objects.filter(proposal=OuterRef("pk"), reviewer=user,
                                               status=TechnicalReview.Status.SUBMITTED)
    started = TechnicalReview.objects.filter(proposal=OuterRef("pk"), reviewer=user)
    pending = (assigned.filter(status=ProposalState.IN_REVIEW).exclude(Exists(submitted))
               .annotate(started=Exists(started)).select_related("call", "neighbourhood")
               .order_by("call__technical_review_deadline", "submitted_at", "id"))
    return {"pending": first(pending), "done": assigned.filter(Exists(submitted)).count()}


PANEL = Panel(key="reviewer", template="dashboard/panels/reviewer.html", applies=applies, build=build)
