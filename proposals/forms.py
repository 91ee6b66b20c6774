from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import NeighbourhoodChoiceField
from accounts.models import CommunityGroup, User
from accounts.roles import StaffRole
from neighbourhoods.models import Stratum
from nicp import bounds
from nicp.bounded_forms import (
    BoundedIdListField,
    BoundedMultipleChoiceField,
    CountField,
    FiniteDecimalField,
    MoneyField,
    PlausibleDateField,
    PlausibleDateTimeField,
    VersionField,
    bounded_formset,
)
from nicp.choices import EMPTY_LABEL, with_empty
from nicp.relations import ActorBoundForm, ChoosableModelChoiceField
from proposals.models import (
    CHECKLIST,
    AttachmentKind,
    BudgetChapter,
    Call,
    ChecklistAnswer,
    IneligibilityReason,
    Modality,
    ProjectType,
    Proposal,
    ReviewResult,
    RubricCriterion,
)
from proposals.models.proposals import OUTSIDE_CDMX_LATITUDE, OUTSIDE_CDMX_LONGITUDE
from proposals.services.calls import CALL_FIELDS

# What a file input offers to choose (the server still decides by the bytes: proposals/uploads.py).
ACCEPT_ANY = ".pdf,.jpg,.jpeg,.png,.webp,application/pdf,image/jpeg,image/png,image/webp"
ACCEPT_IMAGES = ".jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp"
ACCEPT_PDF = ".pdf,application/pdf"


def upload_help(kinds: str, max_mb: int) -> str:
    return _("%(kinds)s; hasta %(mb)d MB por archivo.") % {"kinds": kinds, "mb": max_mb}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VersionedForm(forms.Form):
    """Carries the version the person loaded, so a stale save is refused instead of overwriting."""

    version = VersionField()


class CallForm(forms.ModelForm):
    eligible_project_types = BoundedMultipleChoiceField(label=_("Tipos de proyecto elegibles"),
                                                        choices=ProjectType.choices,
                                                        widget=forms.CheckboxSelectMultiple)
    priority_strata = BoundedMultipleChoiceField(label=_("Estratos con prioridad"), choices=Stratum.choices,
                                                 widget=forms.CheckboxSelectMultiple, required=False)
    required_attachment_kinds = BoundedMultipleChoiceField(label=_("Anexos obligatorios"),
                                                           choices=AttachmentKind.choices,
                                                           widget=forms.CheckboxSelectMultiple, required=False)
    version = VersionField()
    reason = forms.CharField(label=_("Motivo del cambio (obligatorio si la convocatoria ya está publicada)"),
                             max_length=bounds.NOTE_MAX,
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Call
        fields = CALL_FIELDS
        widgets = {name: DateInput() for name in CALL_FIELDS if name.endswith(("_on", "_deadline", "_date"))}
        widgets |= {"summary": forms.Textarea(attrs={"rows": 3}), "excluded_works": forms.Textarea(attrs={"rows": 4})}
        field_classes = {name: PlausibleDateField for name in widgets if name.endswith(("_on", "_deadline", "_date"))}
        field_classes |= {"total_budget": FiniteDecimalField}


class ModalityForm(forms.Form):
    modality = forms.ChoiceField(label=_("Modalidad"), choices=with_empty(Modality.choices))
    min_amount = MoneyField(label=_("Monto mínimo (MXN)"))
    max_amount = MoneyField(label=_("Monto máximo (MXN)"), min_value=1)


class TrancheForm(forms.Form):
    number = forms.IntegerField(label=_("Ministración"), min_value=1, max_value=bounds.MAX_TRANCHES)
    share_percent = FiniteDecimalField(label=_("Porcentaje"), min_value=1, max_value=100, max_digits=5,
                                       decimal_places=2)
    progress_required_percent = forms.IntegerField(label=_("Avance requerido (%)"), min_value=0, max_value=100,
                                                   initial=0)
    previous_spending_verified = forms.BooleanField(label=_("Requiere comprobar la anterior"), required=False)
    previous_proved_percent = forms.IntegerField(
        label=_("Comprobación requerida de la anterior (%)"), min_value=0, max_value=100, initial=100,
        required=False, help_text=_("Solo cuenta si marcas «Requiere comprobar la anterior». Vacío: 100 %."))
    documents_required = forms.CharField(
        label=_("Documentos requeridos"), max_length=bounds.NOTE_MAX, required=False,
        widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Uno por línea, p. ej. «Informe de avance»."))

    def clean_previous_proved_percent(self):
        value = self.cleaned_data.get("previous_proved_percent")
        return 100 if value is None else value

    def clean_documents_required(self):
        lines = (line.strip() for line in self.cleaned_data.get("documents_required", "").splitlines())
        return "\n".join(line for line in lines if line)


class RubricForm(forms.Form):
    name = forms.CharField(label=_("Criterio"), max_length=200)
    weight = FiniteDecimalField(label=_("Peso (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=2)
    computed = forms.ChoiceField(label=_("Cálculo"), choices=RubricCriterion.Computed.choices, required=False)


ModalityFormSet = bounded_formset(ModalityForm, cap=bounds.MAX_CALL_MODALITIES, extra=2)
TrancheFormSet = bounded_formset(TrancheForm, cap=bounds.MAX_TRANCHES, extra=1)
RubricFormSet = bounded_formset(RubricForm, cap=bounds.MAX_RUBRIC_CRITERIA, extra=2)


class CallDocumentForm(forms.Form):
    title = forms.CharField(label=_("Título del documento"), max_length=200)
    file = forms.FileField(label=_("Archivo PDF"), help_text=_("Solo PDF."),
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_PDF}))


def groups_of(actor, _form=None):
    return CommunityGroup.objects.of_member(actor).order_by("name")


def technical_reviewers(_actor, _form=None):
    return User.objects.with_role(StaffRole.TECHNICAL_REVIEWER)


class ProposalStartForm(ActorBoundForm, forms.Form):
    group = ChoosableModelChoiceField(model=CommunityGroup, choosable=groups_of, label=_("Grupo promovente"),
                                      empty_label=None)
    title = forms.CharField(label=_("Nombre del proyecto"), max_length=200)


class SiteForm(forms.ModelForm):
    neighbourhood = NeighbourhoodChoiceField(label=_("Unidad territorial (alcaldía › colonia)"))
    version = VersionField()

    class Meta:
        model = Proposal
        fields = ["neighbourhood", "address", "latitude", "longitude"]
        field_classes = {"latitude": FiniteDecimalField, "longitude": FiniteDecimalField}
        help_texts = {"latitude": _("Opcional. Punto del sitio en el mapa, dentro de la Ciudad de México: entre "
                                    "19 y 20, p. ej. 19.357800"),
                      "longitude": _("Opcional. Entre -99.5 y -98.8, p. ej. -99.092400")}
        # A number far outside the city trips the digit count first: say the rule, not the digits.
        error_messages = {"latitude": {"max_digits": OUTSIDE_CDMX_LATITUDE, "max_whole_digits": OUTSIDE_CDMX_LATITUDE},
                          "longitude": {"max_digits": OUTSIDE_CDMX_LONGITUDE,
                                        "max_whole_digits": OUTSIDE_CDMX_LONGITUDE}}


class ProjectForm(ActorBoundForm, forms.ModelForm):
    continuation_of = ChoosableModelChoiceField(
        model=Proposal, choosable=lambda actor, form: Proposal.objects.continuable_by(actor, form.instance),
        label=_("Proyecto que continúa"), required=False, help_text=_("Solo si la modalidad es continuación."))
    version = VersionField()
    population_benefited = CountField(label=_("Población beneficiada"), required=False,
                                      max_value=bounds.POPULATION_MAX)

    class Meta:
        model = Proposal
        fields = ["title", "project_type", "modality", "continuation_of", "population_benefited", "diagnosis",
                  "objectives", "description"]
        widgets = {f: forms.Textarea(attrs={"rows": 5}) for f in ("diagnosis", "objectives", "description")}
        help_texts = {
            "diagnosis": _("¿Qué problema tiene hoy el espacio y a quién afecta? Describe cómo está el sitio, "
                           "qué falta y qué pasa ahí, con datos si los tienes."),
            "objectives": _("¿Qué quieres lograr con el proyecto? Uno por línea, p. ej. «Recuperar el predio "
                            "como parque seguro para las familias»."),
            "description": _("¿Qué se va a construir o mejorar, dónde y con qué? Las obras principales, sus "
                             "medidas aproximadas y cómo se usará el espacio."),
        }

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        eligible = set(call.eligible_project_types)
        self.fields["project_type"].choices = with_empty([
            (code, label) for code, label in ProjectType.choices if code in eligible])
        offered = set(call.modalities.values_list("modality", flat=True))
        self.fields["modality"].choices = [(c, label) for c, label in Modality.choices if c in offered]


class ScheduleForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = Proposal
        fields = ["schedule"]
        widgets = {"schedule": forms.Textarea(attrs={"rows": 8})}


class BudgetLineForm(forms.Form):
    chapter = forms.ChoiceField(label=_("Capítulo"), choices=with_empty(BudgetChapter.choices))
    concept = forms.CharField(label=_("Concepto"), max_length=250)
    unit = forms.CharField(label=_("Unidad"), max_length=40)
    quantity = MoneyField(label=_("Cantidad"), min_value=bounds.QUANTITY_MIN, max_value=bounds.QUANTITY_MAX)
    unit_price = MoneyField(label=_("Precio unitario (MXN)"), max_value=bounds.UNIT_PRICE_MAX)


BudgetLineFormSet = bounded_formset(BudgetLineForm, cap=bounds.MAX_BUDGET_LINES, extra=3)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo de anexo"), choices=with_empty(AttachmentKind.choices))
    file = forms.FileField(label=_("Archivo"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ANY}))
    version = VersionField()

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = upload_help(_("PDF, JPEG, PNG o WEBP"), call.max_file_size_mb) + " " + _(
            "Hasta %(files)d archivos y %(total)d MB por propuesta.") % {
            "files": call.max_files_per_proposal, "total": call.max_total_size_mb}


class ActionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Nota"), required=False, max_length=bounds.NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField()


class StaffActionForm(ActionForm):
    """A coordinator's action on a proposal, with what returning or rejecting needs."""

    correction_deadline = PlausibleDateField(label=_("Fecha límite para corregir"), required=False,
                                             widget=DateInput())
    reason_code = forms.ChoiceField(label=_("Motivo"), required=False,
                                    choices=with_empty(IneligibilityReason.choices))


class BatchForm(ActorBoundForm, forms.Form):
    action = forms.ChoiceField(label=_("Acción para las seleccionadas"),
                               choices=[("accept", _("Declarar elegibles")), ("assign", _("Asignar revisión técnica"))])
    reviewer = ChoosableModelChoiceField(model=User, choosable=technical_reviewers, label=_("Persona revisora"),
                                         required=False, empty_label=EMPTY_LABEL)
    ids = BoundedIdListField(label=_("Propuestas seleccionadas"), max_items=bounds.MAX_BATCH_PROPOSALS,
                             required=False)


class ReviewerAssignForm(ActorBoundForm, forms.Form):
    reviewer = ChoosableModelChoiceField(model=User, choosable=technical_reviewers, label=_("Persona revisora"),
                                         empty_label=EMPTY_LABEL)


class ReopenForm(forms.Form):
    note = forms.CharField(label=_("Motivo para reabrir"), max_length=bounds.NOTE_MAX)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comentario interno (no lo ve el grupo)"), max_length=bounds.NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AssemblyScheduleForm(forms.Form):
    scheduled_at = PlausibleDateTimeField(label=_("Fecha y hora (Ciudad de México)"), widget=DateTimeInput(),
                                          input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=_("Lugar"), max_length=300)
    convened_by = forms.CharField(label=_("Convoca"), max_length=200)


class AssemblyRecordForm(forms.Form):
    attendees = CountField(label=_("Asistentes"))
    votes_for = CountField(label=_("Votos a favor"))
    votes_against = CountField(label=_("Votos en contra"))
    abstentions = CountField(label=_("Abstenciones"))
    minutes = forms.FileField(label=_("Acta"), help_text=_("PDF, JPEG, PNG o WEBP."),
                              widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ANY}))
    attendance_list = forms.FileField(label=_("Lista de asistencia (opcional)"), required=False,
                                      help_text=_("PDF, JPEG, PNG o WEBP."),
                                      widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ANY}))
    observations = forms.CharField(label=_("Observaciones"), required=False, max_length=bounds.NOTE_MAX,
                                   widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    """The feasibility review: one yes/no/n.a. answer and note per checklist item, then the verdict."""

    version = VersionField()
    adjusted_cost = MoneyField(label=_("Costo ajustado (MXN)"), required=False)
    site_visit_on = PlausibleDateField(label=_("Fecha de la visita al sitio"), required=False, widget=DateInput())
    result = forms.ChoiceField(label=_("Resultado"), required=False,
                               choices=with_empty(ReviewResult.choices))
    observations = forms.CharField(label=_("Observaciones para el grupo"), required=False, max_length=bounds.TEXT_MAX,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    reasons = forms.CharField(label=_("Motivos (obligatorios si no es factible)"), required=False,
                              max_length=bounds.TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    internal_notes = forms.CharField(label=_("Notas internas"), required=False, max_length=bounds.TEXT_MAX,
                                     widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, review=None, **kwargs):
        initial = {}
        if review is not None:
            initial = {f: getattr(review, f) for f in ("adjusted_cost", "site_visit_on", "result", "observations",
                                                       "reasons", "internal_notes", "version")}
            for code, answer in (review.checklist or {}).items():
                initial[f"answer_{code}"] = answer.get("answer", "")
                initial[f"note_{code}"] = answer.get("note", "")
        super().__init__(*args, initial=initial, **kwargs)
        for code, label in CHECKLIST.items():
            self.fields[f"answer_{code}"] = forms.ChoiceField(label=label, required=False,
                                                              choices=ChecklistAnswer.choices,
                                                              widget=forms.RadioSelect)
            self.fields[f"note_{code}"] = forms.CharField(label=_("Nota"), required=False, max_length=500)

    def checklist_rows(self):
        return [(self[f"answer_{code}"], self[f"note_{code}"]) for code in CHECKLIST]

    def checklist_answers(self):
        """(question, chosen answer in words or "", note) for the read-only view of a submitted review."""
        labels = dict(ChecklistAnswer.choices)
        return [(question, labels.get(self.initial.get(f"answer_{code}"), ""), self.initial.get(f"note_{code}", ""))
                for code, question in CHECKLIST.items()]

    def review_data(self) -> dict:
        data = {f: self.cleaned_data[f] for f in ("adjusted_cost", "site_visit_on", "result", "observations",
                                                   "reasons", "internal_notes")}
        data["checklist"] = {code: {"answer": self.cleaned_data[f"answer_{code}"],
                                    "note": self.cleaned_data[f"note_{code}"]} for code in CHECKLIST}
        return data


class ReviewPhotoForm(forms.Form):
    file = forms.FileField(label=_("Foto de la visita"), help_text=_("JPEG, PNG o WEBP."),
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_IMAGES}))


class OffsetsField(forms.CharField):
    """Days from a deadline, comma-separated ("-7, -1"): negative before it, positive after. Empty keeps
    the catalogue's default. Only the shape is checked here; the limits are the service's."""

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=60, **kwargs)

    def to_python(self, value):
        text = super().to_python(value).replace("\u2212", "-")  # a typographic minus pasted from a document
        values = []
        for token in (t.strip() for t in text.split(",")):
            if not token:
                continue
            digits = token.lstrip("+-")
            if not (digits.isascii() and digits.isdigit()) or len(token) - len(digits) > 1 or len(digits) > 4:
                raise forms.ValidationError(
                    _("Revisa «%(value)s»: escribe días enteros separados por comas, negativos antes de la fecha "
                      "y positivos después (por ejemplo: -7, -1)."), params={"value": token[:20]})
            values.append(int(token))
        return values


class CallRemindersForm(VersionedForm):
    """One field per reminder kind of the catalogue, for the call's own offsets."""

    def __init__(self, *args, kinds: dict, **kwargs):
        from notifications.wording import offsets_as_text, offsets_in_words

        super().__init__(*args, **kwargs)
        for code, kind in kinds.items():
            self.fields[code] = OffsetsField(
                label=kind.label,
                help_text=_("Para: %(audience)s. Por omisión: %(default)s (%(days)s).") % {
                    "audience": kind.audience, "default": offsets_in_words(kind.default_offsets),
                    "days": offsets_as_text(kind.default_offsets)},
                widget=forms.TextInput(attrs={"placeholder": offsets_as_text(kind.default_offsets),
                                              "inputmode": "text", "autocomplete": "off"}))

    def offsets(self) -> dict[str, list[int]]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}
