"""The projects API's read side: who sees which project, the list's filters and query budget, and what
each reader gets (the CLABE masked but to finance, elected people's e-mails only to staff readers)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import StaffRole
from nicp.relations import NOT_FOUND
from projects.models import CommitteeSeat
from tests.api.projects_world import api_for, world_fixture  # noqa: F401  (the `world` fixture)
from tests.factories import UserFactory
from tests.projects.conftest import two_tranche_call
from tests.projects.helpers import VALID_CLABE, elect, selected_project

BASE = "/api/v1/projects"
READS = ["", "events/", "committees/", "tranches/"]


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["code"] for row in response.json()["results"])


def test_anonymous_gets_403_with_a_spanish_message(world):
    for suffix in READS:
        url = f"{BASE}/" if not suffix else f"{BASE}/{world.a.pk}/{suffix}"
        response = api_for(None).get(url)
        assert response.status_code == 403, url
        assert "autenticación" in response.json()["detail"]


def test_each_role_lists_the_projects_it_sees(world):
    both = sorted([world.a.code, world.b.code])
    for role in ["coordinator", "finance", "auditor"]:
        assert codes(api_for(world.people[role]).get(f"{BASE}/")) == both, role
    for role in ["admin", "supervision", "group"]:
        assert codes(api_for(world.people[role]).get(f"{BASE}/")) == [world.a.code], role
    assert codes(api_for(world.other).get(f"{BASE}/")) == [world.b.code]
    for role in ["reviewer"]:
        assert codes(api_for(world.people[role]).get(f"{BASE}/")) == [], role
    assert codes(api_for(UserFactory()).get(f"{BASE}/")) == []


def test_a_member_of_project_b_gets_404_on_every_endpoint_of_a(world):
    other = api_for(world.other)
    tranche = world.a.tranches.get(number=1)
    for suffix in READS:
        response = other.get(f"{BASE}/{world.a.pk}/{suffix}")
        assert response.status_code == 404 and response.json()["detail"] == str(NOT_FOUND), suffix
    for url in [f"{BASE}/{world.a.pk}/transitions/", f"{BASE}/{world.a.pk}/tranches/{tranche.pk}/transitions/"]:
        response = other.post(url, {"action": "approve"}, format="json")
        assert response.status_code == 404 and response.json()["detail"] == str(NOT_FOUND), url
    assert api_for(world.reviewer).get(f"{BASE}/{world.a.pk}/").status_code == 404
    assert other.get(f"{BASE}/{world.b.pk}/").status_code == 200
    assert other.get(f"{BASE}/999999/").status_code == 404


def test_readers_and_the_community_read_every_endpoint_of_their_project(world):
    for role in ["coordinator", "finance", "auditor", "admin", "supervision", "group"]:
        client = api_for(world.people[role])
        for suffix in READS:
            assert client.get(f"{BASE}/{world.a.pk}/{suffix}").status_code == 200, (role, suffix)


def test_the_detail_shows_the_project_its_account_and_agreement(world):
    data = api_for(world.coordinator).get(f"{BASE}/{world.a.pk}/").json()
    assert data["code"] == world.a.code and data["status"] == "in_execution"
    assert data["status_label"] == "En ejecución"
    assert data["approved_amount"] == "1000000.00" and data["released_total"] == "0.00"
    assert data["borough"] == world.a.neighbourhood.borough.inegi_code
    assert data["proposal_folio"] == world.a.proposal.folio
    assert data["agreement"]["signed_uploaded"] is True and data["agreement"]["ministry_signed_on"]
    assert data["bank_account"]["status"] == "verified"
    assert data["available_actions"] == ["suspend", "complete_works", "cancel"]
    assert api_for(world.admin).get(f"{BASE}/{world.a.pk}/").json()["available_actions"] == []
    pending = api_for(world.coordinator).get(f"{BASE}/{world.b.pk}/").json()
    assert pending["bank_account"] is None and pending["agreement"] is None
    assert pending["available_actions"] == ["cancel"]


def test_the_clabe_is_whole_only_for_finance(world):
    assert api_for(world.finance).get(f"{BASE}/{world.a.pk}/").json()["bank_account"]["clabe"] == VALID_CLABE
    for role in ["coordinator", "auditor", "admin", "supervision", "group"]:
        response = api_for(world.people[role]).get(f"{BASE}/{world.a.pk}/")
        clabe = response.json()["bank_account"]["clabe"]
        assert clabe.endswith(VALID_CLABE[-4:]) and VALID_CLABE not in response.content.decode(), role
    for suffix in ["events/", "committees/", "tranches/"]:
        assert VALID_CLABE not in api_for(world.admin).get(f"{BASE}/{world.a.pk}/{suffix}").content.decode()


def test_committees_list_the_seats_with_e_mail_only_for_staff_readers(world):
    seat = world.a.seats.get(user=world.admin)
    for role in ["coordinator", "finance", "auditor"]:
        seats = api_for(world.people[role]).get(f"{BASE}/{world.a.pk}/committees/").json()
        assert len(seats) == 9 and {s["email"] for s in seats} == set(world.a.seats.values_list("email", flat=True))
    for role in ["admin", "supervision", "group"]:
        response = api_for(world.people[role]).get(f"{BASE}/{world.a.pk}/committees/")
        seats = response.json()
        assert len(seats) == 9 and all(s["email"] is None for s in seats), role
        assert seat.email not in response.content.decode()
    mine = next(s for s in seats if s["id"] == seat.pk)
    assert mine == {**mine, "committee": "administration", "committee_label": "Administración",
                    "position": seat.position, "name": seat.full_name, "accepted": True, "ended_at": None}
    for role in ["coordinator", "admin"]:
        assert seat.token not in api_for(world.people[role]).get(f"{BASE}/{world.a.pk}/committees/").content.decode()


def test_an_unaccepted_seat_reads_as_not_accepted(db):
    from tests.projects.helpers import staff_people

    people = staff_people()
    project = selected_project(two_tranche_call(year=2033))
    elect(project, people["coordinator"], accept=False)
    seats = api_for(people["coordinator"]).get(f"{BASE}/{project.pk}/committees/").json()
    assert seats and all(s["accepted"] is False and s["accepted_at"] is None for s in seats)
    assert CommitteeSeat.objects.filter(project=project, accepted_at__isnull=True).count() == len(seats)


def test_the_timeline_lists_every_step_oldest_first(world):
    events = api_for(world.group).get(f"{BASE}/{world.a.pk}/events/").json()
    actions = [e["action"] for e in events]
    assert actions[0] == "create" and actions[-1] == "tranche_request"
    for step in ["election_scheduled", "elect_committees", "seat_accepted", "account_registered", "account_verified",
                 "agreement_generated", "agreement_uploaded", "sign_agreement"]:
        assert step in actions, step
    signed = next(e for e in events if e["action"] == "sign_agreement")
    assert signed["action_label"] == "Se registró la firma del convenio" and signed["actor"] == "Finanzas"
    assert (signed["from_state"], signed["to_state"]) == ("agreement_pending", "in_execution")


def test_the_tranches_say_what_is_missing(world):
    first, second = api_for(world.admin).get(f"{BASE}/{world.a.pk}/tranches/").json()
    assert (first["number"], first["status"], first["amount"]) == (1, "requested", "700000.00")
    assert first["missing"] == []
    assert second["status"] == "planned" and second["amount"] == "300000.00"
    assert "La ministración 1 aún no se entrega." in second["missing"]
    assert any("avance físico" in problem for problem in second["missing"])
    assert second["documents_required"].startswith("Informe de avance")
    pending = api_for(world.coordinator).get(f"{BASE}/{world.b.pk}/tranches/").json()[0]["missing"]
    assert "Falta el convenio firmado por la Secretaría." in pending
    assert "Falta la cuenta bancaria verificada por Finanzas." in pending


def test_the_list_filters_by_call_borough_state_and_my_action(world):
    coordinator = api_for(world.coordinator)
    elsewhere = selected_project(two_tranche_call(year=2034))
    assert codes(coordinator.get(f"{BASE}/", {"call": world.a.call_id})) == sorted([world.a.code, world.b.code])
    assert codes(coordinator.get(f"{BASE}/", {"call": elsewhere.call_id})) == [elsewhere.code]
    assert codes(coordinator.get(f"{BASE}/", {"status": "in_execution"})) == [world.a.code]
    assert codes(coordinator.get(f"{BASE}/", {"status": "agreement_pending"})) == [world.b.code]
    borough = world.a.neighbourhood.borough.inegi_code
    expected = sorted(p.code for p in [world.a, world.b, elsewhere] if p.neighbourhood.borough.inegi_code == borough)
    assert codes(coordinator.get(f"{BASE}/", {"borough": borough})) == expected
    # The coordination approves A's requested tranche and elects the committees of the new one.
    assert codes(coordinator.get(f"{BASE}/", {"needs_my_action": "true"})) == sorted([world.a.code, elsewhere.code])
    assert len(codes(coordinator.get(f"{BASE}/", {"needs_my_action": "false"}))) == 3
    # Finance has nothing waiting on it yet; the community has no staff role to wait on.
    assert codes(api_for(world.finance).get(f"{BASE}/", {"needs_my_action": "true"})) == []
    assert codes(api_for(world.admin).get(f"{BASE}/", {"needs_my_action": "true"})) == []
    assert codes(coordinator.get(f"{BASE}/", {"search": world.b.code})) == [world.b.code]


def test_a_call_or_borough_that_is_not_there_is_refused_in_spanish(world):
    coordinator = api_for(world.coordinator)
    for params in [{"call": 999999}, {"call": "abc"}, {"borough": "999"}, {"status": "flying"},
                   {"needs_my_action": "maybe"}]:
        response = coordinator.get(f"{BASE}/", params)
        assert response.status_code == 400, params
        field = next(iter(params))
        assert response.json()[field], params
    assert str(NOT_FOUND) in str(coordinator.get(f"{BASE}/", {"call": 999999}).json())
    assert "válid" in str(coordinator.get(f"{BASE}/", {"status": "flying"}).json())


def test_the_list_is_paginated_like_the_proposals_list(world):
    data = api_for(world.coordinator).get(f"{BASE}/").json()
    # `count_exact` (issue 14): the count stops at nicp.api_pagination.COUNT_CAP; 2 rows are counted exactly.
    assert set(data) == {"count", "count_exact", "next", "previous", "results"} and data["count"] == 2
    assert data["count_exact"] is True
    assert api_for(world.coordinator).get(f"{BASE}/", {"page": 9}).status_code == 404


def _list_queries(user) -> int:
    client = api_for(user)
    client.get(f"{BASE}/")  # warm: the session and role caches of the first request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{BASE}/", {"needs_my_action": "false"})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_the_list_costs_the_same_queries_for_3_and_30_projects(db, role):
    from tests.projects.helpers import staff_people

    people = staff_people()
    call = two_tranche_call(year=2035)
    member = UserFactory()
    projects = [selected_project(call, representative=member) for _ in range(3)]
    user = people["coordinator"] if role == "coordinator" else member
    few = _list_queries(user)
    projects += [selected_project(call, representative=member) for _ in range(27)]
    many = _list_queries(user)
    assert api_for(user).get(f"{BASE}/").json()["count"] == 30
    assert few == many <= 10, (few, many)


def test_roles_are_read_from_the_staff_groups_not_from_the_user_flags(world):
    superuser = UserFactory(is_staff=True, is_superuser=True)  # an operator, not a programme role
    assert codes(api_for(superuser).get(f"{BASE}/")) == []
    assert api_for(UserFactory(roles=[StaffRole.COMMITTEE_MEMBER])).get(f"{BASE}/{world.a.pk}/").status_code == 404


def test_the_schema_describes_the_projects_endpoints(db):
    from rest_framework.test import APIClient

    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    for path in ["/api/v1/projects/", "/api/v1/projects/{id}/", "/api/v1/projects/{id}/events/",
                 "/api/v1/projects/{id}/committees/", "/api/v1/projects/{id}/tranches/",
                 "/api/v1/projects/{id}/transitions/", "/api/v1/projects/{id}/tranches/{tranche_pk}/transitions/"]:
        assert path in schema["paths"], path
    listing = {p["name"] for p in schema["paths"]["/api/v1/projects/"]["get"]["parameters"]}
    assert {"call", "borough", "status", "needs_my_action", "page"} <= listing
    components = schema["components"]["schemas"]
    assert set(components["TrancheTransition"]["properties"]) == {"action", "note", "version", "transfer_reference",
                                                                   "transfer_date"}
    assert set(components["ProjectTransition"]["properties"]) == {"action", "note", "version", "confirm"}
    assert "email" in components["CommitteeSeat"]["properties"]
    assert "token" not in components["CommitteeSeat"]["properties"]
    assert components["ProjectStateEnum"]["enum"][0] == "committees_pending"
    move = schema["paths"]["/api/v1/projects/{id}/tranches/{tranche_pk}/transitions/"]["post"]
    assert {"200", "400", "403", "404", "409"} <= set(move["responses"])
    # The per-project reads are plain lists: no pagination and no list filters.
    events = schema["paths"]["/api/v1/projects/{id}/events/"]["get"]
    assert [p["name"] for p in events["parameters"]] == ["id"]
    assert events["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
