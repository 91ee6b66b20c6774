"""Issue #8 items 9 and 12 in the Committee API: a score sheet has at most one entry per rubric
criterion (the rubric's own cap), each a small object, each score a whole number; never a 500."""

import pytest
from rest_framework.test import APIClient

from committees import services
from nicp import bounds
from tests.committees.conftest import shortlisted_proposals
from tests.factories import UserFactory, make_open_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoring():
    call = make_open_call(year=2028)
    coordinator = UserFactory(roles=["coordinator"])
    committee = services.committee_set(actor=coordinator, call=call, secretary=UserFactory())
    services.member_add(actor=coordinator, committee=committee, email="c1@ejemplo.mx", full_name="C1",
                        sector="academia", institution="UNAM")
    member = committee.members.get()
    proposal = shortlisted_proposals(call, 1)[0]
    client = APIClient()
    client.force_authenticate(member.user)
    criterion = call.rubric.get()
    return client, f"/api/v1/committees/{committee.pk}/proposals/{proposal.pk}/score/", criterion


def test_scores_are_capped(scoring):
    client, url, criterion = scoring
    many = {str(i): {"value": 3} for i in range(bounds.MAX_RUBRIC_CRITERIA + 1)}
    response = client.put(url, {"scores": many}, format="json")
    assert response.status_code == 400 and f"como máximo {bounds.MAX_RUBRIC_CRITERIA}" in str(response.json())
    wide = {str(criterion.pk): {f"k{i}": 1 for i in range(bounds.MAX_ENTRY_KEYS + 1)}}
    assert client.put(url, {"scores": wide}, format="json").status_code == 400
    assert client.put(url, {"scores": {str(criterion.pk): {"value": 4}}}, format="json").status_code == 200


@pytest.mark.parametrize("value", ["1e400", "2.5", "1e30", "-1", "99999999999999999999999999"])
def test_a_score_that_is_not_a_small_whole_number_is_a_400(scoring, value):
    client, url, criterion = scoring
    body = f'{{"scores": {{"{criterion.pk}": {{"value": {value}}}}}}}'
    response = client.put(url, body, content_type="application/json")
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("version", [10**30, -1, "abc", 0])
def test_a_score_version_out_of_range_is_a_400(scoring, version):
    client, url, criterion = scoring
    response = client.put(url, {"scores": {str(criterion.pk): {"value": 4}}, "version": version}, format="json")
    assert response.status_code == 400 and "version" in response.json()
