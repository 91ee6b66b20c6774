from proposals.services.attachments import attachment_add, attachment_remove
from proposals.services.call_reminders import call_reminders_save
from proposals.services.calls import call_document_add, call_save, call_transition, call_validate
from proposals.services.proposals import (
    budget_lines_save,
    proposal_create,
    proposal_submission_problems,
    proposal_transition,
    proposal_update,
)
from proposals.services.review import (
    assembly_record,
    assembly_schedule,
    proposals_batch,
    review_photo_add,
    review_reopen,
    review_save,
    reviewers_assign,
    staff_comment_add,
)

__all__ = [
    "assembly_record", "assembly_schedule", "proposals_batch", "review_photo_add", "review_reopen", "review_save",
    "reviewers_assign", "staff_comment_add",
    "attachment_add", "attachment_remove", "budget_lines_save", "call_document_add", "call_reminders_save",
    "call_save", "call_transition",
    "call_validate", "proposal_create", "proposal_submission_problems", "proposal_transition", "proposal_update",
]
