"""Sent once, even at once: two sweeps running together (two beats by mistake, two workers) log and notify
each reminder exactly once, and so does a sweep run twice; two requests for the same report at the same
instant leave one report on its way.

SQLite serialises writers, so these run only against PostgreSQL (set DATABASE_URL, as .ci/run does)."""

from datetime import date, timedelta

import pytest
from django.db import connection

from accounts.roles import StaffRole, has_role
from notifications import reminders
from notifications.models import Notice, ReminderLog, ReminderStatus
from proposals import services
from reports import registry
from reports.models import ACTIVE, Report
from reports.services import report_request
from tests.factories import UserFactory, make_open_call
from tests.proposals.test_concurrency import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: set DATABASE_URL=postgres://… (.ci/run does)"),
]
CLOSES = date(2027, 3, 15)
WEEK_BEFORE = CLOSES - timedelta(days=7)


@pytest.fixture
def drafts(group, applicant):
    """Three drafts of one group of three in a call closing on CLOSES: nine reminders due a week before."""
    for _ in range(2):
        group.memberships.create(user=UserFactory())
    call = make_open_call(closes_on=CLOSES)
    return [services.proposal_create(actor=applicant, call=call, group=group, title=f"Parque {i}") for i in range(3)]


def sweep():
    return reminders.reminders_sweep(today=WEEK_BEFORE, kinds=[reminders.catalogue()["registration_closing"]])


def assert_each_reminder_once(expected: int):
    logs = ReminderLog.objects.filter(kind="registration_closing")
    assert logs.count() == expected
    assert logs.filter(status=ReminderStatus.SENT, notice__isnull=False).count() == expected
    assert logs.values("notice").distinct().count() == expected  # one notice per log row, none shared
    assert Notice.objects.count() == expected


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_reminder_once(drafts, monkeypatch):
    monkeypatch.setattr(reminders, "BATCH", 2)  # many small transactions, so that the two sweeps interleave
    results = run_together(sweep, sweep, sweep)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r.get("registration_closing", 0) for r in results) == 9
    assert_each_reminder_once(9)


@pytest.mark.django_db(transaction=True)
def test_a_sweep_run_twice_sends_nothing_the_second_time(drafts):
    assert sweep() == {"registration_closing": 9}
    assert sweep() == {}
    assert_each_reminder_once(9)


def _clean(params):
    return {"n": int(params["n"])}


@pytest.fixture
def slow_kind():
    kind = registry.register(registry.ReportKind(
        code="test_concurrent", label="Prueba", extension="csv", clean_params=_clean,
        may_request=lambda user, params: has_role(user, StaffRole.COORDINATOR), title=lambda p: "Prueba",
        build=lambda report, out, progress: 0))
    yield kind
    registry._KINDS.pop(kind.code)


@pytest.mark.django_db(transaction=True)
def test_two_requests_for_the_same_report_at_once_leave_one_on_its_way(slow_kind, staff, monkeypatch):
    queued = []
    # The build is not run: the row must still be active when the second request lands.
    monkeypatch.setattr("reports.services._queue", queued.append)
    coordinator = staff["coordinator"]
    ask = lambda: report_request(actor=coordinator, kind="test_concurrent", params={"n": "1"})  # noqa: E731
    results = run_together(ask, ask, ask)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({report.pk for report, _created in results}) == 1
    assert sorted(created for _report, created in results) == [False, False, True]
    assert Report.objects.filter(kind="test_concurrent", status__in=ACTIVE).count() == 1
    assert Report.objects.filter(kind="test_concurrent").count() == 1
    assert [r.pk for r in queued] == [results[0][0].pk]  # built once
