"""What people type on the works pages (progress reports, logbook, visits, observations, photos). The forms
only parse; the services check the rules and say what is wrong, and the views put it back by its field."""

from decimal import Decimal

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from nicp import bounds
from nicp.bounded_forms import FiniteDecimalField, PlausibleDateField, RecordIdField, VersionField
from projects.services.execution import MAX_PHOTOS
from proposals.forms import DateInput

OBSERVATION_ROWS = 5
# "image/*" lets a phone offer its camera as well as its gallery; the server checks the bytes.
ACCEPT_PHOTOS = "image/*"
PHOTOS_HELP = format_lazy(_("JPEG, PNG o WEBP; hasta {n} fotos. Se guarda dónde y cuándo se tomaron; los demás "
                            "datos de la foto se quitan."), n=MAX_PHOTOS)


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one input; always a list (empty when none). The service cleans each."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Fotos"))
        kwargs.setdefault("help_text", PHOTOS_HELP)
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": ACCEPT_PHOTOS}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data]
        return [super(PhotosField, self).clean(upload, initial) for upload in uploads if upload]


def text_field(label, required_message, *, max_length=bounds.TEXT_MAX, rows=5, **kwargs):
    return forms.CharField(label=label, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows}),
                           error_messages={"required": required_message,
                                           "max_length": _("Admite como máximo %(limit_value)d caracteres.")},
                           **kwargs)


def date_field(label, required_message, **kwargs):
    return PlausibleDateField(label=label, widget=DateInput(), error_messages={
        "required": required_message, "invalid": _("Escribe una fecha válida (día, mes y año).")}, **kwargs)


PERCENT_ERRORS = ("required", "invalid", "min_value", "max_value", "max_digits", "max_decimal_places",
                  "max_whole_digits")


class PercentField(FiniteDecimalField):
    def __init__(self, **kwargs):
        message = _("Escribe el avance físico en porcentaje, de 0 a 100.")
        super().__init__(label=_("Avance físico de la obra (%)"), min_value=Decimal("0"), max_value=Decimal("100"),
                         max_digits=5, decimal_places=2,
                         help_text=_("Cuánto de la obra está hecho, del 0 al 100 (no baja del último avalado)."),
                         widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
                         error_messages=dict.fromkeys(PERCENT_ERRORS, message), **kwargs)


class ReportForm(forms.Form):
    physical_percent = PercentField()
    summary = text_field(_("Qué se hizo en el periodo"), _("Cuenta qué se hizo en el periodo."))
    photos = PhotosField(help_text=format_lazy("{} {}", _("Al menos una foto de la obra."), PHOTOS_HELP))
    version = VersionField()


class ReportCorrectForm(ReportForm):
    photos = PhotosField(label=_("Más fotos (opcional)"))


REPORT_DECISIONS = [("endorse", _("Avalar: el informe corresponde a lo que vemos en la obra")),
                    ("observe", _("Observar: el comité de Administración debe corregir algo"))]


class ReportReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Tu revisión"), choices=REPORT_DECISIONS, widget=forms.RadioSelect,
                                 error_messages={"required": _("Elige si avalas u observas el informe.")})
    note = text_field(_("Observación"), "", max_length=bounds.NOTE_MAX, rows=3, required=False,
                      help_text=_("Obligatoria si observas: qué debe corregir el comité."))
    version = VersionField()


class LogbookForm(forms.Form):
    happened_on = date_field(_("Fecha"), _("Indica la fecha de lo que anotas."))
    text = text_field(_("Anotación"), _("Escribe la anotación."))
    photos = PhotosField()
    corrects = RecordIdField(required=False, widget=forms.HiddenInput)


class VisitForm(forms.Form):
    visited_on = date_field(_("Fecha de la visita"), _("Indica la fecha de la visita."))
    findings = text_field(_("Hallazgos"), _("Escribe qué se encontró en la visita."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, OBSERVATION_ROWS + 1):
            self.fields[f"observation_{number}"] = text_field(
                _("Observación %(n)d") % {"n": number}, "", max_length=bounds.NOTE_MAX, rows=2, required=False)
            self.fields[f"observation_{number}_due"] = date_field(
                _("Fecha límite para responder la observación %(n)d") % {"n": number}, "", required=False)
        self.fields["photos"] = PhotosField()

    def observation_rows(self):
        return [(self[f"observation_{n}"], self[f"observation_{n}_due"]) for n in range(1, OBSERVATION_ROWS + 1)]

    def observations(self) -> list:
        data = self.cleaned_data
        return [(data.get(f"observation_{n}", ""), data.get(f"observation_{n}_due"))
                for n in range(1, OBSERVATION_ROWS + 1)]


class AnswerForm(forms.Form):
    answer = text_field(_("Respuesta del comité"), _("Escribe qué se hizo para atender la observación."),
                        max_length=bounds.NOTE_MAX, rows=3)
    version = VersionField()

    def __init__(self, *args, observation=None, **kwargs):
        if observation is not None:
            kwargs.setdefault("auto_id", f"id_answer_{observation.pk}_%s")
            kwargs.setdefault("initial", {"version": observation.version})
        super().__init__(*args, **kwargs)


SETTLE_DECISIONS = [("settle", _("Dar por atendida")), ("reopen", _("Reabrir: la respuesta no basta"))]


class SettleForm(forms.Form):
    decision = forms.ChoiceField(label=_("Revisión de la respuesta"), choices=SETTLE_DECISIONS,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": _("Elige si das por atendida la observación o la "
                                                               "reabres.")})
    note = text_field(_("Nota"), "", max_length=bounds.NOTE_MAX, rows=2, required=False,
                      help_text=_("Obligatoria si la reabres: por qué la respuesta no basta."))
    version = VersionField()

    def __init__(self, *args, observation=None, **kwargs):
        if observation is not None:
            kwargs.setdefault("auto_id", f"id_settle_{observation.pk}_%s")
            kwargs.setdefault("initial", {"version": observation.version})
        super().__init__(*args, **kwargs)
