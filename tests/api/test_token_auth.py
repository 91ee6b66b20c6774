import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_token_from_email_and_password_authenticates_requests(applicant):
    api = APIClient()
    response = api.post("/api/v1/auth/token/", {"email": applicant.email.upper(), "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    schema = api.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    assert api.post("/api/v1/auth/token/", {"email": applicant.email, "password": PASSWORD},
                    format="json").json()["token"] == token


@pytest.mark.parametrize("body", [{}, {"email": "no-es-correo", "password": "x"}, {"email": "a@b.mx"}])
def test_token_request_validation_errors_are_400_with_fields(body):
    response = APIClient().post("/api/v1/auth/token/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) <= {"email", "password"} and response.json()


def test_wrong_password_is_refused_and_counts_towards_lockout(applicant):
    api = APIClient()
    for _ in range(4):
        response = api.post("/api/v1/auth/token/", {"email": applicant.email, "password": "mala"}, format="json")
        assert response.status_code == 400
    fifth = api.post("/api/v1/auth/token/", {"email": applicant.email, "password": "mala"}, format="json")
    assert fifth.status_code == 429
    locked = api.post("/api/v1/auth/token/", {"email": applicant.email, "password": PASSWORD}, format="json")
    assert locked.status_code == 429
    assert "intentos" in locked.json()["detail"]


def test_unverified_account_gets_no_token():
    user = UserFactory(verified=False)
    response = APIClient().post("/api/v1/auth/token/", {"email": user.email, "password": PASSWORD}, format="json")
    assert response.status_code == 403 and "Verifica" in response.json()["detail"]
