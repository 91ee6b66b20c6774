"""Forms and the list's filters of the funded-project pages. Rules live in the services: these only parse
what was typed, so each service error can be put back next to its field."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Borough
from nicp import bounds
from nicp.bounded_forms import CountField, PlausibleDateTimeField, VersionField
from nicp.choices import with_empty
from projects.models import CommitteeKind, Project, SeatPosition
from projects.workflow import ProjectState
from proposals.forms import ACCEPT_PDF, DateTimeInput
from proposals.models import Call


class ProjectFilter(django_filters.FilterSet):
    """The project list's filters; kept in the URL so a filtered list can be shared and paged."""

    # Both nouns are feminine: «— Todas —».
    call = django_filters.ModelChoiceFilter(label=_("Convocatoria"), queryset=Call.objects.order_by("-fiscal_year"),
                                            empty_label=_("— Todas —"))
    borough = django_filters.ModelChoiceFilter(label=_("Alcaldía"), field_name="neighbourhood__borough",
                                               queryset=Borough.objects.order_by("name"), to_field_name="inegi_code",
                                               empty_label=_("— Todas —"))
    status = django_filters.ChoiceFilter(label=_("Estado"), choices=ProjectState.choices)
    mine = django_filters.BooleanFilter(label=_("Solo los que requieren mi acción"), method="filter_mine",
                                        widget=forms.CheckboxInput)

    class Meta:
        model = Project
        fields = ["call", "borough", "status", "mine"]

    def filter_mine(self, queryset, name, value):
        return queryset.needing_action_of(self.request.user) if value else queryset

    def without_status(self):
        """The same filters but the state: what the counts per state are taken from."""
        rows = self.queryset
        for name, value in self.form.cleaned_data.items():
            if name != "status":
                rows = self.filters[name].filter(rows, value)
        return rows


class ElectionScheduleForm(forms.Form):
    scheduled_at = PlausibleDateTimeField(label=_("Fecha y hora (Ciudad de México)"), widget=DateTimeInput(),
                                          input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=_("Lugar"), max_length=300)
    version = VersionField()


class ElectionRecordForm(forms.Form):
    attendees = CountField(label=_("Asistentes"))
    votes_for = CountField(label=_("Votos a favor de la planilla"), required=False)
    votes_against = CountField(label=_("Votos en contra"), required=False)
    abstentions = CountField(label=_("Abstenciones"), required=False)
    minutes = forms.FileField(label=_("Acta de la asamblea (PDF)"), required=False,
                              widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_PDF}))
    observations = forms.CharField(label=_("Observaciones"), required=False, max_length=bounds.NOTE_MAX,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField()


class SlateRowForm(forms.Form):
    """One elected person; the committee is fixed by the row's place in the slate."""

    committee = forms.ChoiceField(choices=CommitteeKind.choices, widget=forms.HiddenInput)
    full_name = forms.CharField(label=_("Nombre completo"), max_length=200, required=False)
    email = forms.EmailField(label=_("Correo electrónico"), max_length=254, required=False)
    position = forms.ChoiceField(label=_("Cargo"), choices=with_empty(SeatPosition.choices), required=False)


def slate_forms(data, per_committee: int) -> list[tuple[str, list[SlateRowForm]]]:
    """`per_committee` rows for each of the three committees, prefixed so every row keeps what was typed."""
    groups = []
    for kind in CommitteeKind:
        rows = [SlateRowForm(data, prefix=f"{kind.value}-{i}", initial={"committee": kind.value})
                for i in range(per_committee)]
        groups.append((kind.label, rows))
    return groups


class SeatReplaceForm(forms.Form):
    full_name = forms.CharField(label=_("Nombre completo de la nueva persona"), max_length=200)
    email = forms.EmailField(label=_("Correo electrónico de la nueva persona"), max_length=254)
    position = forms.ChoiceField(label=_("Cargo"), choices=with_empty(SeatPosition.choices), required=False,
                                 help_text=_("Vacío: el mismo cargo de la persona que sale."))
    reason = forms.CharField(label=_("Motivo del cambio"), max_length=bounds.NOTE_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Queda en el historial del proyecto."))


class ProjectActionForm(forms.Form):
    """One coordination action; its code travels apart (`action`), since each form on the page is prefixed
    by its action."""

    note = forms.CharField(label=_("Motivo o nota"), required=False, max_length=bounds.NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField()
