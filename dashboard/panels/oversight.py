"""Finance's and the auditor's panels: what exists today. Funded projects (agreements, tranches,
expenses) come with a later part of the programme, and will add their own panels here."""

from django.db.models import Count

from accounts.roles import StaffRole
from dashboard.panels.base import Panel
from proposals.models import Call, Proposal
from proposals.workflow import CallState, ProposalState


def finance_applies(user, roles) -> bool:
    return StaffRole.FINANCE_OFFICER in roles


def finance_build(user, today) -> dict:
    selected = Proposal.objects.visible_to(user).filter(status=ProposalState.SELECTED)
    return {"selected": selected.count(),
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
    return {"calls": calls, "submitted": sum(per_call.values())}


FINANCE_PANEL = Panel(key="finance", template="dashboard/panels/finance.html", applies=finance_applies,
                      build=finance_build)
AUDITOR_PANEL = Panel(key="auditor", template="dashboard/panels/auditor.html", applies=auditor_applies,
                      build=auditor_build)
