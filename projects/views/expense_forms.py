"""Forms and filters of the expense pages. They only parse what was typed; the money rules (caps, budget
lines, the CFDI's refusals) are the services', whose errors go back next to these fields."""

import base64
import binascii

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Borough
from nicp import bounds
from nicp.bounded_forms import BoundedIdListField, MoneyField, PlausibleDateField, VersionField
from nicp.choices import ANY_LABEL, with_empty
from nicp.confirm import confirm_field
from projects.models import Expense
from projects.sat import SatStatus
from projects.services.expenses import XML_MAX_BYTES
from projects.workflow import ExpenseAction, ExpenseState
from proposals.forms import ACCEPT_ANY, ACCEPT_PDF, DateInput
from proposals.models import Call

ACCEPT_XML = ".xml,text/xml,application/xml"
QUEUE_BATCH_MAX = 200  # what services.expenses_verify_batch takes at once


def line_choices(project) -> list:
    return with_empty([(line.pk, f"{line.concept} (${line.amount:,.2f})")
                       for line in project.proposal.budget_lines.all()])


class ExpenseFilter(django_filters.FilterSet):
    """The expenses tab's filters, kept in the URL so a filtered list can be shared and paged."""

    status = django_filters.ChoiceFilter(label=_("Estado"), choices=ExpenseState.choices, empty_label=ANY_LABEL)
    budget_line = django_filters.ChoiceFilter(label=_("Concepto del presupuesto"), empty_label=ANY_LABEL)

    class Meta:
        model = Expense
        fields = ["status", "budget_line"]

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["budget_line"].extra["choices"] = line_choices(project)[1:]


class QueueFilter(django_filters.FilterSet):
    """Finance's verification queue: by call, borough, kind of receipt, SAT status and project code."""

    call = django_filters.ModelChoiceFilter(label=_("Convocatoria"), field_name="project__call",
                                            queryset=Call.objects.order_by("-fiscal_year"), empty_label=_("— Todas —"))
    borough = django_filters.ModelChoiceFilter(label=_("Alcaldía"), field_name="project__neighbourhood__borough",
                                               queryset=Borough.objects.order_by("name"), to_field_name="inegi_code",
                                               empty_label=_("— Todas —"))
    kind = django_filters.ChoiceFilter(label=_("Comprobante"), choices=Expense.Kind.choices, empty_label=ANY_LABEL)
    sat = django_filters.ChoiceFilter(label=_("Estado ante el SAT"), field_name="cfdi__sat_status",
                                      choices=SatStatus.choices, empty_label=ANY_LABEL)
    code = django_filters.CharFilter(label=_("Clave del proyecto"), field_name="project__code",
                                     lookup_expr="icontains", max_length=40)

    class Meta:
        model = Expense
        fields = ["call", "borough", "kind", "sat", "code"]


class InvoiceUploadForm(forms.Form):
    xml = forms.FileField(label=_("XML de la factura (CFDI 4.0)"), required=False,
                          widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_XML}),
                          help_text=_("El archivo .xml que te entregó el proveedor; hasta 2 MB."))


class CarriedXmlField(forms.CharField):
    """The XML read in step 1, carried to step 2 in a hidden field (base64) so a field error does not
    ask for it again. The service parses it again: nothing read from the preview is trusted."""

    widget = forms.HiddenInput

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            data = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise forms.ValidationError(_("El XML no llegó completo: súbelo de nuevo."), code="invalid") from None
        if len(data) > XML_MAX_BYTES:
            raise forms.ValidationError(_("El XML pesa más de 2 MB: súbelo de nuevo."), code="too_big")
        return data


def carry(xml: bytes) -> str:
    return base64.b64encode(xml).decode("ascii")


def _line_field():
    return forms.TypedChoiceField(label=_("Concepto del presupuesto"), coerce=int, required=False,
                                  empty_value=None)


def _reason_field():
    return forms.CharField(label=_("Justificación del sobregasto"), required=False, max_length=bounds.NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Solo si con este gasto el concepto supera lo presupuestado."))


class _ProjectLines(forms.Form):
    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].choices = line_choices(project)


class InvoiceConfirmForm(_ProjectLines):
    xml = CarriedXmlField(required=False)
    budget_line = _line_field()
    concept = forms.CharField(label=_("Qué se compró o pagó"), max_length=250, required=False)
    pdf = forms.FileField(label=_("PDF de la factura (opcional)"), required=False,
                          widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_PDF}))
    over_budget_reason = _reason_field()


class SimpleReceiptForm(_ProjectLines):
    budget_line = _line_field()
    spent_on = PlausibleDateField(label=_("Fecha del gasto"), widget=DateInput(), required=False)
    supplier = forms.CharField(label=_("A quién se pagó"), max_length=250, required=False)
    concept = forms.CharField(label=_("Qué se compró o pagó"), max_length=250, required=False)
    amount = MoneyField(label=_("Importe (pesos)"), required=False)
    receipt = forms.FileField(label=_("Recibo firmado (PDF o foto)"), required=False,
                              widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ANY, "capture": "environment"}),
                              help_text=_("PDF o foto (JPEG, PNG o WEBP) del recibo firmado; hasta 15 MB."))
    over_budget_reason = _reason_field()


class CorrectForm(_ProjectLines):
    """The administration committee answers an observation. An invoice's figures are the XML's: only a
    simple receipt's date, payee, amount and file can change."""

    budget_line = _line_field()
    concept = forms.CharField(label=_("Qué se compró o pagó"), max_length=250, required=False)
    spent_on = PlausibleDateField(label=_("Fecha del gasto"), widget=DateInput(), required=False)
    supplier = forms.CharField(label=_("A quién se pagó"), max_length=250, required=False)
    amount = MoneyField(label=_("Importe (pesos)"), required=False)
    receipt = forms.FileField(label=_("Nuevo recibo (opcional)"), required=False,
                              widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ANY, "capture": "environment"}))
    over_budget_reason = _reason_field()
    note = forms.CharField(label=_("Qué corregiste"), required=False, max_length=bounds.NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField()
    SIMPLE_ONLY = ("spent_on", "supplier", "amount", "receipt")

    def __init__(self, *args, expense, **kwargs):
        super().__init__(*args, **kwargs)
        if expense.kind != Expense.Kind.SIMPLE:
            for name in self.SIMPLE_ONLY:
                del self.fields[name]


ACTION_CONSEQUENCES = {
    ExpenseAction.REJECT: _("Entiendo que el gasto queda rechazado, deja de contar y no se puede deshacer."),
    ExpenseAction.REVOKE: _("Entiendo que el gasto deja de contar como comprobado y no se puede deshacer."),
}


class ExpenseActionForm(forms.Form):
    """One action on an expense (its code travels apart, as `action`); the note is asked for observe,
    reject and revoke (the service says so)."""

    note = forms.CharField(label=_("Motivo"), required=False, max_length=bounds.NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField()
    confirm = confirm_field("")

    def __init__(self, *args, action: str, **kwargs):
        kwargs.setdefault("prefix", action)  # several on one page: each keeps its own ids and input
        super().__init__(*args, **kwargs)
        self.action = action
        if action in ACTION_CONSEQUENCES:
            self.fields["confirm"].label = ACTION_CONSEQUENCES[action]
        else:
            del self.fields["confirm"]
        if action in (ExpenseAction.ENDORSE, ExpenseAction.VERIFY):
            del self.fields["note"]

    @property
    def needs_confirm(self) -> bool:
        return "confirm" in self.fields

    @property
    def label(self):
        return ExpenseAction(self.action).label


class BatchVerifyForm(forms.Form):
    expense = BoundedIdListField(max_items=QUEUE_BATCH_MAX, required=False)

    def clean_expense(self):
        ids = self.cleaned_data["expense"]
        if not ids:
            raise forms.ValidationError(_("Marca al menos un gasto para verificar."), code="required")
        return ids
