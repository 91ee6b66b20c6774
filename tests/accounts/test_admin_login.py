"""The Django admin has no password-only door: its login goes through allauth, so an operator who set up
TOTP must give the code there too, and the lockout counts the attempts."""

import pytest
from django.urls import reverse

from tests.accounts.totp import current_code, enrol_totp
from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def operator(db):
    user = UserFactory(email="operacion@ejemplo.mx")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def test_the_admin_login_sends_people_to_the_site_login(client, operator):
    response = client.post("/admin/login/", {"username": operator.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert client.get("/admin/").status_code == 302  # the password alone opened nothing


def test_an_operator_with_totp_reaches_the_admin_only_after_the_code(client, operator):
    secret, _codes = enrol_totp(operator)
    step = client.post(reverse("account_login"), {"login": operator.email, "password": PASSWORD})
    assert step.url == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert client.get("/admin/").status_code == 200
