from django import forms
from django.conf import settings
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from accounts.models import CommunityGroup, User
from neighbourhoods.models import Neighbourhood
from nicp.choices import EMPTY_LABEL
from nicp.relations import NOT_FOUND, ActorBoundForm, ChoosableModelChoiceField


class BoroughGroupedChoices(ModelChoiceIterator):
    """Options grouped by borough, built lazily when the select is rendered."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        grouped: dict[str, list] = {}
        for unit in self.queryset:
            grouped.setdefault(unit.borough.name, []).append(self.choice(unit))
        yield from grouped.items()


class NeighbourhoodChoiceField(forms.ModelChoiceField):
    """A select grouped by borough: works without JavaScript and lets the keyboard type to find."""

    iterator = BoroughGroupedChoices
    default_error_messages = {"invalid_choice": NOT_FOUND}

    def __init__(self, **kwargs):
        kwargs.setdefault("empty_label", EMPTY_LABEL)
        super().__init__(queryset=Neighbourhood.objects.for_list().order_by("borough__name", "name"), **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.key})"


class CommunityGroupForm(forms.ModelForm):
    neighbourhood = NeighbourhoodChoiceField(label=_("Unidad territorial"))

    class Meta:
        model = CommunityGroup
        fields = ["name", "kind", "neighbourhood", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Correo electrónico de la persona invitada"))


def other_members(actor, form):
    """Whom a representative may hand over to: the other members of the group, and only of it."""
    return User.objects.filter(memberships__group=form.group).exclude(pk=actor.pk).order_by("full_name", "email")


class HandOverForm(ActorBoundForm, forms.Form):
    new_representative = ChoosableModelChoiceField(model=User, choosable=other_members,
                                                   label=_("Nueva persona representante"))

    def __init__(self, *args, group: CommunityGroup, exclude: User, **kwargs):
        self.group = group
        super().__init__(*args, actor=exclude, **kwargs)


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Nombre completo"), max_length=200, required=False)
    phone = forms.CharField(label=_("Teléfono"), max_length=30, required=False)


class ClosureRequestForm(forms.Form):
    reason = forms.CharField(label=_("Motivo (opcional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PreferencesForm(forms.Form):
    """Language of e-mails and notices; the non-essential reminders, checked = received."""

    language = forms.ChoiceField(label=_("Idioma de tus correos y avisos"), choices=settings.LANGUAGES,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": _("Elige el idioma de tus correos."),
                                                 "invalid_choice": _("Elige español o inglés.")})
    reminders = forms.MultipleChoiceField(
        label=_("Recordatorios que quieres recibir"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Desmarca los que no quieras recibir por correo ni como aviso."),
        error_messages={"invalid_choice": _("Elige solo recordatorios de la lista.")})

    def __init__(self, *args, optional_kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.optional_codes = [code for code, _label in optional_kinds]
        self.fields["reminders"].choices = optional_kinds

    def reminders_off(self) -> list[str]:
        return [code for code in self.optional_codes if code not in self.cleaned_data["reminders"]]
