from proposals.models.calls import (
    Call,
    CallChange,
    CallDocument,
    CallEvent,
    CallModality,
    FolioCounter,
    Modality,
    ProjectType,
    RubricCriterion,
    TranchePlanItem,
)
from proposals.models.proposals import (
    Attachment,
    AttachmentKind,
    BudgetChapter,
    BudgetLine,
    Proposal,
    ProposalEvent,
)

__all__ = [
    "Attachment", "AttachmentKind", "BudgetChapter", "BudgetLine", "Call", "CallChange", "CallDocument",
    "CallEvent", "CallModality", "FolioCounter", "Modality", "ProjectType", "Proposal", "ProposalEvent",
    "RubricCriterion", "TranchePlanItem",
]
