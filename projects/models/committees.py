"""The community committees a second neighbourhood assembly elects to run a project, and that assembly."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nicp import bounds
from nicp.bounds import between, plausible_date
from nicp.storage import random_name
from projects.models.projects import Project


class CommitteeKind(models.TextChoices):
    ADMINISTRATION = "administration", _("Administración")
    SUPERVISION = "supervision", _("Supervisión")
    DEVELOPMENT = "development", _("Desarrollo Comunitario")


class SeatPosition(models.TextChoices):
    PRESIDENT = "president", _("Presidencia")
    SECRETARY = "secretary", _("Secretaría")
    MEMBER = "member", _("Vocalía")


def election_file_path(instance, filename):
    return random_name(f"projects/{instance.project_id}/elections", filename)


class ElectionAssembly(models.Model):
    """The assembly that elects the committees. One without quorum stays on the record; another is held."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Programada")
        HELD = "held", _("Celebrada: comités electos")
        NO_QUORUM = "no_quorum", _("Sin quórum")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="elections")
    status = models.CharField(_("estado"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    scheduled_at = models.DateTimeField(_("fecha y hora"), validators=[plausible_date])
    place = models.CharField(_("lugar"), max_length=300)
    quorum_required = models.PositiveIntegerField(_("quórum requerido (personas)"),
                                                  validators=between(0, bounds.PEOPLE_MAX))
    attendees = models.PositiveIntegerField(_("asistentes"), null=True, blank=True,
                                            validators=between(0, bounds.PEOPLE_MAX))
    votes_for = models.PositiveIntegerField(_("votos a favor de la planilla"), null=True, blank=True,
                                            validators=between(0, bounds.PEOPLE_MAX))
    votes_against = models.PositiveIntegerField(_("votos en contra"), null=True, blank=True,
                                                validators=between(0, bounds.PEOPLE_MAX))
    abstentions = models.PositiveIntegerField(_("abstenciones"), null=True, blank=True,
                                              validators=between(0, bounds.PEOPLE_MAX))
    minutes = models.FileField(_("acta (PDF)"), upload_to=election_file_path, blank=True)
    observations = models.TextField(_("observaciones"), blank=True, max_length=bounds.NOTE_MAX)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("asamblea de elección de comités")
        ordering = ["scheduled_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendees__isnull=True) | Q(
                    votes_for__lte=models.F("attendees") - models.F("votes_against") - models.F("abstentions")),
                name="election_votes_within_attendance"),
        ]

    def __str__(self):
        return f"{self.project_id} {self.scheduled_at:%Y-%m-%d}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CommitteeSeat(models.Model):
    """One elected person on one committee of one project: the community-committee role for that project
    only. A seat is never deleted: a replaced person's seat ends with its reason, and the new one starts."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="seats")
    committee = models.CharField(_("comité"), max_length=20, choices=CommitteeKind.choices)
    position = models.CharField(_("cargo"), max_length=20, choices=SeatPosition.choices, default=SeatPosition.MEMBER)
    full_name = models.CharField(_("nombre completo"), max_length=200)
    email = models.EmailField(_("correo electrónico"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="project_seats")
    election = models.ForeignKey(ElectionAssembly, on_delete=models.PROTECT, related_name="seats", null=True)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    accepted_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(_("motivo del cambio"), blank=True, max_length=bounds.NOTE_MAX)
    replaced_by = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="replaces")

    class Meta:
        verbose_name = _("integrante de comité comunitario")
        ordering = ["committee", "position", "id"]
        constraints = [
            # One person on one committee only, while their seat lasts.
            models.UniqueConstraint(fields=["project", "user"], condition=Q(ended_at__isnull=True),
                                    name="seat_one_committee_per_person"),
        ]
        indexes = [models.Index(fields=["user", "project"], name="seat_user_project")]

    def __str__(self):
        return f"{self.project_id} {self.committee}: {self.full_name}"

    @property
    def active(self) -> bool:
        return self.ended_at is None
