"""Rows of the funded projects' authorization matrix for the closure tab (see
test_authorization_matrix_projects.py): (url name, kwargs key, method, expected by role).

The world's project A is in execution, so every closing form an allowed role posts empty is refused input
(400: the form's fields are missing, and the step is not due anyway). A has no handover or assembly yet:
their files are missing for everyone who reads A (404), which the closure pages' tests cover with files."""

from tests.security.project_roles import *  # noqa: F403  (role names and row builders)

NO_FILE_YET = project_page(404)  # noqa: F405

ROWS: list = [
    ("projects:closure", "project", "get", project_page(200)),  # noqa: F405
    ("projects:handover_generate", "project", "post", project_action(400, allowed=[COORDINATOR])),  # noqa: F405
    ("projects:handover_upload", "project", "post",
     project_action(400, allowed=[ADMIN, COORDINATOR])),  # noqa: F405
    ("projects:handover_file", "handover", "get", NO_FILE_YET),
    ("projects:accountability_record", "project", "post",
     project_action(400, allowed=[ADMIN, COORDINATOR])),  # noqa: F405
    ("projects:accountability_minutes", "project", "get", NO_FILE_YET),
    ("projects:refund_record", "project", "post", project_action(400, allowed=[FINANCE])),  # noqa: F405
]
