"""Title search (nicp/search.py), the one path of every list's search: case and accents ignored («salon» finds
«Salón» and «SALÓN»), the same rows on the review queue and the proposals API, on the public listing, the public
API and the projects API, always within what the person may see, special characters literal, and no extra query.
Runs on SQLite (f_unaccent registered per connection) and on PostgreSQL (the migrations' f_unaccent and trigram
indexes): set DATABASE_URL=postgres://… to run it there."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from nicp.search import text_matches, title_search
from proposals import services
from proposals.models import Proposal
from tests.factories import (
    BoroughFactory,
    CommunityGroupFactory,
    NeighbourhoodFactory,
    UserFactory,
    complete_proposal,
    make_open_call,
)
from tests.projects.helpers import elect, seat_user
from tests.public.listing_world import funded, unit

SALON_TITLES = ("Rehabilitación del Salón de usos múltiples", "SALÓN VECINAL", "Salon de la tercera edad")


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def folded_in_sql(text):
    with connection.cursor() as cursor:
        cursor.execute("SELECT lower(f_unaccent(%s))", [text])
        return cursor.fetchone()[0]


# -- the function itself ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "expected"), [
    ("ÁÉÍÓÚ áéíóú", "aeiou aeiou"), ("Ñandú PINGÜINO", "nandu pinguino"), ("Salón 100% _\\'\"", "salon 100% _\\'\""),
])
def test_the_database_folds_case_and_spanish_accents(text, expected):
    assert folded_in_sql(text) == expected


# -- proposals: the review queue and the API --------------------------------------------------------------------


def submitted(call, group, actor, title):
    proposal = complete_proposal(services.proposal_create(actor=actor, call=call, group=group, title=title), actor)
    return services.proposal_transition(actor=actor, proposal_id=proposal.pk, action="submit")


@pytest.fixture
def proposals_world(db):
    call = make_open_call()
    # A unit name without the letters the short queries below look for: they must match by title or group.
    neighbourhood = NeighbourhoodFactory(name="Colonia Centro")
    mine, theirs = UserFactory(), UserFactory()
    my_group = CommunityGroupFactory(neighbourhood=neighbourhood, representative=mine, name="Vecinos del Centro")
    their_group = CommunityGroupFactory(neighbourhood=neighbourhood, representative=theirs, name="Colectivo Norte")
    rows = {
        "hall": submitted(call, my_group, mine, SALON_TITLES[0]),
        "upper": submitted(call, their_group, theirs, SALON_TITLES[1]),
        "plain": submitted(call, their_group, theirs, SALON_TITLES[2]),
        "other": submitted(call, my_group, mine, "Alumbrado del andador"),
        # A draft: the group sees it, staff do not.
        "draft": services.proposal_create(actor=mine, call=call, group=my_group, title="Salón en borrador"),
    }
    return {"rows": rows, "mine": mine, "theirs": theirs, "coordinator": UserFactory(roles=["coordinator"])}


def queue_folios(client, query) -> set[str]:
    response = client.get(reverse("proposals:review_queue"), {"q": query})
    assert response.status_code == 200
    return set(re.findall(r"MB-\d{4}-\d{5}", response.content.decode()))


def api_folios(user, query) -> set[str]:
    response = api(user).get("/api/v1/proposals/", {"q": query})
    assert response.status_code == 200, response.content
    return {row["folio"] for row in response.json()["results"]}


@pytest.mark.parametrize("query", ["salon", "SALON", "Salón", "  salón  "])
def test_the_queue_finds_a_title_whatever_its_case_and_accents(client, proposals_world, query):
    rows = proposals_world["rows"]
    client.force_login(proposals_world["coordinator"])
    assert queue_folios(client, query) == {rows[k].folio for k in ("hall", "upper", "plain")}


@pytest.mark.parametrize("query", ["salon", "ANDADOR", "colectivo norte", "vecinos del centro", "usos multiples"])
def test_the_queue_and_the_api_find_the_same_proposals(client, proposals_world, query):
    coordinator = proposals_world["coordinator"]
    client.force_login(coordinator)
    found = queue_folios(client, query)
    assert found  # every query here finds something: the equality below compares results, not two empties
    assert api_folios(coordinator, query) == found


def test_the_queue_still_finds_a_folio_exactly_in_any_case(client, proposals_world):
    hall = proposals_world["rows"]["hall"]
    client.force_login(proposals_world["coordinator"])
    assert queue_folios(client, hall.folio.lower()) == {hall.folio}


def test_a_group_finds_only_its_own_proposals_drafts_included(proposals_world):
    rows = proposals_world["rows"]
    found = {row["id"] for row in api(proposals_world["mine"]).get(
        "/api/v1/proposals/", {"q": "salon"}).json()["results"]}
    assert found == {rows["hall"].pk, rows["draft"].pk}
    assert api_folios(proposals_world["theirs"], "salon") == {rows["upper"].folio, rows["plain"].folio}


def test_staff_never_find_a_draft(client, proposals_world):
    client.force_login(proposals_world["coordinator"])
    assert queue_folios(client, "borrador") == set()
    assert api_folios(proposals_world["coordinator"], "borrador") == set()


@pytest.mark.parametrize(("query", "keys"), [
    ("s", {"hall", "upper", "plain", "other"}),  # one letter: every title with an s, accents or not
    ("ó", {"hall", "upper", "plain", "other"}),  # an accented letter matches its plain one («Alumbrado» has an o)
    ("sa", {"hall", "upper", "plain"}),
    ("zz", set()),
    ("   ", {"hall", "upper", "plain", "other"}),  # blank: no search, the whole queue
])
def test_one_or_two_characters_search_as_a_part_of_the_title(client, proposals_world, query, keys):
    rows = proposals_world["rows"]
    client.force_login(proposals_world["coordinator"])
    assert queue_folios(client, query) == {rows[k].folio for k in keys}


def test_a_query_longer_than_any_title_is_a_clear_error_not_a_crash(client, proposals_world):
    client.force_login(proposals_world["coordinator"])
    assert client.get(reverse("proposals:review_queue"), {"q": "x" * 101}).status_code == 200
    response = api(proposals_world["coordinator"]).get("/api/v1/proposals/", {"q": "x" * 101})
    assert response.status_code == 400
    assert "q" in response.json()


def test_a_search_costs_the_same_queries_for_one_match_as_for_many(client, proposals_world,
                                                                   django_assert_num_queries):
    client.force_login(proposals_world["coordinator"])
    coordinator = api(proposals_world["coordinator"])
    queue = {}
    coordinator.get("/api/v1/proposals/")  # warm-up: the first request reads what later ones find cached
    for query in ("andador", "salon"):  # one row, then three
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("proposals:review_queue"), {"q": query})
        queue[query] = len(captured)
        with CaptureQueriesContext(connection) as captured:
            coordinator.get("/api/v1/proposals/", {"q": query})
        queue[f"api {query}"] = len(captured)
    assert queue["andador"] == queue["salon"]
    assert queue["api andador"] == queue["api salon"]
    with django_assert_num_queries(queue["andador"]):
        client.get(reverse("proposals:review_queue"))  # and the same as no search at all


# -- special characters are literal -----------------------------------------------------------------------------

LITERAL_TITLES = {"percent": "Descuento 100% vecinal", "underscore": "Calle_5 de mayo", "backslash": "Ruta \\ norte",
                  "quote": "Plaza O'Higgins", "double": 'Foro "Libre"', "plain": "Calle 55 sin signos"}


@pytest.fixture
def literal_drafts(db, group, applicant):
    call = make_open_call()
    return {key: services.proposal_create(actor=applicant, call=call, group=group, title=title).pk
            for key, title in LITERAL_TITLES.items()}


@pytest.mark.parametrize(("query", "key"), [
    ("%", "percent"), ("100%", "percent"), ("_", "underscore"), ("e_5", "underscore"), ("\\", "backslash"),
    ("'", "quote"), ("o'h", "quote"), ('"', "double"), ('"libre"', "double"),
])
def test_special_characters_are_literal(literal_drafts, query, key):
    found = set(title_search(Proposal.objects.all(), query).values_list("pk", flat=True))
    assert found == {literal_drafts[key]}


def test_a_search_that_matches_no_field_is_empty_and_an_empty_one_matches_all(literal_drafts):
    assert not title_search(Proposal.objects.all(), "no existe").exists()
    assert title_search(Proposal.objects.all(), "").count() == len(LITERAL_TITLES)
    assert text_matches("   ", "title") == text_matches("", "title")


# -- projects: the public listing, the public API and the projects API -------------------------------------------


@pytest.fixture
def projects_world(db):
    borough = BoroughFactory(inegi_code="007", iecm_number="07", name="Iztapalapa")
    call = make_open_call(year=2029)
    coordinator = UserFactory(roles=["coordinator"])
    rows = {key: funded(call, unit(borough, f"07-{100 + n}"), title=title) for n, (key, title) in enumerate([
        ("hall", "Salón de usos múltiples"), ("upper", "SALÓN DEL PUEBLO"), ("park", "Parque Las Águilas")])}
    elect(rows["hall"], coordinator)
    return {"rows": rows, "coordinator": coordinator, "member": seat_user(rows["hall"])}


def listing_codes(client, query, codes) -> set[str]:
    response = client.get("/proyectos/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    return {code for code in codes if code in html}


@pytest.mark.parametrize(("query", "keys"), [
    ("salon", {"hall", "upper"}), ("SALON DEL", {"upper"}), ("aguilas", {"park"}), ("usos múltiples", {"hall"}),
])
def test_the_listing_and_both_apis_find_the_same_projects(client, projects_world, query, keys):
    rows = projects_world["rows"]
    codes = {row.code for row in rows.values()}
    expected = {rows[k].code for k in keys}
    assert listing_codes(client, query, codes) == expected
    public = api().get("/api/v1/public/projects/", {"q": query})
    assert {row["code"] for row in public.json()["results"]} == expected
    staff = api(projects_world["coordinator"]).get("/api/v1/projects/", {"search": query})
    assert staff.status_code == 200, staff.content
    assert {row["code"] for row in staff.json()["results"]} == expected


def test_a_project_code_is_found_whole_or_in_part(client, projects_world):
    hall = projects_world["rows"]["hall"]
    number = hall.code.split("-")[-1]
    for query in (hall.code, hall.code.lower(), number):
        assert hall.code in {row["code"] for row in api().get("/api/v1/public/projects/", {"q": query})
                             .json()["results"]}


def test_a_committee_member_finds_only_their_project(projects_world):
    rows = projects_world["rows"]
    found = api(projects_world["member"]).get("/api/v1/projects/", {"search": "salon"})
    assert {row["code"] for row in found.json()["results"]} == {rows["hall"].code}


def test_the_project_api_search_ands_with_the_other_filters(projects_world):
    rows = projects_world["rows"]
    found = api(projects_world["coordinator"]).get("/api/v1/projects/", {"search": "salon",
                                                                         "status": rows["hall"].status})
    assert rows["hall"].code in {row["code"] for row in found.json()["results"]}
    assert api(projects_world["coordinator"]).get("/api/v1/projects/", {"search": "x" * 101}).status_code == 400


def test_search_is_documented_where_it_works_and_nowhere_else(db):
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    searched = {path for path, operations in paths.items()
                if any(p["name"] == "search" for p in operations.get("get", {}).get("parameters", []))}
    assert searched == {"/api/v1/projects/"}
    [search] = [p for p in paths["/api/v1/projects/"]["get"]["parameters"] if p["name"] == "search"]
    assert search["schema"]["maxLength"] == 100


def test_a_nul_in_the_api_search_is_ignored_not_a_crash(projects_world):
    rows = projects_world["rows"]
    found = api(projects_world["coordinator"]).get("/api/v1/projects/", {"search": "sal\x00on"})
    assert found.status_code == 200
    assert {row["code"] for row in found.json()["results"]} == {rows["hall"].code, rows["upper"].code}


def test_a_project_search_costs_the_same_queries_for_one_match_as_for_many(client, projects_world):
    counts = {}
    api(projects_world["coordinator"]).get("/api/v1/projects/")  # warm-up, as above
    for query in ("aguilas", "salon", "a"):  # one, two, three rows
        for name, get in (("listing", lambda q: client.get("/proyectos/", {"q": q})),
                          ("public api", lambda q: api().get("/api/v1/public/projects/", {"q": q})),
                          ("api", lambda q: api(projects_world["coordinator"]).get("/api/v1/projects/",
                                                                                   {"search": q}))):
            with CaptureQueriesContext(connection) as captured:
                assert get(query).status_code == 200
            counts.setdefault(name, set()).add(len(captured))
    assert all(len(seen) == 1 for seen in counts.values()), counts


# -- the database side: a refused extension falls back, the index serves the search (PostgreSQL) -----------------

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (the extensions, f_unaccent and trigram indexes exist only there): "
           "set DATABASE_URL=postgres://… (.ci/run does)")


@pytest.mark.django_db
def test_a_refused_statement_does_not_abort_the_migration():
    from nicp.search_sql import _try

    assert _try(connection, "CREATE EXTENSION IF NOT EXISTS no_such_extension_here") is False
    with connection.cursor() as cursor:  # the surrounding transaction is still usable
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.postgres
@needs_postgresql
def test_the_title_index_serves_the_search(literal_drafts):
    # On a few rows the planner prefers reading the table; forbidding that shows whether the index can serve
    # the search's expression at all (it cannot if the search and the index stop folding alike).
    # Unordered, and with plain index scans off too: otherwise an index that serves the default order (newest
    # first) is read backwards with the search as a filter. A trigram index is read by a bitmap scan.
    sql, params = title_search(Proposal.objects.order_by(), "vecinal").values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "proposal_title_trgm" in plan, plan


@pytest.mark.postgres
@needs_postgresql
def test_without_unaccent_the_search_ignores_case_only_and_the_check_says_so(monkeypatch, literal_drafts):
    from nicp import search_sql
    from nicp.search_checks import check_title_search

    assert check_title_search(None, databases=["default"]) == []
    with connection.cursor() as cursor:
        cursor.execute("DROP EXTENSION unaccent")  # rolled back with the test's transaction
    real_try = search_sql._try
    monkeypatch.setattr(search_sql, "_try", lambda conn, sql: False if "EXTENSION" in sql else real_try(conn, sql))
    assert search_sql.install_functions(connection) == {"unaccent": False, "pg_trgm": True}
    assert folded_in_sql("Salón") == "salón"
    found = set(title_search(Proposal.objects.all(), "VECINAL").values_list("pk", flat=True))
    assert found == {literal_drafts["percent"]}
    assert [warning.id for warning in check_title_search(None, databases=["default"])] == ["nicp.W010"]


@pytest.mark.django_db
def test_install_title_search_rebuilds_on_postgresql_and_refuses_elsewhere(literal_drafts):
    from io import StringIO

    from django.core.management import CommandError, call_command

    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="PostgreSQL only"):
            call_command("install_title_search")
        return
    with connection.cursor() as cursor:  # the rows just made leave deferred checks, which block CREATE INDEX
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    out = StringIO()
    call_command("install_title_search", stdout=out)
    assert out.getvalue().split("\n")[:2] == ["unaccent: present", "pg_trgm: present"]
    assert set(title_search(Proposal.objects.all(), "VECINAL").values_list("pk", flat=True)) == {
        literal_drafts["percent"]}
