from projects.services.election import election_record, election_schedule, seat_accept, seat_replace
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
from projects.services.projects import lock_project, project_create, project_transition
from projects.services.rules import project_rules_save

__all__ = [
    "agreement_generate", "agreement_sign", "agreement_upload_signed", "bank_account_register",
    "bank_account_review", "current_account", "election_record", "election_schedule", "lock_project",
    "project_create", "project_rules_save", "project_transition", "seat_accept", "seat_replace",
    "tranche_problems", "tranche_transition",
]
