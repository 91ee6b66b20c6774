from projects.models.closure import AccountabilityAssembly, Handover, Refund
from projects.models.committees import CommitteeKind, CommitteeSeat, ElectionAssembly, SeatPosition
from projects.models.execution import (
    LogbookEntry,
    ProgressReport,
    ProjectPhoto,
    ReportEvent,
    SiteVisit,
    VisitObservation,
)
from projects.models.expenses import Cfdi, Expense, ExpenseEvent
from projects.models.money import Agreement, BankAccount, Tranche, TrancheEvent
from projects.models.projects import Project, ProjectCodeCounter, ProjectEvent
from projects.models.rules import ProjectRules

__all__ = [
    "AccountabilityAssembly", "Cfdi", "Expense", "ExpenseEvent", "Handover", "LogbookEntry", "ProgressReport",
    "ProjectPhoto", "Refund", "ReportEvent", "SiteVisit", "VisitObservation",
    "Agreement", "BankAccount", "CommitteeKind", "CommitteeSeat", "ElectionAssembly", "Project", "ProjectCodeCounter",
    "ProjectEvent", "ProjectRules", "SeatPosition", "Tranche", "TrancheEvent",
]
