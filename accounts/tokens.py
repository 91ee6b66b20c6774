"""API tokens (django-rest-knox): stored only as a hash, expiring, revocable by their owner.

A token is as strong as the login that got it, so whoever enrolled TOTP proves it for a token as
allauth's login makes them prove it for a session; staff who have not enrolled get none while the
second factor is required (NICP_STAFF_MFA_REQUIRED, off only in the demo). A password change,
deactivation or closure request revokes every token of the person.
"""

from datetime import timedelta

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from accounts.roles import is_staff_member
from accounts.signals import credentials_changed

SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES)


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def staff_must_enrol(user) -> bool:
    """Staff without TOTP get no token while the second factor is required."""
    return settings.NICP_STAFF_MFA_REQUIRED and is_staff_member(user) and not has_totp(user)


def enrol_message() -> str:
    return _("Para obtener un token de la API, activa primero la verificación en dos pasos (TOTP) en tu perfil.")


def second_factor_verify(*, user, code: str) -> bool:
    """allauth's own check: a current TOTP code (each accepted once) or an unused recovery code."""
    code = (code or "").strip()
    if not code:
        return False
    for authenticator in Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES):
        if authenticator.wrap().validate_code(code):
            authenticator.record_usage()
            return True
    return False


def session_passed_second_factor(request) -> bool:
    """Whether this browser session's login included the TOTP step (allauth records it)."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def token_lifetime(user) -> timedelta:
    if is_staff_member(user):
        return timedelta(days=settings.NICP_API_TOKEN_DAYS_STAFF)
    return timedelta(days=settings.NICP_API_TOKEN_DAYS_APPLICANT)


def active_api_tokens(user):
    """The person's own tokens that still work, newest first."""
    return AuthToken.objects.filter(user=user).filter(
        Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())
    ).order_by("-created")


def creation_refusal(user, *, second_factor_verified: bool) -> str | None:
    """Why this person may not get a token now, or None."""
    if not user.is_active:
        return _("La cuenta está desactivada.")
    if staff_must_enrol(user):
        return enrol_message()
    if has_totp(user) and not second_factor_verified:
        return _("Para crear un token, entra con el código de tu aplicación de autenticación "
                 "(cierra la sesión y vuelve a entrar).")
    return None


@transaction.atomic
def api_token_create(*, user, second_factor_verified: bool) -> tuple[AuthToken, str]:
    """A new token for the user; the key is returned once and only its hash is stored."""
    refusal = creation_refusal(user, second_factor_verified=second_factor_verified)
    if refusal:
        raise PermissionDenied(refusal)
    get_user_model().objects.select_for_update().only("pk").get(pk=user.pk)  # one creation at a time per person
    AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    limit = settings.NICP_API_TOKENS_PER_USER
    if AuthToken.objects.filter(user=user).count() >= limit:
        raise ValidationError(
            _("Ya tienes %(limit)s tokens activos. Revoca alguno en tu perfil antes de crear otro.") % {"limit": limit}
        )
    return AuthToken.objects.create(user=user, expiry=token_lifetime(user))


@transaction.atomic
def api_token_revoke(*, user, prefix: str) -> None:
    """Revoke one of the user's own tokens, named by its prefix; another person's is not found."""
    deleted, _details = AuthToken.objects.filter(user=user, token_key=prefix).delete()
    if not deleted:
        raise AuthToken.DoesNotExist(_("No encontramos ese token entre los tuyos."))


@transaction.atomic
def api_tokens_revoke_all(*, user) -> int:
    deleted, _details = AuthToken.objects.filter(user=user).delete()
    return deleted


@receiver(credentials_changed, dispatch_uid="accounts.tokens.revoke_on_credentials_change")
@receiver(authenticator_added, dispatch_uid="accounts.tokens.revoke_on_second_factor_added")
@receiver(authenticator_removed, dispatch_uid="accounts.tokens.revoke_on_second_factor_removed")
def _revoke_on_credentials_change(sender, user, **kwargs) -> None:
    # A second factor set up or removed changes what a token proves: the ones from before go.
    api_tokens_revoke_all(user=user)
