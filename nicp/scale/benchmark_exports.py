"""The benchmark's long runs, each measured once: a download read to its end (rows per second and peak
memory: flat memory means a streamed export, whatever its size), the call report (XLSX) built in this
process as a worker would, and the reminder sweep (the Celery task, in process, twice: the second finds
everything already sent). The report and the sweep run inside a transaction rolled back at the end, so the
benchmark leaves the data as it found it and queues no e-mail.
"""

import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


class Rollback(Exception):
    """Raised at the end of a measured write to undo it."""


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
    """Start VmHWM afresh from the present RSS (Linux ≥ 4.0), so the peak read after is this run's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def once(timing, run: Callable):
    """Run `run` once, timed and with its queries counted, and the growth of peak RSS it caused."""
    fresh = reset_peak_rss()
    before = memory_kb("VmRSS")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = run()
        timing.times_ms.append((time.perf_counter() - started) * 1000)
    timing.queries.append(len(queries))
    peak = memory_kb("VmHWM")
    growth = (peak - before) / 1024 if fresh and peak and before else None
    return result, growth


def memory_note(growth: float | None) -> str:
    return f"peak RSS +{growth:.0f} MB" if growth is not None else "peak RSS n/a"


def download(timing, fetch: Callable[[], tuple[int, int, int]]):
    """A download read to its end once (its size is the point, not a warm cache): rows/s and memory."""
    (status, lines, size), growth = once(timing, fetch)
    timing.status = status
    if status != 200:
        timing.error = f"answered {status}"
        return timing
    seconds = timing.times_ms[0] / 1000
    timing.note = (f"{lines:,} lines, {lines / seconds if seconds else 0:,.0f}/s, {size / 2**20:,.1f} MB, "
                   f"{memory_note(growth)}")
    return timing


def call_report(timing, coordinator, call_id: int):
    """The call report (XLSX) asked for and built here, as the worker builds it; rolled back after."""
    from reports.models import ReportStatus
    from reports.services import report_build, report_request

    built = {}
    try:
        with transaction.atomic():
            with mock.patch("reports.services._queue"):  # built here, not by a worker
                report, _created = report_request(actor=coordinator, kind="call_report", params={"call": call_id})
            done, growth = once(timing, lambda: report_build(report_id=report.pk))
            built.update(status=done.status, rows=done.rows, error=done.error, growth=growth,
                         file=done.file.name if done.file else "")
            raise Rollback
    except Rollback:
        pass
    finally:
        if built.get("file"):
            from reports.models import Report

            Report._meta.get_field("file").storage.delete(built["file"])
    if built.get("status") != ReportStatus.DONE:
        timing.status, timing.error = 500, f"the report failed: {built.get('error') or 'not built'}"
        return timing
    timing.status = 200
    seconds = timing.times_ms[0] / 1000
    timing.note = f"{built['rows']:,} rows, {built['rows'] / seconds if seconds else 0:,.0f}/s, " + \
        memory_note(built["growth"])
    return timing


def sweep(timing):
    """The reminder task twice, in process; the second sweep (everything already sent) is the budgeted one,
    the first sends whatever is due and its queries grow with what it sends."""
    from notifications.tasks import send_reminders

    sent = []
    try:
        with transaction.atomic():
            first = CaptureQueriesContext(connection)
            with first:
                started = time.perf_counter()
                sent.append(send_reminders())
                first_ms = (time.perf_counter() - started) * 1000
            once(timing, lambda: sent.append(send_reminders()))
            raise Rollback
    except Rollback:
        pass
    timing.status = 200
    total = sum(sent[0].values()) if sent and sent[0] else 0
    timing.note = (f"first sweep {first_ms:,.0f} ms, {len(first):,} queries, sent {total:,}; "
                   f"the row is the second (nothing left to send)")
    return timing
