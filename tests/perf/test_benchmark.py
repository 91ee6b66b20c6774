"""The one benchmark (manage.py benchmark): its registry covers every list route of the URLconfs, it runs
on a whole generated world and passes, it fails on a case over its budget or not answering 200, and it
leaves the data (and the test's database connection, on PostgreSQL too) as it found them."""

import dataclasses
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.roles import StaffRole
from nicp.scale import benchmark, benchmark_http, cases
from nicp.scale.benchmark_world import PUBLIC, find_world
from notifications.models import Notice, ReminderLog
from proposals.models import Proposal
from reports.models import Report
from tests.factories import NeighbourhoodFactory, UserFactory

pytestmark = pytest.mark.django_db


def route_names(patterns=None, namespace="") -> set[str]:
    """Every named route under the benchmark's namespaces, as namespace:name."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            names |= route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and namespace in cases.NAMESPACES:
            names.add(f"{namespace}:{pattern.name}")
    return names


def test_every_route_is_measured_or_says_why_not():
    routes = route_names()
    measured, exempt = cases.measured_names(), set(cases.NOT_MEASURED)
    assert routes - measured - exempt == set(), "a new route: add a case to nicp/scale/cases.py or say why not"
    assert measured & exempt == set()
    assert (measured | exempt) - routes == set(), "a case or exemption names a route that no longer exists"
    assert all(reason.strip() for reason in cases.NOT_MEASURED.values())


def test_no_list_is_exempted():
    """What is named as a list (the router's -list routes, names with the word list, queue, index, inbox)
    is measured, never exempted."""
    words = {"list", "queue", "index", "inbox"}
    looks_like_a_list = {name for name in route_names() if words & set(re.split(r"[:_-]", name))}
    assert looks_like_a_list <= cases.measured_names()
    assert {"api:proposal-list", "proposals:review_queue", "public:project_list", "projects:expense_queue"} \
        <= looks_like_a_list


def test_every_case_has_a_role_a_budget_and_a_unique_label_per_role():
    roles = {case.role for case in cases.CASES}
    assert roles == {"coordinator", "reviewer", "finance", "committee", "auditor", "applicant", "project seat",
                     PUBLIC}
    assert all(case.budget > 0 for case in cases.CASES)
    keys = [(case.label, case.role) for case in cases.CASES]
    assert len(keys) == len(set(keys))


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def run(**options) -> str:
    out = StringIO()
    call_command("benchmark", stdout=out, **options)
    return out.getvalue()


def test_the_benchmark_passes_on_a_whole_world_and_fails_on_a_lowered_budget(demo, monkeypatch):
    before = Report.objects.count(), Notice.objects.count(), ReminderLog.objects.count()
    out = run(smoke=True)
    for case in cases.CASES:
        assert f"{case.label[:42]:<42} {case.role:<12}" in out
    assert " OVER" not in out and "ERROR" not in out
    # The call report and the reminder sweep were rolled back; the connection is still the test's.
    assert (Report.objects.count(), Notice.objects.count(), ReminderLog.objects.count()) == before
    assert Proposal.objects.exists() and connection.connection is not None

    lowered = [dataclasses.replace(case, budget=1) if case.name == "api:proposal-list" else case
               for case in cases.CASES]
    monkeypatch.setattr(benchmark, "CASES", lowered)
    with pytest.raises(CommandError, match=r"over the query budget: API proposals \(coordinator\)"):
        run(smoke=True, only="API proposals")
    assert Proposal.objects.exists()


def test_a_case_that_does_not_answer_200_fails_the_command(db, monkeypatch):
    NeighbourhoodFactory()
    monkeypatch.setattr(benchmark, "CASES", [cases.Case("a missing borough", PUBLIC, "territory:borough_detail", 5,
                                                        args=("999",))])
    with pytest.raises(CommandError, match=r"failed: a missing borough \(public\): answered 404"):
        run(repeat=1)


def test_a_case_without_its_sample_in_the_data_is_an_error_row(db):
    world = find_world()
    assert world.sample("public_code") is None
    rows = []
    timings = benchmark.run(world, repeat=1, only="public project (most", report=lambda t: rows.append(t))
    assert rows and all(t.error == "no public_code in the data" and t.failed for t in timings)
    assert "ERROR: no public_code in the data" in benchmark.row(timings[0])


def test_seed_runs_seed_scale_first_and_its_accounts_sign_in(db, monkeypatch):
    from nicp.scale import seed as scale_seed

    coordinator = UserFactory(email="coordinacion@scale.nicp.mx", roles=[StaffRole.COORDINATOR])
    asked = []

    def seed_scale(*, size, stdout):
        asked.append(size)
        return scale_seed.ScaleData(accounts={"coordinator": coordinator})

    monkeypatch.setattr(scale_seed, "seed_scale", seed_scale)
    out = run(seed="small", smoke=True, only="API own tokens")
    assert asked == ["small"] and "API own tokens" in out and "OK" in out
    assert find_world(scale_seed.ScaleData(accounts={"coordinator": coordinator})).users["coordinator"] == coordinator


def test_only_chooses_cases_and_a_pattern_matching_nothing_is_refused(db):
    assert {case.name for case in benchmark.select(cases.CASES, "expense queue")} == {"projects:expense_queue"}
    with pytest.raises(CommandError, match="No case matches"):
        run(only="nothing like this")
    with pytest.raises(CommandError, match="--repeat"):
        run(repeat=0)


def test_percentiles_and_the_over_budget_flag():
    timing = benchmark.Timing(cases.CASES[0], times_ms=[float(n) for n in range(1, 21)], queries=[3] * 20)
    assert (timing.p50, timing.p95, timing.over_budget) == (10.5, 19.0, False)
    timing.queries[-1] = cases.CASES[0].budget + 1
    assert timing.over_budget and timing.failed


def test_gunicorn_runs_as_production_would_without_cache_or_second_factor():
    env = benchmark_http.gunicorn_env({"DATABASE_URL": "postgres://x", "NICP_VAR_DIR": "/var"}, 8152)
    assert env["DATABASE_URL"] == "postgres://x" and env["DEBUG"] == "false"
    assert env["NICP_PUBLIC_CACHE_SECONDS"] == "0" and env["NICP_STAFF_MFA_REQUIRED"] == "false"
    assert benchmark_http.gunicorn_command(8152)[-4:] == ["-w", "2", "-b", "127.0.0.1:8152"]


@pytest.fixture
def stub_server():
    """Answers 200 to a request carrying the token, 403 to any other."""
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 (the stdlib's name)
            status = 200 if self.headers.get("Authorization") == "Token abc" else 403
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


def test_the_concurrent_client_sends_the_targets_headers_and_counts_only_200s(stub_server):
    signed = benchmark_http.Target("signed", "/x", (("Authorization", "Token abc"),))
    anonymous = benchmark_http.Target("anonymous", "/x")
    loads = benchmark_http.compare(stub_server, [signed, anonymous], 0.3, warm=0.05)
    assert [len(runs) for runs in loads.values()] == [2, 2]
    assert benchmark_http.rps(loads[signed]) > 0 and benchmark_http.rps(loads[anonymous]) == 0
    assert set(benchmark_http.statuses_text(loads[anonymous])[1:-1].split(":")[0:1]) == {'"403"'}
