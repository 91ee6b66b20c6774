"""The load test's pieces that run in a moment: counting what clients saw (5xx, connection errors, percentiles),
the lost-write checker, the restart figures and the command's refusals. The load itself (gunicorn, a worker,
tens of seconds) runs by hand: `manage.py loadtest` (README, «Benchmarks»)."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from nicp.scale.faults_postgres import Cluster, restart_figures
from nicp.scale.load_clients import Client
from nicp.scale.load_stats import CONNECTION_ERROR, Outcome, Tally, figures_table, percentile
from nicp.scale.load_world import world_build
from nicp.scale.load_writes import WriteLog, lost_writes, new_marker
from proposals import services
from tests.factories import make_open_call


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.50) == 50
    assert percentile(values, 0.95) == 95
    assert percentile(values, 0.99) == 99
    assert percentile([7.0], 0.99) == 7
    assert percentile([], 0.5) == 0


def test_the_tally_counts_5xx_and_connection_errors_per_kind_and_in_all():
    tally = Tally()
    for status in (200, 200, 302, 404, 500, 503, CONNECTION_ERROR):
        tally.record(Outcome("pages", status, 0.1, 1.0))
    tally.record(Outcome("api", 201, 0.3, 2.0))
    assert tally.server_errors == 2 and tally.connection_errors == 1 and len(tally.failures) == 3
    rows = {row.kind: row for row in tally.figures(seconds=2.0)}
    assert (rows["pages"].requests, rows["pages"].server_errors, rows["pages"].connection_errors,
            rows["pages"].refused) == (7, 2, 1, 1)
    assert rows["api"].server_errors == 0 and rows["all"].requests == 8 and rows["all"].rps == 4.0
    assert rows["api"].p99_ms == pytest.approx(300)
    assert "pages" in figures_table(tally.figures(2.0))


class _Answers(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        self.send_response(500 if self.path == "/roto" else 200)
        self.send_header("Set-Cookie", "csrftoken=abc; Path=/")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    server = HTTPServer(("127.0.0.1", 0), _Answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_a_client_records_a_5xx_and_keeps_the_cookies_it_is_given(http_server):
    tally = Tally()
    client = Client(http_server, tally)
    assert client.get("ok", "/").status == 200
    assert client.get("broken", "/roto").status == 500
    assert tally.server_errors == 1 and [o.kind for o in tally.failures] == ["broken"]
    assert client.cookies["csrftoken"] == "abc"


def test_a_client_records_a_refused_connection_as_a_failure():
    with socket.socket() as probe:  # a port nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    tally = Tally()
    assert Client(port, tally).get("gone", "/healthz") is None
    assert tally.connection_errors == 1 and tally.server_errors == 0 and tally.failures[0].kind == "gone"


def test_the_lost_write_checker_finds_a_write_that_is_not_in_the_database(applicant, group):
    call = make_open_call()
    title, never_written = new_marker("draft"), new_marker("draft")
    proposal = services.proposal_create(actor=applicant, call=call, group=group, title=title)
    description = new_marker("edit")
    services.proposal_update(actor=applicant, proposal_id=proposal.pk, data={"description": description},
                             version=proposal.version)
    log = WriteLog()
    for kind, marker in [("draft", title), ("draft", never_written), ("edit", description)]:
        log.confirm(kind, marker)
    assert lost_writes(log) == {"draft": {never_written}, "edit": set()}
    log.confirm("edit", new_marker("edit"))
    assert len(lost_writes(log)["edit"]) == 1


def test_the_write_log_takes_only_kinds_it_can_check():
    with pytest.raises(ValueError, match="unknown write kind"):
        WriteLog().confirm("comment", new_marker("comment"))


def test_restart_figures_split_failures_around_the_restart():
    tally = Tally()
    for at, status in [(1, 200), (2, 200), (10.5, 500), (11, CONNECTION_ERROR), (12.2, 200), (12.4, 500),
                       (13, 200), (20, 200)]:
        tally.record(Outcome("x", status, 0.05, at))
    figures = restart_figures(tally, began=10, ready=12, ended=21)
    assert (figures.failed_before, figures.failed_during, figures.failed_after) == (0, 2, 1)
    assert figures.failed_during_5xx == 1
    assert figures.first_success_after_ready == pytest.approx(0.2)
    assert figures.last_failure_after_ready == pytest.approx(0.4)
    assert figures.quiet_tail_seconds == pytest.approx(8.6) and figures.recovered
    never = Tally([Outcome("x", 500, 0.05, 13), Outcome("x", 500, 0.05, 20.5)])
    assert not restart_figures(never, began=10, ready=12, ended=21).recovered


def test_the_cluster_restarts_fast_and_as_its_owner(tmp_path):
    command = Cluster(tmp_path / "pg_ctl", tmp_path / "data", run_as="postgres").restart_command()
    assert command[:4] == ["runuser", "-u", "postgres", "--"]
    assert command[-1] == "restart" and "-m" in command and command[command.index("-m") + 1] == "fast"
    assert Cluster(tmp_path / "pg_ctl", tmp_path / "data").restart_command()[0] == str(tmp_path / "pg_ctl")


def test_the_command_refuses_sqlite(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("loadtest", "--seconds", "1")


def test_the_command_refuses_a_broker_that_is_not_redis(monkeypatch, settings):
    monkeypatch.setattr(connection, "vendor", "postgresql")
    settings.CELERY_BROKER_URL = "filesystem://"
    with pytest.raises(CommandError, match="needs Redis"):
        call_command("loadtest", "--seconds", "1")


@pytest.mark.parametrize("arguments, message", [
    (["--clients", "0"], "bounded"), (["--seconds", "3600"], "bounded"), (["--port", "80"], "--port"),
    (["--pg-ctl", "/usr/bin/pg_ctl"], "both --pg-ctl and --pg-data"),
])
def test_the_command_keeps_the_run_bounded(monkeypatch, settings, arguments, message):
    monkeypatch.setattr(connection, "vendor", "postgresql")
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    with pytest.raises(CommandError, match=message):
        call_command("loadtest", *arguments)


def test_the_run_needs_the_demo_accounts(db):
    with pytest.raises(CommandError, match="seed_demo"):
        world_build()


def test_a_task_whose_child_is_killed_goes_back_to_the_queue_but_a_report_fails_instead():
    from nicp.celery import app
    from notifications.tasks import email_notices, send_reminders
    from reports.tasks import build_report

    assert app.conf.task_reject_on_worker_lost is True
    assert send_reminders.acks_late and email_notices.acks_late  # safe to repeat: a second run sends nothing twice
    # A report's row stays "running" and the stale check fails it: a second delivery would find nothing to do.
    assert build_report.reject_on_worker_lost is False


def test_redis_gives_a_killed_worker_s_message_back_only_after_any_task_could_have_finished(monkeypatch):
    import importlib

    import nicp.settings.base as base

    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("DATABASE_URL", "postgres://nicp:nicp@127.0.0.1:1/nicp")  # parsed only, never connected
    monkeypatch.delenv("CELERY_VISIBILITY_TIMEOUT", raising=False)
    try:
        reloaded = importlib.reload(base)
        timeout = reloaded.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        assert timeout > max(reloaded.CELERY_TASK_TIME_LIMIT, reloaded.NICP_REPORT_TIME_LIMIT)
        assert reloaded.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    finally:
        monkeypatch.undo()
        importlib.reload(base)
