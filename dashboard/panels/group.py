"""The community group's panel: drafts to finish before registration closes, returned proposals to
correct (with the reason and deadline), upcoming assemblies, and the calls open to propose."""

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import Membership
from accounts.roles import is_staff_member
from dashboard.panels.base import Panel, first
from proposals.models import Assembly, Call, Proposal, ProposalEvent
from proposals.models.review import AssemblyStatus
from proposals.workflow import ProposalAction, ProposalState

# Sent and not decided yet: what "siguen su proceso" counts (drafts and returned ones are listed apart).
IN_PROCESS = [ProposalState.SUBMITTED, ProposalState.ELIGIBLE, ProposalState.ASSEMBLY_SCHEDULED,
              ProposalState.ASSEMBLY_APPROVED, ProposalState.IN_REVIEW, ProposalState.FEASIBLE,
              ProposalState.SHORTLISTED]


def applies(user, roles) -> bool:
    # Staff see it only if they also belong to a group; everyone else sees it (empty, it says what to do).
    return not roles or Membership.objects.filter(user=user).exists()


def build(user, today) -> dict:
    mine = Proposal.objects.visible_to(user).filter(
        group_id__in=Membership.objects.filter(user=user).values("group_id"))
    drafts = first(mine.filter(status=ProposalState.DRAFT).select_related("call", "group")
                   .order_by("call__registration_closes_on", "id"))
    returns = Prefetch("events", to_attr="return_events",
                       queryset=ProposalEvent.objects.filter(action=ProposalAction.RETURN).order_by("-created_at"))
    returned = first(mine.filter(status=ProposalState.RETURNED).select_related("group")
                     .prefetch_related(returns).order_by("correction_deadline", "id"))
    for proposal in returned[0]:
        proposal.return_reason = proposal.return_events[0].note if proposal.return_events else ""
    assemblies = first(Assembly.objects.filter(proposal__in=mine, status=AssemblyStatus.SCHEDULED,
                                               scheduled_at__gte=timezone.now())
                       .select_related("proposal").order_by("scheduled_at", "id"))
    in_process = mine.filter(status__in=IN_PROCESS).count()
    return {
        "groups": list(Membership.objects.filter(user=user).select_related("group").order_by("group__name")),
        "drafts": drafts, "returned": returned, "assemblies": assemblies,
        "in_process": in_process,
        "open_calls": list(Call.objects.visible_to(user).open_for_registration().order_by("registration_closes_on")),
        "is_staff": is_staff_member(user),
    }


PANEL = Panel(key="group", template="dashboard/panels/group.html", applies=applies, build=build)
