"""The auditor reads everything and changes nothing, enforced centrally rather than view by view.

Three layers, one rule:
- `require_may_write(actor)` is the first line of every service that acts for someone, so no path (page, API,
  task, shell) can write as a read-only person;
- `ReadOnlyRolesMiddleware` refuses every non-safe request of a signed-in read-only person before any view runs
  (403, a Spanish message; JSON under /api/);
- `ReadOnlyRolesPermission` does the same inside the API, where a token-authenticated person is known only to DRF.

The role is exclusive: an auditor who also belongs to a community group still changes nothing (no proposals,
invitations or comments); the only writes left to them are those on their own account, listed below.
"""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.roles import StaffRole, roles_of

READ_ONLY_ROLES = frozenset({StaffRole.AUDITOR})
READ_ONLY_MESSAGE = _("Tu papel de auditoría es de solo lectura: puedes consultar todo, pero no hacer cambios.")

# A read-only person still manages their own account: language, profile and closure request, API token,
# their own inbox; and every django-allauth page (sign-out, password, e-mail addresses, two-factor).
OWN_ACCOUNT_URL_NAMES = frozenset({"set_language", "accounts:profile", "accounts:profile_closure",
                                   "accounts:preferences",  # e-mail language and reminder opt-outs
                                   "accounts:api_tokens", "accounts:api_token_revoke", "accounts:api_tokens_revoke_all",
                                   "api:token", "api:tokens", "api:token-revoke", "api:logout", "api:logout-all",
                                   "notifications:mark_all_read",
                                   # reports for themselves: their own rows and files, nothing of the programme's
                                   "reports:request", "reports:retry"})
OWN_ACCOUNT_VIEW_PACKAGES = ("allauth.",)


def is_read_only(user) -> bool:
    return bool(roles_of(user) & READ_ONLY_ROLES)


def require_may_write(actor) -> None:
    """First line of every service that writes for someone (None is the system itself)."""
    if actor is not None and is_read_only(actor):
        raise PermissionDenied(READ_ONLY_MESSAGE)


def is_own_account_path(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    view = getattr(match.func, "view_class", match.func)
    return match.view_name in OWN_ACCOUNT_URL_NAMES or view.__module__.startswith(OWN_ACCOUNT_VIEW_PACKAGES)


class ReadOnlyRolesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (request.method not in SAFE_METHODS and is_read_only(getattr(request, "user", None))
                and not is_own_account_path(request.path_info)):
            return refusal(request)
        return self.get_response(request)


def refusal(request):
    message = str(READ_ONLY_MESSAGE)
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=403)
    return render(request, "403_read_only.html", {"message": message}, status=403)


class ReadOnlyRolesPermission(BasePermission):
    """The API's copy of the rule, for token-authenticated requests the middleware cannot see."""

    message = READ_ONLY_MESSAGE

    def has_permission(self, request, view):
        return (request.method in SAFE_METHODS or not is_read_only(request.user)
                or is_own_account_path(request.path_info))
