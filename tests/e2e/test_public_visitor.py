"""An anonymous visitor on a phone (390×844), as issue 13's "done when" asks: filters the project listing,
opens the map of the same set and sees its marker, opens a project's page and sees the money, the expenses
and the progress chart, then downloads the OC4IDS package and the projects CSV from /datos/.

The listing and the map are built with this test; the project page, /datos/ and the downloads are built in
parallel by others and are reached here only through their fixed URL names and hooks (marked «others»)."""

import csv
import io
import json

import pytest
from django.urls import reverse

from projects import services
from projects.workflow import ReportAction
from tests.projects.conftest import two_tranche_call
from tests.projects.execution_helpers import in_execution_project, photo, record_invoice, verify
from tests.projects.helpers import staff_people
from tests.public.listing_world import funded, unit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def public_world(boroughs):
    """A project in works in Iztapalapa with a verified expense and an endorsed progress report, and a
    second funded project in Coyoacán (the filter must leave it out)."""
    from neighbourhoods.models import Borough, Neighbourhood

    people = staff_people()
    call = two_tranche_call(year=2030)
    works = in_execution_project(call, people)
    Neighbourhood.objects.filter(pk=works.project.neighbourhood_id).update(
        borough=Borough.objects.get(inegi_code="007"), latitude=19.351, longitude=-99.061)
    verify(works, record_invoice(works, concept="Cemento gris"), people["finance"])
    report = services.progress_report_submit(actor=works.admin, project_id=works.project.pk, physical_percent=30,
                                             summary="Se coló la losa.", photos=[photo()])
    services.progress_report_transition(actor=works.supervision, report_id=report.pk, action=ReportAction.ENDORSE)
    other = funded(call, unit(Borough.objects.get(inegi_code="003"), "03-777", point=(19.33, -99.16)),
                   title="Luminarias de Coyoacán")
    return works.refresh(), other


def test_an_anonymous_visitor_follows_a_project_from_the_listing_to_the_open_data(page, public_world):
    project, other = public_world

    # The listing, filtered by borough through the folded GET form.
    page.goto(reverse("public:project_list"))
    assert page.locator(".result-count").inner_text().startswith("2 ")
    assert fits(page)
    page.locator("details.filter-box > summary").click()
    page.locator("#id_borough").select_option("007")
    page.locator("form.public-filters button[type=submit]").click()
    page.wait_for_url("**/proyectos/?*borough=007*")
    assert page.locator(".result-count").inner_text().startswith("1 ")
    rows = page.locator("table.public-projects tbody tr")
    assert rows.count() == 1 and project.title in rows.inner_text() and other.title not in page.content()
    assert rows.locator("progress").count() == 2  # physical (the endorsed 30 %) and financial
    assert fits(page)

    # The map of the same set: one marker, whose popup links to the project.
    page.locator(f'a[href^="{reverse("public:project_map")}?"]').click()
    page.wait_for_url("**/proyectos/mapa/?*borough=007*")
    marker = page.locator("#mapa .leaflet-marker-icon")
    marker.first.wait_for()
    assert marker.count() == 1 and page.locator("#mapa .marker-cluster").count() == 0
    assert fits(page)
    marker.first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert project.title in popup.inner_text()
    popup.get_by_role("link", name=project.title).click()

    # «others»: the project page (public:project) with its fixed hooks.
    page.wait_for_url(f"**{reverse('public:project', args=[project.code])}")
    assert page.locator("section#dinero").is_visible()
    assert page.locator("section#gastos table").is_visible()
    assert "Cemento gris" in page.locator("section#gastos").inner_text()
    assert page.locator("svg.progress-chart").count() == 1
    assert fits(page)

    # «others»: /datos/ links to the OC4IDS package and the projects CSV; both download and parse.
    page.goto(reverse("opendata:index"))
    assert fits(page)
    for filename in ("oc4ids.json", "proyectos.csv"):
        link = page.locator(f'a[href^="{reverse("opendata:download", args=[filename])}"]').first
        response = page.request.get(link.get_attribute("href"))
        assert response.status == 200, filename
        if filename == "oc4ids.json":
            package = json.loads(response.body())
            assert project.code in json.dumps(package, ensure_ascii=False)
        else:
            text = response.body().decode("utf-8-sig")
            assert any(project.code in row for row in csv.reader(io.StringIO(text)))
