"""The public read API: /api/v1/public/projects/ (filters, cursor pages) and /api/v1/public/projects/<code>/."""

import base64
import json
from decimal import Decimal

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import StaffRole
from neighbourhoods.models import Stratum
from nicp.relations import NOT_FOUND
from projects.models import Project
from proposals.models import Proposal
from tests.factories import BoroughFactory, NeighbourhoodFactory, UserFactory
from tests.projects.conftest import two_tranche_call
from tests.projects.execution_helpers import in_execution_project, record_invoice
from tests.projects.helpers import VALID_CLABE, selected_project, staff_people

LIST = "/api/v1/public/projects/"


def detail_url(code):
    return f"{LIST}{code}/"


@pytest.fixture
def people(db):
    return staff_people()


@pytest.fixture
def call(db):
    return two_tranche_call(year=2031)


def codes(response):
    return [row["code"] for row in response.json()["results"]]


def walk(client, params):
    """Every page, following `next`; returns the codes in order and the number of pages."""
    seen, pages = [], 0
    response = client.get(LIST, params)
    while True:
        assert response.status_code == 200, response.content
        seen += codes(response)
        pages += 1
        following = response.json()["next"]
        if not following:
            return seen, pages
        response = client.get(following)


def test_anyone_reads_the_list_with_the_fields_of_the_public_record(call):
    project = selected_project(call, amount=Decimal("1234567.80"))
    response = APIClient().get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None and body["previous"] is None
    [row] = body["results"]
    assert set(row) == {"id", "code", "title", "year", "status", "status_label", "project_type",
                        "project_type_label", "unit_key", "unit_name", "borough_code", "borough_name", "stratum",
                        "stratum_label", "approved_amount", "released_amount", "verified_amount",
                        "physical_progress", "financial_progress", "starts_on", "ends_on", "updated_at",
                        "latitude", "longitude", "location_precision"}
    assert row["code"] == project.code and row["year"] == 2031
    assert row["approved_amount"] == "1234567.80" and row["released_amount"] == "0.00"
    # Nothing reported, nothing released: «not yet reported», never 0.
    assert row["physical_progress"] is None and row["financial_progress"] is None
    assert row["status_label"] == "Comités por elegir"


def test_labels_follow_the_language_switch_and_a_token_changes_nothing(call, people):
    selected_project(call)
    spanish = APIClient().get(LIST).json()["results"][0]
    english_client = APIClient()
    english_client.cookies["django_language"] = "en"
    english = english_client.get(LIST).json()["results"][0]
    assert spanish["stratum_label"] == "Bajo"
    assert english["stratum_label"] == "Low" and english["status_label"] != spanish["status_label"]
    signed_in = APIClient()
    signed_in.force_authenticate(people["coordinator"])
    assert signed_in.get(LIST).json()["results"] == [spanish]
    # A bad or expired token is not even read: the public data answers the same.
    assert APIClient(HTTP_AUTHORIZATION="Token nope").get(LIST).json()["results"] == [spanish]


def test_the_listing_filters_select_the_same_projects(call, people):
    tlalpan = BoroughFactory(inegi_code="012", iecm_number="12", name="Tlalpan", official_name="TLALPAN")
    park = selected_project(call, unit=NeighbourhoodFactory(borough=tlalpan, key="12-001", stratum=Stratum.HIGH))
    Proposal.objects.filter(pk=park.proposal_id).update(project_type="park", title="Parque de la Alegría")
    Project.objects.filter(pk=park.pk).update(title="Parque de la Alegría")
    lights = selected_project(call)
    Proposal.objects.filter(pk=lights.proposal_id).update(project_type="lighting")
    other_year = selected_project(two_tranche_call(year=2030))
    client = APIClient()
    assert codes(client.get(LIST, {"borough": "012"})) == [park.code]
    assert codes(client.get(LIST, {"unit": "12-001"})) == [park.code]
    assert codes(client.get(LIST, {"type": "lighting"})) == [lights.code]
    assert codes(client.get(LIST, {"stratum": "alto"})) == [park.code]
    assert codes(client.get(LIST, {"year": 2030})) == [other_year.code]
    assert codes(client.get(LIST, {"q": "alegría"})) == [park.code]
    assert codes(client.get(LIST, {"q": lights.code.lower()})) == [lights.code]
    assert codes(client.get(LIST, {"status": "in_execution"})) == []
    assert set(codes(client.get(LIST, {"status": "committees_pending"}))) == {park.code, lights.code,
                                                                               other_year.code}


@pytest.mark.parametrize("params, field", [
    ({"borough": "999"}, "borough"),
    ({"unit": "no-such"}, "unit"),
    ({"type": "spaceport"}, "type"),
    ({"status": "nope"}, "status"),
    ({"stratum": "x"}, "stratum"),
    ({"year": "dos mil"}, "year"),
    ({"year": "1900"}, "year"),
    ({"sort": "alfabetico"}, "sort"),
    ({"q": "x" * 101}, "q"),
    ({"page_size": "0"}, "page_size"),
    ({"page_size": "500"}, "page_size"),
    ({"page_size": "-3"}, "page_size"),
    ({"cursor": "%%%"}, "cursor"),
    ({"cursor": "eyJzIjoicmVjaWVudGVzIn0"}, "cursor"),  # well-formed base64, missing the position
])
def test_a_bad_value_is_a_400_with_a_spanish_message_by_field(call, params, field):
    selected_project(call)
    response = APIClient().get(LIST, params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body) == [field], body
    message = body[field][0]
    assert message and not any(english in message for english in ("Select", "Enter", "Ensure", "Invalid", "valid "))


@pytest.mark.parametrize("sort", ["recientes", "monto", "avance"])
def test_a_cursor_walk_meets_every_project_once_in_order_under_every_sort(call, sort):
    projects = [selected_project(call, amount=Decimal(amount)) for amount in
                ("900000", "1200000", "900000", "900000", "1450000", "1200000", "800000")]
    # Ties on purpose: three at 900,000 and two at 1,200,000; progress 0 for most, so ties there too.
    Project.objects.filter(pk__in=[projects[1].pk, projects[4].pk]).update(physical_progress=Decimal("40"))
    client = APIClient()
    every, _ = walk(client, {"sort": sort, "page_size": 100})
    seen, pages = walk(client, {"sort": sort, "page_size": 2})
    assert pages == 4 and seen == every and len(set(seen)) == 7
    ordered = Project.objects.order_by({"recientes": "-id", "monto": "-approved_amount",
                                        "avance": "-physical_progress"}[sort], "-id")
    assert seen == [p.code for p in ordered]


def test_previous_goes_back_to_the_same_pages(call):
    for _ in range(5):
        selected_project(call)
    client = APIClient()
    first = client.get(LIST, {"page_size": 2, "sort": "monto"}).json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    assert third["next"] is None and len(third["results"]) == 1
    back = client.get(third["previous"]).json()
    assert back["results"] == second["results"]
    again = client.get(back["previous"]).json()
    assert again["results"] == first["results"] and again["previous"] is None


def test_a_cursor_made_for_another_sort_is_refused(call):
    for _ in range(3):
        selected_project(call)
    following = APIClient().get(LIST, {"page_size": 1}).json()["next"]
    cursor = following.split("cursor=")[1].split("&")[0]
    response = APIClient().get(LIST, {"page_size": 1, "sort": "monto", "cursor": cursor})
    assert response.status_code == 400
    assert "otro orden" in response.json()["cursor"][0]


def test_the_cursor_keeps_the_filters_of_the_first_page(call):
    tlalpan = BoroughFactory(inegi_code="012", iecm_number="12", name="Tlalpan", official_name="TLALPAN")
    inside = {selected_project(call, unit=NeighbourhoodFactory(borough=tlalpan)).code for _ in range(3)}
    for _ in range(3):
        selected_project(call)
    seen, pages = walk(APIClient(), {"borough": "012", "page_size": 1})
    assert set(seen) == inside and pages == 3


def test_an_unknown_code_is_a_404_in_json(db):
    response = APIClient().get(detail_url("NO-EXISTE"))
    assert response.status_code == 404
    assert response.json() == {"detail": str(NOT_FOUND)}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_public_api_is_read_only(call, method):
    project = selected_project(call)
    client = APIClient()
    client.force_authenticate(UserFactory(roles=[StaffRole.COORDINATOR]))
    for url in (LIST, detail_url(project.code)):
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code == 405, (url, response.status_code)
        assert "detail" in response.json()
    assert Project.objects.filter(pk=project.pk, title=project.title).exists()


def works_with_people(call, people, *, names_public):
    """A project in execution with an invoice, its committees elected, and personal data seeded everywhere."""
    call.committee_names_public = names_public
    call.save(update_fields=["committee_names_public"])
    works = in_execution_project(call, people)
    representative = User.objects.get(memberships__group__proposals=works.project.proposal)
    User.objects.filter(pk=representative.pk).update(full_name="Rosalinda Privada Quiroz", phone="5512345678")
    Proposal.objects.filter(pk=works.project.proposal_id).update(
        description="Un parque para el barrio", objectives="Convivencia", diagnosis="Terreno baldío")
    record_invoice(works, subtotal=Decimal("10000.00"))
    record_invoice(works, subtotal=Decimal("2000.00"), issuer_rfc="PEHR800101AB1",
                   issuer_name="RAMONA PÉREZ HERNÁNDEZ")
    return works


def test_the_project_page_in_json_has_money_expenses_and_no_personal_data(call, people):
    works = works_with_people(call, people, names_public=False)
    response = APIClient().get(detail_url(works.project.code))
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == works.project.code and body["description"] == "Un parque para el barrio"
    assert body["page_url"] == f"http://testserver/proyectos/{works.project.code}/"
    assert body["released_amount"] == "700000.00"
    assert [t["released_on"] is not None for t in body["tranches"]] == [True, False]
    assert {e["supplier"] for e in body["expenses"]} == {"MATERIALES EL BARRIO SA DE CV", "Persona física"}
    individual = next(e for e in body["expenses"] if e["supplier"] == "Persona física")
    assert individual["supplier_rfc"] == "" and individual["receipt_url"] is None
    assert [d["kind"] for d in body["documents"]] == ["agreement"] and body["documents"][0]["url"] is None
    seats = [seat for committee in body["committees"] for seat in committee["seats"]]
    assert seats and all(seat["name"] is None for seat in seats)
    text = json.dumps(body, ensure_ascii=False)
    emails = list(works.project.seats.values_list("email", flat=True))
    names = list(works.project.seats.values_list("full_name", flat=True))
    private = [*emails, *names, "Rosalinda", "5512345678", VALID_CLABE, "PEHR800101AB1", "RAMONA", "@"]
    assert [value for value in private if value in text] == []


def test_committee_names_show_only_when_the_call_makes_them_public(call, people):
    works = works_with_people(call, people, names_public=True)
    body = APIClient().get(detail_url(works.project.code)).json()
    shown = {seat["name"] for committee in body["committees"] for seat in committee["seats"]}
    assert shown == set(works.project.seats.filter(ended_at__isnull=True).values_list("full_name", flat=True))
    assert not any(email in json.dumps(body) for email in works.project.seats.values_list("email", flat=True))


def test_a_published_file_gets_a_link_and_an_unpublished_one_none(call, people):
    # The call names its committees' people, so the signed agreement (it names them) may be published.
    works = works_with_people(call, people, names_public=True)
    from projects.models import Agreement, Expense

    Agreement.objects.filter(project=works.project).update(is_public=True)
    company = Expense.objects.get(project=works.project, cfdi__issuer_rfc="MAT010101AB1")
    Expense.objects.filter(pk=company.pk).update(receipt_public=True)
    body = APIClient().get(detail_url(works.project.code)).json()
    code = works.project.code
    assert body["documents"][0]["url"] == f"http://testserver/proyectos/{code}/documentos/agreement/"
    links = {e["id"]: e["receipt_url"] for e in body["expenses"]}
    assert links[company.pk] == f"http://testserver/proyectos/{code}/gastos/{company.pk}/comprobante/"
    assert sorted(link is None for link in links.values()) == [False, True]


def test_the_list_costs_the_same_queries_for_one_project_or_forty(call, django_assert_max_num_queries):
    selected_project(call)
    client = APIClient()
    with django_assert_max_num_queries(3) as one:
        assert len(client.get(LIST, {"borough": "007"}).json()["results"]) == 1
    few = len(one.captured_queries)  # read now: the connection's query log is a bounded deque
    for _ in range(39):
        selected_project(call)
    with django_assert_max_num_queries(few):
        body = client.get(LIST, {"borough": "007"}).json()
    assert len(body["results"]) == 40
    following = client.get(LIST, {"page_size": 10, "sort": "avance"}).json()["next"]
    with django_assert_max_num_queries(few):
        assert len(client.get(following).json()["results"]) == 10


def test_the_detail_costs_the_same_queries_for_one_expense_or_thirty(call, people, django_assert_max_num_queries):
    works = in_execution_project(call, people)
    record_invoice(works, subtotal=Decimal("1000.00"))
    client = APIClient()
    with django_assert_max_num_queries(30) as one:
        assert len(client.get(detail_url(works.project.code)).json()["expenses"]) == 1
    few = len(one.captured_queries)
    for _ in range(29):
        record_invoice(works, subtotal=Decimal("1000.00"))
    with django_assert_max_num_queries(few):
        assert len(client.get(detail_url(works.project.code)).json()["expenses"]) == 30


def test_the_schema_documents_the_public_endpoints(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    listing = schema["paths"]["/api/v1/public/projects/"]
    assert set(listing) == {"get"} and listing["get"]["tags"] == ["public"]
    parameters = {p["name"]: p for p in listing["get"]["parameters"]}
    assert set(parameters) == {"year", "borough", "unit", "type", "status", "stratum", "q", "sort", "cursor",
                               "page_size"}
    assert sorted(parameters["sort"]["schema"]["enum"]) == ["avance", "monto", "recientes"]
    assert "400" in listing["get"]["responses"]
    assert set(schema["paths"]["/api/v1/public/projects/{code}/"]) == {"get"}
    page = schema["components"]["schemas"]["PublicPage"]["properties"]
    assert set(page) == {"next", "previous", "results"}
    detail = schema["components"]["schemas"]["PublicProjectDetail"]["properties"]
    assert {"expenses", "tranches", "committees", "progress_series", "documents", "approved_amount"} <= set(detail)


def test_language_of_labels_is_spanish_by_default(call):
    selected_project(call)
    with translation.override("en"):  # the server's own language does not leak into the answer
        row = APIClient().get(LIST).json()["results"][0]
    assert row["stratum_label"] == "Bajo"


def cursor_of(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


JUNK = ["abc", "-1", "0", "1e30", "NaN", "Infinity", "1" * 25, "9999-12-31", "x" * 3000, "", "%00", "\u00a0"]
FORGED = [{"s": "monto", "d": "next", "id": 10**30, "v": "1"}, {"s": "monto", "d": "next", "id": 1, "v": "1e400"},
          {"s": "monto", "d": "next", "id": 1, "v": "NaN"}, {"s": "monto", "d": "next", "id": True, "v": "1"},
          {"s": "monto", "d": "sideways", "id": 1, "v": "1"}, {"s": "monto", "d": "next", "id": 1, "v": [1]},
          {"s": "monto", "d": "next", "id": 1}, ["monto"], "monto"]


def test_junk_in_any_parameter_is_a_400_never_a_500(call):
    selected_project(call)
    client = APIClient()
    params = ["year", "borough", "unit", "type", "status", "stratum", "q", "sort", "cursor", "page_size"]
    for junk in JUNK:
        assert client.get(LIST, dict.fromkeys(params, junk)).status_code in (200, 400), junk[:20]
        for param in params:
            assert client.get(LIST, {param: junk}).status_code in (200, 400), (param, junk[:20])
    for payload in FORGED:
        response = client.get(LIST, {"sort": "monto", "cursor": cursor_of(payload)})
        assert response.status_code == 400, payload
        assert list(response.json()) == ["cursor"]
    assert client.get(detail_url("x" * 3000)).status_code == 404
