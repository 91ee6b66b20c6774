"""Counts per table and a few sample ids of the dataset, for the benchmark and the operator."""

from django.db.models import Count

from accounts.models import CommunityGroup, User
from committees.models import ScoreSheet, SelectionEntry
from nicp.scale.seed_tag import GROUP_PREFIX, scale_people_filter
from projects.models import (
    Cfdi,
    CommitteeSeat,
    Expense,
    LogbookEntry,
    ProgressReport,
    Project,
    ProjectEvent,
    Tranche,
)
from proposals.models import Assembly, Attachment, BudgetLine, Proposal, ProposalEvent, TechnicalReview
from proposals.workflow import ProposalState

SAMPLES = ("proposal_many_lines", "proposal_submitted", "proposal_shortlisted", "project_many_expenses",
           "project_in_execution", "project_closed")


def counts(call_ids: list[int]) -> dict[str, int]:
    proposals = {"proposal__call__in": call_ids}
    projects = {"project__call__in": call_ids}
    return {
        "users": User.objects.filter(scale_people_filter()).count(),
        "groups": CommunityGroup.objects.filter(name__startswith=GROUP_PREFIX).count(),
        "proposals": Proposal.objects.filter(call__in=call_ids).count(),
        "proposal events": ProposalEvent.objects.filter(**proposals).count(),
        "budget lines": BudgetLine.objects.filter(**proposals).count(),
        "attachments": Attachment.objects.filter(**proposals).count(),
        "assemblies": Assembly.objects.filter(**proposals).count(),
        "technical reviews": TechnicalReview.objects.filter(**proposals).count(),
        "score sheets": ScoreSheet.objects.filter(**proposals).count(),
        "selection entries": SelectionEntry.objects.filter(**proposals).count(),
        "projects": Project.objects.filter(call__in=call_ids).count(),
        "project events": ProjectEvent.objects.filter(**projects).count(),
        "committee seats": CommitteeSeat.objects.filter(**projects).count(),
        "tranches": Tranche.objects.filter(**projects).count(),
        "expenses": Expense.objects.filter(**projects).count(),
        "cfdi": Cfdi.objects.filter(expense__project__call__in=call_ids).count(),
        "progress reports": ProgressReport.objects.filter(**projects).count(),
        "logbook entries": LogbookEntry.objects.filter(**projects).count(),
    }


def samples(call_ids: list[int]) -> dict[str, int | None]:
    if not call_ids:
        return dict.fromkeys(SAMPLES)
    proposals = Proposal.objects.filter(call__in=call_ids).order_by("pk")
    projects = Project.objects.filter(call__in=call_ids).order_by("pk")
    many_lines = (proposals.annotate(lines=Count("budget_lines")).order_by("-lines", "pk")
                  .values_list("pk", flat=True).first())
    busiest = (Expense.objects.filter(project__call__in=call_ids).order_by().values("project_id")
               .annotate(n=Count("id")).order_by("-n", "project_id").values_list("project_id", flat=True).first())
    return {
        "proposal_many_lines": many_lines,
        "proposal_submitted": proposals.filter(status=ProposalState.SUBMITTED).values_list("pk", flat=True).first(),
        "proposal_shortlisted": proposals.filter(status=ProposalState.SHORTLISTED)
        .values_list("pk", flat=True).first(),
        "project_many_expenses": busiest,
        "project_in_execution": projects.filter(status="in_execution").values_list("pk", flat=True).first(),
        "project_closed": projects.filter(status="closed").values_list("pk", flat=True).first(),
    }
