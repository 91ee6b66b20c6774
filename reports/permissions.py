"""Who may ask for the reports of the reports app."""

from accounts.roles import PROPOSAL_READER_ROLES, has_role


def can_request_programme_reports(user) -> bool:
    """Programme-wide reports (a call's, the annual report): coordination, audit, the Committee's
    secretary and finance, the staff who read every submitted proposal."""
    return has_role(user, *PROPOSAL_READER_ROLES)
