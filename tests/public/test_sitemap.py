"""sitemap.xml lists the public pages and every project page on the site's address; robots.txt keeps crawlers
out of what needs an account and points to the sitemap."""

import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree

from nicp import public_index
from projects.models import Project
from proposals.workflow import CallState
from tests.factories import make_open_call
from tests.projects.helpers import selected_project

SITE = "https://barrio.example.mx"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.NICP_SITE_URL = SITE


def locations(response) -> dict[str, str | None]:
    """loc → lastmod of a sitemap answer, parsed as XML (a parse error fails the test)."""
    root = etree.fromstring(response.content, etree.XMLParser(resolve_entities=False, no_network=True))
    assert root.tag == f"{{{NS['s']}}}urlset"
    return {url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
            for url in root.findall("s:url", NS)}


def test_the_sitemap_lists_the_public_pages_the_calls_and_every_project(db):
    call = make_open_call(year=2031)
    draft = make_open_call(year=2032)
    draft.__class__.objects.filter(pk=draft.pk).update(status=CallState.DRAFT)
    projects = [selected_project(call) for _ in range(3)]
    call.__class__.objects.filter(pk=call.pk).update(status=CallState.RESULTS_PUBLISHED)
    response = Client().get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    found = locations(response)
    for path in ("/", "/proyectos/", "/proyectos/mapa/", "/estadisticas/", "/datos/", "/datos/diccionario/",
                 "/convocatorias/", "/territorio/", f"/convocatorias/{call.pk}/"):
        assert SITE + path in found, path
    for project in projects:
        project.refresh_from_db()
        loc = f"{SITE}/proyectos/{project.code}/"
        # The sitemap writes the day in the site's time zone (Mexico City), as its template's date filter does.
        assert found[loc] == timezone.localtime(project.updated_at).strftime("%Y-%m-%d")
    # Its results are published, so its results page is listed; nothing of the draft call.
    assert f"{SITE}/convocatorias/{call.pk}/resultados/" in found
    assert not [loc for loc in found if f"/convocatorias/{draft.pk}/" in loc]


def test_the_sitemap_uses_the_site_address_not_the_host_that_asked(db):
    response = Client(HTTP_HOST="localhost").get("/sitemap.xml")
    assert all(loc.startswith(SITE + "/") for loc in locations(response))


def test_no_private_page_is_in_the_sitemap(db):
    selected_project(make_open_call(year=2031))
    found = locations(Client().get("/sitemap.xml"))
    private = ("/admin/", "/accounts/", "/api/", "/seguimiento/", "/reportes/", "/avisos/", "/inicio/", "/perfil/",
               "/propuestas/", "/comites/", "/grupos/", "/revision/")
    assert [loc for loc in found if any(loc.startswith(SITE + prefix) for prefix in private)] == []
    for loc in found:  # and no listed page sends a visitor to sign in or refuses them
        assert Client().get(loc.removeprefix(SITE)).status_code not in (302, 403), loc


def test_more_projects_than_a_page_holds_go_on_numbered_pages_named_in_robots(db, monkeypatch):
    monkeypatch.setattr(public_index.ProjectSitemap, "limit", 2)
    call = make_open_call(year=2031)
    for _ in range(5):
        selected_project(call)
    client = Client()
    pages = [locations(client.get("/sitemap.xml", {"p": number})) for number in (1, 2, 3)]
    expected = {f"{SITE}/proyectos/{code}/" for code in Project.objects.values_list("code", flat=True)}
    project_locs = [loc for page in pages for loc in page if loc in expected]
    assert sorted(project_locs) == sorted(expected)  # each once, none missing
    assert SITE + "/estadisticas/" in pages[0] and SITE + "/estadisticas/" not in pages[1]
    assert client.get("/sitemap.xml", {"p": 4}).status_code == 404
    assert client.get("/sitemap.xml", {"p": "x"}).status_code == 404
    robots = client.get("/robots.txt").content.decode()
    assert [line for line in robots.splitlines() if line.startswith("Sitemap:")] == [
        f"Sitemap: {SITE}/sitemap.xml", f"Sitemap: {SITE}/sitemap.xml?p=2", f"Sitemap: {SITE}/sitemap.xml?p=3"]


def test_robots_allows_the_public_pages_and_disallows_what_needs_an_account(db):
    response = Client().get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Allow: /api/v1/public/" in lines
    for path in ("/admin/", "/accounts/", "/api/", "/seguimiento/", "/reportes/", "/avisos/", "/inicio/"):
        assert f"Disallow: {path}" in lines, path
    disallowed = [line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow: ")]
    for public in ("/proyectos/", "/estadisticas/", "/datos/", "/convocatorias/", "/territorio/", "/sitemap.xml"):
        assert not any(public.startswith(prefix) for prefix in disallowed), public
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


@pytest.mark.parametrize("url", ["/sitemap.xml", "/robots.txt"])
def test_both_are_read_only(db, url):
    assert Client().post(url).status_code == 405
