"""What the community spent: each expense against a budget line, proved by a CFDI invoice or a simple
receipt, and the invoice's data as read from its XML (never retyped)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nicp import bounds
from nicp.bounds import plausible_date
from nicp.models import WorkflowEvent
from nicp.storage import random_name
from projects.models.projects import Project
from projects.querysets import ExpenseQuerySet
from projects.workflow import ExpenseState
from proposals.models import BudgetLine


def receipt_file_path(instance, filename):
    project_id = instance.project_id if hasattr(instance, "project_id") else instance.expense.project_id
    return random_name(f"projects/{project_id}/receipts", filename)


class SatStatusField(models.CharField):
    """The SAT's answer on an invoice, stored as its stable code (see projects/sat.py)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("default", "unchecked")
        super().__init__(*args, **kwargs)


class Expense(models.Model):
    class Kind(models.TextChoices):
        CFDI = "cfdi", _("Factura (CFDI)")
        SIMPLE = "simple", _("Recibo simple")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="expenses")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="expenses",
                                    verbose_name=_("concepto del presupuesto"))
    kind = models.CharField(_("tipo de comprobante"), max_length=10, choices=Kind.choices)
    spent_on = models.DateField(_("fecha del gasto"), validators=[plausible_date])
    supplier = models.CharField(_("proveedor o persona que recibió el pago"), max_length=250)
    supplier_rfc = models.CharField(_("RFC del proveedor"), max_length=13, blank=True)
    concept = models.CharField(_("concepto"), max_length=250)
    amount = models.DecimalField(_("importe (MXN)"), max_digits=14, decimal_places=2)
    # A simple receipt is its file; an invoice keeps its XML (and PDF) on its Cfdi row.
    receipt_file = models.FileField(_("recibo firmado (PDF o foto)"), upload_to=receipt_file_path, blank=True)
    # The receipt's file is shown on the public page only when staff mark it so (its lines always are).
    receipt_public = models.BooleanField(_("comprobante público"), default=False)
    over_budget_reason = models.TextField(_("justificación del sobregasto"), blank=True, max_length=bounds.NOTE_MAX)
    status = models.CharField(_("estado"), max_length=20, choices=ExpenseState.choices,
                              default=ExpenseState.RECORDED)
    last_note = models.TextField(_("última observación"), blank=True, max_length=bounds.NOTE_MAX)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = ExpenseQuerySet.as_manager()

    class Meta:
        verbose_name = _("gasto")
        verbose_name_plural = _("gastos")
        ordering = ["-spent_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0, amount__lte=bounds.PROPOSAL_AMOUNT_MAX),
                                   name="expense_amount_in_bounds"),
        ]
        indexes = [
            # A project's expense tab, newest first, and its sums per state.
            models.Index(fields=["project", "-spent_on", "-id"], name="expense_project_recent"),
            models.Index(fields=["project", "status"], name="expense_project_status"),
            # Finance's verification queue: endorsed expenses, oldest first.
            models.Index(fields=["updated_at", "id"], condition=Q(status="endorsed"), name="expense_to_verify"),
            # The API's `ordering=updated_at` over every status, and a project's list newest first.
            models.Index(fields=["updated_at", "id"], name="expense_updated"),
            models.Index(fields=["project", "id"], name="expense_project_id"),
        ]

    def __str__(self):
        return f"{self.project_id}: {self.concept} {self.amount}"


def cfdi_file_path(instance, filename):
    return random_name(f"projects/{instance.expense.project_id}/cfdi", filename)


class Cfdi(models.Model):
    """An invoice as the SAT stamped it. The folio fiscal is unique across the whole programme: one
    invoice proves one expense, ever (a database constraint, not only a check)."""

    expense = models.OneToOneField(Expense, on_delete=models.CASCADE, related_name="cfdi")
    uuid = models.CharField(_("folio fiscal (UUID)"), max_length=36, unique=True)
    issuer_rfc = models.CharField(_("RFC del emisor"), max_length=13)
    issuer_name = models.CharField(_("nombre del emisor"), max_length=300)
    receiver_rfc = models.CharField(_("RFC del receptor"), max_length=13)
    issued_at = models.DateTimeField(_("fecha de emisión"))
    subtotal = models.DecimalField(_("subtotal"), max_digits=14, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("moneda"), max_length=3)
    kind = models.CharField(_("tipo de comprobante"), max_length=1)
    xml_file = models.FileField(_("XML del CFDI"), upload_to=cfdi_file_path)
    pdf_file = models.FileField(_("PDF del CFDI"), upload_to=cfdi_file_path, blank=True)
    sat_status = SatStatusField(_("estado ante el SAT"))
    sat_detail = models.CharField(_("respuesta del SAT"), max_length=300, blank=True)
    sat_checked_at = models.DateTimeField(_("consultado el"), null=True, blank=True)

    class Meta:
        verbose_name = _("CFDI")
        verbose_name_plural = _("CFDI")
        indexes = [models.Index(fields=["sat_status"], condition=Q(sat_status="cancelled"), name="cfdi_cancelled")]

    def __str__(self):
        return self.uuid


class ExpenseEvent(WorkflowEvent):
    expense = models.ForeignKey(Expense, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass

    def __str__(self):
        return f"{self.expense_id}: {self.action}"
