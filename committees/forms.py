from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import StaffRole
from committees.confirmations import SUBMIT_SCORES
from committees.models import Outcome, Sector, UnscoredRule, Vote
from committees.scoring import level_choices, weight_percent
from nicp import bounds
from nicp.bounded_forms import BoundedMultipleChoiceField, PlausibleDateField, RecordIdField, VersionField
from nicp.confirm import confirm_field
from nicp.relations import NOT_FOUND, ActorBoundForm, ChoosableModelChoiceField


def secretary_candidates(_actor, _form=None):
    """Only active people who hold the Committee secretary role (never the read-only auditor)."""
    return (User.objects.filter(is_active=True, groups__name=StaffRole.COMMITTEE_SECRETARY)
            .exclude(groups__name=StaffRole.AUDITOR).distinct().order_by("full_name", "email"))


class CommitteeForm(ActorBoundForm, forms.Form):
    secretary = ChoosableModelChoiceField(model=User, choosable=secretary_candidates,
                                          label=_("Secretaría del Comité"))
    # Not required: a form that leaves it out keeps the rule in force.
    unscored_rule = forms.ChoiceField(label=_("Si al abrir la sesión falta calificar"), choices=UnscoredRule.choices,
                                      initial=UnscoredRule.ALLOW_WITH_DECISION, widget=forms.RadioSelect,
                                      required=False)
    min_score_sheets = forms.IntegerField(
        label=_("Mínimo de hojas de calificación por propuesta"), required=False, min_value=1,
        max_value=bounds.MAX_PRESENT_MEMBERS,
        help_text=_("Vacío: la mayoría de las personas integrantes que pueden calificarla."))


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("Correo electrónico"))
    full_name = forms.CharField(label=_("Nombre completo"), max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    institution = forms.CharField(label=_("Institución"), max_length=200)


class RecusalForm(forms.Form):
    reason = forms.CharField(label=_("Conflicto de interés (motivo de la excusa)"), max_length=bounds.NOTE_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ScoreForm(forms.Form):
    """One 1–5 score and a comment per criterion the members score; computed ones are shown, not asked."""

    version = VersionField()

    def __init__(self, *args, rubric, sheet=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = [c for c in rubric if not c.computed]
        saved = sheet.scores if sheet else {}
        self.fields["version"].initial = sheet.version if sheet else None
        for criterion in self.rubric:
            entry = saved.get(str(criterion.pk)) or {}
            self.fields[f"value_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.name} ({weight_percent(criterion.weight)})", required=False, coerce=int,
                empty_value=None, choices=[("", _("Sin calificar")), *level_choices()], initial=entry.get("value"),
                widget=forms.RadioSelect)
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comentario"), required=False, max_length=1000, initial=entry.get("comment", ""),
                widget=forms.Textarea(attrs={"rows": 2}))

        self.fields["confirm"] = confirm_field(SUBMIT_SCORES)

    def rows(self):
        return [(self[f"value_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.rubric]

    def values(self) -> dict:
        return {str(c.pk): {"value": self.cleaned_data.get(f"value_{c.pk}"),
                            "comment": self.cleaned_data.get(f"comment_{c.pk}", "")} for c in self.rubric}


class SessionOpenForm(forms.Form):
    held_on = PlausibleDateField(label=_("Fecha de la sesión"), widget=forms.DateInput(attrs={"type": "date"}))
    # Choices are this Committee's seats only; any other id, missing or not, gets the same answer.
    present = BoundedMultipleChoiceField(label=_("Integrantes presentes"), widget=forms.CheckboxSelectMultiple,
                                         required=False, max_choices=bounds.MAX_PRESENT_MEMBERS,
                                         error_messages={"invalid_choice": NOT_FOUND})

    unscored_decision = forms.CharField(
        label=_("Decisión del Comité sobre las calificaciones pendientes"), required=False,
        max_length=bounds.NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Solo si falta calificar: por qué se abre la sesión así. Queda en el registro y en el acta."))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(m.pk, f"{m.user.get_full_name()} — {m.get_sector_display()}")
                                          for m in members]


class SelectionChangeForm(forms.Form):
    proposal = RecordIdField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Nuevo resultado"), choices=Outcome.choices)
    reason = forms.CharField(label=_("Motivo del cambio"), max_length=1000)


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Tu voto sobre la lista final"), choices=Vote.Choice.choices,
                               widget=forms.RadioSelect)
