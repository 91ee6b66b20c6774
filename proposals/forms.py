from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import NeighbourhoodChoiceField
from accounts.models import CommunityGroup, User
from accounts.roles import StaffRole
from neighbourhoods.models import Stratum
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
from proposals.services.calls import CALL_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VersionedForm(forms.Form):
    """Carries the version the person loaded, so a stale save is refused instead of overwriting."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CallForm(forms.ModelForm):
    eligible_project_types = forms.MultipleChoiceField(label=_("Tipos de proyecto elegibles"),
                                                       choices=ProjectType.choices,
                                                       widget=forms.CheckboxSelectMultiple)
    priority_strata = forms.MultipleChoiceField(label=_("Estratos con prioridad"), choices=Stratum.choices,
                                                widget=forms.CheckboxSelectMultiple, required=False)
    required_attachment_kinds = forms.MultipleChoiceField(label=_("Anexos obligatorios"),
                                                          choices=AttachmentKind.choices,
                                                          widget=forms.CheckboxSelectMultiple, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("Motivo del cambio (obligatorio si la convocatoria ya está publicada)"),
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Call
        fields = CALL_FIELDS
        widgets = {name: DateInput() for name in CALL_FIELDS if name.endswith(("_on", "_deadline", "_date"))}
        widgets |= {"summary": forms.Textarea(attrs={"rows": 3}), "excluded_works": forms.Textarea(attrs={"rows": 4})}


class ModalityForm(forms.Form):
    modality = forms.ChoiceField(label=_("Modalidad"), choices=[("", "---------"), *Modality.choices])
    min_amount = forms.DecimalField(label=_("Monto mínimo (MXN)"), min_value=0, max_digits=12, decimal_places=2)
    max_amount = forms.DecimalField(label=_("Monto máximo (MXN)"), min_value=1, max_digits=12, decimal_places=2)


class TrancheForm(forms.Form):
    number = forms.IntegerField(label=_("Ministración"), min_value=1)
    share_percent = forms.DecimalField(label=_("Porcentaje"), min_value=1, max_value=100, decimal_places=2)
    progress_required_percent = forms.IntegerField(label=_("Avance requerido (%)"), min_value=0, max_value=100,
                                                   initial=0)
    previous_spending_verified = forms.BooleanField(label=_("Requiere comprobar la anterior"), required=False)


class RubricForm(forms.Form):
    name = forms.CharField(label=_("Criterio"), max_length=200)
    weight = forms.DecimalField(label=_("Peso (%)"), min_value=0, max_value=100, decimal_places=2)
    computed = forms.ChoiceField(label=_("Cálculo"), choices=RubricCriterion.Computed.choices, required=False)


ModalityFormSet = forms.formset_factory(ModalityForm, extra=2, max_num=2, can_delete=True)
TrancheFormSet = forms.formset_factory(TrancheForm, extra=1, max_num=6, can_delete=True)
RubricFormSet = forms.formset_factory(RubricForm, extra=2, max_num=12, can_delete=True)


class CallDocumentForm(forms.Form):
    title = forms.CharField(label=_("Título del documento"), max_length=200)
    file = forms.FileField(label=_("Archivo PDF"))


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
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Proposal
        fields = ["neighbourhood", "address", "latitude", "longitude"]
        help_texts = {"latitude": _("Opcional. Punto del sitio en el mapa, p. ej. 19.357800"),
                      "longitude": _("Opcional, p. ej. -99.092400")}


class ProjectForm(ActorBoundForm, forms.ModelForm):
    continuation_of = ChoosableModelChoiceField(
        model=Proposal, choosable=lambda actor, form: Proposal.objects.continuable_by(actor, form.instance),
        label=_("Proyecto que continúa"), required=False, help_text=_("Solo si la modalidad es continuación."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Proposal
        fields = ["title", "project_type", "modality", "continuation_of", "population_benefited", "diagnosis",
                  "objectives", "description"]
        widgets = {f: forms.Textarea(attrs={"rows": 5}) for f in ("diagnosis", "objectives", "description")}

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        eligible = set(call.eligible_project_types)
        self.fields["project_type"].choices = [("", "---------")] + [
            (code, label) for code, label in ProjectType.choices if code in eligible]
        offered = set(call.modalities.values_list("modality", flat=True))
        self.fields["modality"].choices = [(c, label) for c, label in Modality.choices if c in offered]


class ScheduleForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Proposal
        fields = ["schedule"]
        widgets = {"schedule": forms.Textarea(attrs={"rows": 8})}


class BudgetLineForm(forms.Form):
    chapter = forms.ChoiceField(label=_("Capítulo"), choices=[("", "---------"), *BudgetChapter.choices])
    concept = forms.CharField(label=_("Concepto"), max_length=250)
    unit = forms.CharField(label=_("Unidad"), max_length=40)
    quantity = forms.DecimalField(label=_("Cantidad"), min_value=0.01, max_digits=12, decimal_places=2)
    unit_price = forms.DecimalField(label=_("Precio unitario (MXN)"), min_value=0, max_digits=12, decimal_places=2)


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=3, max_num=200, can_delete=True)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo de anexo"), choices=[("", "---------"), *AttachmentKind.choices])
    file = forms.FileField(label=_("Archivo (PDF, JPEG, PNG o WEBP)"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ActionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Nota"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StaffActionForm(ActionForm):
    """A coordinator's action on a proposal, with what returning or rejecting needs."""

    correction_deadline = forms.DateField(label=_("Fecha límite para corregir"), required=False, widget=DateInput())
    reason_code = forms.ChoiceField(label=_("Motivo"), required=False,
                                    choices=[("", "---------"), *IneligibilityReason.choices])


class BatchForm(ActorBoundForm, forms.Form):
    action = forms.ChoiceField(label=_("Acción para las seleccionadas"),
                               choices=[("accept", _("Declarar elegibles")), ("assign", _("Asignar revisión técnica"))])
    reviewer = ChoosableModelChoiceField(model=User, choosable=technical_reviewers, label=_("Persona revisora"),
                                         required=False, empty_label="---------")


class ReviewerAssignForm(ActorBoundForm, forms.Form):
    reviewer = ChoosableModelChoiceField(model=User, choosable=technical_reviewers, label=_("Persona revisora"),
                                         empty_label="---------")


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comentario interno (no lo ve el grupo)"), widget=forms.Textarea(attrs={"rows": 2}))


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AssemblyScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(label=_("Fecha y hora (Ciudad de México)"), widget=DateTimeInput(),
                                       input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=_("Lugar"), max_length=300)
    convened_by = forms.CharField(label=_("Convoca"), max_length=200)


class AssemblyRecordForm(forms.Form):
    attendees = forms.IntegerField(label=_("Asistentes"), min_value=0)
    votes_for = forms.IntegerField(label=_("Votos a favor"), min_value=0)
    votes_against = forms.IntegerField(label=_("Votos en contra"), min_value=0)
    abstentions = forms.IntegerField(label=_("Abstenciones"), min_value=0)
    minutes = forms.FileField(label=_("Acta (PDF o imagen)"))
    attendance_list = forms.FileField(label=_("Lista de asistencia (opcional)"), required=False)
    observations = forms.CharField(label=_("Observaciones"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    """The feasibility review: one yes/no/n.a. answer and note per checklist item, then the verdict."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    adjusted_cost = forms.DecimalField(label=_("Costo ajustado (MXN)"), required=False, min_value=0, max_digits=14,
                                       decimal_places=2)
    site_visit_on = forms.DateField(label=_("Fecha de la visita al sitio"), required=False, widget=DateInput())
    result = forms.ChoiceField(label=_("Resultado"), required=False,
                               choices=[("", "---------"), *ReviewResult.choices])
    observations = forms.CharField(label=_("Observaciones para el grupo"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    reasons = forms.CharField(label=_("Motivos (obligatorios si no es factible)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    internal_notes = forms.CharField(label=_("Notas internas"), required=False,
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

    def review_data(self) -> dict:
        data = {f: self.cleaned_data[f] for f in ("adjusted_cost", "site_visit_on", "result", "observations",
                                                   "reasons", "internal_notes")}
        data["checklist"] = {code: {"answer": self.cleaned_data[f"answer_{code}"],
                                    "note": self.cleaned_data[f"note_{code}"]} for code in CHECKLIST}
        return data


class ReviewPhotoForm(forms.Form):
    file = forms.FileField(label=_("Foto de la visita (JPEG, PNG o WEBP)"))
