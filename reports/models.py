"""A generated report: one row per request, its status and progress, and the file once it is complete."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reports.querysets import ReportQuerySet


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("En cola")
    RUNNING = "running", _("Generándose")
    DONE = "done", _("Listo")
    FAILED = "failed", _("Falló")


ACTIVE = (ReportStatus.QUEUED, ReportStatus.RUNNING)


def report_file_path(report, filename: str) -> str:
    # Deterministic: a retried run overwrites nothing else, and the clean-up task knows where to look.
    return f"reports/{report.pk}/{report.kind}-{report.pk}.{filename.rsplit('.', 1)[-1]}"


class Report(models.Model):
    kind = models.CharField(_("tipo"), max_length=40)
    # The cleaned parameters ({"call": 3}) and their canonical text, so that "the same report" is one key.
    params = models.JSONField(default=dict, blank=True)
    params_key = models.CharField(max_length=200)
    title = models.CharField(_("reporte"), max_length=250)
    # None: the system asked (the nightly open-data snapshots); such a report is nobody's to see or download.
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports",
                                     null=True, blank=True)
    status = models.CharField(_("estado"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("avance (%)"), default=0)
    rows = models.PositiveIntegerField(_("filas"), null=True, blank=True)
    file = models.FileField(upload_to=report_file_path, blank=True, max_length=200)
    error = models.TextField(_("motivo del error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # After this many seconds a running row is a worker that died: it becomes failed, never half done.
    time_limit = models.PositiveIntegerField(default=600)
    # The file was removed by the clean-up task (old reports); the row stays as history.
    expired_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporte")
        verbose_name_plural = _("reportes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"]),
                   models.Index(fields=["status", "started_at"])]
        constraints = [
            # Asking twice while one is on its way returns the one on its way (see services.report_request).
            models.UniqueConstraint(fields=["requested_by", "kind", "params_key"],
                                    condition=Q(status__in=["queued", "running"]),
                                    name="report_one_active_per_request"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_percent"),
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="report_status_known"),
        ]

    def __str__(self):
        return self.title

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def downloadable(self) -> bool:
        return self.status == ReportStatus.DONE and bool(self.file) and self.expired_at is None
