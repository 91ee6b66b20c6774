"""The public listing's questions, shared by the listing page, the map's GeoJSON, the public API and the
open-data downloads, so a shared link filters the same set everywhere. Every value is checked: an unknown
choice is a clear error, never silently ignored."""

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Borough, Neighbourhood, Stratum
from nicp.search import MAX_QUERY_LENGTH, title_search
from projects.workflow import ProjectState
from proposals.models.calls import ProjectType

SORTS = {
    "recientes": (_("Más recientes"), ("-id",)),
    "monto": (_("Mayor monto aprobado"), ("-approved_amount", "-id")),
    "avance": (_("Mayor avance físico"), (F("physical_progress").desc(), "-id")),
}
DEFAULT_SORT = "recientes"


class YearFilter(django_filters.NumberFilter):
    """A whole year: 2025.5 is refused, not read as «no year»."""

    field_class = forms.IntegerField


class PublicProjectFilter(django_filters.FilterSet):
    year = YearFilter(field_name="call__fiscal_year", label=_("Año"), min_value=2007, max_value=2100)
    borough = django_filters.ModelChoiceFilter(
        field_name="neighbourhood__borough", queryset=Borough.objects.all(), to_field_name="inegi_code",
        label=_("Alcaldía"), empty_label=_("Todas"),
        error_messages={"invalid_choice": _("No hay una alcaldía con esa clave.")})
    unit = django_filters.ModelChoiceFilter(
        field_name="neighbourhood", queryset=Neighbourhood.objects.all(), to_field_name="key",
        label=_("Unidad territorial (clave)"), widget=forms.TextInput(attrs={"placeholder": "07-123"}),
        error_messages={"invalid_choice": _("No hay una unidad territorial con esa clave (formato 07-123).")})
    type = django_filters.ChoiceFilter(field_name="proposal__project_type", choices=ProjectType.choices,
                                       label=_("Tipo de proyecto"), empty_label=_("Todos"))
    status = django_filters.ChoiceFilter(choices=ProjectState.choices, label=_("Estado"), empty_label=_("Todos"))
    stratum = django_filters.ChoiceFilter(field_name="neighbourhood__stratum", choices=Stratum.choices,
                                          label=_("Estrato de desarrollo social"), empty_label=_("Todos"))
    q = django_filters.CharFilter(method="filter_search", label=_("Buscar por título o clave"),
                                  max_length=MAX_QUERY_LENGTH)
    sort = django_filters.ChoiceFilter(choices=[(k, v[0]) for k, v in SORTS.items()], method="filter_sort",
                                       label=_("Ordenar por"), empty_label=None)

    class Meta:
        fields = ["year", "borough", "unit", "type", "status", "stratum", "q", "sort"]

    def filter_search(self, queryset, name, value):
        # A code may be typed in part («0004», «2025-0004»); a title without its accents («salon»).
        return title_search(queryset, value, fields=("title", "code"))

    def filter_sort(self, queryset, name, value):
        return queryset  # applied by `ordered`, after every filter

    @property
    def ordering(self):
        chosen = self.form.cleaned_data.get("sort") if self.form.is_valid() else None
        return SORTS[chosen or DEFAULT_SORT][1]

    @property
    def qs(self):
        return super().qs.order_by(*self.ordering)
