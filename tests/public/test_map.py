"""The public map /proyectos/mapa/ and its GeoJSON /proyectos/mapa.geojson: the same filters as the listing,
only mapped projects become markers, Leaflet is served from our own static files with its licence, and the
page answers without JavaScript (the plain list below the map)."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nicp.settings.base import _tile_origin
from tests.public.listing_world import many_projects, small_world

pytestmark = pytest.mark.django_db

MAP, GEOJSON = "/proyectos/mapa/", "/proyectos/mapa.geojson"


@pytest.fixture
def world(db):
    return small_world()


def collection(response) -> dict:
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(b"".join(response.streaming_content))


def codes(data) -> list[str]:
    return [feature["properties"]["code"] for feature in data["features"]]


def test_the_url_name_is_the_fixed_one():
    assert reverse("public:project_geojson") == GEOJSON


def test_the_geojson_parses_and_holds_only_the_mapped_projects(client, world):
    data = collection(client.get(GEOJSON))
    assert data["type"] == "FeatureCollection"
    by_code = {feature["id"]: feature for feature in data["features"]}
    park, lights = world["park"], world["lights"]
    assert set(by_code) == {park.code, lights.code}  # the centre has no point: listed, not mapped
    # GeoJSON positions are longitude first; a site's own point wins over its unit's centroid.
    assert by_code[park.code]["geometry"] == {"type": "Point", "coordinates": [-99.061, 19.351]}
    assert by_code[park.code]["properties"]["location_precision"] == "site"
    assert by_code[lights.code]["geometry"]["coordinates"] == [-99.16, 19.33]
    assert by_code[lights.code]["properties"]["location_precision"] == "unit_centroid"
    props = by_code[park.code]["properties"]
    assert props["url"] == reverse("public:project", args=[park.code])
    assert props["title"] == "Parque Las Águilas" and props["status_label"] == "En ejecución"
    assert props["approved_amount"] == 1000000.0 and props["unit_name"] == "Colonia 07-101"


@pytest.mark.parametrize(("query", "expected"), [
    ({"borough": "003"}, ["lights"]),
    ({"year": "2029"}, ["park"]),
    ({"status": "closed"}, ["lights"]),
    ({"unit": "07-303"}, []),
    ({"sort": "avance"}, ["lights", "park"]),
    ({"sort": "recientes"}, ["lights", "park"]),
])
def test_the_geojson_applies_the_listing_filters(client, world, query, expected):
    assert codes(collection(client.get(GEOJSON, query))) == [world[name].code for name in expected]


def test_a_bad_filter_is_a_400_json_with_a_spanish_message(client, world):
    response = client.get(GEOJSON, {"borough": "999", "year": "mil"})
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["detail"] == "Revisa los filtros: hay valores que no reconocemos."
    assert body["errors"]["borough"] == ["No hay una alcaldía con esa clave."]
    assert body["errors"]["year"] == ["Escribe un número entero."]


def test_the_geojson_labels_follow_the_language(client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = collection(client.get(GEOJSON, {"year": "2029"}))
    assert data["features"][0]["properties"]["status_label"] == "Works under way"


def test_the_geojson_query_count_does_not_grow_with_the_rows(client, django_assert_num_queries):
    many_projects(1)
    with CaptureQueriesContext(connection) as one:
        assert len(collection(client.get(GEOJSON))["features"]) == 1
    many_projects(29, start=1)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(collection(client.get(GEOJSON))["features"]) == 30


def test_the_map_page_query_count_does_not_grow_with_the_rows(client, django_assert_num_queries):
    many_projects(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(MAP).status_code == 200
    many_projects(29, start=1)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(MAP)
    assert len(response.context["page"].object_list) == 30


def test_the_map_page_lists_every_project_and_says_how_many_are_not_mapped(client, world):
    response = client.get(MAP)
    assert response.status_code == 200
    html = response.content.decode()
    listed = html[html.index('<ul class="map-list">'):]
    listed = listed[:listed.index("</ul>")]
    for project in world.values():
        assert f'<a href="/proyectos/{project.code}/">{project.title}</a>' in listed
    assert listed.count("sin ubicación en el mapa") == 1
    assert "3 proyectos; 1 no tiene ubicación: está en la lista, no en el mapa." in html
    assert "1 no tiene" not in client.get(MAP, {"year": "2029"}).content.decode()


def test_the_map_is_fed_by_the_geojson_of_the_same_filters(client, world):
    html = client.get(MAP, {"borough": "007", "sort": "monto", "page": "1"}).content.decode()
    box = re.search(r'<div id="mapa" class="public-map" hidden(.*?)></div>', html, re.S)
    assert box, "the map box is hidden until the script shows it (without JavaScript the list is the way in)"
    assert 'data-geojson="/proyectos/mapa.geojson?borough=007&amp;sort=monto"' in box.group(1)
    assert f'data-tiles="{settings.MAP_TILE_URL}"' in box.group(1)
    assert 'href="/proyectos/?borough=007&amp;sort=monto"' in html  # the same set as a table


def test_the_map_page_keeps_bad_filters_with_their_errors_and_shows_no_map(client, world):
    response = client.get(MAP, {"unit": "nada"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_unit_error"' in html and 'value="nada"' in html
    assert 'id="mapa"' not in html and "Corrige los filtros para ver los proyectos." in html


def test_the_scripts_are_our_own_files_and_the_policy_allows_the_tile_host(client, world):
    response = client.get(MAP)
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="/static/' in attrs for attrs in scripts)  # nothing inline, nothing from a CDN
    assert 'src="/static/vendor/leaflet/leaflet.js"' in html
    assert 'src="/static/vendor/leaflet.markercluster/leaflet.markercluster.js"' in html
    assert 'src="/static/js/public-map.js"' in html
    policy = response["Content-Security-Policy"]
    img_src = next(part for part in policy.split(";") if part.strip().startswith("img-src"))
    assert _tile_origin(settings.MAP_TILE_URL) in img_src
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_the_attribution_is_passed_to_the_map(client, world):
    html = client.get(MAP).content.decode()
    from django.utils.html import escape

    assert f'data-attribution="{escape(settings.MAP_TILE_ATTRIBUTION)}"' in html


def test_every_static_file_the_map_page_uses_exists(client, world):
    html = client.get(MAP).content.decode()
    used = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert len(used) >= 7
    for path in used:
        assert finders.find(path), path


@pytest.mark.parametrize(("folder", "version", "licence"), [
    ("leaflet", '"1.9.4"', "BSD 2-Clause License"),
    ("leaflet.markercluster", "1.5.3", "Permission is hereby granted, free of charge"),
])
def test_leaflet_is_vendored_with_its_licence(folder, version, licence):
    assert licence in Path(finders.find(f"vendor/{folder}/LICENSE")).read_text()
    assert version in Path(finders.find(f"vendor/{folder}/VERSION")).read_text() + \
        Path(finders.find(f"vendor/{folder}/{'leaflet.js' if folder == 'leaflet' else 'leaflet.markercluster.js'}")
             ).read_text()
    if folder == "leaflet":  # the stylesheet's images travel with it
        css = Path(finders.find("vendor/leaflet/leaflet.css")).read_text()
        for image in re.findall(r"url\((images/[^)]+)\)", css):
            assert finders.find(f"vendor/leaflet/{image}"), image
        assert finders.find("vendor/leaflet/images/marker-icon.png")
    else:
        assert finders.find("vendor/leaflet.markercluster/MarkerCluster.Default.css")


def test_the_map_script_never_reads_a_title_as_html():
    script = Path(finders.find("js/public-map.js")).read_text()
    assert "innerHTML" not in script and "textContent = props.title" in script
