from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def get_email_verification_url(self, request, emailconfirmation):
        # Behind a proxy or in the console, the configured site address is the one people can open.
        url = super().get_email_verification_url(request, emailconfirmation)
        return url if request is not None else settings.NICP_SITE_URL.rstrip("/") + url
