"""Junk in every field of the projects API's writes, sent by each role, and in the list's query string:
always a 4xx with a message or a success, never a 5xx (the sweep of tests/security/test_input_sweep_api.py,
pointed at the funded projects)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.projects_world import api_for, world_fixture  # noqa: F401  (the `world` fixture)
from tests.security.test_input_sweep_api import FIXED, JUNK, leaves, replaced, send

ROLES = ["coordinator", "finance", "admin", "supervision", "auditor", "other"]


def endpoints(world):
    """(method, url, a valid body) for each write; the version is left out so a success does not make the
    next one stale (the state machine then refuses with a 400)."""
    base = f"/api/v1/projects/{world.a.pk}"
    tranche = world.a.tranches.get(number=1).pk
    return [
        ("post", f"{base}/transitions/", {"action": "suspend", "note": "n", "confirm": False}),
        ("post", f"{base}/tranches/{tranche}/transitions/", {
            "action": "approve", "note": "", "transfer_reference": "R", "transfer_date": "2031-01-10"}),
    ]


def test_each_field_of_each_write_with_each_role(world):
    # The bodies are valid: the endpoints are there and take them (then the junk hits a moved record too).
    for method, url, body in reversed(endpoints(world)):  # the tranche moves before the project is suspended
        assert send(api_for(world.coordinator), method, url, body).status_code == 200, url
    for role in ROLES:
        client = api_for(world.people[role])
        for method, url, body in endpoints(world):
            for path in [*list(leaves(body))[1:], ("version",)]:
                for junk in FIXED:
                    send(client, method, url, replaced(body, path, junk))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_junk_in_the_writes(world, data):
    role = data.draw(st.sampled_from(ROLES))
    method, url, body = data.draw(st.sampled_from(endpoints(world)))
    fields = data.draw(st.lists(st.sampled_from(sorted(body)), min_size=1, max_size=3, unique=True))
    send(api_for(world.people[role]), method, url, {**body, **{f: data.draw(JUNK) for f in fields}})


def test_query_strings_of_the_list_and_ids_in_the_paths(world):
    client = api_for(world.coordinator)
    params = ["page", "ordering", "search", "call", "status", "borough", "needs_my_action"]
    for junk in ["abc", "-1", "0", "1e30", "1" * 25, "9999-12-31", "x" * 3000, "", "true", "null"]:
        assert client.get("/api/v1/projects/", dict.fromkeys(params, junk)).status_code < 500, junk[:40]
        for param in params:
            assert client.get("/api/v1/projects/", {param: junk}).status_code < 500, (param, junk[:40])
    for path in ["99999999999999999999/", "0/events/", "1e3/tranches/", f"{world.a.pk}/tranches/0/transitions/",
                 f"{world.a.pk}/tranches/99999999999999999999/transitions/"]:
        response = client.get(f"/api/v1/projects/{path}") if "transitions" not in path else \
            client.post(f"/api/v1/projects/{path}", {"action": "approve"}, format="json")
        assert response.status_code == 404, (path, response.status_code)
