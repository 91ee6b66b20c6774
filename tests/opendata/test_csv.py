"""proyectos.csv, ministraciones.csv, gastos.csv and proyectos.geojson, written through their datasets from
projects built with the real services: they parse, every column is documented, formulas are neutralised,
the listing's filters apply, suppliers who are people are not named, and the query count is fixed."""

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from accounts.models import User
from neighbourhoods.models import Neighbourhood
from projects import services
from projects.models import Expense
from projects.public.filters import PublicProjectFilter
from projects.public.geojson import PROPERTIES
from projects.public.querysets import public_projects
from projects.workflow import ExpenseAction, ProjectState
from reports.opendata import dictionary
from reports.opendata.csv_exports import EXPENSE_HEADER, PROJECT_HEADER, TRANCHE_HEADER
from reports.opendata.datasets import all_datasets, dataset
from tests.factories import PDF_BYTES, NeighbourhoodFactory, upload
from tests.projects.conftest import two_tranche_call
from tests.projects.execution_helpers import in_execution_project, record_invoice, verify
from tests.projects.helpers import VALID_CLABE, selected_project, staff_people

CSV_FILES = ("proyectos.csv", "ministraciones.csv", "gastos.csv")
PERSON_RFC = "LOPM800101AB1"  # 13 characters: an individual's


def text(filename, projects=None) -> str:
    chunks = dataset(filename).write(public_projects() if projects is None else projects)
    return "".join(chunk.decode() if isinstance(chunk, bytes) else chunk for chunk in chunks)


def rows(filename, projects=None) -> list[dict]:
    body = text(filename, projects)
    assert body.startswith("\ufeff"), "spreadsheet programs need the BOM to read accents"
    return list(csv.DictReader(io.StringIO(body[1:])))


def placed(works):
    """The unit gets a centroid in the catalogue, so the project is on the map."""
    Neighbourhood.objects.filter(pk=works.project.neighbourhood_id).update(latitude=Decimal("19.357"),
                                                                          longitude=Decimal("-99.072"))
    return works


@pytest.fixture
def people(db):
    return staff_people()


@pytest.fixture
def works(people):
    works = placed(in_execution_project(two_tranche_call(year=2029), people))
    # The group's people, with what must never reach a public file.
    User.objects.filter(memberships__group=works.project.proposal.group).update(
        full_name="Rosa Privada Quintero", phone="5512345678")
    return works


@pytest.fixture
def spent(works, people):
    """Expenses whose words try to run as formulas, a company, an individual, a paid person and a rejection."""
    formula = record_invoice(works, concept='=HYPERLINK("http://malo.example/","clic")',
                             issuer_name="+cmd|' /C calc'!A0", issuer_rfc="CMD010101AB1")
    verify(works, formula, people["finance"])
    record_invoice(works, concept="-2+3", issuer_name="-MATERIALES SA DE CV", issuer_rfc="MEN010101AB1")
    record_invoice(works, concept="@SUM(A1:A9)", issuer_name="@ARENAS SA DE CV", issuer_rfc="ARE010101AB1")
    record_invoice(works, concept="Pintura", issuer_name="MARIA LOPEZ PRIVADA", issuer_rfc=PERSON_RFC)
    services.expense_record_simple(
        actor=works.admin, project_id=works.project.pk, budget_line_id=works.lines[1].pk,
        spent_on=timezone.localdate(), supplier="Juan Albañil Privado", concept="Jornales",
        amount=Decimal("1500.00"), receipt=upload("recibo.pdf", PDF_BYTES))
    rejected = record_invoice(works, concept="Gasto rechazado", issuer_name="RECHAZOS SA DE CV",
                              issuer_rfc="REC010101AB1")
    services.expense_transition(actor=works.supervision, expense_id=rejected.pk, action=ExpenseAction.REJECT,
                                note="No corresponde al proyecto")
    return works


def test_every_csv_parses_with_its_documented_header(spent):
    for filename, header in zip(CSV_FILES, (PROJECT_HEADER, TRANCHE_HEADER, EXPENSE_HEADER), strict=True):
        body = text(filename)
        reader = csv.reader(io.StringIO(body[1:]))
        assert tuple(next(reader)) == header
        documented = [column.name for column in dictionary.section(filename).columns]
        assert list(header) == documented, f"{filename}: every column, in order, is in the dictionary"
        assert all(len(line) == len(header) for line in reader)


def test_the_geojson_parses_and_its_properties_are_documented(spent):
    collection = json.loads(text("proyectos.geojson"))
    assert collection["type"] == "FeatureCollection"
    documented = {column.name for column in dictionary.section("proyectos.geojson").columns}
    assert set(PROPERTIES) | {"url"} == documented
    assert len(collection["features"]) == 1
    for feature in collection["features"]:
        assert set(feature["properties"]) <= documented
        assert feature["properties"]["url"].endswith(f"/proyectos/{feature['id']}/")


def test_every_registered_file_has_a_dictionary_section():
    anchors = {section.anchor for section in dictionary.SECTIONS}
    for name in ("proyectos.csv", "ministraciones.csv", "gastos.csv", "proyectos.geojson"):
        assert all_datasets()[name].dictionary in anchors


def test_the_projects_row_says_what_the_public_record_says(spent, people):
    [row] = rows("proyectos.csv")
    project = spent.refresh()
    assert row["clave"] == project.code
    assert row["estado"] == "in_execution" and row["estado_nombre"] == "En ejecución"
    assert Decimal(row["monto_aprobado"]) == project.approved_amount
    assert Decimal(row["monto_ministrado"]) == project.released_total > 0
    assert Decimal(row["monto_comprobado"]) == project.verified_total > 0
    assert row["avance_fisico"] == "", "no endorsed report yet: not reported, never 0"
    assert row["unidad_territorial_clave"] == project.neighbourhood.key
    assert row["url"].endswith(f"/proyectos/{project.code}/")


def test_tranches_one_row_each_with_the_release_date(spent):
    found = rows("ministraciones.csv")
    assert [(r["numero"], r["estado"]) for r in found] == [("1", "released"), ("2", "planned")]
    assert found[0]["fecha_ministracion"] == timezone.localdate().isoformat()
    assert found[1]["fecha_ministracion"] == ""
    assert sum(Decimal(r["monto"]) for r in found) == spent.project.approved_amount


def test_formulas_are_neutralised(spent):
    body = text("gastos.csv")
    by_concept = {r["concepto"]: r for r in rows("gastos.csv")}
    assert "'=HYPERLINK(\"http://malo.example/\",\"clic\")" in by_concept
    assert {"'-2+3", "'@SUM(A1:A9)"} <= set(by_concept)
    hyperlink = by_concept["'=HYPERLINK(\"http://malo.example/\",\"clic\")"]
    assert hyperlink["proveedor"] == "'+cmd|' /C calc'!A0"
    assert by_concept["'-2+3"]["proveedor"] == "'-MATERIALES SA DE CV"
    assert by_concept["'@SUM(A1:A9)"]["proveedor"] == "'@ARENAS SA DE CV"
    for line in body[1:].splitlines()[1:]:
        for cell in next(csv.reader([line])):
            assert not cell.startswith(("=", "+", "@")), cell
            assert not cell.startswith("-") or cell[1:].replace(".", "").isdigit(), cell


def test_suppliers_who_are_people_are_not_named_and_rejected_expenses_are_absent(spent):
    found = rows("gastos.csv")
    by_concept = {r["concepto"]: r for r in found}
    assert "Gasto rechazado" not in by_concept
    assert by_concept["Pintura"]["proveedor"] == "Persona física" and by_concept["Pintura"]["proveedor_rfc"] == ""
    assert by_concept["Jornales"]["proveedor"] == "Persona física"
    assert by_concept["Jornales"]["tipo_comprobante"] == "simple" and by_concept["Jornales"]["folio_fiscal"] == ""
    company = by_concept["'@SUM(A1:A9)"]
    assert company["proveedor_rfc"] == "ARE010101AB1" and company["capitulo"] == "works"
    assert company["folio_fiscal"] == Expense.objects.get(concept="@SUM(A1:A9)").cfdi.uuid
    assert len(found) == Expense.objects.exclude(status="rejected").count() == 5


def test_no_personal_data_in_any_file(spent):
    project = spent.project
    people = [seat.full_name for seat in project.seats.all()] + [seat.user.email for seat in
                                                                  project.seats.select_related("user")]
    secrets = ["Rosa Privada Quintero", "5512345678", VALID_CLABE, "MARIA LOPEZ PRIVADA", PERSON_RFC,
               "Juan Albañil Privado", "No corresponde al proyecto", *people]
    for filename in (*CSV_FILES, "proyectos.geojson"):
        body = text(filename)
        for secret in secrets:
            assert secret not in body, f"{secret!r} leaked into {filename}"


def test_the_listing_filters_apply(people):
    call_2029 = two_tranche_call(year=2029)
    first = in_execution_project(call_2029, people)
    record_invoice(first, concept="Cemento 2029")
    other_unit = NeighbourhoodFactory()
    other = selected_project(two_tranche_call(year=2030), unit=other_unit)
    chosen = PublicProjectFilter({"year": "2029"}, queryset=public_projects())
    assert chosen.is_valid()
    assert [r["clave"] for r in rows("proyectos.csv", chosen.qs)] == [first.project.code]
    assert {r["clave_proyecto"] for r in rows("ministraciones.csv", chosen.qs)} == {first.project.code}
    assert [r["concepto"] for r in rows("gastos.csv", chosen.qs)] == ["Cemento 2029"]
    by_unit = PublicProjectFilter({"unit": other_unit.key}, queryset=public_projects()).qs
    assert [r["clave"] for r in rows("proyectos.csv", by_unit)] == [other.code]
    assert rows("gastos.csv", by_unit) == []


@pytest.mark.parametrize("filename", [*CSV_FILES, "proyectos.geojson"])
def test_the_query_count_does_not_grow_with_rows(people, filename, django_assert_max_num_queries):
    call = two_tranche_call(year=2029)
    first = placed(in_execution_project(call, people))
    record_invoice(first, concept="Uno")
    with django_assert_max_num_queries(1) as one:
        text(filename)
    for n in range(3):
        more = placed(in_execution_project(call, people))
        for k in range(3):
            record_invoice(more, concept=f"Gasto {n}-{k}")
    with django_assert_max_num_queries(len(one.captured_queries)) as many:
        body = text(filename)
    assert len(many.captured_queries) == len(one.captured_queries)
    assert body.count("PCMB-") > 4, "the many-row run really wrote more rows"


def test_last_modified_follows_the_data(spent, people):
    before = {name: dataset(name).last_modified() for name in (*CSV_FILES, "proyectos.geojson")}
    assert all(before.values())
    expense = Expense.objects.get(concept="Pintura")
    Expense.objects.filter(pk=expense.pk).update(updated_at=timezone.now() + timedelta(hours=1))
    assert dataset("gastos.csv").last_modified() > before["gastos.csv"]
    assert dataset("proyectos.csv").last_modified() == before["proyectos.csv"]


def test_an_empty_programme_gives_headers_only(db):
    for filename in CSV_FILES:
        assert rows(filename) == []
        assert dataset(filename).last_modified() is None
    assert json.loads(text("proyectos.geojson")) == {"type": "FeatureCollection", "features": []}


def test_files_are_in_spanish_whoever_asks_and_leave_the_language_alone(spent):
    with translation.override("en"):
        [row] = rows("proyectos.csv")
        collection = json.loads(text("proyectos.geojson"))
        assert translation.get_language() == "en"
        english = str(ProjectState.IN_EXECUTION.label)
    assert row["estado_nombre"] == "En ejecución"
    assert collection["features"][0]["properties"]["status_label"] == "En ejecución"
    assert english != "En ejecución", "the English catalogue names the state, so this test means something"
