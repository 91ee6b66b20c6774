"""Authorization matrix rows for the reports pages (issue 12), kept beside the harness in
tests/security/test_authorization_matrix.py, which adds them to MATRIX and calls extend_world."""

# (url name, kwargs key, method, {role: expected}) for every role: "anonymous", "applicant" (a group's member),
# "other_applicant" (another group's) and each StaffRole value; expected is a status code or "login" (the
# redirect to the login page). Build the dicts here: importing the harness would be circular. Unsafe rows are
# 403 for the auditor whatever they say (the harness applies it).
ROWS: list = []


def extend_world(*, users: dict, kwargs: dict, call, staff: dict) -> None:
    """Add what these rows need to the world (objects through the services) and their kwargs keys."""
