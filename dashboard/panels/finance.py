"""Finance's start-page panel for funded projects: how many accounts, agreements and tranches wait for
them, each linking to the finance queue (the same querysets, so the panel and the queue always agree)."""

from accounts.roles import StaffRole
from dashboard.panels.base import Panel
from projects.models import Expense
from projects.views.finance_queue import finance_queues


def applies(user, roles) -> bool:
    return StaffRole.FINANCE_OFFICER in roles


def build(user, today) -> dict:
    counts = {name: rows.count() for name, rows in finance_queues(user).items()}
    counts["expenses"] = Expense.objects.visible_to(user).to_verify().count()  # their own queue page
    return {**counts, "total": sum(counts.values())}


PANEL = Panel(key="finance_projects", template="dashboard/panels/finance_projects.html", applies=applies,
              build=build)
