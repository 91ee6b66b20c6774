"""Two-factor helpers for tests: enrol a person in TOTP the way allauth stores it, and read codes."""

import time

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import reverse

from tests.factories import PASSWORD

WRONG_CODE = "abcdef"  # never a TOTP or recovery code (those are digits)


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def enrol_totp(user) -> tuple[str, list[str]]:
    """TOTP plus recovery codes, as allauth's activation leaves them; returns the secret and the codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret, RecoveryCodes.activate(user).generate_codes()


def login_with_totp(client, user, secret: str) -> None:
    """A real browser login: password, then the TOTP step (allauth records it in the session)."""
    step = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert step.url == reverse("mfa_authenticate")
    done = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert done.status_code == 302 and done.url != reverse("mfa_authenticate")
