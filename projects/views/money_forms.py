"""The money pages' forms: what each role types. The services check the rules; these only parse."""

from django import forms
from django.utils.translation import gettext_lazy as _

from nicp import bounds, confirm
from nicp.bounded_forms import PlausibleDateField, VersionField
from proposals.forms import ACCEPT_PDF, DateInput

DECISIONS = [("verify", _("Verificar: los datos coinciden con el comprobante")),
             ("observe", _("Observar: el comité debe corregir algo"))]


PDF_HELP = _("Solo PDF (se revisa el contenido, no el nombre).")


def pdf_field(label, help_text=PDF_HELP):
    return forms.FileField(label=label, help_text=help_text,
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_PDF}),
                           error_messages={"required": _("Adjunta el archivo en PDF.")})


class MoneyForm(forms.Form):
    """Ids carry the form's name: several of these forms can sit on one project page."""

    id_prefix = "money"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class AccountForm(MoneyForm):
    id_prefix = "account"
    bank = forms.CharField(label=_("Banco"), max_length=120, error_messages={"required": _("Indica el banco.")})
    holder = forms.CharField(label=_("Titular de la cuenta"), max_length=200,
                             help_text=_("Como aparece en el estado de cuenta."),
                             error_messages={"required": _("Indica a nombre de quién está la cuenta.")})
    # Kept as typed (spaces, dashes): the service normalises it and says exactly what is wrong.
    clabe = forms.CharField(label=_("CLABE"), max_length=40, help_text=_("18 dígitos; está en tu estado de cuenta."),
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                            error_messages={"required": _("Escribe la CLABE de 18 dígitos.")})
    proof = pdf_field(_("Comprobante de la cuenta (PDF)"),
                      _("El estado de cuenta o la carta del banco, en PDF."))
    version = VersionField()


class AccountReviewForm(MoneyForm):
    id_prefix = "review"
    decision = forms.ChoiceField(label=_("Resultado de la revisión"), choices=DECISIONS, widget=forms.RadioSelect,
                                 error_messages={"required": _("Elige si verificas la cuenta o la observas.")})
    note = forms.CharField(label=_("Observaciones para el comité"), required=False, max_length=bounds.NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Obligatorias si la observas: di qué debe corregir."))


class AgreementUploadForm(MoneyForm):
    id_prefix = "upload"
    signed_file = pdf_field(_("Convenio firmado por los comités (PDF)"))


class AgreementSignForm(MoneyForm):
    id_prefix = "sign"
    signed_on = PlausibleDateField(label=_("Fecha en que firmó la Secretaría"), widget=DateInput(),
                                   error_messages={"required": _("Indica la fecha de firma."),
                                                   "invalid": _("Escribe una fecha válida.")})
    version = VersionField()
    confirm = confirm.confirm_field(_("Entiendo que al registrar la firma el proyecto pasa a ejecución y que no se "
                                      "puede deshacer."))


class TrancheForm(MoneyForm):
    """Request and approve: an optional note for the timeline."""

    note = forms.CharField(label=_("Nota (opcional)"), required=False, max_length=bounds.NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField()


class TrancheWithholdForm(TrancheForm):
    note = forms.CharField(label=_("Motivo de la retención"), max_length=bounds.NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": _("Escribe el motivo: el comité lo leerá.")})


class TrancheReleaseForm(MoneyForm):
    transfer_reference = forms.CharField(label=_("Referencia de la transferencia"), max_length=60,
                                         error_messages={"required": _("Escribe la referencia de la transferencia.")})
    transfer_date = PlausibleDateField(label=_("Fecha de la transferencia"), widget=DateInput(),
                                       error_messages={"required": _("Indica la fecha de la transferencia."),
                                                       "invalid": _("Escribe una fecha válida.")})
    version = VersionField()
    confirm = confirm.confirm_field(_("Entiendo que al registrar la entrega el dinero cuenta como ministrado y que "
                                      "no se puede deshacer."))
