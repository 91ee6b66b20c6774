"""Staff roles are Django groups named by a stable code; a person may hold several."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinación del programa")
    TECHNICAL_REVIEWER = "technical_reviewer", _("Revisión técnica")
    COMMITTEE_MEMBER = "committee_member", _("Integrante del Comité Técnico Mixto")
    COMMITTEE_SECRETARY = "committee_secretary", _("Secretaría del Comité")
    FINANCE_OFFICER = "finance_officer", _("Finanzas")
    AUDITOR = "auditor", _("Auditoría")


STAFF_ROLE_CODES = frozenset(StaffRole.values)
# Roles that may read every community group and proposal (the auditor reads, never writes).
OVERSIGHT_ROLES = frozenset({StaffRole.COORDINATOR, StaffRole.AUDITOR})
# Roles that read every submitted proposal (reviewers and Committee members see only their share).
PROPOSAL_READER_ROLES = frozenset({StaffRole.COORDINATOR, StaffRole.AUDITOR, StaffRole.COMMITTEE_SECRETARY,
                                   StaffRole.FINANCE_OFFICER})


def roles_of(user) -> frozenset[str]:
    """The staff role codes a user holds, cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_nicp_roles", None)
    if cached is None:
        names = user.groups.filter(name__in=STAFF_ROLE_CODES).values_list("name", flat=True)
        cached = frozenset(names)
        user._nicp_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def is_staff_member(user) -> bool:
    return bool(roles_of(user))
