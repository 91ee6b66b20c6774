"""Errors Django answers before DRF sees the request (too many fields, an unknown URL) are JSON under /api/,
with a Spanish message, like every other API error; pages keep their HTML."""

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory


@pytest.fixture
def api(db):
    client = APIClient()
    client.force_authenticate(UserFactory())
    return client


def test_too_many_form_fields_is_a_json_400(api, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = api.post("/api/v1/proposals/", {f"f{n}": "x" for n in range(50)})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "demasiados campos" in response.json()["detail"]


def test_an_unknown_api_url_is_a_json_404(api):
    response = api.get("/api/v1/no-existe/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No existe o no tienes acceso."}


def test_pages_keep_their_html_error_pages(client, db):
    response = client.get("/no-existe/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_missing_object_is_a_spanish_404_that_names_no_model(api):
    response = api.get("/api/v1/proposals/999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No existe o no tienes acceso."}


def test_a_body_that_is_not_json_is_a_spanish_400(api):
    response = api.post("/api/v1/proposals/", "{no es json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON válido" in response.json()["detail"]
