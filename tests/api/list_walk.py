"""Walking an API list (nicp.api_pagination) the two ways a client can: by page number and by cursor."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

MAX_PAGES = 100  # a walk that does not end is a failure, not a hang


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def by_number(client, url, **params) -> list[int]:
    """Every id, page by page following `next`; the last page says there is no next."""
    seen, response = [], client.get(url, params)
    for _ in range(MAX_PAGES):
        seen += ids(response)
        following = response.json()["next"]
        if following is None:
            return seen
        response = client.get(following)
    raise AssertionError("the page walk did not end")


def by_cursor(client, url, **params) -> tuple[list[int], list[int]]:
    """Every id walking `next` from `cursor=` (empty), then every id walking `previous` back from the end
    (returned in list order, so both should be equal)."""
    forward, pages, response = [], [], client.get(url, {**params, "cursor": ""})
    assert response.json()["previous"] is None
    for _ in range(MAX_PAGES):
        pages.append(response)
        forward += ids(response)
        following = response.json()["next"]
        if following is None:
            break
        response = client.get(following)
    else:
        raise AssertionError("the cursor walk did not end")
    assert "count" not in response.json()
    backward, response = list(ids(pages[-1])), pages[-1]
    for _ in range(MAX_PAGES):
        preceding = response.json()["previous"]
        if preceding is None:
            return forward, backward
        response = client.get(preceding)
        backward = ids(response) + backward
    raise AssertionError("the backward walk did not end")


def queries(client, url, **params) -> int:
    client.get(url, params)  # warm: the session and role caches of a first request are not the list's cost
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(captured)
