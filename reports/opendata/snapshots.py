"""The nightly snapshots of the open-data files: one `open_data` report per dataset, asked for by the system
and built by the worker (reports/builders/open_data.py). The download view serves the newest finished one;
older ones are removed with every other old report by the daily clean-up (NICP_REPORT_KEEP_DAYS)."""

import json

from django.conf import settings
from django.db import transaction

from reports.builders.open_data import KIND, title
from reports.models import ACTIVE, Report, ReportStatus


def params_key(filename: str) -> str:
    # The same canonical text reports.services.report_request writes for {"dataset": filename}.
    return json.dumps({"dataset": filename}, sort_keys=True, separators=(",", ":"))


def snapshot_request(*, filename: str) -> tuple[Report, bool]:
    """Queue a snapshot of `filename` unless one is already queued or running (created is False)."""
    from reports.tasks import build_report

    key = params_key(filename)
    with transaction.atomic():
        running = (Report.objects.select_for_update()
                   .filter(requested_by__isnull=True, kind=KIND, params_key=key, status__in=ACTIVE).first())
        if running:
            return running, False
        report = Report.objects.create(kind=KIND, params={"dataset": filename}, params_key=key, requested_by=None,
                                       title=title({"dataset": filename})[:250],
                                       time_limit=settings.NICP_REPORT_TIME_LIMIT)
        transaction.on_commit(lambda: build_report.delay(report.pk))
    return report, True


def snapshots_request_all() -> list[Report]:
    """One snapshot per registered dataset (the nightly task)."""
    from reports.opendata.datasets import all_datasets

    return [snapshot_request(filename=filename)[0] for filename in all_datasets()]


def latest_snapshot(filename: str) -> Report | None:
    """The newest finished snapshot whose file is still stored, or None (then the file is streamed live)."""
    return (Report.objects.filter(kind=KIND, params_key=params_key(filename), status=ReportStatus.DONE,
                                  expired_at__isnull=True)
            .exclude(file="").order_by("-finished_at", "-id").first())
