"""The public listing /proyectos/: every funded project, the shared filters in a GET form, sorts, ids-first
pages, the public figures of each row and nothing personal about the group behind it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.public.listing_world import funded, many_projects, small_world, unit

pytestmark = pytest.mark.django_db

LIST = "/proyectos/"


@pytest.fixture
def world(db):
    return small_world()


def titles(response) -> list[str]:
    return [row["title"] for row in response.context["page"].object_list]


def test_the_url_names_are_the_fixed_ones():
    assert reverse("public:project_list") == LIST
    assert reverse("public:project_map") == "/proyectos/mapa/"


def test_every_funded_project_is_listed_with_its_public_figures(client, world):
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 proyectos" in html
    assert titles(response) == ["Centro comunitario Ejidos", "Luminarias del Centro", "Parque Las Águilas"]
    park = world["park"]
    row = html[html.index(f'href="/proyectos/{park.code}/"'):]
    row = row[:row.index("</tr>")]
    assert "Parque Las Águilas" in row and "Colonia 07-101" in row and "Iztapalapa" in row
    assert "$1,000,000.00" in row and "En ejecución" in row
    assert '<progress max="100" value="40.00"' in row and "40.0 %" in row  # physical, from the endorsed report
    assert '<progress max="100" value="35.0"' in row and "35.0 %" in row  # financial: 350,000 of 1,000,000


def test_a_figure_that_does_not_exist_yet_says_so_rather_than_zero(client, world):
    html = client.get(LIST, {"q": world["centre"].code}).content.decode()
    cell = html[html.index('class="progress-cell"'):]
    cell = cell[:cell.index("</td>")]
    assert cell.count("Sin reportar") == 2 and "<progress" not in cell and "0.0 %" not in cell


@pytest.mark.parametrize(("query", "expected"), [
    ({"year": "2029"}, ["Parque Las Águilas"]),
    ({"year": "2030"}, ["Centro comunitario Ejidos", "Luminarias del Centro"]),
    ({"borough": "003"}, ["Luminarias del Centro"]),
    ({"borough": "007"}, ["Centro comunitario Ejidos", "Parque Las Águilas"]),
    ({"unit": "07-303"}, ["Centro comunitario Ejidos"]),
    ({"type": "lighting"}, ["Luminarias del Centro"]),
    ({"status": "in_execution"}, ["Parque Las Águilas"]),
    ({"stratum": "medio"}, ["Luminarias del Centro"]),
    ({"q": "luminarias"}, ["Luminarias del Centro"]),
    ({"year": "2030", "borough": "007"}, ["Centro comunitario Ejidos"]),
    ({"stratum": "alto"}, []),
])
def test_each_filter_narrows_the_list(client, world, query, expected):
    response = client.get(LIST, query)
    assert response.status_code == 200
    assert titles(response) == expected
    assert response.context["total"] == len(expected)


def test_the_search_finds_a_project_by_its_code_whole_or_in_part(client, world):
    code = world["lights"].code
    assert titles(client.get(LIST, {"q": code.lower()})) == ["Luminarias del Centro"]
    assert titles(client.get(LIST, {"q": code[-7:]})) == ["Luminarias del Centro"]  # «2030-0002»: its year and number
    assert titles(client.get(LIST, {"q": "PCMB-1999"})) == []


def test_the_count_speaks_of_one_project_in_the_singular(client, world):
    assert "1 proyecto</p>" in client.get(LIST, {"year": "2029"}).content.decode()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("year", "dos mil", "Escribe un número entero."),
    ("year", "2025.5", "Escribe un número entero."),
    ("borough", "999", "No hay una alcaldía con esa clave."),
    ("unit", "07-999", "No hay una unidad territorial con esa clave (formato 07-123)."),
    ("status", "terminado", "terminado"),
    ("sort", "al-azar", "al-azar"),
])
def test_a_bad_value_is_a_400_with_the_error_by_its_field_and_the_form_as_typed(client, world, field, value,
                                                                                message):
    response = client.get(LIST, {field: value, "year": "2030"} if field != "year" else {field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Revisa los filtros marcados" in html
    assert '<details class="filter-box" open>' in html  # the folded form opens to show what to fix
    error = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    assert error and message in error.group(1)
    assert f'aria-describedby="id_{field}_error"' in html
    if field in ("year", "unit"):  # typed into a text box: kept as typed
        assert f'value="{value}"' in html
    assert titles(response) == [] and "Corrige los filtros para ver los proyectos." in html
    if field != "year":
        assert '<input type="number" name="year" value="2030"' in html  # the valid filters are kept too


@pytest.mark.parametrize(("sort", "expected"), [
    ("recientes", ["Centro comunitario Ejidos", "Luminarias del Centro", "Parque Las Águilas"]),
    ("monto", ["Luminarias del Centro", "Centro comunitario Ejidos", "Parque Las Águilas"]),
    ("avance", ["Luminarias del Centro", "Parque Las Águilas", "Centro comunitario Ejidos"]),
])
def test_the_sorts(client, world, sort, expected):
    assert titles(client.get(LIST, {"sort": sort})) == expected


def test_the_amount_sort_breaks_ties_newest_first(client, world):
    call = world["park"].call
    same = funded(call, unit(world["park"].neighbourhood.borough, "07-909"), title="Otro parque")
    assert titles(client.get(LIST, {"sort": "monto"}))[2:] == ["Otro parque", "Parque Las Águilas"]
    assert same.approved_amount == world["park"].approved_amount


def test_the_form_works_without_javascript_and_keeps_the_applied_filters(client, world):
    html = client.get(LIST, {"year": "2030", "borough": "007", "sort": "monto"}).content.decode()
    form = html[html.index('<form method="get" action="/proyectos/"'):]
    form = form[:form.index("</form>")]
    for name in ("year", "borough", "unit", "type", "status", "stratum", "q", "sort"):
        assert f'name="{name}"' in form
        assert f'<label for="id_{name}">' in form
    assert '<button type="submit">' in form
    assert 'value="2030"' in form
    assert '<option value="007" selected>' in form and '<option value="monto" selected>' in form
    assert "<script" not in html  # the listing needs no JavaScript at all
    assert '<details class="filter-box">' in html and "2 filtros aplicados" in html  # sort is no filter


def test_links_to_the_map_and_the_downloads_carry_the_same_filters(client, world):
    html = client.get(LIST, {"year": "2030", "type": "lighting", "page": "1"}).content.decode()
    query = "year=2030&amp;type=lighting"
    assert f'href="/proyectos/mapa/?{query}"' in html
    assert f'href="{reverse("opendata:download", args=["proyectos.csv"])}?{query}"' in html
    assert f'href="{reverse("opendata:download", args=["proyectos.geojson"])}?{query}"' in html
    unfiltered = client.get(LIST).content.decode()
    assert 'href="/proyectos/mapa/"' in unfiltered and 'href="/datos/proyectos.csv"' in unfiltered


def test_the_listing_describes_itself_for_search_engines_and_shared_links(client, world):
    html = client.get(LIST, {"year": "2029"}).content.decode()
    assert re.search(r'<meta name="description" content="[^"]+financió[^"]+">', html)
    assert '<meta property="og:title" content="Proyectos financiados · Mejoramiento Barrial">' in html
    assert '<meta property="og:type" content="website">' in html
    assert '<meta property="og:url" content="http://testserver/proyectos/?year=2029">' in html


def test_no_personal_data_of_the_group_reaches_the_page(client, world):
    html = client.get(LIST).content.decode() + client.get("/proyectos/mapa/").content.decode()
    for project in world.values():
        group = project.group
        representative = group.memberships.get().user
        for private in (group.name, representative.full_name, representative.email):
            assert private not in html


def test_the_public_menu_and_the_home_page_link_the_public_side(client, world):
    html = client.get(reverse("home")).content.decode()
    nav = html[html.index('<nav aria-label="Navegación principal">'):]
    nav = nav[:nav.index("</nav>")]
    main = html[html.index("<main"):]
    for name in ("public:project_list", "public:statistics", "opendata:index"):
        assert f'href="{reverse(name)}"' in nav and f'href="{reverse(name)}"' in main
    assert f'href="{reverse("public:project_map")}"' in main


class TestPages:
    @pytest.fixture
    def thirty(self, db):
        return many_projects(30)

    def test_page_two_continues_page_one_and_keeps_the_filters(self, client, thirty):
        first = client.get(LIST, {"sort": "monto"})
        second = client.get(LIST, {"sort": "monto", "page": "2"})
        expected = [f"Obra {i:02d}" for i in range(29, -1, -1)]
        assert titles(first) + titles(second) == expected
        assert len(titles(second)) == 5 and "30 proyectos" in second.content.decode()
        assert 'href="?sort=monto&amp;page=1"' in second.content.decode()
        assert "Página 2 de 2" in second.content.decode()

    def test_a_page_reads_its_keys_without_joins_then_the_rows_of_those_keys(self, client, thirty):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, {"page": "2"})
        assert titles(response) == [f"Obra {i:02d}" for i in range(4, -1, -1)]
        sql = [q["sql"] for q in queries.captured_queries]
        keys = next(s for s in sql if "OFFSET 25" in s)
        assert "JOIN" not in keys.upper().replace("EXISTS", "")
        rows = next(s for s in sql if " IN (" in s and "neighbourhood" in s)
        assert "OFFSET" not in rows

    def test_a_page_past_the_end_shows_the_last_one(self, client, thirty):
        assert titles(client.get(LIST, {"page": "99"})) == [f"Obra {i:02d}" for i in range(4, -1, -1)]
        assert len(titles(client.get(LIST, {"page": "x"}))) == 25


def test_the_query_count_does_not_grow_with_the_rows(client, django_assert_num_queries):
    many_projects(1)
    query = {"sort": "avance", "year": "2031"}
    with CaptureQueriesContext(connection) as one:
        assert len(titles(client.get(LIST, query))) == 1
    many_projects(29, start=1)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(LIST, query)
    assert len(titles(response)) == 25 and response.context["total"] == 30
