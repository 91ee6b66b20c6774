"""An id that cannot be a record key (infinite, huge, not a whole number, a boolean) is refused like a missing
one, before any query: on SQLite `10**30` or `1e400` would otherwise overflow the lookup into a 500."""

import pytest
from rest_framework.test import APIClient

from nicp.bounds import ID_MAX
from nicp.relations import NOT_FOUND, plausible_id
from proposals.services import proposal_create
from tests.factories import make_open_call

IMPOSSIBLE_IDS = ["1e400", "10" * 20, str(ID_MAX + 1), "-1", "0", "1.5", "abc", "²", "true",
                  "1" * 5000]  # thousands of digits: beyond what Python converts to an int at all


@pytest.mark.parametrize("value", [*IMPOSSIBLE_IDS, True, 1.5, float("inf"), None, [], {}])
def test_impossible_ids_are_not_ids(value):
    assert plausible_id(value) is None


@pytest.mark.parametrize("value", [1, "1", " 42 ", "007", ID_MAX])
def test_plausible_ids_are(value):
    assert plausible_id(value) == int(str(value).strip())


@pytest.mark.parametrize("raw", ['1e400', "1" + "0" * 30, str(ID_MAX + 1), "-5", "1.5", "true", '"abc"', "[1]"])
def test_the_api_answers_an_impossible_id_like_a_missing_one(group, applicant, raw):
    call = make_open_call()
    proposal = proposal_create(actor=applicant, call=call, group=group, title="Parque")
    client = APIClient()
    client.force_authenticate(applicant)
    body = f'{{"continuation_of": {raw}, "version": {proposal.version}}}'
    response = client.patch(f"/api/v1/proposals/{proposal.pk}/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["continuation_of"] == [str(NOT_FOUND)]
    proposal.refresh_from_db()
    assert proposal.continuation_of_id is None
