"""The public side's benchmark (manage.py benchmark_public): which public pages and endpoints it requests,
how it times one in process, how it drains an export, and the concurrent client that compares requests
per second with /healthz under gunicorn. Speed is printed, never asserted; the query budget is.

A page that does not answer 200 is an error row, not a crash, so the harness runs before every page exists.
"""

import http.client
import json
import math
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from projects.models import Expense
from projects.public.querysets import public_projects
from proposals.models import Proposal

LIST_BUDGET = 10  # queries: a public list page or endpoint reads the same few tables whatever its size
SEARCH = "Parque"  # a word in about a quarter of the generated titles
CURSOR_HOPS = 9  # the API's cursor page measured is the tenth (or the last, when there are fewer)


@dataclass
class Case:
    label: str
    url: str | None  # None when it cannot be built yet (no route, nothing to follow)
    budget: int | None = None  # the most queries allowed; None: reported only
    note: str = ""


@dataclass
class Timing:
    case: Case
    status: int | None = None
    times_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    error: str = ""

    @property
    def p50(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def over_budget(self) -> bool:
        return bool(self.queries) and self.case.budget is not None and max(self.queries) > self.case.budget


def place_sites(projects) -> int:
    """Give each of `projects`' proposals without a site a point inside Mexico City, spread evenly: the
    generator leaves them without one and the catalogue has no centroids, so the map would have nothing
    to draw and its GeoJSON nothing to write."""
    proposals = list(Proposal.objects.filter(project__in=projects, latitude__isnull=True).only("pk"))
    for proposal in proposals:
        proposal.latitude = Decimal("19.2") + Decimal(proposal.pk * 7919 % 3500) / 10000
        proposal.longitude = Decimal("-99.3") + Decimal(proposal.pk * 104729 % 3500) / 10000
    Proposal.objects.bulk_update(proposals, ["latitude", "longitude"], batch_size=2000)
    return len(proposals)


def route(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def with_query(url: str | None, query: str) -> str | None:
    return f"{url}?{query}" if url else None


def busiest_project_code() -> str | None:
    """The code of the public project with the most expenses: the heaviest project page."""
    row = (Expense.objects.filter(project__in=public_projects().values("pk")).order_by()
           .values("project__code").annotate(n=Count("id")).order_by("-n", "project__code").first())
    return row["project__code"] if row else None


def busiest_borough() -> str | None:
    """The INEGI code of the borough with the most projects: the heaviest borough filter."""
    row = (public_projects().order_by().values("neighbourhood__borough__inegi_code")
           .annotate(n=Count("id")).order_by("-n", "neighbourhood__borough__inegi_code").first())
    return row["neighbourhood__borough__inegi_code"] if row else None


def next_link(payload) -> str | None:
    """The API's next page: DRF's `next` at the top, or under `links` / `meta`."""
    if not isinstance(payload, dict):
        return None
    for holder in (payload, payload.get("links"), payload.get("meta")):
        if isinstance(holder, dict) and isinstance(holder.get("next"), str):
            parts = urlsplit(holder["next"])
            return f"{parts.path}?{parts.query}" if parts.query else parts.path
    return None


def cursor_page(client: Client, first: str | None, hops: int = CURSOR_HOPS) -> tuple[str | None, int, str]:
    """Follow the API's next links up to `hops` times from its first page: (url, its page number, a note
    when there is no second page to measure)."""
    url, number = first, 1
    if url is None:
        return None, 0, "no route yet"
    for _ in range(hops):
        response = client.get(url)
        if response.status_code != 200:
            return None, 0, f"page {number} answered {response.status_code}"
        following = next_link(response.json())
        if following is None:
            break
        url, number = following, number + 1
    return (url, number, "") if number > 1 else (None, 0, "no next link: a single page")


def cases(client: Client, *, deep_page: int = 200) -> list[Case]:
    """What the benchmark requests, as an anonymous visitor would."""
    listing, geojson, api = route("public:project_list"), route("public:project_geojson"), route("api:public-projects")
    borough, code = busiest_borough(), busiest_project_code()
    cursor, cursor_number, cursor_note = cursor_page(client, api)
    return [
        Case("/proyectos/ page 1", listing, LIST_BUDGET),
        Case(f"/proyectos/ page {deep_page}", with_query(listing, f"page={deep_page}"), LIST_BUDGET),
        Case(f"/proyectos/ borough {borough}", with_query(listing, f"borough={borough}"), LIST_BUDGET),
        Case(f"/proyectos/ search «{SEARCH}»", with_query(listing, f"q={SEARCH}"), LIST_BUDGET),
        Case("/proyectos/ sort=monto", with_query(listing, "sort=monto"), LIST_BUDGET),
        Case(f"/proyectos/mapa.geojson borough {borough}", with_query(geojson, f"borough={borough}"), LIST_BUDGET),
        Case(f"project page {code} (most expenses)", route("public:project", code) if code else None,
             note="" if code else "no project with expenses"),
        Case("/estadisticas/", route("public:statistics")),
        Case("API list, first page", api, LIST_BUDGET),
        Case(f"API list, cursor page {cursor_number}", cursor, LIST_BUDGET, note=cursor_note),
        Case(f"API project {code}", route("api:public-project", code) if code else None,
             note="" if code else "no project with expenses"),
    ]


def request(client: Client, url: str) -> int:
    """One GET, its streamed body read to the end (a streamed response does its work while read)."""
    response = client.get(url)
    if response.streaming:
        for _chunk in response.streaming_content:
            pass
    else:
        _ = response.content
    response.close()
    return response.status_code


def measure(client: Client, case: Case, repeat: int) -> Timing:
    """Time `case` `repeat` times after a warm-up request; a non-200 warm-up makes it an error row."""
    timing = Timing(case)
    if case.url is None:
        timing.error = case.note or "no route yet"
        return timing
    timing.status = request(client, case.url)
    if timing.status != 200:
        timing.error = f"answered {timing.status}"
        return timing
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            status = request(client, case.url)
            timing.times_ms.append((time.perf_counter() - started) * 1000)
        if status != 200:
            timing.status, timing.error = status, f"answered {status} once warm"
            break
        timing.queries.append(len(queries))
        timing.sql_ms.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
    return timing


TABLE_HEADER = (f"  {'request':<46} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7} {'budget':>6} "
                f"{'SQL p50':>8}")


def table_row(timing: Timing) -> str:
    label, budget = timing.case.label[:46], timing.case.budget if timing.case.budget is not None else "-"
    if timing.error or not timing.times_ms:
        return f"  {label:<46} {timing.status or '-':>6}   ERROR: {timing.error}"
    queries = f"{min(timing.queries)}" if min(timing.queries) == max(timing.queries) else \
        f"{min(timing.queries)}-{max(timing.queries)}"
    flag = "   OVER BUDGET" if timing.over_budget else ""
    return (f"  {label:<46} {timing.status:>6} {timing.p50:>8.1f} {timing.p95:>8.1f} {queries:>7} {budget:>6} "
            f"{statistics.median(timing.sql_ms):>8.1f}{flag}")


# Exports -------------------------------------------------------------------------------------------------


def memory_kb(key: str) -> int | None:
    """A line of /proc/self/status (VmRSS, VmHWM) in kB; None where there is no /proc."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak_rss() -> bool:
    """Start VmHWM afresh from the present RSS (Linux ≥ 4.0), so the peak is this run's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


@dataclass
class ExportRun:
    seconds: float
    chunks: int
    bytes: int
    lines: int
    rss_growth_mb: float | None = None  # peak RSS during the run minus RSS before it
    traced_peak_mb: float | None = None  # tracemalloc's peak (Python allocations only)


def drain(chunks: Iterable[str | bytes], *, trace: bool = False) -> ExportRun:
    """Read an export to its end as a download would, counting bytes and lines, never keeping it."""
    fresh_peak = reset_peak_rss()
    rss_before = memory_kb("VmRSS")
    if trace:
        tracemalloc.start()
    count = size = lines = 0
    started = time.perf_counter()
    try:
        for chunk in chunks:
            data = chunk.encode() if isinstance(chunk, str) else chunk
            count, size, lines = count + 1, size + len(data), lines + data.count(b"\n")
        seconds = time.perf_counter() - started
        traced = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    finally:
        if trace:
            tracemalloc.stop()
    peak = memory_kb("VmHWM")
    growth = (peak - rss_before) / 1024 if fresh_peak and peak and rss_before else None
    return ExportRun(seconds, count, size, lines, growth, traced)


def subset(projects, count: int):
    """The first `count` of `projects` as a filterable queryset (a writer may filter or order it again)."""
    return projects.filter(pk__in=list(projects.order_by("pk").values_list("pk", flat=True)[:count]))


def measure_export(write: Callable, projects) -> dict:
    """A timed pass (nothing traced), then tracemalloc's peak over a tenth of the projects and over all of
    them: memory is flat when the second peak is not ~10× the first."""
    timed = drain(write(projects))
    tenth = max(1, projects.count() // 10)
    small = drain(write(subset(projects, tenth)), trace=True)
    whole = drain(write(projects), trace=True)
    return {"timed": timed, "tenth": tenth, "small": small, "whole": whole}


# Requests per second under gunicorn ----------------------------------------------------------------------


def gunicorn_command(port: int, workers: int = 2) -> list[str]:
    binary = Path(sys.executable).with_name("gunicorn")
    return [str(binary), "nicp.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"]


def gunicorn_env(environ: dict, port: int) -> dict:
    """The benchmark's own environment (database, NICP_VAR_DIR) served as production would: no debug, its
    host allowed, persistent database connections as nicp/settings/production.py keeps them."""
    return {**environ, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "NICP_SITE_URL": f"http://127.0.0.1:{port}", "DB_CONN_MAX_AGE": environ.get("DB_CONN_MAX_AGE", "60"),
            "DJANGO_SETTINGS_MODULE": environ.get("DJANGO_SETTINGS_MODULE", "nicp.settings.base")}


class Gunicorn:
    """gunicorn started for the measurement and stopped after it, whatever happens in between."""

    def __init__(self, port: int, environ: dict, log: Path):
        self.port, self.environ, self.log = port, environ, log
        self.process = None

    def __enter__(self):
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603 (our own server, fixed arguments)
                gunicorn_command(self.port), cwd=settings.BASE_DIR, env=gunicorn_env(self.environ, self.port),
                stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start:\n{self.log.read_text()[-2000:]}")
            if get(self.port, "/healthz") == 200:
                return self
            time.sleep(0.25)
        self.__exit__()
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def get(port: int, path: str) -> int | None:
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection_.request("GET", path)
        response = connection_.getresponse()
        response.read()
        return response.status
    except OSError:
        return None
    finally:
        connection_.close()


@dataclass
class Load:
    path: str
    seconds: float
    ok: int
    failed: int
    statuses: dict

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


def hammer(port: int, path: str, seconds: float, threads: int = 4) -> Load:
    """`threads` clients, each on its own keep-alive connection (reopened when the server closes it, as
    gunicorn's sync workers do), GET `path` back to back for `seconds`; only 200s count as served."""
    lock, counts = threading.Lock(), {"ok": 0, "failed": 0}
    statuses: dict = {}
    start = threading.Barrier(threads + 1)

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        ok = failed = 0
        seen: dict = {}
        start.wait()
        while time.monotonic() < deadline:
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                seen[response.status] = seen.get(response.status, 0) + 1
                if response.status == 200:
                    ok += 1
                else:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
        conn.close()
        with lock:
            counts["ok"] += ok
            counts["failed"] += failed
            for status, n in seen.items():
                statuses[status] = statuses.get(status, 0) + n

    workers = [threading.Thread(target=client, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + seconds
    began = time.monotonic()
    start.wait()
    for worker in workers:
        worker.join()
    return Load(path, time.monotonic() - began, counts["ok"], counts["failed"], statuses)


def compare(port: int, paths: list[str], seconds: float, *, rounds: int = 2, threads: int = 4,
            warm: float = 1.0) -> dict[str, list[Load]]:
    """Each path in turn, `rounds` times interleaved (healthz → list → api, twice), after a short warm-up
    of each, with the same client: the ratios compare like with like on a machine whose load drifts."""
    for path in paths:
        hammer(port, path, warm, threads)
    loads: dict[str, list[Load]] = {path: [] for path in paths}
    for _ in range(rounds):
        for path in paths:
            loads[path].append(hammer(port, path, seconds, threads))
    return loads


def rps(loads: list[Load]) -> float:
    seconds = sum(load.seconds for load in loads)
    return sum(load.ok for load in loads) / seconds if seconds else 0.0


def statuses_text(loads: list[Load]) -> str:
    merged: dict = {}
    for load in loads:
        for status, n in load.statuses.items():
            merged[status] = merged.get(status, 0) + n
    return json.dumps({str(k): v for k, v in sorted(merged.items())})
