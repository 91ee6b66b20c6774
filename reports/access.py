"""Who may ask for a report and who may take its file: the kind's own rule, asked again at download time.
(Kept apart from reports/permissions.py, which holds the builders' shared role rules.)"""

from django.core.exceptions import ValidationError

from reports.registry import kind_of


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
