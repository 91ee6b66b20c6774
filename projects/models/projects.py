"""A funded project, its code counter and its timeline."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import CommunityGroup
from neighbourhoods.models import Neighbourhood
from nicp import bounds
from nicp.models import WorkflowEvent
from projects.querysets import ProjectQuerySet
from projects.workflow import ProjectState
from proposals.models import Call, Proposal


class Project(models.Model):
    """A selected proposal once results are published: created by the publishing or promotion service,
    never by hand. Money figures are the Committee's; `released_total` is kept under the row lock by the
    tranche service and bounded by a constraint, so no path can release more than was approved."""

    code = models.CharField(_("clave"), max_length=20, unique=True)
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="project")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="projects")
    group = models.ForeignKey(CommunityGroup, on_delete=models.PROTECT, related_name="projects")
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="projects")
    title = models.CharField(_("título"), max_length=250)
    status = models.CharField(_("estado"), max_length=30, choices=ProjectState.choices,
                              default=ProjectState.COMMITTEES_PENDING)
    approved_amount = models.DecimalField(_("monto aprobado (MXN)"), max_digits=14, decimal_places=2)
    released_total = models.DecimalField(_("monto ministrado (MXN)"), max_digits=14, decimal_places=2, default=0)
    # Fed by the progress reports and verified expenses of the execution stage; read only through
    # projects/progress.py.
    # The sum of verified expenses, kept under the row lock by the expense service.
    verified_total = models.DecimalField(_("monto comprobado (MXN)"), max_digits=14, decimal_places=2, default=0)
    physical_progress = models.DecimalField(_("avance físico (%)"), max_digits=5, decimal_places=2, default=0)
    execution_starts_on = models.DateField(_("inicio de la ejecución"))
    execution_ends_on = models.DateField(_("fin de la ejecución"))
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("proyecto")
        verbose_name_plural = _("proyectos")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "-id"], name="project_status_recent"),
            models.Index(fields=["call", "status", "-id"], name="project_call_status_recent"),
            # The public listing's sorts (projects.public.filters.SORTS): a deep page walks an index.
            models.Index(fields=["-approved_amount", "-id"], name="project_amount_desc"),
            models.Index(fields=["-physical_progress", "-id"], name="project_progress_desc"),
            # The API list's other `ordering=` choices (nicp.api_pagination reads a page's keys from them).
            models.Index(fields=["released_total", "id"], name="project_released"),
            models.Index(fields=["updated_at", "id"], name="project_updated"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(approved_amount__gt=0, approved_amount__lte=bounds.PROPOSAL_AMOUNT_MAX),
                                   name="project_amount_in_bounds"),
            models.CheckConstraint(condition=Q(released_total__gte=0, released_total__lte=F("approved_amount")),
                                   name="project_released_within_approved"),
            # Money invariant: verified ≤ released ≤ approved.
            models.CheckConstraint(condition=Q(verified_total__gte=0, verified_total__lte=F("released_total")),
                                   name="project_verified_within_released"),
            models.CheckConstraint(condition=Q(physical_progress__gte=0, physical_progress__lte=100),
                                   name="project_progress_percent"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class ProjectCodeCounter(models.Model):
    """The last project number of a year; a locked row, so concurrent publications never share a code."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class ProjectEvent(WorkflowEvent):
    """Append-only timeline of a project: its states and every step recorded along the way."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        indexes = [models.Index(fields=["project", "created_at"], name="project_event_timeline")]

    def get_action_display(self):
        from projects.workflow import event_label

        return event_label(self.action)

    def __str__(self):
        return f"{self.project_id}: {self.action}"
