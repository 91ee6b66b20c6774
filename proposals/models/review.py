"""Staff review of a proposal: internal comments, neighbourhood assemblies, technical reviews."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nicp import bounds
from nicp.bounds import between, plausible_date
from nicp.storage import random_name
from proposals.models.proposals import Proposal
from proposals.querysets import (
    AssemblyQuerySet,
    ReviewAssignmentQuerySet,
    ReviewPhotoQuerySet,
    TechnicalReviewQuerySet,
)


class IneligibilityReason(models.TextChoices):
    INCOMPLETE = "incomplete", _("Documentación incompleta")
    NEIGHBOURHOOD = "neighbourhood", _("Unidad territorial no elegible")
    AMOUNT = "amount", _("Monto fuera del rango de la convocatoria")
    EXCLUDED_WORK = "excluded_work", _("Obra excluida por la convocatoria")
    NOT_PUBLIC_LAND = "not_public_land", _("El predio no es público")
    DUPLICATE = "duplicate", _("Duplica otra propuesta o programa")
    OTHER = "other", _("Otro motivo")


class StaffComment(models.Model):
    """An internal note among staff about a proposal. Never shown to the group."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="staff_comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("comentario interno"), max_length=bounds.NOTE_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.body[:60]


def assembly_file_path(instance, filename):
    return random_name(f"assemblies/{instance.proposal_id}", filename)


class AssemblyStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Programada")
    APPROVED = "approved", _("Aprobó el proyecto")
    REJECTED = "rejected", _("Rechazó el proyecto")
    NO_QUORUM = "no_quorum", _("Sin quórum")
    CANCELLED = "cancelled", _("Cancelada")


class Assembly(models.Model):
    """A neighbourhood assembly (asamblea vecinal) about a proposal, and its minutes once held."""

    class Purpose(models.TextChoices):
        APPROVAL = "approval", _("Aprobación del proyecto")
        COMMITTEES = "committees", _("Elección de comités comunitarios")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assemblies")
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.APPROVAL)
    status = models.CharField(_("estado"), max_length=20, choices=AssemblyStatus.choices,
                              default=AssemblyStatus.SCHEDULED)
    scheduled_at = models.DateTimeField(_("fecha y hora"), validators=[plausible_date])
    place = models.CharField(_("lugar"), max_length=300)
    convened_by = models.CharField(_("convocada por"), max_length=200)
    quorum_required = models.PositiveIntegerField(_("quórum requerido (personas)"),
                                                  validators=between(0, bounds.PEOPLE_MAX))
    attendees = models.PositiveIntegerField(_("asistentes"), null=True, blank=True,
                                            validators=between(0, bounds.PEOPLE_MAX))
    votes_for = models.PositiveIntegerField(_("votos a favor"), null=True, blank=True,
                                            validators=between(0, bounds.PEOPLE_MAX))
    votes_against = models.PositiveIntegerField(_("votos en contra"), null=True, blank=True,
                                                validators=between(0, bounds.PEOPLE_MAX))
    abstentions = models.PositiveIntegerField(_("abstenciones"), null=True, blank=True,
                                              validators=between(0, bounds.PEOPLE_MAX))
    attendance_list = models.FileField(_("lista de asistencia"), upload_to=assembly_file_path, blank=True)
    minutes = models.FileField(_("acta"), upload_to=assembly_file_path, blank=True)
    observations = models.TextField(_("observaciones"), blank=True, max_length=bounds.NOTE_MAX)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    objects = AssemblyQuerySet.as_manager()

    class Meta:
        verbose_name = _("asamblea")
        verbose_name_plural = _("asambleas")
        ordering = ["scheduled_at", "id"]
        indexes = [models.Index(fields=["status", "scheduled_at"], name="assembly_reminder")]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendees__isnull=True) | Q(
                    votes_for__lte=models.F("attendees") - models.F("votes_against") - models.F("abstentions")),
                name="assembly_votes_within_attendance"),
            models.CheckConstraint(condition=Q(quorum_required__lte=bounds.PEOPLE_MAX) & (
                Q(attendees__isnull=True) | Q(attendees__lte=bounds.PEOPLE_MAX)), name="assembly_counts_bounded"),
        ]

    def __str__(self):
        return f"{self.proposal_id} {self.scheduled_at:%Y-%m-%d}"


class ReviewAssignment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="review_assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewAssignmentQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "reviewer"], name="review_assignment_once")]
        indexes = [models.Index(fields=["assigned_at"], name="review_assignment_reminder")]

    def __str__(self):
        return f"{self.proposal_id} → {self.reviewer_id}"


class ChecklistAnswer(models.TextChoices):
    YES = "yes", _("Sí")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("No aplica")


# The feasibility checklist (dictamen de factibilidad): item code -> question.
CHECKLIST = {
    "public_land": _("El predio es público"),
    "no_legal_dispute": _("Sin litigio o conflicto legal"),
    "not_risk_zone": _("No está en zona de riesgo"),
    "not_conservation_land": _("No está en suelo de conservación"),
    "no_duplication": _("No duplica otros programas"),
    "technically_sound": _("Técnicamente viable"),
    "cost_reasonable": _("Costo razonable"),
    "eligible_works": _("Obras elegibles"),
}


class ReviewResult(models.TextChoices):
    FEASIBLE = "feasible", _("Factible")
    FEASIBLE_WITH_OBSERVATIONS = "feasible_with_observations", _("Factible con observaciones")
    NOT_FEASIBLE = "not_feasible", _("No factible")


class TechnicalReview(models.Model):
    """One reviewer's feasibility review of a proposal: a draft until submitted, then final."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        SUBMITTED = "submitted", _("Entregado")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="technical_reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    checklist = models.JSONField(default=dict)  # item -> {"answer": yes|no|na, "note": ""}
    adjusted_cost = models.DecimalField(_("costo ajustado (MXN)"), max_digits=14, decimal_places=2, null=True,
                                        blank=True, validators=between(0, bounds.PROPOSAL_AMOUNT_MAX))
    site_visit_on = models.DateField(_("visita al sitio"), null=True, blank=True, validators=[plausible_date])
    result = models.CharField(_("resultado"), max_length=30, choices=ReviewResult.choices, blank=True)
    observations = models.TextField(_("observaciones para el grupo"), blank=True, max_length=bounds.TEXT_MAX)
    reasons = models.TextField(_("motivos (si no es factible)"), blank=True, max_length=bounds.TEXT_MAX)
    internal_notes = models.TextField(_("notas internas"), blank=True, max_length=bounds.TEXT_MAX)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = TechnicalReviewQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reviewer"], name="technical_review_once"),
            models.CheckConstraint(condition=Q(adjusted_cost__isnull=True) | Q(
                adjusted_cost__gte=0, adjusted_cost__lte=bounds.PROPOSAL_AMOUNT_MAX),
                name="technical_review_adjusted_cost_bounded"),
        ]

    def __str__(self):
        return f"{self.proposal_id} · {self.reviewer_id} · {self.status}"


def review_photo_path(instance, filename):
    return random_name(f"reviews/{instance.review_id}", filename)


class ReviewPhoto(models.Model):
    review = models.ForeignKey(TechnicalReview, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=review_photo_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewPhotoQuerySet.as_manager()

    def __str__(self):
        return self.original_name
