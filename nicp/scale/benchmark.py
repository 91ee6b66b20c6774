"""The one benchmark, in process: each case of nicp/scale/cases.py requested with Django's test client as its
role, a warm-up then `repeat` timed requests; p50/p95 server time and the queries per request, against the
case's query budget. Speed is printed, never asserted; the budget and the answer (200) are.

The test client keeps the database connection across requests (it detaches `close_old_connections`), and a
streamed body is read to its end and never closed a second time: closing it again would fire
`request_finished` with the connection's cleanup attached, which inside a test's transaction on PostgreSQL
closes the test's own connection.
"""

import logging
import math
import statistics
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from nicp.scale import benchmark_exports as exports
from nicp.scale.benchmark_world import PUBLIC, World
from nicp.scale.cases import CASES, EXPORT, REPORT, SWEEP, Case


class NoSample(LookupError):
    """The data has nothing for a case to open (no project with expenses, no published results…)."""


@dataclass
class Timing:
    case: Case
    url: str = ""
    status: int | None = None
    times_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    error: str = ""
    note: str = ""  # what an export or the sweep adds: rows/s, memory, what was sent

    @property
    def p50(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def over_budget(self) -> bool:
        return bool(self.queries) and max(self.queries) > self.case.budget

    @property
    def failed(self) -> bool:
        return bool(self.error) or self.over_budget or not self.times_ms


def fill(text: str, world: World) -> str:
    """`text` with its `{sample}` fields filled in; NoSample when the data has none of one."""
    present = {name: value for name, value in world.samples.items() if value is not None}
    try:
        return text.format(**present)
    except KeyError as error:
        raise NoSample(f"no {error.args[0]} in the data") from error


def case_url(case: Case, world: World) -> str:
    """The case's path and query with its samples filled in."""
    try:
        path = reverse(case.name, args=[fill(arg, world) for arg in case.args])
    except NoReverseMatch as error:
        raise NoSample(f"no route {case.name}") from error
    query = fill(case.query, world)
    return f"{path}?{query}" if query else path


def request(client: Client, url: str) -> tuple[int, int, int]:
    """One GET with its body read to the end (a streamed response does its work while read): (status,
    lines, bytes)."""
    response = client.get(url)
    lines = size = 0
    for chunk in response.streaming_content if response.streaming else [response.content]:
        data = chunk.encode() if isinstance(chunk, str) else chunk
        lines, size = lines + data.count(b"\n"), size + len(data)
    return response.status_code, lines, size


def next_link(client: Client, url: str, hops: int) -> str:
    """Follow the API's `next` link `hops` times from `url` (a cursor page cannot be built, only reached)."""
    for _ in range(hops):
        response = client.get(url)
        payload = response.json() if response.status_code == 200 else {}
        following = payload.get("next") if isinstance(payload, dict) else None
        if not following:
            break
        parts = urlsplit(following)
        url = f"{parts.path}?{parts.query}" if parts.query else parts.path
    return url


def timed(run: Callable[[], int], repeat: int, timing: Timing) -> Timing:
    """A warm-up run, then `repeat` timed ones; any answer but 200 ends it as an error row."""
    timing.status = run()
    for _ in range(repeat if timing.status == 200 else 0):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            status = run()
            timing.times_ms.append((time.perf_counter() - started) * 1000)
        timing.queries.append(len(queries))
        if status != 200:
            timing.status = status
            break
    if timing.status != 200:
        timing.error = f"answered {timing.status}"
    return timing


def measure(case: Case, world: World, clients: dict, repeat: int) -> Timing:
    timing = Timing(case)
    try:
        if case.kind == SWEEP:
            return exports.sweep(timing)
        if case.kind == REPORT:
            return exports.call_report(timing, world.users[case.role], int(fill(case.args[0], world)))
        client = clients[case.role]
        timing.url = case_url(case, world)
        if case.follow:
            timing.url = next_link(client, timing.url, case.follow)
        if case.kind == EXPORT:
            return exports.download(timing, lambda: request(client, timing.url))
        return timed(lambda: request(client, timing.url)[0], repeat, timing)
    except NoSample as missing:
        timing.error = str(missing)
        return timing


def role_clients(world: World) -> dict[str, Client]:
    """One test client per role, signed in as its account (the public's is anonymous)."""
    clients = {}
    for role, user in world.users.items():
        client = Client()
        if role != PUBLIC and user is not None:
            client.force_login(user)
        clients[role] = client
    return clients


def select(cases: Iterable[Case], only: str | None) -> list[Case]:
    """The cases whose label, role or route contains `only` (case-insensitive); all without it."""
    if not only:
        return list(cases)
    needle = only.lower()
    return [case for case in cases if needle in f"{case.label} {case.role} {case.name}".lower()]


def run(world: World, *, repeat: int, only: str | None = None, report: Callable[[Timing], None] = print,
        cases: Iterable[Case] | None = None) -> list[Timing]:
    """Measure the chosen cases; each row reported as soon as it is measured."""
    chosen = select(CASES if cases is None else cases, only)
    with quiet_logs():
        clients = role_clients(world)
        timings = []
        for case in chosen:
            timing = measure(case, world, clients, repeat)
            timings.append(timing)
            report(timing)
        return timings


@contextmanager
def quiet_logs():
    """A refused page is an error row of the table, and every sign-in a line of django-axes: log noise."""
    quiet = [logging.getLogger(name) for name in ("django.request", "axes")]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(quiet, levels, strict=True):
            logger.setLevel(level)


HEADER = f"{'case':<42} {'role':<12} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7} {'budget':>6}  result"


def row(timing: Timing) -> str:
    case = timing.case
    head = f"{case.label[:42]:<42} {case.role:<12}"
    if timing.error or not timing.times_ms:
        return f"{head} {'-':>8} {'-':>8} {'-':>7} {case.budget:>6}  ERROR: {timing.error or 'not measured'}"
    low, high = min(timing.queries), max(timing.queries)
    queries = f"{high}" if low == high else f"{low}-{high}"
    verdict = "OVER" if timing.over_budget else "OK"
    note = f"  {timing.note}" if timing.note else ""
    return f"{head} {timing.p50:>8.1f} {timing.p95:>8.1f} {queries:>7} {case.budget:>6}  {verdict}{note}"
