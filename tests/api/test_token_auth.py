"""API tokens: e-mail + password (+ the TOTP code for whoever enrolled it), hashed, expiring, revocable."""

from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.urls import reverse
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.roles import StaffRole
from accounts.services import account_closure_request
from tests.accounts.totp import WRONG_CODE, current_code, enrol_totp
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"


def get_token(user, **extra):
    return APIClient().post(TOKEN_URL, {"email": user.email, "password": PASSWORD, **extra}, format="json")


def client_with(key) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def works(key) -> bool:
    return client_with(key).get("/api/v1/auth/tokens/").status_code == 200


@pytest.fixture
def reviewer(db):
    return UserFactory(email="revision@ejemplo.mx", roles=[StaffRole.TECHNICAL_REVIEWER])


@pytest.fixture
def mfa_required(settings):
    settings.NICP_STAFF_MFA_REQUIRED = True


def test_token_from_email_and_password_authenticates_requests(applicant):
    api = APIClient()
    response = api.post(TOKEN_URL, {"email": applicant.email.upper(), "password": PASSWORD}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["token"].startswith(body["prefix"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert api.get("/api/schema/", {"format": "json"}).status_code == 200
    assert api.get("/api/v1/proposals/").status_code == 200
    # Each request makes a new token; the first keeps working.
    second = get_token(applicant).json()["token"]
    assert second != body["token"] and works(body["token"]) and works(second)


def test_tokens_expire_after_the_configured_days_by_role(applicant, reviewer, settings):
    settings.NICP_API_TOKEN_DAYS_APPLICANT, settings.NICP_API_TOKEN_DAYS_STAFF = 90, 30
    now = timezone.now()
    for user, days in [(applicant, 90), (reviewer, 30)]:
        get_token(user)
        expiry = AuthToken.objects.get(user=user).expiry
        assert abs(expiry - (now + timedelta(days=days))) < timedelta(minutes=1)


def test_the_database_holds_only_a_hash_of_the_key(applicant):
    key = get_token(applicant).json()["token"]
    row = AuthToken.objects.get(user=applicant)
    assert row.digest == hash_token(key) and key not in row.digest
    stored = AuthToken.objects.values_list("digest", "token_key")
    assert all(key not in value for pair in stored for value in pair)
    assert row.token_key == key[: len(row.token_key)] and len(row.token_key) < len(key) / 2


@pytest.mark.parametrize("body", [{}, {"email": "no-es-correo", "password": "x"}, {"email": "a@b.mx"}])
def test_token_request_validation_errors_are_400_with_fields(body):
    response = APIClient().post(TOKEN_URL, body, format="json")
    assert response.status_code == 400
    assert set(response.json()) <= {"email", "password", "code"} and response.json()


def test_wrong_password_is_refused_and_counts_towards_lockout(applicant):
    api = APIClient()
    for _ in range(4):
        response = api.post(TOKEN_URL, {"email": applicant.email, "password": "mala"}, format="json")
        assert response.status_code == 400
    fifth = api.post(TOKEN_URL, {"email": applicant.email, "password": "mala"}, format="json")
    assert fifth.status_code == 429
    locked = api.post(TOKEN_URL, {"email": applicant.email, "password": PASSWORD}, format="json")
    assert locked.status_code == 429
    assert "intentos" in locked.json()["detail"]


def test_unverified_account_gets_no_token():
    user = UserFactory(verified=False)
    response = get_token(user)
    assert response.status_code == 403 and "Verifica" in response.json()["detail"]


# Staff and the second factor.

def test_staff_without_totp_get_no_token_while_mfa_is_required(reviewer, mfa_required):
    response = get_token(reviewer)
    assert response.status_code == 403
    assert "verificación en dos pasos" in response.json()["detail"] and "perfil" in response.json()["detail"]
    assert not AuthToken.objects.exists()


def test_the_demo_lets_staff_without_totp_get_a_token_by_password(reviewer, settings):
    settings.NICP_STAFF_MFA_REQUIRED = False
    assert get_token(reviewer).status_code == 200


def test_a_staff_token_from_the_demo_stops_working_once_the_second_factor_is_required(reviewer, settings):
    settings.NICP_STAFF_MFA_REQUIRED = False
    key = get_token(reviewer).json()["token"]
    assert works(key)
    settings.NICP_STAFF_MFA_REQUIRED = True
    response = client_with(key).get("/api/v1/proposals/")
    assert response.status_code == 401
    assert "verificación en dos pasos" in response.json()["detail"]
    secret, _codes = enrol_totp(reviewer)
    authenticator_added.send(sender=Authenticator, request=None, user=reviewer,
                             authenticator=Authenticator.objects.get(user=reviewer, type=Authenticator.Type.TOTP))
    assert not works(key)  # setting up the second factor revokes what was issued without it
    assert works(get_token(reviewer, code=current_code(secret)).json()["token"])


@pytest.mark.parametrize("required", [True, False])
def test_staff_with_totp_always_need_a_valid_code(reviewer, settings, required):
    settings.NICP_STAFF_MFA_REQUIRED = required
    secret, _codes = enrol_totp(reviewer)
    missing = get_token(reviewer)
    assert missing.status_code == 400 and "código" in missing.json()["code"][0]
    wrong = get_token(reviewer, code=WRONG_CODE)
    assert wrong.status_code == 400 and "no es válido" in wrong.json()["code"][0]
    assert not AuthToken.objects.exists()
    code = current_code(secret)
    ok = get_token(reviewer, code=code)
    assert ok.status_code == 200 and works(ok.json()["token"])
    # allauth accepts each TOTP code once.
    assert get_token(reviewer, code=code).status_code == 400


def test_an_unused_recovery_code_is_accepted_once(reviewer, mfa_required):
    _secret, codes = enrol_totp(reviewer)
    assert get_token(reviewer, code=codes[0]).status_code == 200
    assert get_token(reviewer, code=codes[0]).status_code == 400


def test_applicants_who_enrolled_totp_need_their_code_too(applicant):
    secret, _codes = enrol_totp(applicant)
    assert get_token(applicant).status_code == 400
    assert get_token(applicant, code=current_code(secret)).status_code == 200


def test_guessing_codes_locks_the_account_like_guessing_passwords(reviewer, mfa_required):
    secret, _codes = enrol_totp(reviewer)
    for _ in range(4):
        assert get_token(reviewer, code=WRONG_CODE).status_code == 400
    assert get_token(reviewer, code=WRONG_CODE).status_code == 429
    locked = get_token(reviewer, code=current_code(secret))
    assert locked.status_code == 429 and not AuthToken.objects.exists()


# Revocation.

def test_a_password_change_revokes_every_token(applicant):
    key = get_token(applicant).json()["token"]
    applicant.set_password("Otra-clave-larga-2026")
    applicant.save()
    response = client_with(key).get("/api/v1/auth/tokens/")
    assert response.status_code == 401 and response.json()["detail"]
    assert response["WWW-Authenticate"] == "Token"
    assert not AuthToken.objects.filter(user=applicant).exists()


def test_changing_the_password_on_the_page_revokes_tokens(client, applicant):
    key = get_token(applicant).json()["token"]
    client.force_login(applicant)
    response = client.post(reverse("account_change_password"), {
        "oldpassword": PASSWORD, "password1": "Otra-clave-larga-2026", "password2": "Otra-clave-larga-2026"})
    assert response.status_code == 302
    assert not works(key)


def test_resetting_the_password_by_email_revokes_tokens(client, applicant):
    import re

    from django.core import mail

    key = get_token(applicant).json()["token"]
    client.post(reverse("account_reset_password"), {"email": applicant.email})
    link = re.search(r"http://\S+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"password1": "Otra-clave-larga-2026",
                                             "password2": "Otra-clave-larga-2026"})
    applicant.refresh_from_db()
    assert applicant.check_password("Otra-clave-larga-2026")
    assert not works(key)


def test_logging_in_does_not_revoke_tokens(client, applicant):
    key = get_token(applicant).json()["token"]
    client.post(reverse("account_login"), {"login": applicant.email, "password": PASSWORD})
    assert works(key)


def test_deactivating_the_account_revokes_its_tokens(applicant):
    key = get_token(applicant).json()["token"]
    applicant.is_active = False
    applicant.save()
    assert not AuthToken.objects.filter(user=applicant).exists()
    assert client_with(key).get("/api/v1/auth/tokens/").status_code == 401


def test_a_token_of_an_account_deactivated_behind_its_back_is_refused(applicant):
    key = get_token(applicant).json()["token"]
    type(applicant).objects.filter(pk=applicant.pk).update(is_active=False)
    response = client_with(key).get("/api/v1/auth/tokens/")
    assert response.status_code == 401 and "desactivada" in response.json()["detail"]


def test_a_closure_request_revokes_tokens(applicant):
    key = get_token(applicant).json()["token"]
    account_closure_request(user=applicant, reason="Me mudo")
    assert not works(key)


def test_an_expired_token_is_refused_with_401(applicant, settings):
    settings.NICP_API_TOKEN_DAYS_APPLICANT = 90
    key = get_token(applicant).json()["token"]
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        response = client_with(key).get("/api/v1/auth/tokens/")
    assert response.status_code == 401 and "venció" in response.json()["detail"]
    assert not AuthToken.objects.filter(user=applicant).exists()


@pytest.mark.parametrize("header", ["Token", "Token dos partes", "Token no-existe", "Token \u00e9\u00e9"])
def test_malformed_or_unknown_tokens_are_401_not_500(header):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=header)
    response = api.get("/api/v1/proposals/")
    assert response.status_code == 401 and response.json()["detail"]


def test_there_is_a_limit_of_tokens_per_person(applicant, settings):
    settings.NICP_API_TOKENS_PER_USER = 2
    assert get_token(applicant).status_code == 200 and get_token(applicant).status_code == 200
    third = get_token(applicant)
    assert third.status_code == 400 and "Revoca" in third.json()["detail"]
    assert AuthToken.objects.filter(user=applicant).count() == 2


# The owner lists and revokes their tokens; nobody else can.

def test_owner_lists_and_revokes_own_tokens_and_others_cannot(applicant, other_applicant):
    first, second = get_token(applicant).json(), get_token(applicant).json()
    api = client_with(first["token"])
    listed = api.get("/api/v1/auth/tokens/").json()
    assert {t["prefix"] for t in listed} == {first["prefix"], second["prefix"]}
    assert [t["current"] for t in listed if t["prefix"] == first["prefix"]] == [True]
    assert "token" not in listed[0] and all(t["prefix"] not in (first["token"], second["token"]) for t in listed)

    intruder = client_with(get_token(other_applicant).json()["token"])
    assert intruder.delete(f"/api/v1/auth/tokens/{second['prefix']}/").status_code == 404
    assert works(second["token"])
    assert second["prefix"] not in str(intruder.get("/api/v1/auth/tokens/").json())

    assert api.delete(f"/api/v1/auth/tokens/{second['prefix']}/").status_code == 204
    assert not works(second["token"]) and works(first["token"])


def test_logout_revokes_the_token_in_use_and_logout_all_every_one(applicant):
    first, second, third = (get_token(applicant).json()["token"] for _ in range(3))
    assert client_with(first).post("/api/v1/auth/logout/").status_code == 204
    assert not works(first) and works(second)
    response = client_with(second).post("/api/v1/auth/logout-all/")
    assert response.status_code == 200 and response.json() == {"revoked": 2}
    assert not works(second) and not works(third)


def test_anonymous_cannot_list_tokens():
    assert APIClient().get("/api/v1/auth/tokens/").status_code == 403


def test_the_schema_describes_the_token_endpoints_the_code_and_the_scheme():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    for path in ["/api/v1/auth/token/", "/api/v1/auth/tokens/", "/api/v1/auth/tokens/{prefix}/",
                 "/api/v1/auth/logout/", "/api/v1/auth/logout-all/"]:
        assert path in schema["paths"], path
    assert "code" in schema["components"]["schemas"]["TokenRequest"]["properties"]
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert scheme["in"] == "header" and scheme["name"] == "Authorization" and "Token" in scheme["description"]
    assert {"tokenAuth": []} in schema["paths"]["/api/v1/auth/tokens/"]["get"]["security"]
