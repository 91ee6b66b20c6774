"""List pages keep a constant number of queries as rows grow (DESIGN: at most 10)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership
from accounts.roles import StaffRole
from tests.factories import CommunityGroupFactory, NeighbourhoodFactory, UserFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["territory:borough_list", "territory:borough_detail"])
def test_territory_pages(client, url_name):
    kwargs = {"inegi_code": "007"} if url_name.endswith("detail") else {}
    url = reverse(url_name, kwargs=kwargs) + "?q=Colonia"
    NeighbourhoodFactory()
    few = count_queries(client, url)
    NeighbourhoodFactory.create_batch(40)
    assert count_queries(client, url) == few <= 10


def test_group_list_for_a_coordinator(client):
    coordinator = UserFactory(roles=[StaffRole.COORDINATOR])
    client.force_login(coordinator)
    CommunityGroupFactory(representative=UserFactory())
    url = reverse("accounts:group_list")
    few = count_queries(client, url)
    for group in CommunityGroupFactory.create_batch(20, representative=UserFactory()):
        Membership.objects.create(group=group, user=UserFactory())
    assert count_queries(client, url) == few <= 10


def test_group_detail_does_not_grow_with_members_or_history(client, group, applicant):
    client.force_login(applicant)
    Membership.objects.create(group=group, user=UserFactory())  # so the hand-over form is shown
    url = reverse("accounts:group_detail", args=[group.pk])
    few = count_queries(client, url)
    for _ in range(15):
        Membership.objects.create(group=group, user=UserFactory())
    assert count_queries(client, url) == few
