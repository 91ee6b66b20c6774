"""Rows of the funded projects' authorization matrix (see test_authorization_matrix_projects.py).
(url name, kwargs key, method, expected by role).

Project A's pages are seen by its community and the programme's readers; the pending project P (its
election scheduled) only by the readers. Forms the coordination alone uses are 403 to the other readers.
Empty POSTs: the coordinator's come back 400 (what is missing, next to the fields)."""

from tests.security.project_roles import *  # noqa: F403  (role names and row builders)


def readers_only(coordinator_code):
    """A coordination form on the pending project P: no community member of A sees P."""
    return {ANON: "login", **dict.fromkeys(PROJECT_ROLES[1:], 404), COORDINATOR: coordinator_code,  # noqa: F405
            FINANCE: 403, AUDITOR: 403}  # noqa: F405


# The invitation of A's administration member: only that person gets in; anyone else is told to log in
# with the invited e-mail (403), and learns nothing of the project.
SEAT_INVITATION = {ANON: "login", **dict.fromkeys(PROJECT_ROLES[1:], 403), ADMIN: 200}  # noqa: F405

ROWS = [
    ("projects:list", None, "get", {ANON: "login", **dict.fromkeys(PROJECT_ROLES[1:], 200)}),  # noqa: F405
    ("projects:detail", "project", "get", project_page(200)),  # noqa: F405
    ("projects:action", "project", "post", project_action(400, allowed=[COORDINATOR])),  # noqa: F405
    ("projects:election_schedule", "pending", "get", readers_only(200)),
    ("projects:election_schedule", "pending", "post", readers_only(400)),
    ("projects:election_record", "election", "get", readers_only(200)),
    ("projects:election_record", "election", "post", readers_only(400)),
    ("projects:election_minutes", "minutes", "get", project_page(200)),  # noqa: F405
    ("projects:seat_replace", "seat", "get", project_action(200, allowed=[COORDINATOR])),  # noqa: F405
    ("projects:seat_replace", "seat", "post", project_action(400, allowed=[COORDINATOR])),  # noqa: F405
    ("projects:seat_accept", "token", "get", SEAT_INVITATION),
    ("projects:seat_accept", "token", "post", {**SEAT_INVITATION, ADMIN: 302}),  # noqa: F405
]
