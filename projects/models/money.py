"""The money side of a project: the bank account, the collaboration agreement and the tranches."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nicp import bounds
from nicp.bounds import between, plausible_date
from nicp.models import WorkflowEvent
from nicp.storage import random_name
from projects.clabe import validate_clabe
from projects.models.projects import Project
from projects.workflow import TrancheState


def account_file_path(instance, filename):
    return random_name(f"projects/{instance.project_id}/account", filename)


def agreement_file_path(instance, filename):
    return random_name(f"projects/{instance.project_id}/agreement", filename)


class BankAccount(models.Model):
    """The account the money goes to. A new one replaces the last; only a verified one receives money.
    The CLABE is never public and is shown masked except to finance."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Por verificar")
        VERIFIED = "verified", _("Verificada")
        REJECTED = "rejected", _("Observada")
        REPLACED = "replaced", _("Sustituida")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="bank_accounts")
    bank = models.CharField(_("banco"), max_length=120)
    holder = models.CharField(_("titular de la cuenta"), max_length=200)
    clabe = models.CharField(_("CLABE"), max_length=18, validators=[validate_clabe])
    proof = models.FileField(_("comprobante (PDF)"), upload_to=account_file_path)
    status = models.CharField(_("estado"), max_length=20, choices=Status.choices, default=Status.PENDING)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("observaciones de finanzas"), blank=True, max_length=bounds.NOTE_MAX)

    class Meta:
        verbose_name = _("cuenta bancaria")
        ordering = ["-registered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project"], condition=~Q(status="replaced"),
                                    name="bank_account_one_current"),
        ]
        # Finance's queue: the accounts to verify, oldest first.
        indexes = [models.Index(fields=["registered_at", "id"], condition=Q(status="pending"),
                                name="account_to_verify")]

    def __str__(self):
        return f"{self.project_id} {self.masked_clabe}"

    @property
    def masked_clabe(self) -> str:
        return f"•••• •••• •••• ••{self.clabe[-4:]}" if self.clabe else ""


class Agreement(models.Model):
    """The collaboration agreement (convenio): generated from the call's text, signed by the committees
    (the signed copy uploaded) and then by the ministry (recorded by finance)."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="agreement")
    text = models.TextField(max_length=bounds.TEXT_MAX * 3)  # the filled text, as generated
    generated_file = models.FileField(upload_to=agreement_file_path)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    generated_at = models.DateTimeField()
    signed_file = models.FileField(_("convenio firmado (PDF)"), upload_to=agreement_file_path, blank=True)
    # Staff publish the signed copy on the project's public page (it carries signatures: never by default).
    is_public = models.BooleanField(_("publicado"), default=False)
    signed_uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                           related_name="+")
    signed_uploaded_at = models.DateTimeField(null=True, blank=True)
    ministry_signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                           related_name="+")
    ministry_signed_on = models.DateField(_("fecha de firma de la Secretaría"), null=True, blank=True,
                                          validators=[plausible_date])

    class Meta:
        verbose_name = _("convenio de colaboración")
        # Finance's queue: agreements the committees signed that wait for the ministry's signature.
        indexes = [models.Index(fields=["signed_uploaded_at", "id"],
                                condition=Q(ministry_signed_on__isnull=True) & ~Q(signed_file=""),
                                name="agreement_to_sign")]

    def __str__(self):
        return f"{self.project_id}"


class Tranche(models.Model):
    """One ministración of a project's plan, copied from the call's plan when the project is created."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tranches")
    number = models.PositiveSmallIntegerField(_("número"), validators=between(1, bounds.MAX_TRANCHES))
    share_percent = models.DecimalField(_("porcentaje"), max_digits=5, decimal_places=2)
    amount = models.DecimalField(_("monto (MXN)"), max_digits=14, decimal_places=2)
    progress_required_percent = models.PositiveSmallIntegerField(_("avance físico requerido (%)"), default=0)
    previous_proved_percent = models.PositiveSmallIntegerField(
        _("comprobación requerida de la ministración anterior (%)"), default=0)
    documents_required = models.TextField(_("documentos requeridos"), blank=True, max_length=bounds.NOTE_MAX)
    # Verified expenses charged to this tranche, kept by the execution stage; read through projects/progress.py.
    proved_amount = models.DecimalField(_("monto comprobado (MXN)"), max_digits=14, decimal_places=2, default=0)
    status = models.CharField(_("estado"), max_length=20, choices=TrancheState.choices, default=TrancheState.PLANNED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    requested_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)
    transfer_reference = models.CharField(_("referencia de la transferencia"), max_length=60, blank=True)
    transfer_date = models.DateField(_("fecha de la transferencia"), null=True, blank=True,
                                     validators=[plausible_date])
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("ministración")
        verbose_name_plural = _("ministraciones")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="tranche_number_once"),
            models.CheckConstraint(condition=Q(amount__gt=0, amount__lte=bounds.PROPOSAL_AMOUNT_MAX),
                                   name="tranche_amount_in_bounds"),
            models.CheckConstraint(condition=Q(proved_amount__gte=0), name="tranche_proved_not_negative"),
        ]
        indexes = [
            models.Index(fields=["status", "project"], name="tranche_status_project"),
            # Finance's queue: approved tranches waiting for the money, oldest approval first.
            models.Index(fields=["approved_at", "id"], condition=Q(status="approved"), name="tranche_to_release"),
        ]

    def __str__(self):
        return f"{self.project_id} #{self.number}"


class TrancheEvent(WorkflowEvent):
    tranche = models.ForeignKey(Tranche, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass

    def __str__(self):
        return f"{self.tranche_id}: {self.action}"
