"""Who may do what in the Committee: the one place that says so."""

import rules

from accounts.roles import OVERSIGHT_ROLES, StaffRole, has_role, roles_of


@rules.predicate
def is_coordinator(user) -> bool:
    return has_role(user, StaffRole.COORDINATOR)


@rules.predicate
def is_secretary_of(user, committee) -> bool:
    return bool(user and user.is_authenticated and committee.secretary_id == user.pk)


@rules.predicate
def is_member_of(user, committee) -> bool:
    return bool(user and user.is_authenticated and committee.members.filter(user=user).exists())


@rules.predicate
def has_oversight(user) -> bool:
    return bool(roles_of(user) & OVERSIGHT_ROLES)


can_view_committee = is_secretary_of | is_member_of | has_oversight
can_manage_committee = is_coordinator
