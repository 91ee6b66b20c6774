"""Issue #8 item 12 in the API: junk in any field of any writable endpoint, sent by each role, and in
the query strings of the list endpoints, is a 4xx with a message, never a 5xx. (CI also runs
schemathesis against a demo server; this sweep runs in `make test`.)"""

import json

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from accounts.models import CommunityGroup, User
from committees.models import Committee
from proposals.models import Assembly, Call, Proposal

pytestmark = pytest.mark.django_db

ROLES = ["solicitante@demo.nicp.mx", "coordinacion@demo.nicp.mx", "revision@demo.nicp.mx",
         "comite4@demo.nicp.mx", "auditoria@demo.nicp.mx"]

SCALAR = st.one_of(
    st.sampled_from(["", "abc", "-1", "1e30", "1E+999999", "NaN", "Infinity", "sNaN", "0001-01-01", "9999-12-31",
                     "9999-12-31T23:59:59Z", "2030-02-30", "x" * 5000, "99999999999999999999999999999999", "٣"]),
    st.integers(min_value=-10**40, max_value=10**40),
    st.floats(),  # JSON has no NaN/Infinity; a strict parser refuses them
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.text(max_size=30),
    st.none(),
    st.booleans(),
)
JUNK = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                    st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                    max_leaves=8)

BUDGET_LINE = {"chapter": "works", "concept": "Obra", "unit": "lote", "quantity": "1", "unit_price": "1000"}


def endpoints():
    """(method, url, a valid body) for each writable endpoint of the demo world's records. A sweep that
    succeeds moves a record on: then another record stands in (the endpoint answers 4xx for its state).
    The bodies leave out the optional version, so a saved sweep does not make the next one stale."""

    def first(status):
        return Proposal.objects.filter(status=status).order_by("pk").first() or Proposal.objects.order_by("pk").last()

    draft, submitted, eligible, in_review = first("draft"), first("submitted"), first("eligible"), first("in_review")
    scheduled = Assembly.objects.filter(status="scheduled").first() or Assembly.objects.order_by("pk").last()
    shortlisted = Proposal.objects.filter(status="shortlisted").order_by("pk").last()
    committee = Committee.objects.filter(call=shortlisted.call).first()
    call = Call.objects.filter(status="published").first()
    group = CommunityGroup.objects.order_by("pk").first()
    base = "/api/v1/proposals"
    return [
        ("post", f"{base}/", {"call": call.pk, "group": group.pk, "title": "Nueva"}),
        ("patch", f"{base}/{draft.pk}/", {
            "title": "T", "address": "A", "latitude": "19.4", "longitude": "-99.1",
            "population_benefited": 10, "project_type": "park", "modality": "new", "budget_lines": [BUDGET_LINE]}),
        ("post", f"{base}/{submitted.pk}/transitions/", {
            "action": "return", "note": "n", "correction_deadline": "2031-01-10",
            "reason_code": ""}),
        ("post", f"{base}/{eligible.pk}/assemblies/", {
            "scheduled_at": "2031-01-10T10:00:00", "place": "P", "convened_by": "C"}),
        ("multipart", f"{base}/{scheduled.proposal_id}/assemblies/{scheduled.pk}/outcome/", {
            "attendees": 40, "votes_for": 30, "votes_against": 5, "abstentions": 5, "observations": ""}),
        ("post", f"{base}/{in_review.pk}/reviews/", {
            "checklist": {"public_land": {"answer": "yes", "note": ""}}, "adjusted_cost": "900000.00",
            "site_visit_on": "2031-01-10", "result": "feasible", "observations": "", "submit": False}),
        ("put", f"/api/v1/committees/{committee.pk}/proposals/{shortlisted.pk}/score/", {
            "scores": {str(c.pk): {"value": 3, "comment": ""} for c in shortlisted.call.rubric.filter(computed="")},
            "submit": False}),
    ]


# JSON text a serializer never builds: a number that overflows a float to infinity.
RAW = {"__1e400__": "1e400"}


def send(client, method, url, body):
    text = json.dumps(body, allow_nan=True)
    for marker, raw in RAW.items():
        text = text.replace(f'"{marker}"', raw)
    if method == "multipart":  # a form with files: every value goes as text
        values = {k: v if isinstance(v, list) else "" if v is None else str(v) for k, v in body.items()}
        response = client.post(url, values, format="multipart")
    else:
        response = getattr(client, method)(url, text, content_type="application/json")
    assert response.status_code < 500, (method, url, json.dumps(body, allow_nan=True)[:300])
    if response.status_code >= 400 and "json" in response.get("Content-Type", ""):
        assert response.json(), (url, response.status_code)  # a message, not an empty answer
    else:  # Django refuses a request of over 1,000 fields before DRF: its plain 400 page
        assert response.status_code < 400 or response.content, (url, response.status_code)
    return response


@pytest.fixture
def world():
    call_command("seed_demo", verbosity=0)


def client_for(email):
    client = APIClient()
    client.force_authenticate(User.objects.get(email=email))
    return client


FIXED = ["abc", -1, 10**30, "1e30", "__1e400__", 2.5, "9999-12-31", None, [], {}, ["1"] * 3000]


def leaves(body, path=()):
    """Every place in a JSON body that holds a value, nested objects and lists included."""
    yield path
    items = body.items() if isinstance(body, dict) else enumerate(body) if isinstance(body, list) else []
    for key, value in items:
        yield from leaves(value, (*path, key))


def replaced(body, path, junk):
    if not path:
        return junk
    copy = dict(body) if isinstance(body, dict) else list(body)
    copy[path[0]] = replaced(body.get(path[0]) if isinstance(body, dict) else body[path[0]], path[1:], junk)
    return copy


def test_each_field_of_each_writable_endpoint_with_each_role(world):
    for email in ROLES:
        client = client_for(email)
        for method, url, body in endpoints():
            for path in [*list(leaves(body))[1:], ("version",)]:
                for junk in FIXED:
                    send(client, method, url, replaced(body, path, junk))


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_junk_in_writable_endpoints(world, data):
    email = data.draw(st.sampled_from(ROLES))
    method, url, body = data.draw(st.sampled_from(endpoints()))
    fields = data.draw(st.lists(st.sampled_from(sorted(body)), min_size=1, max_size=3, unique=True))
    send(client_for(email), method, url, {**body, **{f: data.draw(JUNK) for f in fields}})


def test_query_strings_of_list_endpoints(world):
    client = client_for("coordinacion@demo.nicp.mx")
    params = ["page", "ordering", "search", "call", "status", "group", "borough", "stratum", "kind", "name"]
    for url in ["/api/v1/proposals/", "/api/v1/calls/", "/api/v1/neighbourhoods/", "/api/v1/boroughs/",
                "/api/v1/committees/"]:
        for junk in ["abc", "-1", "0", "1e30", "1" * 25, "9999-12-31", "x" * 3000, ""]:
            assert client.get(url, dict.fromkeys(params, junk)).status_code < 500, (url, junk[:40])
            for param in params:
                assert client.get(url, {param: junk}).status_code < 500, (url, param, junk[:40])
