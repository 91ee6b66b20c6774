"""The public side's benchmark (manage.py benchmark_public) at a tiny size: it generates its data once,
prints its table, makes a page that does not answer 200 an error row, exits non-zero over a query budget,
and its concurrent client counts what a server served. Speed is never asserted (README: Benchmarks)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from projects.management.commands.generate_benchmark_projects import benchmark_projects
from projects.public import benchmark as bench
from tests.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db


def run(**options) -> str:
    out = StringIO()
    call_command("benchmark_public", stdout=out, **{"projects": 60, "repeat": 2, "deep_page": 2, **options})
    return out.getvalue()


@pytest.fixture
def territory(db):
    NeighbourhoodFactory.create_batch(3)


@pytest.mark.skipif(connection.vendor == "postgresql", reason=(
    "On PostgreSQL the benchmark closes the test database connection; "
    "enable once it reconnects (runs on SQLite)"))
def test_the_benchmark_generates_its_projects_once_and_prints_a_row_per_request(territory):
    first = run()
    assert benchmark_projects().count() == 60
    assert "60 benchmark projects created" in first
    # Each generated project gets a site inside Mexico City, so the map's GeoJSON has points to write.
    assert "60 generated proposals given a site on the map." in first
    sites = benchmark_projects().values_list("proposal__latitude", "proposal__longitude")
    assert all(19.2 <= lat <= 19.55 and -99.3 <= lon <= -98.95 for lat, lon in sites)
    for label in ("/proyectos/ page 1", "/proyectos/ page 2", "/proyectos/ borough", "/proyectos/ search «Parque»",
                  "/proyectos/ sort=monto", "/proyectos/mapa.geojson borough", "(most expenses)", "/estadisticas/",
                  "API list, first page", "API list, cursor page 2", "API project"):
        [row] = [line for line in first.splitlines() if label in line]
        # Every public page and endpoint answers and is measured (the command itself fails over a budget).
        assert " 200 " in row and "ERROR" not in row and "OVER BUDGET" not in row, row
    assert "      60 projects in" in first  # oc4ids.json, read to its end through its dataset writer
    [csv_row] = [line for line in first.splitlines() if "  gastos.csv" in line]
    assert " rows in " in csv_row and "peak RSS growth" in csv_row
    assert first.count("tracemalloc peak:") == 2
    assert "load average" in first
    again = run(skip_exports=True)
    assert "60 benchmark projects already there: nothing generated." in again
    assert "given a site" not in again
    assert benchmark_projects().count() == 60


def test_a_page_that_does_not_answer_200_is_an_error_row(territory, monkeypatch):
    monkeypatch.setattr(bench, "cases", lambda client, deep_page: [
        bench.Case("missing page", "/no-such-page/", 10), bench.Case("not built", None, note="no next link")])
    out = run(skip_exports=True)
    assert "missing page" in out and "ERROR: answered 404" in out
    assert "ERROR: no next link" in out


@pytest.mark.skipif(connection.vendor == "postgresql", reason=(
    "On PostgreSQL the benchmark closes the test database connection; "
    "enable once it reconnects (runs on SQLite)"))
def test_a_request_over_its_query_budget_fails_the_command(territory, monkeypatch):
    # /healthz reads one query (SELECT 1).
    monkeypatch.setattr(bench, "cases", lambda client, deep_page: [bench.Case("health", "/healthz", 1)])
    assert "OVER BUDGET" not in run(skip_exports=True)
    monkeypatch.setattr(bench, "cases", lambda client, deep_page: [bench.Case("health", "/healthz", 0)])
    with pytest.raises(CommandError, match="Over the query budget: health"):
        run(skip_exports=True)


def test_percentiles_and_the_api_next_link():
    timing = bench.Timing(bench.Case("x", "/"), times_ms=[float(n) for n in range(1, 21)])
    assert (timing.p50, timing.p95) == (10.5, 19.0)
    assert bench.next_link({"next": "http://testserver/api/v1/public/projects/?cursor=abc&year=2098"}) == \
        "/api/v1/public/projects/?cursor=abc&year=2098"
    assert bench.next_link({"links": {"next": "/api/v1/public/projects/?cursor=x"}}) == \
        "/api/v1/public/projects/?cursor=x"
    assert bench.next_link({"next": None, "results": []}) is None


def test_an_export_is_drained_to_its_end_and_measured():
    run_ = bench.drain((f"fila {n}\n" if n % 2 else f"fila {n}\n".encode() for n in range(1000)), trace=True)
    assert (run_.chunks, run_.lines) == (1000, 1000)
    assert run_.bytes == sum(len(f"fila {n}\n") for n in range(1000))
    assert run_.traced_peak_mb is not None


def test_gunicorn_runs_as_production_would_on_the_benchmarks_own_database():
    env = bench.gunicorn_env({"DATABASE_URL": "postgres://x", "DEBUG": "true"}, 8148)
    assert env["DATABASE_URL"] == "postgres://x" and env["DEBUG"] == "false"
    assert env["NICP_SITE_URL"] == "http://127.0.0.1:8148" and "127.0.0.1" in env["ALLOWED_HOSTS"]
    assert bench.gunicorn_command(8148)[-4:] == ["-w", "2", "-b", "127.0.0.1:8148"]


class Stub(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the client expects

    def do_GET(self):  # noqa: N802 (the stdlib's name)
        body = b"ok"
        self.send_response(200 if self.path == "/healthz" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def stub_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_the_concurrent_client_counts_only_200s_as_served_in_interleaved_rounds(stub_server):
    loads = bench.compare(stub_server, ["/healthz", "/proyectos/"], 0.3, rounds=2, threads=2, warm=0.1)
    assert [len(runs) for runs in loads.values()] == [2, 2]
    served, missing = loads["/healthz"], loads["/proyectos/"]
    assert all(load.ok > 0 and load.failed == 0 for load in served)
    assert all(load.ok == 0 and load.failed > 0 for load in missing)
    assert bench.rps(missing) == 0 and bench.rps(served) > 0
    assert bench.statuses_text(missing).startswith('{"404": ')
