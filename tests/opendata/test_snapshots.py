"""The nightly open-data snapshots: one `open_data` report per dataset asked for by the system, built by the
worker into the same bytes the live download streams, told to nobody and listed to nobody; the newest
finished one is what /datos/ serves, and the daily clean-up removes old ones like any old report."""

import json
from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.core.exceptions import ValidationError
from django.utils import timezone

from nicp.celery import app
from notifications.models import Notice
from projects.public.querysets import public_projects
from reports import tasks
from reports.builders.open_data import clean_params
from reports.cleanup import expire_old_reports
from reports.models import Report, ReportStatus
from reports.opendata import oc4ids
from reports.opendata.datasets import all_datasets
from reports.opendata.snapshots import latest_snapshot, snapshot_request
from reports.permissions import may_request
from reports.services import report_request
from tests.projects.conftest import two_tranche_call
from tests.projects.helpers import selected_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(db):
    return selected_project(two_tranche_call())


def test_the_nightly_task_asks_for_one_snapshot_per_dataset_as_the_system(project):
    # Without the on-commit callbacks running, the reports stay queued: a second night's run (or a
    # repeated delivery) adds none while they are on their way.
    first = tasks.build_open_data_snapshots()
    assert first == len(all_datasets()) >= 1
    assert tasks.build_open_data_snapshots() == first
    rows = Report.objects.filter(kind="open_data")
    assert rows.count() == first
    assert {r.params["dataset"] for r in rows} == set(all_datasets())
    assert all(r.requested_by_id is None and r.status == ReportStatus.QUEUED for r in rows)


def test_a_snapshot_holds_what_the_live_download_streams_and_tells_nobody(project, staff,
                                                                         django_capture_on_commit_callbacks):
    notices = Notice.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        report, created = snapshot_request(filename="oc4ids.json")
    assert created
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.rows == 1 and report.error == ""
    with report.file.open("rb") as stored:
        snapshot = json.loads(stored.read().decode("utf-8"))
    assert snapshot == json.loads("".join(oc4ids.write(public_projects())))
    assert Notice.objects.count() == notices
    assert latest_snapshot("oc4ids.json") == report
    for user in staff.values():  # the system's report is in nobody's list
        assert not Report.objects.visible_to(user).filter(pk=report.pk).exists()


def test_the_newest_finished_snapshot_is_the_one_served(project, django_capture_on_commit_callbacks):
    assert latest_snapshot("oc4ids.json") is None
    with django_capture_on_commit_callbacks(execute=True):
        older, _ = snapshot_request(filename="oc4ids.json")
    with django_capture_on_commit_callbacks(execute=True):
        newer, _ = snapshot_request(filename="oc4ids.json")
    assert latest_snapshot("oc4ids.json") == newer
    Report.objects.filter(pk=newer.pk).update(status=ReportStatus.FAILED)
    assert latest_snapshot("oc4ids.json") == older
    snapshot_request(filename="oc4ids.json")  # queued, not built: not served
    assert latest_snapshot("oc4ids.json") == older


def test_the_daily_clean_up_removes_old_snapshots_and_the_download_goes_live(client, project, settings,
                                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = snapshot_request(filename="oc4ids.json")
    report.refresh_from_db()
    later = timezone.now() + timedelta(days=settings.NICP_REPORT_KEEP_DAYS + 1)
    assert expire_old_reports(now=later) == [report.file.name]
    assert latest_snapshot("oc4ids.json") is None
    response = client.get("/datos/oc4ids.json")
    assert response.status_code == 200 and response["ETag"].startswith('"l')


def test_coordination_may_ask_for_a_snapshot_by_hand_and_nobody_else(project, staff):
    assert may_request(staff["coordinator"], "open_data", {"dataset": "oc4ids.json"})
    for role in ("finance_officer", "auditor"):
        assert not may_request(staff[role], "open_data", {"dataset": "oc4ids.json"})
    assert not may_request(staff["coordinator"], "open_data", {"dataset": "otro.json"})
    with pytest.raises(ValidationError) as refused:
        clean_params({"dataset": "../secreto"})
    assert refused.value.message_dict == {"dataset": ["No existe ese archivo de datos abiertos."]}
    report, created = report_request(actor=staff["coordinator"], kind="open_data", params={"dataset": "oc4ids.json"})
    assert created and report.requested_by == staff["coordinator"]


def test_the_beat_runs_it_every_night_at_three_mexico_city_time(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["build-open-data-snapshots"]
    assert entry["task"] == "reports.tasks.build_open_data_snapshots"
    assert entry["schedule"] == crontab(hour=3, minute=0)
    assert settings.CELERY_TIMEZONE == "America/Mexico_City"
    app.loader.import_default_modules()
    assert "reports.tasks.build_open_data_snapshots" in app.tasks
