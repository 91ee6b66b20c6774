"""The lists that stay whole because they are short by nature (calls: one a year; the 16 boroughs; a
person's API tokens, at most NICP_API_TOKENS_PER_USER), and the neighbourhood catalogue (1,816 units), paged
like every long list. Each costs the same queries with 1 row and with many."""

from accounts import tokens
from neighbourhoods.models import Neighbourhood
from tests.api.list_walk import by_cursor, by_number, queries
from tests.api.projects_world import api_for
from tests.factories import BoroughFactory, NeighbourhoodFactory, UserFactory, make_open_call


def test_the_calls_list_is_whole_and_costs_the_same_queries(db):
    make_open_call(year=2040)
    one = queries(api_for(None), "/api/v1/calls/")
    for year in (2041, 2042, 2043):
        make_open_call(year=year)
    assert queries(api_for(None), "/api/v1/calls/") == one
    assert len(api_for(None).get("/api/v1/calls/").json()) == 4


def test_the_borough_list_is_whole_and_costs_the_same_queries(db):
    BoroughFactory()
    one = queries(api_for(None), "/api/v1/boroughs/")
    for _ in range(4):
        BoroughFactory()
    assert queries(api_for(None), "/api/v1/boroughs/") == one


def test_the_neighbourhood_catalogue_pages_like_every_long_list(db):
    borough = BoroughFactory()
    NeighbourhoodFactory(borough=borough)
    client = api_for(None)
    one = (queries(client, "/api/v1/neighbourhoods/"), queries(client, "/api/v1/neighbourhoods/", cursor=""))
    for _ in range(6):
        NeighbourhoodFactory(borough=BoroughFactory())
    assert (queries(client, "/api/v1/neighbourhoods/"), queries(client, "/api/v1/neighbourhoods/", cursor="")) == one
    # The catalogue's order (borough name, name, key) ends with the id, and a cursor walks it through the join.
    expected = [row.pk for row in Neighbourhood.objects.order_by("borough__name", "name", "key", "id")]
    assert by_number(client, "/api/v1/neighbourhoods/", page_size=3) == expected
    forward, backward = by_cursor(client, "/api/v1/neighbourhoods/", page_size=3)
    assert forward == backward == expected


def test_my_tokens_list_is_whole_and_costs_the_same_queries(db):
    person = UserFactory()
    tokens.api_token_create(user=person, second_factor_verified=True)
    client = api_for(person)
    one = queries(client, "/api/v1/auth/tokens/")
    for _ in range(4):
        tokens.api_token_create(user=person, second_factor_verified=True)
    assert queries(client, "/api/v1/auth/tokens/") == one
    assert len(client.get("/api/v1/auth/tokens/").json()) == 5


PAGED = ["/api/v1/proposals/", "/api/v1/projects/", "/api/v1/expenses/", "/api/v1/neighbourhoods/",
         "/api/v1/projects/{project_pk}/expenses/", "/api/v1/projects/{project_pk}/reports/",
         "/api/v1/projects/{project_pk}/logbook/", "/api/v1/projects/{project_pk}/visits/",
         "/api/v1/projects/{project_pk}/observations/"]


def test_the_schema_offers_page_numbers_and_the_cursor_on_every_long_list(db):
    schema = api_for(None).get("/api/schema/", {"format": "json"}).json()
    for path in PAGED:
        listing = schema["paths"][path]["get"]
        assert {"page", "page_size", "cursor"} <= {p["name"] for p in listing["parameters"]}, path
        page = listing["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        properties = schema["components"]["schemas"][page]["properties"]
        assert {"count", "count_exact", "next", "previous", "results"} == set(properties), path
        assert "1000" in properties["count"]["description"]
