from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from accounts.roles import is_staff_member


class StaffMfaRequiredMiddleware:
    """Staff roles must set up TOTP before doing anything else (unless switched off for the demo)."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_enrol(request):
            return redirect(reverse("mfa_activate_totp") + "?next=" + request.get_full_path())
        return self.get_response(request)

    def _must_enrol(self, request) -> bool:
        if not settings.NICP_STAFF_MFA_REQUIRED:
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(self.ALLOWED_PREFIXES):
            return False
        if not is_staff_member(user):
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
