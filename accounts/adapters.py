from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils.translation import get_language, get_supported_language_variant

from accounts.client_ip import client_ip
from accounts.language import set_language_cookie


class AccountAdapter(DefaultAccountAdapter):
    def get_email_verification_url(self, request, emailconfirmation):
        # Behind a proxy or in the console, the configured site address is the one people can open.
        url = super().get_email_verification_url(request, emailconfirmation)
        return url if request is not None else settings.NICP_SITE_URL.rstrip("/") + url

    def get_client_ip(self, request):
        # allauth's rate limits (sign-up, password reset) count per client, as the lockout does.
        return client_ip(request) or super().get_client_ip(request)

    def post_login(self, request, user, **kwargs):
        """Signed in, the site speaks the person's language (their preference, which their e-mails and
        notices follow), whatever the browser last chose signed out."""
        response = super().post_login(request, user, **kwargs)
        if user.language in dict(settings.LANGUAGES):
            set_language_cookie(response, user.language)
        return response

    def save_user(self, request, user, form, commit=True):
        # A new account reads its e-mails in the language it signed up in.
        try:
            user.language = get_supported_language_variant(get_language() or settings.LANGUAGE_CODE)
        except LookupError:
            user.language = settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)
