"""`Authorization: Token <key>` with knox's hashed tokens, refusing with a 401 that says why."""

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework import exceptions, status

from accounts import tokens


class TokenRejected(exceptions.APIException):
    """401 with a WWW-Authenticate challenge. Not an AuthenticationFailed: DRF turns that into a 403
    when the first authentication class (the session) has no challenge of its own."""

    status_code = status.HTTP_401_UNAUTHORIZED
    default_code = "authentication_failed"
    auth_header = "Token"


class ApiTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed as error:  # knox's malformed-header errors
            raise TokenRejected(_("Cabecera Authorization mal formada: usa «Token <clave>».")) from error

    def authenticate_credentials(self, token: bytes):
        try:
            key = token.decode("utf-8")
            digest = hash_token(key)
        except (UnicodeError, TypeError, binascii.Error) as error:
            raise TokenRejected(_("Token inválido o revocado.")) from error
        for candidate in AuthToken.objects.filter(token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH]).select_related("user"):
            if not compare_digest(digest, candidate.digest):
                continue
            if candidate.expiry is not None and candidate.expiry <= timezone.now():
                candidate.delete()
                raise TokenRejected(_("El token venció. Pide uno nuevo."))
            if not candidate.user.is_active:
                raise TokenRejected(_("La cuenta está desactivada."))
            if tokens.staff_must_enrol(candidate.user):
                # A token issued while the second factor was off (the demo) stops working once it is required.
                raise TokenRejected(tokens.enrol_message())
            return candidate.user, candidate
        raise TokenRejected(_("Token inválido o revocado."))
