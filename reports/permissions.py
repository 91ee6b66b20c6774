"""Who may ask for a report and who may take its file: the builders' shared role rule, and the kind's own
rule asked again at download time."""

from django.core.exceptions import ValidationError

from accounts.roles import PROPOSAL_READER_ROLES, has_role
from reports.registry import kind_of


def can_request_programme_reports(user) -> bool:
    """Programme-wide reports (a call's, the annual report): coordination, audit, the Committee's
    secretary and finance, the staff who read every submitted proposal."""
    return has_role(user, *PROPOSAL_READER_ROLES)

def may_request(user, code: str, params: dict) -> bool:
    """Whether `user` may ask for kind `code` with these (uncleaned) parameters now. A kind that is not
    registered, or parameters the kind refuses, answer no: a button for it would lead to an error."""
    kind = kind_of(code)
    if kind is None or not getattr(user, "is_authenticated", False):
        return False
    try:
        cleaned = kind.clean_params(params)
    except ValidationError:
        return False
    return bool(kind.may_request(user, cleaned))


def can_download(user, report) -> bool:
    """The requester only, only a finished file, and only while they still hold the right to ask for it:
    a person who lost the role since does not take the file away."""
    if report.requested_by_id != getattr(user, "pk", None) or not report.downloadable:
        return False
    kind = kind_of(report.kind)
    return kind is not None and bool(kind.may_request(user, report.params))
