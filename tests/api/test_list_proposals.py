"""The proposal list through nicp.api_pagination: constant queries, stable and complete pages by number and
by cursor, light rows, capped count, and clear refusals of a bad page, page size or cursor."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.db.models import Value
from rest_framework.renderers import JSONRenderer

from nicp import api_pagination
from nicp.relations import NOT_FOUND
from proposals import services
from proposals.api.serializers import ProposalListSerializer
from proposals.models import Proposal
from tests.api.list_walk import by_cursor, by_number, queries
from tests.api.projects_world import api_for
from tests.factories import UserFactory, complete_proposal, make_open_call

URL = "/api/v1/proposals/"


@pytest.fixture
def call(db):
    return make_open_call()


def drafts(call, group, applicant, count, *, lines=False):
    made = []
    for n in range(count):
        proposal = services.proposal_create(actor=applicant, call=call, group=group, title=f"Propuesta {n}")
        if lines:
            services.budget_lines_save(actor=applicant, proposal_id=proposal.pk, lines=[
                {"chapter": "works", "concept": f"Obra {k}", "unit": "lote", "quantity": 1, "unit_price": 1000 + n}
                for k in range(n % 3 + 1)])
        made.append(proposal.pk)
    return made


def newest_first(pks):
    return sorted(pks, reverse=True)  # created one after another: newest first is the highest id first


def test_the_list_costs_the_same_queries_with_1_row_and_with_many(call, group, applicant):
    client = api_for(applicant)
    drafts(call, group, applicant, 1, lines=True)
    one = [queries(client, URL), queries(client, URL, cursor=""), queries(client, URL, ordering="-budget_total")]
    drafts(call, group, applicant, 7, lines=True)
    many = [queries(client, URL), queries(client, URL, cursor=""), queries(client, URL, ordering="-budget_total")]
    assert one == many
    assert queries(client, URL, page=2, page_size=3) == one[0]
    # The page's keys, the rows with their counts, the capped count: not one more per row.
    assert len(client.get(URL).json()["results"]) == 8


def test_every_visible_proposal_comes_exactly_once_by_page_and_by_cursor(call, group, applicant, other_group,
                                                                         other_applicant):
    mine = drafts(call, group, applicant, 7, lines=True)
    drafts(call, other_group, other_applicant, 2)  # another group's drafts: never in the walk
    client = api_for(applicant)
    assert by_number(client, URL, page_size=3) == newest_first(mine)
    forward, backward = by_cursor(client, URL, page_size=3)
    assert forward == backward == newest_first(mine)
    # Every folio of a draft is blank: the ties are broken by the id, so no row repeats nor is skipped.
    assert by_number(client, URL, page_size=2, ordering="folio") == sorted(mine)
    forward, backward = by_cursor(client, URL, page_size=2, ordering="-folio")
    assert forward == backward == newest_first(mine)
    forward, _back = by_cursor(client, URL, page_size=2, ordering="budget_total")
    assert sorted(forward) == sorted(mine) and len(forward) == len(mine)


def test_staff_walk_only_submitted_proposals(call, group, applicant):
    sent = []
    for n in range(3):
        proposal = complete_proposal(services.proposal_create(actor=applicant, call=call, group=group,
                                                              title=f"Enviada {n}"), applicant)
        services.proposal_transition(actor=applicant, proposal_id=proposal.pk, action="submit")
        sent.append(proposal.pk)
    drafts(call, group, applicant, 2)
    coordinator = api_for(UserFactory(roles=["coordinator"]))
    assert by_number(coordinator, URL, page_size=2) == newest_first(sent)
    forward, backward = by_cursor(coordinator, URL, page_size=2)
    assert forward == backward == newest_first(sent)
    assert by_number(api_for(UserFactory()), URL) == []


def test_a_row_of_the_list_counts_lines_and_attachments_the_detail_lists_them(call, group, applicant):
    proposal = complete_proposal(services.proposal_create(actor=applicant, call=call, group=group, title="P"),
                                 applicant)
    [row] = api_for(applicant).get(URL).json()["results"]
    assert (row["budget_line_count"], row["attachment_count"]) == (1, 2)
    assert "budget_lines" not in row and row["budget_total"] == "1000000.00"
    # The page is serialized field by field once (nicp.api_pagination_rows): the same JSON as DRF's own.
    same = Proposal.objects.annotate(budget_line_count=Value(1), attachment_count=Value(2)).get(pk=proposal.pk)
    assert row == json.loads(JSONRenderer().render(ProposalListSerializer(same).data))
    detail = api_for(applicant).get(f"{URL}{proposal.pk}/").json()
    assert len(detail["budget_lines"]) == 1 and len(detail["attachments"]) == 2


def test_the_count_stops_at_the_cap_and_says_so(call, group, applicant, monkeypatch):
    drafts(call, group, applicant, 3)
    client = api_for(applicant)
    body = client.get(URL).json()
    assert (body["count"], body["count_exact"]) == (3, True)
    monkeypatch.setattr(api_pagination, "COUNT_CAP", 2)
    body = client.get(URL, {"page_size": 1}).json()
    assert (body["count"], body["count_exact"]) == (2, False) and body["next"]
    assert by_number(client, URL, page_size=1) == newest_first(visible_ids(applicant))


def visible_ids(applicant):
    return list(Proposal.objects.visible_to(applicant).values_list("pk", flat=True))


def message(response, field):
    found = response.json()[field]
    return found[0] if isinstance(found, list) else found


@pytest.mark.parametrize("params, field, text", [
    ({"page": "0"}, "page", api_pagination.BAD_PAGE),
    ({"page": "dos"}, "page", api_pagination.BAD_PAGE),
    ({"page": "-1"}, "page", api_pagination.BAD_PAGE),
    ({"page": str(10**30)}, "page", api_pagination.BAD_PAGE),
    ({"page_size": "0"}, "page_size", api_pagination.BAD_PAGE_SIZE % {"max": api_pagination.MAX_PAGE_SIZE}),
    ({"page_size": "201"}, "page_size", api_pagination.BAD_PAGE_SIZE % {"max": api_pagination.MAX_PAGE_SIZE}),
    ({"page_size": "x"}, "page_size", api_pagination.BAD_PAGE_SIZE % {"max": api_pagination.MAX_PAGE_SIZE}),
    ({"cursor": "basura"}, "cursor", api_pagination.BAD_CURSOR),
    ({"cursor": "eyJpZCI6MX0"}, "cursor", api_pagination.BAD_CURSOR),
])
def test_a_bad_page_page_size_or_cursor_is_a_400_in_spanish(call, group, applicant, params, field, text):
    drafts(call, group, applicant, 1)
    response = api_for(applicant).get(URL, params)
    assert response.status_code == 400
    assert message(response, field) == str(text)


def test_a_page_past_the_end_is_a_404_in_spanish(call, group, applicant):
    drafts(call, group, applicant, 2)
    response = api_for(applicant).get(URL, {"page": 2})
    assert response.status_code == 404 and message(response, "detail") == str(NOT_FOUND)


def test_a_cursor_works_only_for_its_own_list_and_order(call, group, applicant):
    drafts(call, group, applicant, 3)
    client = api_for(applicant)
    following = client.get(URL, {"cursor": "", "page_size": 1}).json()["next"]
    token = parse_qs(urlsplit(following).query)["cursor"][0]
    other_order = client.get(URL, {"cursor": token, "page_size": 1, "ordering": "budget_total"})
    assert other_order.status_code == 400 and message(other_order, "cursor") == str(api_pagination.OTHER_LIST)
    other_list = client.get("/api/v1/projects/", {"cursor": token})
    assert other_list.status_code == 400 and message(other_list, "cursor") == str(api_pagination.OTHER_LIST)
    # Signed: a cursor made up with the right shape but not by the server is refused.
    forged = signing.dumps({"l": "proposal", "o": ["-created_at", "-id"], "v": ["2020-01-01", 1], "d": "n"})
    assert client.get(URL, {"cursor": forged}).status_code == 400
    assert client.get(following).status_code == 200
