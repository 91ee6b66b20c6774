"""Rows of the funded projects' authorization matrix (see test_authorization_matrix_projects.py).
(url name, kwargs key, method, expected by role)."""

from tests.security.project_roles import *  # noqa: F403  (role names and row builders)

ROWS: list = [
    # The call's rules for its projects: the coordination only; an empty POST is refused input.
    ("projects:rules_edit", "call_pk", "get", staff_page(200, [COORDINATOR, AUDITOR])),  # noqa: F405  (auditor: read only)
    ("projects:rules_edit", "call_pk", "post", staff_page(400, [COORDINATOR])),  # noqa: F405
]
