"""The worker killed mid-task: no reminder lost or sent twice, no half report served.

Reminders. The demo's due reminders were sent when it was loaded; each round re-arms them (deletes their log
rows and notices, so they are due and not yet sent again), holds the sweep inside its transaction (the notice
table locked: the log rows are inserted, the notices wait), and SIGKILLs either the whole worker (a container
killed; a new worker is started) or only the child process running the sweep (the OOM killer). Then it waits,
without asking for another sweep, until every re-armed reminder is logged with exactly one notice: the killed
sweep's message must come back. After a whole-worker kill Redis gives it back after the visibility timeout
(the run's workers use a short CELERY_VISIBILITY_TIMEOUT so that this takes seconds, not the hour of the
default); after a child kill the worker requeues it at once (CELERY_TASK_REJECT_ON_WORKER_LOST).

Reports. A call report is held while it reads the proposals (that table locked) — running, its file half
written to a temporary file — and the child process building it is SIGKILLed. The report must stay not
downloadable; the stale check fails it; asked for again, it is built, and the download is the whole file (a
valid XLSX of the stored size).
"""

import io
import os
import re
import signal
import time
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from nicp.scale.faults_locks import table_locked, wait_for_waiter, wait_gone
from nicp.scale.load_clients import Client
from nicp.scale.load_processes import Running, worker_start
from nicp.scale.load_stats import Tally
from nicp.scale.load_world import World
from notifications.models import Notice, ReminderLog, ReminderStatus
from notifications.reminders import due_now
from proposals.models import Proposal
from reports.models import Report, ReportStatus
from reports.services import report_request, report_retry, reports_fail_stale

VISIBILITY_SECONDS = 15  # the run's workers' visibility timeout (see the module's docstring)
BUILD_RECEIVED = re.compile(r"Task reports\.tasks\.build_report\[([0-9a-f-]+)\] received")


@dataclass
class FaultFigures:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        self.lines.append(line)

    def fail(self, problem: str) -> None:
        self.problems.append(problem)
        self.lines.append("PROBLEM: " + problem)


Key = tuple[str, str, int, str]


def due_keys() -> set[Key]:
    return {(p.kind.code, p.occasion.object_key, p.recipient.pk, p.key) for p in due_now(timezone.localdate())}


def _logs(keys: set[Key]):
    kinds, objects = {k[0] for k in keys}, {k[1] for k in keys}
    return [log for log in ReminderLog.objects.filter(kind__in=kinds, object_key__in=objects)
            if (log.kind, log.object_key, log.recipient_id, log.due_key) in keys]


def reminders_rearm() -> set[Key]:
    """Make every reminder due today unsent again (its log row and notice deleted): the sweep's work."""
    keys = due_keys()
    with transaction.atomic():
        logs = _logs(keys)
        Notice.objects.filter(pk__in=[log.notice_id for log in logs if log.notice_id]).delete()
        ReminderLog.objects.filter(pk__in=[log.pk for log in logs]).delete()
    return keys


def reminders_delivery(keys: set[Key], since) -> tuple[int, int, int]:
    """(logged, with exactly one notice since `since`, opted out) over the keys."""
    logged = once = opted_out = 0
    for log in _logs(keys):
        logged += 1
        if log.status == ReminderStatus.OPTED_OUT:
            opted_out += 1
            continue
        notices = Notice.objects.filter(recipient_id=log.recipient_id, url=log.url, created_at__gte=since,
                                        subject=log.subject).count()
        once += notices == 1 and log.notice_id is not None
    return logged, once, opted_out


def _kill(worker, whole: bool) -> None:
    if whole:
        worker.kill()
        return
    for pid in worker.children():
        os.kill(pid, signal.SIGKILL)


def _settled(folder: Path) -> Running:
    """A worker that has run everything queued before (the notices' e-mails of the previous round would
    otherwise wait on the lock in place of the task to hold): a ping answered means the queue is behind us."""
    from nicp.tasks import ping

    worker = worker_start(folder, CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_SECONDS))
    try:
        ping.delay("loadtest").get(timeout=120, disable_sync_subtasks=False)
    except Exception as error:
        worker.stop()
        raise CommandError(f"The worker did not answer a ping in 120 s ({error}). " + worker.tail()) from error
    return worker


def _restart_after_visibility(folder: Path, workers: list, killed_at: float) -> None:
    """A new worker once the killed one's message is older than the visibility timeout: kombu gives such messages
    back on a worker's first restore cycle (about 10 s after it starts) and then only every 100 s."""
    time.sleep(max(0.0, killed_at + VISIBILITY_SECONDS + 1 - time.monotonic()))
    workers.append(worker_start(folder, CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_SECONDS)))


def _wait_ran(workers: list, task_id: str, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(w.ran(task_id) for w in workers):
            return True
        time.sleep(0.5)
    return False


def check_reminders(folder: Path, figures: FaultFigures, *, whole: bool) -> None:
    """`whole`: SIGKILL the worker and start a new one (a container killed); otherwise only the child running
    the sweep (the OOM killer), the worker itself lives on."""
    from notifications.tasks import send_reminders

    what = "the whole worker SIGKILLed, a new one started" if whole else "the child running it SIGKILLed"
    keys = reminders_rearm()
    since = timezone.now()
    if not keys:
        figures.fail("no reminder is due today in this database: nothing to check (load the demo)")
        return
    workers = [_settled(folder)]
    try:
        with table_locked("notifications_notice"):
            task = send_reminders.delay()
            waiting = wait_for_waiter('INSERT INTO "notifications_notice"')
            _kill(workers[0], whole)
            killed_at = time.monotonic()
        wait_gone(waiting)
        logged_by_killed = reminders_delivery(keys, since)[0]
        if whole:
            _restart_after_visibility(folder, workers, killed_at)
        came_back = _wait_ran(workers, task.id)
        waited = time.monotonic() - killed_at
        logged, once, opted_out = reminders_delivery(keys, since)
        figures.say(f"reminder sweep held mid-transaction, {what}: {len(keys)} due, {logged_by_killed} logged by the "
                    f"killed sweep; the killed sweep ran again: {'yes' if came_back else 'NO'}; {logged}/{len(keys)} "
                    f"delivered {waited:.1f} s after the kill (no new sweep asked for), exactly one notice {once}, "
                    f"opted out {opted_out}")
        if not came_back:
            figures.fail(f"the killed sweep's message did not come back ({what})")
        if logged_by_killed:
            figures.fail(f"{logged_by_killed} reminders were logged by the killed sweep")
        if logged < len(keys):
            figures.fail(f"{len(keys) - logged} reminders not delivered after the kill ({what}): the killed sweep's "
                         f"message did not come back within {waited:.0f} s")
        if once + opted_out != logged:
            figures.fail(f"{logged - once - opted_out} reminders without exactly one notice")
    finally:
        for worker in workers:
            worker.stop()


def _download(port: int, world: World, report: Report) -> tuple[int, bytes]:
    client = Client(port, Tally(), world.coordinator)
    answer = client.get("report download", f"/reportes/{report.pk}/descargar/")
    return (answer.status, answer.body) if answer else (0, b"")


def _wait_status(report: Report, statuses: set[str], seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in statuses:
            break
        time.sleep(0.2)
    return report.status


def _complete_xlsx(body: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return archive.testzip() is None
    except zipfile.BadZipFile:
        return False


def check_report(folder: Path, port: int, world: World, figures: FaultFigures, *, whole: bool) -> None:
    """`whole`: SIGKILL the worker and start a new one, which gets the message back and must not build or serve
    anything of the killed run; otherwise only the child building the report."""
    what = "the whole worker SIGKILLed, a new one started" if whole else "the child building it SIGKILLed"
    coordinator = User.objects.get(email=world.coordinator.email)
    call = Proposal.objects.get(pk=world.proposal).call_id
    workers = [_settled(folder)]
    try:
        with table_locked("proposals_proposal"):
            report, _created = report_request(actor=coordinator, kind="call_report", params={"call": call})
            waiting = wait_for_waiter("proposals_proposal")
            _wait_status(report, {ReportStatus.RUNNING}, 10)
            if not whole and not workers[0].children():
                figures.fail("the worker has no child process to kill")
            _kill(workers[0], whole)
            killed_at = time.monotonic()
        wait_gone(waiting)
        came_back = ""
        if whole:  # the message comes back to the new worker, which finds the row running and leaves it
            _restart_after_visibility(folder, workers, killed_at)
            task_id = BUILD_RECEIVED.search(workers[0].log.read_text(errors="replace"))
            ran = bool(task_id) and _wait_ran(workers, task_id.group(1))
            came_back = f"its message ran again on the new worker: {'yes' if ran else 'NO'}; "
            if not ran:
                figures.fail("the killed report's message did not come back")
        report.refresh_from_db()
        status, _body = _download(port, world, report)
        figures.say(f"call report {report.pk} held while reading the proposals, {what}; {came_back}row: "
                    f"{report.status}, file: {'yes' if report.file else 'none'}, download: HTTP {status}")
        if status == 200 or report.status == ReportStatus.DONE or report.file:
            figures.fail("a report killed mid-build was served, kept a file, or was marked done")
        later = timezone.now() + timedelta(seconds=report.time_limit + settings.NICP_REPORT_STALE_MARGIN_SECONDS + 1)
        reports_fail_stale(now=later)
        report.refresh_from_db()
        status, _body = _download(port, world, report)
        figures.say(f"the stale check (clock moved past its time limit): row {report.status}, download HTTP {status}")
        if report.status != ReportStatus.FAILED or status == 200:
            figures.fail("the killed report did not become failed, or was served")
        again = report_retry(actor=coordinator, report_id=report.pk)
        final = _wait_status(again, {ReportStatus.DONE, ReportStatus.FAILED})
        status, body = _download(port, world, again)
        size = again.file.size if again.file else 0
        complete = status == 200 and len(body) == size and _complete_xlsx(body)
        figures.say(f"asked again: report {again.pk} {final}, download HTTP {status}, {len(body)} of {size} bytes, "
                    f"complete XLSX: {'yes' if complete else 'NO'}")
        if not complete:
            figures.fail("the report asked for again was not served whole")
    finally:
        for worker in workers:
            worker.stop()


def drain(folder: Path) -> None:
    """Messages that killed workers of earlier runs took and never acknowledged come back to a worker with a short
    visibility timeout on its first restore cycle: let one run them now, so that no stray task is the one held and
    killed below."""
    from nicp.celery import app

    app.control.purge()
    worker = worker_start(folder, CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_SECONDS))
    try:
        time.sleep(VISIBILITY_SECONDS + 5)
    finally:
        worker.stop()


def check_worker_killed(*, folder: Path, port: int, world: World) -> FaultFigures:
    figures = FaultFigures()
    drain(folder)
    for whole in (True, False):
        check_reminders(folder, figures, whole=whole)
        check_report(folder, port, world, figures, whole=whole)
    return figures
