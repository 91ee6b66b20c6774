"""Who may do what with accounts and community groups: the one place that says so."""

import rules

from accounts.roles import OVERSIGHT_ROLES, roles_of


@rules.predicate
def is_group_member(user, group) -> bool:
    return bool(user and user.is_authenticated and group.memberships.filter(user=user).exists())


@rules.predicate
def is_group_representative(user, group) -> bool:
    return bool(user and user.is_authenticated
                and group.memberships.filter(user=user, role="representative").exists())


@rules.predicate
def has_oversight_role(user) -> bool:
    return bool(roles_of(user) & OVERSIGHT_ROLES)


can_view_group = is_group_member | has_oversight_role
can_edit_group = is_group_representative
can_invite_to_group = is_group_representative
can_hand_over_group = is_group_representative
can_leave_group = is_group_member

rules.add_perm("accounts.view_group", can_view_group)
rules.add_perm("accounts.edit_group", can_edit_group)
rules.add_perm("accounts.invite_to_group", can_invite_to_group)
rules.add_perm("accounts.hand_over_group", can_hand_over_group)
rules.add_perm("accounts.leave_group", can_leave_group)
