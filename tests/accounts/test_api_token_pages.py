"""The API token page under the profile: list, create (key shown once), revoke; staff only after TOTP."""

import pytest
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.roles import StaffRole
from accounts.tokens import api_token_create
from tests.accounts.totp import enrol_totp, login_with_totp
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PAGE = reverse("accounts:api_tokens")


@pytest.fixture(autouse=True)
def mfa_required(settings):
    settings.NICP_STAFF_MFA_REQUIRED = True


@pytest.fixture
def coordinator(db):
    return UserFactory(email="coordinacion@ejemplo.mx", roles=[StaffRole.COORDINATOR])


def works(key) -> bool:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/v1/auth/tokens/").status_code == 200


def test_applicant_creates_a_token_and_sees_the_key_only_once(client, applicant):
    client.force_login(applicant)
    assert "No tienes tokens activos" in client.get(PAGE).content.decode()
    posted = client.post(PAGE)
    assert posted.status_code == 302 and posted.url == PAGE  # reloading the answer makes no second token
    created = client.get(PAGE)
    assert created.status_code == 200 and created["Cache-Control"] == "no-store"
    token = AuthToken.objects.get(user=applicant)
    shown = created.content.decode().split('<code class="secret">')[1:]
    key = next(word for word in shown if word.startswith(token.token_key))
    key = key.split("</code>")[0]
    assert len(key) == 64 and works(key)
    later = client.get(PAGE).content.decode()
    assert token.token_key in later and key not in later
    assert AuthToken.objects.filter(user=applicant).count() == 1


def test_staff_without_totp_are_sent_to_enrol_and_get_no_token(client, coordinator):
    client.force_login(coordinator)
    response = client.post(PAGE)
    assert response.status_code == 302 and response.url.startswith(reverse("mfa_activate_totp"))
    assert not AuthToken.objects.exists()


def test_staff_session_without_the_totp_step_cannot_create(client, coordinator):
    enrol_totp(coordinator)
    client.force_login(coordinator)  # a session that never passed the TOTP step
    page = client.get(PAGE)
    assert page.status_code == 200 and "código de tu aplicación" in page.content.decode()
    refused = client.post(PAGE)
    assert refused.status_code == 403 and not AuthToken.objects.exists()


def test_staff_who_logged_in_with_totp_create_a_token(client, coordinator):
    secret, _codes = enrol_totp(coordinator)
    login_with_totp(client, coordinator, secret)
    assert client.post(PAGE).status_code == 302
    assert AuthToken.objects.filter(user=coordinator).count() == 1


def test_owner_revokes_one_and_all_others_get_404(client, applicant, other_applicant):
    first, _key = api_token_create(user=applicant, second_factor_verified=False)
    second, second_key = api_token_create(user=applicant, second_factor_verified=False)
    client.force_login(other_applicant)
    assert client.post(reverse("accounts:api_token_revoke", args=[first.token_key])).status_code == 404
    assert client.post(reverse("accounts:api_tokens_revoke_all")).status_code == 302
    assert AuthToken.objects.filter(user=applicant).count() == 2

    client.force_login(applicant)
    response = client.post(reverse("accounts:api_token_revoke", args=[first.token_key]))
    assert response.status_code == 302 and response.url == PAGE
    assert list(AuthToken.objects.filter(user=applicant)) == [second] and works(second_key)
    client.post(reverse("accounts:api_tokens_revoke_all"))
    assert not AuthToken.objects.filter(user=applicant).exists() and not works(second_key)


def test_the_closure_request_page_revokes_tokens(client, applicant):
    api_token_create(user=applicant, second_factor_verified=False)
    client.force_login(applicant)
    client.post(reverse("accounts:profile_closure"), {"reason": "Me mudo"})
    assert not AuthToken.objects.filter(user=applicant).exists()


def test_the_profile_links_to_the_token_page(client, applicant):
    client.force_login(applicant)
    assert PAGE in client.get(reverse("accounts:profile")).content.decode()
