from accounts.roles import StaffRole, roles_of
from nicp.readonly import READ_ONLY_ROLES


def navigation(request):
    """The roles of the person on the page, so the navigation shows what they can do."""
    user = getattr(request, "user", None)
    roles = roles_of(user) if user is not None and user.is_authenticated else frozenset()
    unread = 0
    if user is not None and user.is_authenticated:
        from notifications.models import Notice

        unread = Notice.objects.filter(recipient=user, read_at__isnull=True).count()
    return {
        "unread_notices": unread,
        "user_roles": roles,
        "user_role_labels": [StaffRole(code).label for code in sorted(roles)],
        "is_staff_user": bool(roles),
        # Read-only roles (the auditor) see no forms that would only be refused.
        "read_only": bool(roles & READ_ONLY_ROLES),
    }
