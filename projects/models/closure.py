"""Closing a project: the handover record of the works, the final accountability assembly and the refund
of what was not spent or not proved."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nicp import bounds
from nicp.bounds import between, plausible_date
from nicp.storage import random_name
from projects.models.projects import Project


def closure_file_path(instance, filename):
    return random_name(f"projects/{instance.project_id}/closure", filename)


class Handover(models.Model):
    """The acta de entrega-recepción: generated from what was delivered, signed copy uploaded."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="handover")
    works_delivered = models.TextField(_("obras que se entregan"), max_length=bounds.TEXT_MAX)
    delivered_on = models.DateField(_("fecha de entrega"), validators=[plausible_date])
    generated_file = models.FileField(upload_to=closure_file_path)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    generated_at = models.DateTimeField()
    signed_file = models.FileField(_("acta firmada (PDF)"), upload_to=closure_file_path, blank=True)
    # Staff publish the signed record on the project's public page (it carries signatures: never by default).
    is_public = models.BooleanField(_("publicado"), default=False)
    signed_uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                           blank=True, related_name="+")
    signed_uploaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("acta de entrega-recepción")

    def __str__(self):
        return f"{self.project_id}"


class AccountabilityAssembly(models.Model):
    """The final assembly where the committees report to their neighbours what was done and spent."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="accountability")
    held_on = models.DateField(_("fecha de la asamblea"), validators=[plausible_date])
    attendance = models.PositiveIntegerField(_("personas asistentes"), validators=between(1, bounds.PEOPLE_MAX))
    reported = models.TextField(_("qué se informó"), max_length=bounds.TEXT_MAX)
    minutes_file = models.FileField(_("acta de la asamblea (PDF)"), upload_to=closure_file_path)
    # Staff publish the minutes on the project's public page (they may carry names: never by default).
    is_public = models.BooleanField(_("publicado"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("asamblea de rendición de cuentas")

    def __str__(self):
        return f"{self.project_id} {self.held_on}"


class Refund(models.Model):
    """What goes back to the ministry: released − verified, computed when the refund opens (at
    cancellation or when the project goes to accountability); finance records the transfer."""

    class Reason(models.TextChoices):
        CANCELLATION = "cancellation", _("Cancelación del proyecto")
        CLOSURE = "closure", _("Cierre: recurso no ejercido o no comprobado")

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="refund")
    reason = models.CharField(_("motivo"), max_length=20, choices=Reason.choices)
    amount = models.DecimalField(_("monto a reintegrar (MXN)"), max_digits=14, decimal_places=2)
    opened_at = models.DateTimeField(auto_now_add=True)
    transfer_reference = models.CharField(_("referencia de la transferencia"), max_length=60, blank=True)
    transfer_date = models.DateField(_("fecha del reintegro"), null=True, blank=True, validators=[plausible_date])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reintegro")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="refund_not_negative")]
        indexes = [models.Index(fields=["opened_at", "id"], condition=Q(recorded_at__isnull=True),
                                name="refund_to_record")]

    def __str__(self):
        return f"{self.project_id} {self.amount}"

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None
