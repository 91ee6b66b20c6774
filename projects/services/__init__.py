from projects.services.closure import (
    accountability_record,
    closure_checklist,
    handover_generate,
    handover_upload_signed,
    refund_record,
)
from projects.services.election import election_record, election_schedule, seat_accept, seat_replace
from projects.services.execution import (
    logbook_write,
    next_report_due,
    observation_answer,
    observation_settle,
    photo_publish,
    progress_report_submit,
    progress_report_transition,
    site_visit_record,
)
from projects.services.expenses import (
    budget_lines_spending,
    expense_correct,
    expense_record_invoice,
    expense_record_simple,
    expense_transition,
    expenses_verify_batch,
    invoice_read,
    sat_recheck_project,
)
from projects.services.money import (
    agreement_generate,
    agreement_sign,
    agreement_upload_signed,
    bank_account_register,
    bank_account_review,
    current_account,
    tranche_problems,
    tranche_transition,
)
from projects.services.projects import lock_project, project_close, project_create, project_transition
from projects.services.rules import project_rules_save

__all__ = [
    "accountability_record", "budget_lines_spending", "closure_checklist", "expense_correct",
    "expense_record_invoice", "expense_record_simple", "expense_transition", "expenses_verify_batch",
    "handover_generate", "handover_upload_signed", "invoice_read", "logbook_write", "next_report_due",
    "observation_answer", "observation_settle", "photo_publish", "progress_report_submit",
    "progress_report_transition", "project_close", "refund_record", "sat_recheck_project", "site_visit_record",
    "agreement_generate", "agreement_sign", "agreement_upload_signed", "bank_account_register",
    "bank_account_review", "current_account", "election_record", "election_schedule", "lock_project",
    "project_create", "project_rules_save", "project_transition", "seat_accept", "seat_replace",
    "tranche_problems", "tranche_transition",
]
