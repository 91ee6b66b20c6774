"""Following the works: progress reports, the logbook, site visits and their observations, and the
photographs all of them carry."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nicp import bounds
from nicp.bounds import plausible_date
from nicp.models import WorkflowEvent
from nicp.storage import random_name
from projects.models.projects import Project
from projects.querysets import ObservationQuerySet
from projects.workflow import ReportState


class ProgressReport(models.Model):
    """The administration committee's report for one period of the call's schedule; supervision endorses.
    Only an endorsed report moves the project's physical progress."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress_reports")
    due_on = models.DateField(_("fecha de entrega programada"))
    physical_percent = models.DecimalField(_("avance físico (%)"), max_digits=5, decimal_places=2)
    summary = models.TextField(_("qué se hizo en el periodo"), max_length=bounds.TEXT_MAX)
    status = models.CharField(_("estado"), max_length=20, choices=ReportState.choices, default=ReportState.SUBMITTED)
    last_note = models.TextField(_("última observación"), blank=True, max_length=bounds.NOTE_MAX)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    endorsed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("informe de avance")
        verbose_name_plural = _("informes de avance")
        ordering = ["-due_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(physical_percent__gte=0, physical_percent__lte=100),
                                   name="report_percent"),
        ]
        indexes = [models.Index(fields=["project", "status", "-endorsed_at"], name="report_project_status")]

    def __str__(self):
        return f"{self.project_id} {self.due_on}"


class ReportEvent(WorkflowEvent):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass


class AppendOnly(models.Model):
    """Rows that are written once: no update and no delete, in services, the admin or the API."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("This record is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("This record is append-only.")


class LogbookEntry(AppendOnly):
    """The works logbook (bitácora). A correction is a new entry pointing to the one it corrects."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="logbook")
    happened_on = models.DateField(_("fecha"), validators=[plausible_date])
    text = models.TextField(_("anotación"), max_length=bounds.TEXT_MAX)
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections",
                                 verbose_name=_("corrige la anotación"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(_("papel de quien escribe"), max_length=80)
    written_at = models.DateTimeField(auto_now_add=True)
    # Staff choose which entries the public project page shows; the only column ever changed after writing,
    # and only through services.logbook_entry_publish (a queryset update: the text stays append-only).
    is_public = models.BooleanField(_("pública"), default=False)

    class Meta:
        verbose_name = _("anotación de bitácora")
        verbose_name_plural = _("bitácora de obra")
        ordering = ["-written_at", "-id"]
        indexes = [models.Index(fields=["project", "-written_at", "-id"], name="logbook_project_recent")]

    def __str__(self):
        return f"{self.project_id} {self.happened_on}"


class SiteVisit(models.Model):
    """A ministry visit to the works: what was found, and observations the committee must answer."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("fecha de la visita"), validators=[plausible_date])
    findings = models.TextField(_("hallazgos"), max_length=bounds.TEXT_MAX)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visita de supervisión")
        verbose_name_plural = _("visitas de supervisión")
        ordering = ["-visited_on", "-id"]

    def __str__(self):
        return f"{self.project_id} {self.visited_on}"


class VisitObservation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Por responder")
        ANSWERED = "answered", _("Respondida")
        SETTLED = "settled", _("Atendida")

    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="observations")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="observations")
    text = models.TextField(_("observación"), max_length=bounds.NOTE_MAX)
    answer_due_on = models.DateField(_("fecha límite para responder"), validators=[plausible_date])
    status = models.CharField(_("estado"), max_length=20, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("respuesta del comité"), blank=True, max_length=bounds.NOTE_MAX)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    # Why the coordination found the last answer not enough (shown to the committee with the observation).
    review_note = models.TextField(_("motivo de la reapertura"), blank=True, max_length=bounds.NOTE_MAX)
    settled_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("observación de visita")
        ordering = ["answer_due_on", "id"]
        # The coordinator's "needs action": open observations past their deadline.
        indexes = [models.Index(fields=["answer_due_on", "project"], condition=Q(status="open"),
                                name="observation_open_due")]

    def __str__(self):
        return f"{self.project_id}: {self.text[:40]}"


def photo_file_path(instance, filename):
    return random_name(f"projects/{instance.project_id}/photos", filename)


class ProjectPhoto(models.Model):
    """A photograph of the works, re-encoded without metadata; where and when it was taken (from its EXIF,
    before stripping) is kept as data. It belongs to one report, logbook entry or visit."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="photos")
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="photos")
    logbook_entry = models.ForeignKey(LogbookEntry, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="photos")
    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, null=True, blank=True, related_name="photos")
    file = models.ImageField(_("foto"), upload_to=photo_file_path)
    caption = models.CharField(_("pie de foto"), max_length=250, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    taken_at = models.DateTimeField(_("tomada el"), null=True, blank=True)
    far_from_site = models.BooleanField(_("lejos del sitio"), null=True, blank=True)
    # Staff choose which photographs the public pages show.
    is_public = models.BooleanField(_("pública"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("foto de la obra")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(report__isnull=False, logbook_entry__isnull=True, visit__isnull=True)
                           | Q(report__isnull=True, logbook_entry__isnull=False, visit__isnull=True)
                           | Q(report__isnull=True, logbook_entry__isnull=True, visit__isnull=False)),
                name="photo_belongs_to_one_record"),
        ]

    def __str__(self):
        return f"{self.project_id} foto {self.pk}"
