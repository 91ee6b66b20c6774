"""Rows of the funded projects' authorization matrix (see test_authorization_matrix_projects.py).
(url name, kwargs key, method, expected by role).

The world's project A is in execution: account verified, agreement signed by both sides, tranche 1
requested. So an allowed role's empty POST is refused input (400) where the step is over or a field is
missing, and the coordinator's approval of the requested tranche goes through (302)."""

from tests.security.project_roles import *  # noqa: F403  (role names and row builders)

# The account's proof: the staff who check or audit it and the committees that run and watch the money.
PROOF = project_page(200, **{GROUP: 403})  # noqa: F405

ROWS: list = [
    ("projects:finance_queue", None, "get", staff_page(200, [COORDINATOR, FINANCE, AUDITOR])),  # noqa: F405
    ("projects:money", "project", "get", project_page(200)),  # noqa: F405
    ("projects:account_register", "project", "post", project_action(400, allowed=[ADMIN])),  # noqa: F405
    ("projects:account_review", "account", "post", project_action(400, allowed=[FINANCE])),  # noqa: F405
    ("projects:account_proof", "account", "get", PROOF),
    ("projects:agreement_generate", "project", "post",
     project_action(400, allowed=[COORDINATOR, FINANCE])),  # noqa: F405
    ("projects:agreement_pdf", "project", "get", project_page(200)),  # noqa: F405
    ("projects:agreement_signed_pdf", "project", "get", project_page(200)),  # noqa: F405
    ("projects:agreement_upload", "project", "post",
     project_action(400, allowed=[ADMIN, COORDINATOR])),  # noqa: F405
    ("projects:agreement_sign", "project", "post", project_action(400, allowed=[FINANCE])),  # noqa: F405
    ("projects:tranche_request", "tranche", "post", project_action(400, allowed=[ADMIN])),  # noqa: F405
    ("projects:tranche_approve", "tranche", "post", project_action(302, allowed=[COORDINATOR])),  # noqa: F405
    ("projects:tranche_withhold", "tranche", "post",
     project_action(400, allowed=[COORDINATOR, FINANCE])),  # noqa: F405
    ("projects:tranche_release", "tranche", "post", project_action(400, allowed=[FINANCE])),  # noqa: F405
]
