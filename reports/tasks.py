from celery import shared_task
from django.conf import settings

from reports.services import report_build, reports_fail_stale


@shared_task(name="reports.tasks.build_report", acks_late=True, reject_on_worker_lost=False,
             soft_time_limit=settings.NICP_REPORT_TIME_LIMIT - 30, time_limit=settings.NICP_REPORT_TIME_LIMIT,
             autoretry_for=(OSError,), retry_backoff=True, max_retries=2)
def build_report(report_id: int) -> str | None:
    """Only a queued row is built: a redelivered message after a crash finds it running (made failed
    by the stale check) or done, and does nothing."""
    report = report_build(report_id=report_id)
    return report.status if report else None


@shared_task(name="reports.tasks.fail_stale_reports")
def fail_stale_reports() -> int:
    return reports_fail_stale()


@shared_task(name="reports.tasks.clean_up_files")
def clean_up_files() -> dict:
    """Daily: old report files and orphaned uploads (see reports/cleanup.py)."""
    from reports.cleanup import clean_up_files as clean_up

    return clean_up().counts()


@shared_task(name="reports.tasks.build_open_data_snapshots")
def build_open_data_snapshots() -> int:
    """Nightly: a fresh snapshot of every open-data file (see reports/opendata/snapshots.py)."""
    from reports.opendata.snapshots import snapshots_request_all

    return len(snapshots_request_all())
