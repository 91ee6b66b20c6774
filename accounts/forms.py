from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from accounts.models import CommunityGroup, User
from neighbourhoods.models import Neighbourhood


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

    def __init__(self, **kwargs):
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


class HandOverForm(forms.Form):
    new_representative = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Nueva persona representante"))

    def __init__(self, *args, group: CommunityGroup, exclude: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_representative"].queryset = (
            User.objects.filter(memberships__group=group).exclude(pk=exclude.pk).order_by("full_name", "email")
        )


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Nombre completo"), max_length=200, required=False)
    phone = forms.CharField(label=_("Teléfono"), max_length=30, required=False)


class ClosureRequestForm(forms.Form):
    reason = forms.CharField(label=_("Motivo (opcional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
