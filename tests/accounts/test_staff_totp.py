import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse

from accounts.roles import StaffRole
from tests.factories import PASSWORD, UserFactory


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_staff_enrols_totp_then_needs_the_code_to_log_in(client, settings, db):
    settings.NICP_STAFF_MFA_REQUIRED = True
    reviewer = UserFactory(email="revision@ejemplo.mx", roles=[StaffRole.TECHNICAL_REVIEWER])

    client.post(reverse("account_login"), {"login": reviewer.email, "password": PASSWORD})
    blocked = client.get(reverse("accounts:group_list"))
    assert blocked.status_code == 302 and blocked.url.startswith(reverse("mfa_activate_totp"))

    # allauth asks for the password again before changing two-factor settings.
    confirm = client.get(reverse("mfa_activate_totp"))
    assert confirm.url.startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200 and not Authenticator.objects.filter(user=reviewer).exists()
    client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert Authenticator.objects.filter(user=reviewer, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("accounts:group_list")).status_code == 200

    client.post(reverse("account_logout"))
    step = client.post(reverse("account_login"), {"login": reviewer.email, "password": PASSWORD})
    assert step.url == reverse("mfa_authenticate")
    assert client.get(reverse("accounts:profile")).status_code == 302  # not logged in yet
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert client.get(reverse("accounts:profile")).status_code == 200
