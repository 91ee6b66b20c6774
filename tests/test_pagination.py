"""The keys-first paginator gives the same pages as Django's, reading the joined rows of one page only."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from neighbourhoods.models import Neighbourhood
from nicp.pagination import KeysFirstPaginator
from tests.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(db):
    NeighbourhoodFactory.create_batch(23)
    return Neighbourhood.objects.select_related("borough").order_by("-population", "-id")


@pytest.mark.parametrize("orphans", [0, 3])
def test_every_page_holds_the_same_rows_in_the_same_order(units, orphans):
    plain, keys_first = Paginator(units, 5, orphans=orphans), KeysFirstPaginator(units, 5, orphans=orphans)
    assert keys_first.num_pages == plain.num_pages
    for number in plain.page_range:
        assert list(keys_first.page(number)) == list(plain.page(number))
    assert list(keys_first.get_page("no es un número")) == list(plain.page(1))


def test_the_joined_rows_are_read_for_the_page_keys_only(units):
    with CaptureQueriesContext(connection) as queries:
        page = KeysFirstPaginator(units, 5).page(4)
        boroughs = [unit.borough.name for unit in page]
    keys, rows = queries.captured_queries[-2:]
    assert "OFFSET 15" in keys["sql"] and "JOIN" not in keys["sql"]
    assert "OFFSET" not in rows["sql"] and "JOIN" in rows["sql"] and " IN (" in rows["sql"]
    assert len(boroughs) == 5 and len(queries) == 3  # count, keys, rows: no query per row


def test_an_empty_list_has_one_empty_page(db):
    page = KeysFirstPaginator(Neighbourhood.objects.order_by("id"), 5).get_page(1)
    assert list(page) == [] and page.number == 1
