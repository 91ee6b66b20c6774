"""Finance's queue: accounts to verify, agreements waiting for the ministry's signature, tranches approved
and waiting for the money, refunds to record. Read by finance, coordination and audit; the same lists feed
the finance panel of the start page (dashboard/panels/finance.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from accounts.roles import StaffRole, has_role
from projects.models import Agreement, BankAccount, Expense, Project, Refund, Tranche
from projects.workflow import ProjectState, TrancheState

QUEUE_READERS = (StaffRole.FINANCE_OFFICER, StaffRole.COORDINATOR, StaffRole.AUDITOR)
# A queue page lists this many rows per section, oldest first, and says how many more wait.
SECTION_LIMIT = 50  # the oldest first; rendering 3 × 100 rows cost ~100 ms of CPU on the benchmark
PROJECT_FIELDS = ("project__neighbourhood__borough",)


def finance_queues(user) -> dict:
    """The three querysets, read through the projects this person sees."""
    visible = Project.objects.visible_to(user).values("pk")
    return {
        "accounts": BankAccount.objects.filter(project__in=visible, status=BankAccount.Status.PENDING)
        .select_related(*PROJECT_FIELDS).order_by("registered_at", "id"),
        "agreements": Agreement.objects.filter(project__in=visible, project__status=ProjectState.AGREEMENT_PENDING,
                                               ministry_signed_on__isnull=True).exclude(signed_file="")
        .select_related(*PROJECT_FIELDS).order_by("signed_uploaded_at", "id"),
        "tranches": Tranche.objects.filter(project__in=visible, status=TrancheState.APPROVED)
        .select_related(*PROJECT_FIELDS, "approved_by").order_by("approved_at", "id"),
        # Opened at cancellation or when the project went to accountability (index refund_to_record).
        "refunds": Refund.objects.filter(project__in=visible, recorded_at__isnull=True)
        .select_related(*PROJECT_FIELDS).order_by("opened_at", "id"),
    }


def _section(queryset) -> tuple[list, int]:
    rows = list(queryset[:SECTION_LIMIT + 1])
    return rows[:SECTION_LIMIT], (queryset.count() if len(rows) > SECTION_LIMIT else len(rows))


@login_required
def finance_queue(request):
    if not has_role(request.user, *QUEUE_READERS):
        raise PermissionDenied
    sections = {name: _section(rows) for name, rows in finance_queues(request.user).items()}
    return render(request, "projects/money_finance_queue.html", {
        "sections": sections, "limit": SECTION_LIMIT,
        "can_act": has_role(request.user, StaffRole.FINANCE_OFFICER),
        "expenses_to_verify": Expense.objects.visible_to(request.user).to_verify().count(),
    })
