"""The public statistics (/estadisticas/): the figures by year, borough, state and stratum for a world built
through the real services (two boroughs, two years, proposals sent and drafts, money released, proved and
refunded), the year selector, the CSV of each table, refusals in Spanish, and a query count that does not
grow with the projects."""

import csv
import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from neighbourhoods.models import Stratum
from projects import services
from projects.public.statistics import statistics
from projects.public.statistics_charts import Series, bar_chart
from projects.workflow import ProjectAction
from proposals.models import Call, Proposal
from proposals.services import proposal_create
from proposals.workflow import CallState, ProposalState
from tests.factories import BoroughFactory, CommunityGroupFactory, NeighbourhoodFactory, UserFactory, make_open_call
from tests.projects.conftest import two_tranche_call
from tests.projects.execution_helpers import in_execution_project, record_invoice, verify
from tests.projects.helpers import selected_project, staff_people

pytestmark = pytest.mark.django_db
S = ProposalState
URL = "/estadisticas/"


def proposal(call, unit, status, *, sent=True) -> Proposal:
    """A proposal of `call` in `unit` standing in `status`; a sent one has its folio (the selection itself is
    tested elsewhere)."""
    representative = UserFactory()
    group = CommunityGroupFactory(neighbourhood=unit, representative=representative)
    made = proposal_create(actor=representative, call=call, group=group, title=f"Propuesta {unit.key}")
    number = Proposal.objects.filter(call=call).exclude(folio="").count() + 1
    Proposal.objects.filter(pk=made.pk).update(
        status=status, neighbourhood=unit, folio=f"P-{call.fiscal_year}-{number:05d}" if sent else "",
        submitted_at=timezone.now() if sent else None)
    return made


@pytest.fixture
def people(db):
    return staff_people()


@pytest.fixture
def units(db):
    coyoacan = BoroughFactory(inegi_code="003", iecm_number="03", name="Coyoacán", official_name="COYOACAN")
    return {"iztapalapa": NeighbourhoodFactory(stratum=Stratum.LOW, population=3000),
            "coyoacan": NeighbourhoodFactory(borough=coyoacan, key="03-001", stratum=Stratum.MEDIUM, population=2000),
            # A unit without a census figure adds nothing to its borough's population.
            "coyoacan_unknown": NeighbourhoodFactory(borough=coyoacan, key="03-002", stratum=Stratum.MEDIUM,
                                                     population=None)}


@pytest.fixture
def world(people, units):
    """2031: Iztapalapa — a project paid 700,000 of 1,000,000, 116,000 proved, cancelled and 584,000 refunded
    (its unit, made by the helper, has 1,000 inhabitants and stratum low), a proposal sent and a draft;
    Coyoacán — a project of 850,000 not yet paid and a proposal not selected.
    2030: Coyoacán — a project of 1,200,000 and a proposal waitlisted.
    2032: a published call without proposals; 2033: a draft call (nobody's business yet)."""
    call = two_tranche_call(year=2031)
    works = in_execution_project(call, people)
    verify(works, record_invoice(works, subtotal=Decimal("100000.00")), people["finance"])
    services.project_transition(actor=people["coordinator"], project_id=works.project.pk,
                                action=ProjectAction.CANCEL, note="Abandono de la obra.")
    services.refund_record(actor=people["finance"], project_id=works.project.pk, transfer_reference="R-1",
                           transfer_date=timezone.localdate())
    proposal(call, units["iztapalapa"], S.SUBMITTED)
    proposal(call, units["iztapalapa"], S.DRAFT, sent=False)  # never sent: in no figure
    selected_project(call, amount=Decimal("850000.00"), unit=units["coyoacan"])
    proposal(call, units["coyoacan"], S.NOT_SELECTED)
    earlier = two_tranche_call(year=2030)
    selected_project(earlier, amount=Decimal("1200000.00"), unit=units["coyoacan"])
    proposal(earlier, units["coyoacan"], S.WAITLISTED)
    make_open_call(year=2032)
    make_open_call(year=2033)
    Call.objects.filter(fiscal_year=2033).update(status=CallState.DRAFT)
    return works


def by_name(table) -> dict:
    return {str(row[table.columns[0].key]): row for row in table.rows}


def figures_of(row: dict, *keys) -> list:
    return [row[key] for key in keys]


MONEY = ("received", "selected", "approved", "released", "verified", "refunded")


def test_the_figures_by_year_and_borough_count_sent_proposals_and_every_peso(world):
    tables = statistics(None, [2030, 2031, 2032]).tables
    years = by_name(tables["anios"])
    assert list(years) == ["2030", "2031", "2032"]
    assert figures_of(years["2031"], *MONEY, "projects") == [
        4, 2, Decimal("1850000.00"), Decimal("700000.00"), Decimal("116000.00"), Decimal("584000.00"), 2]
    assert figures_of(years["2030"], *MONEY) == [2, 1, Decimal("1200000.00"), 0, 0, 0]
    # A year without a funded project has no money figures yet (shown as «not yet»), not $0.
    assert figures_of(years["2032"], *MONEY) == [0, 0, None, None, None, None]

    boroughs = by_name(tables["alcaldias"])
    assert len(boroughs) == 16  # every borough, those that received nothing too
    assert figures_of(boroughs["Iztapalapa"], *MONEY, "population", "per_person") == [
        2, 1, Decimal("1000000.00"), Decimal("700000.00"), Decimal("116000.00"), Decimal("584000.00"), 4000,
        Decimal("250.00")]
    assert figures_of(boroughs["Coyoacán"], *MONEY, "population", "per_person") == [
        4, 2, Decimal("2050000.00"), 0, 0, 0, 2000, Decimal("1025.00")]
    assert figures_of(boroughs["Tlalpan"], "received", "approved", "population", "per_person") == [
        0, Decimal("0.00"), None, None]
    assert [row["name"] for row in tables["alcaldias"].rows][:3] == ["Álvaro Obregón", "Azcapotzalco",
                                                                     "Benito Juárez"]
    total = tables["alcaldias"].total
    assert figures_of(total, *MONEY, "population", "per_person") == [
        6, 3, Decimal("3050000.00"), Decimal("700000.00"), Decimal("116000.00"), Decimal("584000.00"), 6000,
        Decimal("508.33")]


def test_projects_by_state_and_money_by_stratum(world):
    tables = statistics(None, [2030, 2031, 2032]).tables
    states = {row["code"]: row for row in tables["estados"].rows}
    assert figures_of(states["cancelled"], "projects", "approved") == [1, Decimal("1000000.00")]
    assert figures_of(states["committees_pending"], "projects", "approved") == [2, Decimal("2050000.00")]
    assert figures_of(states["closed"], "projects", "approved") == [0, Decimal("0.00")]
    assert tables["estados"].total["projects"] == 3
    strata = {row["code"]: row for row in tables["estratos"].rows}
    assert list(strata) == ["muy_bajo", "bajo", "medio", "alto"]  # from the lowest; no «Sin estrato» row
    assert figures_of(strata["bajo"], "projects", "approved", "released", "verified", "population",
                      "per_person") == [1, Decimal("1000000.00"), Decimal("700000.00"), Decimal("116000.00"), 4000,
                                        Decimal("250.00")]
    assert figures_of(strata["medio"], "projects", "approved", "population", "per_person") == [
        2, Decimal("2050000.00"), 2000, Decimal("1025.00")]
    assert figures_of(strata["alto"], "projects", "approved", "population", "per_person") == [
        0, Decimal("0.00"), None, None]


def test_the_page_shows_every_table_with_its_chart_and_download(client, world):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for slug in ("anios", "alcaldias", "estados", "estratos"):
        assert f'id="{slug}"' in html and f"/estadisticas/{slug}.csv" in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="stats-chart"') == 6
    assert html.count("<caption>") == 4 and 'scope="col"' in html and 'scope="row"' in html
    assert "$1,850,000.00" in html and "$584,000.00" in html and "$1,025.00" in html
    assert "Aún no hay proyectos</span>" in html  # 2032's money, in the table and in the chart's words
    assert "2032: Aprobado aún no hay proyectos, Ministrado aún no hay proyectos" in html
    assert "Sin dato de población" in html  # the boroughs without any census figure
    # The draft call's year is not offered; every year is by default.
    assert '<option value="2033"' not in html and '<option value="2032"' in html
    assert re.search(r'<option value="">Todos los años</option>', html)
    # Each row with projects opens the public listing filtered the same way; a row without any does not.
    for query in ("year=2031", "borough=003", "status=cancelled", "stratum=bajo"):
        assert f'<a href="/proyectos/?{query}">' in html
    assert "/proyectos/?year=2032" not in html and "/proyectos/?borough=012" not in html  # nothing in Tlalpan


def test_the_year_selector_narrows_every_table_and_download(client, world):
    response = client.get(URL, {"year": "2031"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="2031" selected>' in html and "/estadisticas/alcaldias.csv?year=2031" in html
    assert '<a href="/proyectos/?borough=003&amp;year=2031">Coyoacán</a>' in html
    tables = response.context["figures"].tables
    assert [row["year"] for row in tables["anios"].rows] == [2031]
    assert html.count("<tfoot>") == 3  # one year is its own total; the other tables keep theirs
    coyoacan = by_name(tables["alcaldias"])["Coyoacán"]
    assert figures_of(coyoacan, *MONEY, "per_person") == [2, 1, Decimal("850000.00"), 0, 0, 0, Decimal("425.00")]
    assert tables["estados"].total["projects"] == 2
    empty = client.get(URL, {"year": "2032"}).content.decode()
    assert "Aún no hay propuestas enviadas en la convocatoria 2032." in empty


def test_before_any_project_only_the_proposals_are_drawn(client, world):
    from projects.models import Project

    Project.objects.filter(call__fiscal_year=2030).delete()  # 2030 keeps its proposals, loses its project
    html = client.get(URL, {"year": "2030"}).content.decode()
    assert html.count('class="stats-chart"') == 1 and 'id="grafica-propuestas-anio-title"' in html
    assert html.count("Aún no hay proyectos financiados.") == 2  # in place of the states and strata
    assert "Aún no hay proyectos</span>" in html  # every borough's money in the table


@pytest.mark.parametrize("typed", ["1999", "2033", "dos mil", "2031.5"])
def test_a_year_without_a_published_call_is_a_clear_error_next_to_the_selector(client, world, typed):
    response = client.get(URL, {"year": typed})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"No hay una convocatoria publicada del año «{typed}». Elige un año de la lista." in html
    assert 'class="field-error"' in html and 'aria-invalid="true"' in html
    assert "<table" not in html  # no figures of a set nobody asked for
    refused = client.get(f"/estadisticas/alcaldias.csv?year={typed}")
    assert refused.status_code == 400 and "No hay una convocatoria publicada" in refused.content.decode()


def test_an_unknown_table_is_not_found(client, world):
    assert client.get("/estadisticas/personas.csv").status_code == 404


class TableText(HTMLParser):
    """The text of each row of the table under `caption`'s section: header cell first."""

    def __init__(self, section_id):
        super().__init__()
        self.section_id, self.inside, self.in_body, self.rows, self.cell = section_id, False, False, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("id") == self.section_id:
            self.inside = True
        elif self.inside and tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.in_body = False
        elif tag == "section":
            self.inside = False
        elif self.in_body and tag in ("th", "td") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def plain(text: str) -> str:
    """A page's figure as the CSV writes it: $1,850,000.00 → 1850000.00; «not yet» → empty."""
    if text in ("Aún no hay proyectos", "Sin dato de población", "Sin dato"):
        return ""
    return text.replace("$", "").replace(",", "")


@pytest.mark.parametrize("slug", ["anios", "alcaldias", "estados", "estratos"])
@pytest.mark.parametrize("query", ["", "?year=2031"])
def test_each_csv_opens_in_a_spreadsheet_and_matches_its_table(client, world, slug, query):
    response = client.get(f"/estadisticas/{slug}.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="estadisticas-{slug}{query.replace("?year=", "-")}.csv"')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # so spreadsheet programs read the accents
    header, *rows = list(csv.reader(io.StringIO(text[1:])))
    page = client.get(f"{URL}{query}")
    parser = TableText(slug)
    parser.feed(page.content.decode())
    assert len(parser.rows) == len(rows) > 0
    assert header == [str(c.label) for c in page.context["figures"].tables[slug].columns]
    assert [[plain(cell) for cell in row] for row in parser.rows] == rows


def test_the_csv_of_years_says_which_money_does_not_exist_yet(client, world):
    text = client.get("/estadisticas/anios.csv").content.decode("utf-8")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text[1:]))}
    assert rows["Año"] == ["Año", "Propuestas recibidas", "Propuestas seleccionadas", "Proyectos", "Aprobado",
                           "Ministrado", "Comprobado", "Reintegrado"]
    assert rows["2031"] == ["2031", "4", "2", "2", "1850000.00", "700000.00", "116000.00", "584000.00"]
    assert rows["2032"] == ["2032", "0", "0", "0", "", "", "", ""]


def test_before_any_proposal_the_page_says_so(client, db):
    make_open_call(year=2040)
    html = client.get(URL).content.decode()
    assert "Aún no hay propuestas enviadas." in html and "<table" not in html


def test_the_queries_do_not_grow_with_the_projects(client, units, people, django_assert_max_num_queries):
    call = two_tranche_call(year=2031)
    selected_project(call, amount=Decimal("900000.00"), unit=units["coyoacan"])
    proposal(call, units["iztapalapa"], S.SUBMITTED)
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL).status_code == 200
    other = two_tranche_call(year=2030)
    for number in range(6):  # more projects, years, boroughs, strata (one unit without a stratum)
        borough = BoroughFactory(inegi_code=f"01{number}")
        unit = NeighbourhoodFactory(borough=borough, key=f"1{number}-001",
                                    stratum=[*Stratum.values, ""][number % 5])
        selected_project(other if number % 2 else call, amount=Decimal("800000.00"), unit=unit)
        proposal(call, unit, S.NOT_SELECTED)
    with django_assert_max_num_queries(len(one)), CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert len(many) == len(one) <= 6  # the years, proposals, projects, boroughs, strata (+ nothing per row)
    assert response.context["figures"].tables["estados"].total["projects"] == 7
    assert client.get("/estadisticas/estratos.csv").status_code == 200


def test_a_chart_draws_bars_to_scale_says_every_figure_and_escapes_names():
    svg = str(bar_chart(chart_id="c", title="Prueba <b>", categories=["A & B", "C"],
                        series=[Series("Aprobado", [Decimal("100"), Decimal("50")], "#1f4e79"),
                                Series("Ministrado", [None, Decimal("25")], "#2e7d32")]))
    widths = [float(w) for w in re.findall(r'class="bar" x="0" y="[\d.]+" width="([\d.]+)"', svg)]
    assert widths == [282.0, 141.0, 70.5]  # 100 fills the plot; None draws no bar
    assert "Prueba &lt;b&gt;" in svg and "A &amp; B" in svg and "<b>" not in svg
    assert "A &amp; B: Aprobado $100.00, Ministrado —. C: Aprobado $50.00, Ministrado $25.00." in svg
    assert 'role="img"' in svg and 'aria-labelledby="c-title c-desc"' in svg
