"""Asking for a report, writing it in the worker, and keeping the rows honest when a worker dies."""

import json
import logging
import tempfile
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.messages import Message
from notifications.services import notify
from reports.models import ACTIVE, Report, ReportStatus
from reports.registry import ReportKind, kind_of

log = logging.getLogger(__name__)
# How often a running report writes its progress: often enough for a bar, rarely enough for the database.
PROGRESS_EVERY_SECONDS = 0.5


def _kind(code: str) -> ReportKind:
    kind = kind_of(code)
    if kind is None:
        raise ValidationError({"kind": _("No existe ese tipo de reporte.")})
    return kind


def report_request(*, actor, kind: str, params: dict) -> tuple[Report, bool]:
    """Queue a report for its requester. Asking again while the same one is queued or running returns
    that one (created is False): one click or five, one file."""
    report_kind = _kind(kind)
    cleaned = report_kind.clean_params(params)
    if not report_kind.may_request(actor, cleaned):
        raise PermissionDenied(_("No puedes pedir este reporte."))
    key = json.dumps(cleaned, sort_keys=True, separators=(",", ":"))
    running = Report.objects.filter(requested_by=actor, kind=kind, params_key=key, status__in=ACTIVE).first()
    if running:
        return running, False
    try:
        with transaction.atomic():
            report = Report.objects.create(kind=kind, params=cleaned, params_key=key, requested_by=actor,
                                           title=str(report_kind.title(cleaned))[:250],
                                           time_limit=settings.NICP_REPORT_TIME_LIMIT)
    except IntegrityError:  # the same request, a moment earlier, from another tab
        return Report.objects.get(requested_by=actor, kind=kind, params_key=key, status__in=ACTIVE), False
    _queue(report)
    return report, True


def _queue(report: Report) -> None:
    from reports.tasks import build_report

    transaction.on_commit(lambda: build_report.delay(report.pk))


def report_retry(*, actor, report_id: int) -> Report:
    """A failed report is asked for again with the same parameters."""
    report = Report.objects.visible_to(actor).filter(pk=report_id).first()
    if report is None:
        raise PermissionDenied(_("No puedes pedir este reporte."))
    if report.status != ReportStatus.FAILED:
        raise ValidationError(_("Solo se vuelve a generar un reporte que falló."))
    again, _created = report_request(actor=actor, kind=report.kind, params=report.params)
    return again


class _Progress:
    """Writes the percentage to the row at most every PROGRESS_EVERY_SECONDS (and always at 100 %)."""

    def __init__(self, report: Report):
        self.report = report
        self.last = 0.0

    def __call__(self, done: int, total: int | None) -> None:
        percent = min(99, int(done * 100 / total)) if total else 0
        now = time.monotonic()
        if percent <= self.report.progress or now - self.last < PROGRESS_EVERY_SECONDS:
            return
        self.last = now
        self.report.progress = percent
        Report.objects.filter(pk=self.report.pk, status=ReportStatus.RUNNING).update(progress=percent)


def report_build(*, report_id: int) -> Report | None:
    """Write the report. Only a queued row starts (a repeated delivery of the task does nothing); the
    file is written to a temporary file and saved, then the row says done, in that order: a worker
    killed midway leaves a running row (made failed by `reports_fail_stale`), never a half file marked done."""
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id, status=ReportStatus.QUEUED).first()
        if report is None:
            return None
        report.status, report.started_at, report.progress = ReportStatus.RUNNING, timezone.now(), 0
        report.save(update_fields=["status", "started_at", "progress"])
    kind = _kind(report.kind)
    try:
        if report.requested_by_id and not kind.may_request(report.requested_by, report.params):
            raise PermissionDenied(_("Ya no tienes permiso para este reporte."))
        with tempfile.TemporaryFile() as out:
            rows = kind.build(report, out, _Progress(report))
            out.seek(0)
            report.file.save(f"{report.kind}.{kind.extension}", File(out), save=False)
    except Exception as error:  # noqa: BLE001 (any failure becomes a row the requester can read and retry)
        log.exception("Report %s failed", report.pk)
        _fail(report, _reason(error))
        return report
    report.status, report.progress, report.rows, report.finished_at = ReportStatus.DONE, 100, rows, timezone.now()
    report.save(update_fields=["status", "progress", "rows", "file", "finished_at"])
    if report.requested_by_id is None:  # the system's own (a snapshot): nobody to tell
        return report
    notify(recipients=[report.requested_by], subject=Message(_("Tu reporte está listo: %(title)s"), title=report.title),
           body=Message(_("El reporte «%(title)s» ya se puede descargar."), title=report.title),
           url=f"/reportes/{report.pk}/", link_text=_("Ver y descargar el reporte"))
    return report


def _reason(error: Exception) -> str:
    if isinstance(error, (PermissionDenied, ValidationError)):
        return "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return str(_("No se pudo generar el reporte por un error del sistema. Vuelve a intentarlo; si vuelve a "
                 "fallar, avisa al equipo de sistemas del programa."))


def _fail(report: Report, reason: str) -> None:
    Report.objects.filter(pk=report.pk, status__in=ACTIVE).update(
        status=ReportStatus.FAILED, error=reason, finished_at=timezone.now())
    report.refresh_from_db()
    if report.file:  # a partial file is never kept beside a failed row
        report.file.delete(save=True)


def reports_fail_stale(*, now=None) -> int:
    """A running report older than its time limit (plus a margin) had its worker killed: it fails, with a
    reason the requester can read, and can be asked for again. A queued one waits: the broker keeps it."""
    now = now or timezone.now()
    margin = timedelta(seconds=settings.NICP_REPORT_STALE_MARGIN_SECONDS)
    stale = 0
    for report in Report.objects.filter(status=ReportStatus.RUNNING).only("pk", "started_at", "time_limit", "file"):
        if report.started_at and report.started_at + timedelta(seconds=report.time_limit) + margin < now:
            _fail(report, str(_("La generación se interrumpió (el proceso que la hacía se detuvo). "
                                "Vuelve a pedir el reporte.")))
            stale += 1
    return stale
