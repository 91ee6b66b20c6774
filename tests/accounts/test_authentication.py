import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.roles import StaffRole
from tests.factories import PASSWORD, UserFactory


def test_signup_requires_verifying_the_email_then_logs_in(client, db):
    response = client.post(reverse("account_signup"), {
        "email": "Vecina@Ejemplo.mx", "password1": "Clave-larga-2026!", "password2": "Clave-larga-2026!",
    })
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "vecina@ejemplo.mx"
    assert len(mail.outbox) == 1
    # Not verified yet: logging in sends to the verification notice, not into the site.
    client.logout()
    login = client.post(reverse("account_login"), {"login": "vecina@ejemplo.mx", "password": "Clave-larga-2026!"})
    assert login.url == reverse("account_email_verification_sent")
    link = re.search(r"http://\S+/accounts/confirm-email/(\S+)/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    confirmed = client.post(reverse("account_confirm_email", args=[link.group(1)]))
    assert confirmed.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_signup_errors_are_in_spanish_next_to_the_field_and_keep_the_email(client, db):
    response = client.post(reverse("account_signup"), {"email": "vecina@ejemplo.mx", "password1": "corta",
                                                        "password2": "corta"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "demasiado corta" in html
    assert 'value="vecina@ejemplo.mx"' in html


def test_password_reset_sends_a_link(client, applicant):
    client.post(reverse("account_reset_password"), {"email": applicant.email})
    assert len(mail.outbox) == 1 and "/accounts/password/reset/key/" in mail.outbox[0].body


def test_login_is_locked_after_repeated_failures_for_that_username_and_ip(client, applicant):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": applicant.email, "password": "mala"})
    locked = client.post(reverse("account_login"), {"login": applicant.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "bloqueado" in locked.content.decode()
    # Another address from the same IP still logs in: the lock is per username and IP.
    other = UserFactory(email="otra.persona@ejemplo.mx")
    ok = client.post(reverse("account_login"), {"login": other.email, "password": PASSWORD})
    assert ok.status_code == 302


def test_staff_must_enrol_totp_when_required(client, settings, db):
    settings.NICP_STAFF_MFA_REQUIRED = True
    coordinator = UserFactory(roles=[StaffRole.COORDINATOR])
    client.force_login(coordinator)
    response = client.get(reverse("accounts:group_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("mfa_activate_totp"))
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get(reverse("accounts:group_list")).status_code == 200


def test_applicants_are_not_forced_into_totp(client, settings, applicant):
    settings.NICP_STAFF_MFA_REQUIRED = True
    client.force_login(applicant)
    assert client.get(reverse("accounts:group_list")).status_code == 200


def test_totp_switch_off_lets_staff_in(client, settings, db):
    settings.NICP_STAFF_MFA_REQUIRED = False
    client.force_login(UserFactory(roles=[StaffRole.AUDITOR]))
    assert client.get(reverse("accounts:group_list")).status_code == 200


@pytest.mark.parametrize("path", ["/", "/territorio/"])
def test_pages_are_spanish_by_default_even_if_the_browser_asks_for_english(client, db, path):
    response = client.get(path, headers={"accept-language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "es-mx"
    assert '<html lang="es">' in response.content.decode()


def test_language_switch_to_english(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Neighbourhood Improvement Community Programme" in html
    client.post(reverse("set_language"), {"language": "es-mx", "next": "/"})
    assert "Programa Comunitario de Mejoramiento Barrial" in client.get("/").content.decode()
