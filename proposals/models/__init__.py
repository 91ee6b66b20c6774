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
    UploadReceipt,
)
from proposals.models.review import (
    CHECKLIST,
    Assembly,
    AssemblyStatus,
    ChecklistAnswer,
    IneligibilityReason,
    ReviewAssignment,
    ReviewPhoto,
    ReviewResult,
    StaffComment,
    TechnicalReview,
)

__all__ = [
    "CHECKLIST", "Assembly", "AssemblyStatus", "ChecklistAnswer", "IneligibilityReason", "ReviewAssignment",
    "ReviewPhoto", "ReviewResult", "StaffComment", "TechnicalReview",
    "Attachment", "AttachmentKind", "BudgetChapter", "BudgetLine", "Call", "CallChange", "CallDocument",
    "CallEvent", "CallModality", "FolioCounter", "Modality", "ProjectType", "Proposal", "ProposalEvent",
    "RubricCriterion", "TranchePlanItem", "UploadReceipt",
]
