"""Authorization matrix rows for the reminders pages (issue 12), kept beside the harness in
tests/security/test_authorization_matrix.py, which adds them to MATRIX and calls extend_world."""

# (url name, kwargs key, method, {role: expected}) for every role: "anonymous", "applicant" (a group's member),
# "other_applicant" (another group's) and each StaffRole value; expected is a status code or "login" (the
# redirect to the login page). Build the dicts here: importing the harness would be circular. Unsafe rows are
# 403 for the auditor whatever they say (the harness applies it).
from accounts.roles import StaffRole

_ROLES = ["anonymous", "applicant", "other_applicant", *StaffRole.values]


def _only(code, roles):
    """Signed-in people outside `roles` are refused (403); anonymous goes to the login."""
    return {"anonymous": "login", **dict.fromkeys(_ROLES[1:], 403), **dict.fromkeys(roles, code)}


def _signed_in(code):
    return {"anonymous": "login", **dict.fromkeys(_ROLES[1:], code)}


ROWS: list = [
    # Coordination follows the reminders; audit reads them.
    ("notifications:reminders", None, "get", _only(200, [StaffRole.COORDINATOR, StaffRole.AUDITOR])),
    # Each person's own preferences; an empty post is refused by its fields (no language chosen). The auditor
    # manages their own account too (nicp/readonly.py).
    ("accounts:preferences", None, "get", _signed_in(200)),
    ("accounts:preferences", None, "post", _signed_in(400)),
    # A call's own reminder days: coordination only. An empty post keeps every default (saved: 302).
    ("proposals:call_reminders", "call", "get", _only(200, [StaffRole.COORDINATOR])),
    ("proposals:call_reminders", "call", "post", _only(302, [StaffRole.COORDINATOR])),
]


def extend_world(*, users: dict, kwargs: dict, call, staff: dict) -> None:
    """Add what these rows need to the world (objects through the services) and their kwargs keys."""
