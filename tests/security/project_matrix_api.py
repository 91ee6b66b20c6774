"""Rows of the funded projects' authorization matrix (see test_authorization_matrix_projects.py).
(url name, kwargs key, method, expected by role).

The projects API under /api/v1/projects/: anonymous 403 (no login page), the same readers as the pages.
The writes are sent with an empty body: whoever may act gets 400 (the body says what is missing); whoever
sees the project but may never act gets 403 before the body is read; the others 404."""

from tests.security.project_roles import *  # noqa: F403  (role names and row builders)

# Everyone signed in may ask for the list (it holds only what they see). Verbs the API does not have answer
# 405 before any project is looked up, so they tell nobody whether it exists.
_LIST = {ANON: 403, **dict.fromkeys(PROJECT_ROLES[1:], 200)}  # noqa: F405
_NO_SUCH_VERB = {ANON: 403, **dict.fromkeys(PROJECT_ROLES[1:], 405)}  # noqa: F405

ROWS: list = [
    ("api:project-list", None, "get", _LIST),
    ("api:project-list", None, "post", _NO_SUCH_VERB),
    ("api:project-detail", "project", "get", api(project_page(200))),  # noqa: F405
    ("api:project-detail", "project", "patch", _NO_SUCH_VERB),
    ("api:project-detail", "project", "put", _NO_SUCH_VERB),
    ("api:project-detail", "project", "delete", _NO_SUCH_VERB),
    ("api:project-events", "project", "get", api(project_page(200))),  # noqa: F405
    ("api:project-committees", "project", "get", api(project_page(200))),  # noqa: F405
    ("api:project-tranches", "project", "get", api(project_page(200))),  # noqa: F405
    ("api:project-transitions", "project", "post",
     api(project_action(400, allowed=[COORDINATOR]))),  # noqa: F405
    ("api:project-tranche-transitions", "tranche", "post",
     api(project_action(400, allowed=[ADMIN, COORDINATOR, FINANCE]))),  # noqa: F405
]
