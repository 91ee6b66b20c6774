"""The closure page's forms: what each role types to close a project. The services check the rules; these
only parse, so each service error goes back next to its field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from nicp import bounds, confirm
from nicp.bounded_forms import CountField, PlausibleDateField
from projects.views.money_forms import MoneyForm, pdf_field
from proposals.forms import DateInput

DATE_ERRORS = {"required": _("Indica la fecha."), "invalid": _("Escribe una fecha válida.")}


class HandoverGenerateForm(MoneyForm):
    id_prefix = "handover"
    works_delivered = forms.CharField(
        label=_("Obras que se entregan"), max_length=bounds.TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Lo que se construyó o rehabilitó, como quedará en el acta."),
        error_messages={"required": _("Describe las obras que se entregan.")})
    delivered_on = PlausibleDateField(label=_("Fecha de entrega"), widget=DateInput(), error_messages=DATE_ERRORS)


class HandoverUploadForm(MoneyForm):
    id_prefix = "handover_signed"
    signed_file = pdf_field(_("Acta de entrega-recepción firmada (PDF)"))


class AccountabilityForm(MoneyForm):
    id_prefix = "assembly"
    held_on = PlausibleDateField(label=_("Fecha de la asamblea"), widget=DateInput(), error_messages=DATE_ERRORS)
    attendance = CountField(label=_("Personas asistentes"), min_value=1,
                            error_messages={"required": _("Escribe cuántas personas asistieron (al menos una)."),
                                            "invalid": _("Escribe un número entero."),
                                            "min_value": _("Escribe cuántas personas asistieron (al menos una).")})
    reported = forms.CharField(label=_("Qué se informó"), max_length=bounds.TEXT_MAX,
                               widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("Las obras, el gasto comprobado y lo que se reintegra."),
                               error_messages={"required": _("Resume lo que se informó a la asamblea.")})
    minutes_file = pdf_field(_("Acta de la asamblea (PDF)"))


class RefundForm(MoneyForm):
    id_prefix = "refund"
    transfer_reference = forms.CharField(label=_("Referencia de la transferencia"), max_length=60,
                                         error_messages={"required": _("Escribe la referencia de la transferencia.")})
    transfer_date = PlausibleDateField(label=_("Fecha del reintegro"), widget=DateInput(), error_messages=DATE_ERRORS)
    confirm = confirm.confirm_field(_("Entiendo que el reintegro queda registrado por el monto que se muestra y que "
                                      "no se puede deshacer."))
