from projects.models.committees import CommitteeKind, CommitteeSeat, ElectionAssembly, SeatPosition
from projects.models.money import Agreement, BankAccount, Tranche, TrancheEvent
from projects.models.projects import Project, ProjectCodeCounter, ProjectEvent
from projects.models.rules import ProjectRules

__all__ = [
    "Agreement", "BankAccount", "CommitteeKind", "CommitteeSeat", "ElectionAssembly", "Project", "ProjectCodeCounter",
    "ProjectEvent", "ProjectRules", "SeatPosition", "Tranche", "TrancheEvent",
]
