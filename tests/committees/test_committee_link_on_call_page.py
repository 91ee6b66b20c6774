"""The call page links to its Committee only for people that page opens for: no link that answers 404."""

import pytest
from django.urls import reverse

from accounts.roles import StaffRole
from tests.factories import UserFactory

from .conftest import members

pytestmark = pytest.mark.django_db


def shows_committee_link(client, user, call):
    client.force_login(user)
    page = client.get(reverse("proposals:call_detail", args=[call.pk]))
    assert page.status_code == 200
    return reverse("committees:home", args=[call.pk]) in page.content.decode()


def test_the_link_shows_for_those_the_committee_page_opens_for(client, committee, coordinator):
    call = committee.call
    member = members(committee)[0].user
    for user in (coordinator, member, committee.secretary, UserFactory(roles=[StaffRole.AUDITOR])):
        assert shows_committee_link(client, user, call), user
        assert client.get(reverse("committees:home", args=[call.pk])).status_code == 200


def test_no_link_for_staff_the_committee_page_refuses(client, committee):
    call = committee.call
    for user in (UserFactory(roles=[StaffRole.TECHNICAL_REVIEWER]), UserFactory(roles=[StaffRole.COMMITTEE_MEMBER])):
        assert not shows_committee_link(client, user, call), user
        assert client.get(reverse("committees:home", args=[call.pk])).status_code == 404
