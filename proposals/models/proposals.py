"""A community proposal, its itemised budget, attachments and timeline."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from nicp import bounds
from nicp.bounds import between, plausible_date
from nicp.models import WorkflowEvent
from nicp.storage import random_name
from proposals.models.calls import Call, Modality, ProjectType
from proposals.querysets import ProposalQuerySet
from proposals.workflow import ProposalState

OUTSIDE_CDMX_LATITUDE = _("El sitio debe estar dentro de la Ciudad de México: la latitud va de 19 a 20 "
                          "(p. ej. 19.357800).")
OUTSIDE_CDMX_LONGITUDE = _("El sitio debe estar dentro de la Ciudad de México: la longitud va de -99.5 a -98.8 "
                           "(p. ej. -99.092400).")


class Proposal(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="proposals")
    group = models.ForeignKey("accounts.CommunityGroup", on_delete=models.PROTECT, related_name="proposals",
                              verbose_name=_("grupo promovente"))
    folio = models.CharField(_("folio"), max_length=20, blank=True)
    status = models.CharField(_("estado"), max_length=30, choices=ProposalState.choices,
                              default=ProposalState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    title = models.CharField(_("nombre del proyecto"), max_length=200)
    # Site
    neighbourhood = models.ForeignKey("neighbourhoods.Neighbourhood", on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="proposals", verbose_name=_("unidad territorial"))
    address = models.CharField(_("dirección o ubicación del sitio"), max_length=300, blank=True)
    # The box around Mexico City; the message says so rather than "less than or equal to 20".
    latitude = models.DecimalField(_("latitud"), max_digits=8, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(Decimal("19"), message=OUTSIDE_CDMX_LATITUDE),
                                               MaxValueValidator(Decimal("20"), message=OUTSIDE_CDMX_LATITUDE)])
    longitude = models.DecimalField(
        _("longitud"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(Decimal("-99.5"), message=OUTSIDE_CDMX_LONGITUDE),
                    MaxValueValidator(Decimal("-98.8"), message=OUTSIDE_CDMX_LONGITUDE)],
    )
    # Project
    project_type = models.CharField(_("tipo de proyecto"), max_length=30, choices=ProjectType.choices, blank=True)
    modality = models.CharField(_("modalidad"), max_length=20, choices=Modality.choices, blank=True)
    continuation_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="continuations", verbose_name=_("proyecto que continúa"))
    diagnosis = models.TextField(_("diagnóstico"), blank=True, max_length=bounds.TEXT_MAX)
    objectives = models.TextField(_("objetivos"), blank=True, max_length=bounds.TEXT_MAX)
    description = models.TextField(_("descripción del proyecto"), blank=True, max_length=bounds.TEXT_MAX)
    population_benefited = models.PositiveIntegerField(_("población beneficiada"), null=True, blank=True,
                                                       validators=between(0, bounds.POPULATION_MAX))
    schedule = models.TextField(_("cronograma"), blank=True, max_length=bounds.TEXT_MAX,
                                help_text=_("Una actividad por línea, con su periodo (p. ej. «Mes 1–2: limpieza "
                                            "del terreno»)."))
    # Kept equal to the sum of the budget lines by the budget service, so lists can sort by amount.
    budget_total = models.DecimalField(_("monto solicitado (MXN)"), max_digits=14, decimal_places=2,
                                       default=Decimal("0"), validators=between(0, bounds.PROPOSAL_AMOUNT_MAX))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("enviada"), null=True, blank=True)
    # Set when staff return the proposal: the group may resubmit until the end of that day (Mexico City).
    correction_deadline = models.DateField(_("fecha límite para corregir"), null=True, blank=True,
                                           validators=[plausible_date])
    ineligibility_reason = models.CharField(_("motivo de no elegibilidad"), max_length=30, blank=True)
    # Set when the Committee's results are published: the amount the project receives.
    assigned_amount = models.DecimalField(_("monto asignado (MXN)"), max_digits=14, decimal_places=2, null=True,
                                          blank=True, validators=between(0, bounds.PROPOSAL_AMOUNT_MAX))

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("propuesta")
        verbose_name_plural = _("propuestas")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "folio"], condition=~Q(folio=""), name="proposal_folio_unique"),
            # Bounded so every stored amount reads back (SQLite keeps an oversized one and fails on read).
            models.CheckConstraint(condition=Q(budget_total__gte=0, budget_total__lte=bounds.PROPOSAL_AMOUNT_MAX),
                                   name="proposal_budget_total_bounded"),
            models.CheckConstraint(condition=Q(assigned_amount__isnull=True) | Q(
                assigned_amount__gte=0, assigned_amount__lte=bounds.PROPOSAL_AMOUNT_MAX),
                name="proposal_assigned_amount_bounded"),
            models.CheckConstraint(condition=Q(population_benefited__isnull=True) | Q(
                population_benefited__lte=bounds.POPULATION_MAX), name="proposal_population_bounded"),
        ]
        indexes = [
            models.Index(fields=["call", "status"]),
            models.Index(fields=["group", "status"]),
            models.Index(fields=["folio"]),
            models.Index(fields=["status", "submitted_at", "id"]),
            models.Index(fields=["submitted_at", "id"]),
            models.Index(fields=["budget_total", "id"]),
            # The API list's orders (newest first by default, `ordering=`), each ending with the id so a
            # page reads its keys from the index (nicp.api_pagination).
            models.Index(fields=["created_at", "id"], name="proposal_created"),
            models.Index(fields=["status", "created_at", "id"], name="proposal_status_created"),
            models.Index(fields=["updated_at", "id"], name="proposal_updated"),
            models.Index(fields=["folio", "id"], name="proposal_folio_id"),
        ]

    def __str__(self):
        return f"{self.folio or _('Borrador')} · {self.title}"


class BudgetChapter(models.TextChoices):
    WORKS = "works", _("Obra")
    TECHNICAL_ASSISTANCE = "technical_assistance", _("Asesoría técnica")
    SUPERVISION = "supervision", _("Supervisión")
    ADMINISTRATION = "administration", _("Administración")
    COMMUNITY_DEVELOPMENT = "community_development", _("Desarrollo comunitario")


class BudgetLine(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="budget_lines")
    chapter = models.CharField(_("capítulo"), max_length=30, choices=BudgetChapter.choices)
    concept = models.CharField(_("concepto"), max_length=250)
    unit = models.CharField(_("unidad"), max_length=40)
    quantity = models.DecimalField(_("cantidad"), max_digits=12, decimal_places=2,
                                   validators=between(bounds.QUANTITY_MIN, bounds.QUANTITY_MAX))
    unit_price = models.DecimalField(_("precio unitario (MXN)"), max_digits=12, decimal_places=2,
                                     validators=between(0, bounds.UNIT_PRICE_MAX))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=bounds.QUANTITY_MIN, quantity__lte=bounds.QUANTITY_MAX,
                                               unit_price__gte=0, unit_price__lte=bounds.UNIT_PRICE_MAX),
                                   name="budget_line_bounded"),
            models.CheckConstraint(condition=LessThanOrEqual(F("quantity") * F("unit_price"), bounds.LINE_AMOUNT_MAX),
                                   name="budget_line_amount_bounded",
                                   violation_error_message=_("El importe del concepto (cantidad × precio) no puede "
                                                             "superar %(max)s MXN.")
                                   % {"max": f"{bounds.LINE_AMOUNT_MAX:,.2f}"}),
        ]

    def __str__(self):
        return self.concept

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))


class AttachmentKind(models.TextChoices):
    SITE_PHOTO = "site_photo", _("Fotografía del sitio")
    SITE_PLAN = "site_plan", _("Croquis o plano del sitio")
    PUBLIC_LAND_PROOF = "public_land_proof", _("Constancia de que el predio es público")
    MINUTES = "minutes", _("Acta")
    OTHER = "other", _("Otro")


def attachment_path(instance, filename):
    return random_name(f"proposals/{instance.proposal_id}", filename)


class Attachment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("tipo de anexo"), max_length=30, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class UploadReceipt(models.Model):
    """One row per file a proposal received (an attachment or a site-visit photo), kept when the file is
    removed: the hourly upload limit counts these, so deleting and sending again does not reset it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["proposal", "received_at"], name="upload_receipt_recent")]

    def __str__(self):
        return f"{self.proposal_id} {self.received_at:%Y-%m-%d %H:%M}"


class ProposalEvent(WorkflowEvent):
    """Append-only timeline of a proposal: who did what, when, from which state to which."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass

    def __str__(self):
        return f"{self.proposal_id}: {self.action}"

    def get_action_display(self):
        from proposals.workflow import event_label

        return event_label(self.action)
