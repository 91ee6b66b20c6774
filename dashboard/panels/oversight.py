"""Finance's and the auditor's panels: the selected proposals and results, and the funded projects in
figures (how many, how much approved and released) with the way to their list."""

from django.db.models import Count, Sum

from accounts.roles import StaffRole
from dashboard.panels.base import Panel
from projects.models import Project
from proposals.models import Call, Proposal
from proposals.workflow import CallState, ProposalState


def funded(user) -> dict:
    """The funded projects this person reads, in figures: one query whatever their number."""
    return Project.objects.visible_to(user).aggregate(projects=Count("pk"), approved=Sum("approved_amount"),
                                                      released=Sum("released_total"))


def finance_applies(user, roles) -> bool:
    return StaffRole.FINANCE_OFFICER in roles


def finance_build(user, today) -> dict:
    selected = Proposal.objects.visible_to(user).filter(status=ProposalState.SELECTED)
    return {"selected": selected.count(), "funded": funded(user),
            "results": list(Call.objects.visible_to(user).filter(status__in=[CallState.RESULTS_PUBLISHED,
                                                                             CallState.ARCHIVED])
                            .order_by("-fiscal_year")[:3])}


def auditor_applies(user, roles) -> bool:
    return StaffRole.AUDITOR in roles


def auditor_build(user, today) -> dict:
    submitted = Proposal.objects.visible_to(user).exclude(status=ProposalState.DRAFT)
    per_call = dict(submitted.values_list("call_id").annotate(n=Count("id")).order_by())
    calls = list(Call.objects.visible_to(user).order_by("-fiscal_year")[:5])
    for call in calls:
        call.submitted = per_call.get(call.pk, 0)
    return {"calls": calls, "submitted": sum(per_call.values()), "funded": funded(user)}


FINANCE_PANEL = Panel(key="finance", template="dashboard/panels/finance.html", applies=finance_applies,
                      build=finance_build)
AUDITOR_PANEL = Panel(key="auditor", template="dashboard/panels/auditor.html", applies=auditor_applies,
                      build=auditor_build)
