"""Roles and row builders of the funded projects' matrix. A row maps every role to the status expected:
200 page, 302 redirect after an action, 400 refused input, 403 seen but not allowed, 404 not visible
(the same as missing), "login" a redirect to the login page."""

from accounts.roles import StaffRole

ANON = "anonymous"
ADMIN = "administration_member"        # accepted seat on project A's administration committee
SUPERVISION = "supervision_member"     # accepted seat on project A's supervision committee
GROUP = "group_member"                 # the representative of A's proposing group (no seat)
OTHER = "other_project_member"         # administration seat on project B only
COORDINATOR = StaffRole.COORDINATOR
FINANCE = StaffRole.FINANCE_OFFICER
AUDITOR = StaffRole.AUDITOR
REVIEWER = StaffRole.TECHNICAL_REVIEWER
CTM = StaffRole.COMMITTEE_MEMBER
SECRETARY = StaffRole.COMMITTEE_SECRETARY
PROJECT_ROLES = [ANON, ADMIN, SUPERVISION, GROUP, OTHER, COORDINATOR, FINANCE, AUDITOR, REVIEWER, CTM, SECRETARY]
COMMUNITY = [ADMIN, SUPERVISION, GROUP]
READERS = [COORDINATOR, FINANCE, AUDITOR]
NOT_READERS = [OTHER, REVIEWER, CTM, SECRETARY]


def project_page(code, **overrides):
    """A page of project A: its community and the programme's readers see it; to the others it does not
    exist."""
    table = {ANON: "login", **dict.fromkeys(COMMUNITY + READERS, code), **dict.fromkeys(NOT_READERS, 404)}
    table.update(overrides)
    return table


def project_action(allowed_code, *, allowed, seen=403):
    """An action on project A: the allowed roles get `allowed_code`; others who see the project 403;
    those who do not see it 404."""
    table = project_page(seen)
    table.update(dict.fromkeys(allowed, allowed_code))
    return table


def staff_page(code, roles):
    return {ANON: "login", **dict.fromkeys(PROJECT_ROLES[1:], 403), **dict.fromkeys(roles, code)}


def api(table):
    """The same row for the API, where an anonymous request is 403 (no login page)."""
    return {**table, ANON: 403}
