import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from neighbourhoods.models import Borough
from tests.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_boroughs_are_public_and_complete(api):
    response = api.get("/api/v1/boroughs/")
    assert response.status_code == 200
    names = {b["name"] for b in response.json()}
    assert len(names) == 16 and "Álvaro Obregón" in names and "Gustavo A. Madero" in names


def test_neighbourhood_filters(api):
    iztapalapa = Borough.objects.get(inegi_code="007")
    coyoacan = Borough.objects.get(inegi_code="003")
    NeighbourhoodFactory(key="07-001", borough=iztapalapa, name="Aculco (Pueblo)", official_name="ACULCO (PBLO)",
                         stratum="bajo")
    NeighbourhoodFactory(key="07-002", borough=iztapalapa, name="Albarradas", official_name="ALBARRADAS",
                         stratum="alto")
    NeighbourhoodFactory(key="03-001", borough=coyoacan, name="Ajusco", official_name="AJUSCO", stratum="bajo")

    def keys(query):
        response = api.get(f"/api/v1/neighbourhoods/?{query}")
        assert response.status_code == 200
        return sorted(item["key"] for item in response.json()["results"])

    assert keys("borough=007") == ["07-001", "07-002"]
    assert keys("stratum=bajo") == ["03-001", "07-001"]
    assert keys("borough=007&stratum=bajo") == ["07-001"]
    assert keys("name=aculco") == ["07-001"]
    assert keys("name=Acúlco") == ["07-001"]  # accents optional
    assert keys("name=07-00") == ["07-001", "07-002"]
    bad = api.get("/api/v1/neighbourhoods/?stratum=regular")
    assert bad.status_code == 400 and "stratum" in bad.json()
    detail = api.get("/api/v1/neighbourhoods/07-001/")
    assert detail.json()["borough"]["name"] == "Iztapalapa"
    assert api.get("/api/v1/neighbourhoods/99-999/").status_code == 404


@pytest.mark.parametrize("rows", [1, 60])
def test_neighbourhood_list_query_count_does_not_grow(api, rows):
    NeighbourhoodFactory.create_batch(rows)
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/neighbourhoods/").status_code == 200
    assert len(queries) <= 3


def test_writes_are_refused(api):
    assert api.post("/api/v1/boroughs/", {}).status_code in (401, 403, 405)
