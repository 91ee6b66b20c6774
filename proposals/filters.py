"""The staff review queue's filters, shared by the page, its CSV export and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Borough, Stratum
from nicp.relations import NOT_FOUND
from nicp.search import MAX_QUERY_LENGTH, TRIGRAM, text_matches
from proposals.models import Call, Modality, ProjectType, Proposal
from proposals.workflow import ProposalState

SORTS = {
    "recientes": ("-submitted_at", "-id"),
    "antiguas": ("submitted_at", "id"),
    "folio": ("folio", "id"),
    "monto": ("-budget_total", "id"),
    "estrato": ("neighbourhood__stratum", "submitted_at", "id"),
}

SORT_LABELS = {"recientes": _("Más recientes"), "antiguas": _("Más antiguas"), "folio": _("Por folio"),
               "monto": _("Mayor monto"), "estrato": _("Por estrato")}


def text_search(queryset, value):
    """A folio exactly, or part of the project's, group's or territorial unit's name, ignoring case and accents
    (nicp.search). The matching ids are the union of one index-served select per arm (folios are stored upper
    case; groups and units are matched in their own small tables): an OR of the four in one WHERE would read
    every proposal, as the planner cannot tell how many a group or unit name brings."""
    from accounts.models import CommunityGroup
    from neighbourhoods.models import Neighbourhood

    value = value.strip()
    if not value:
        return queryset
    groups = CommunityGroup.objects.filter(text_matches(value, "name")).order_by().values("pk")
    units = Neighbourhood.objects.filter(text_matches(value, "name")).order_by().values("pk")
    arms = [Q(folio=value.upper()), text_matches(value, "title"), Q(group__in=groups), Q(neighbourhood__in=units)]
    if len(value) < TRIGRAM:
        # No trigram index serves one or two letters: a plain OR lets the queue stop at its first page.
        return queryset.filter(arms[0] | arms[1] | arms[2] | arms[3])
    first, *others = (Proposal.objects.filter(arm).order_by().values("pk") for arm in arms)
    return queryset.filter(pk__in=first.union(*others))


class ReviewQueueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Folio, proyecto, grupo o unidad territorial"), method="filter_text",
                                  max_length=MAX_QUERY_LENGTH)
    call = django_filters.ModelChoiceFilter(label=_("Convocatoria"), queryset=Call.objects.all())
    borough = django_filters.ModelChoiceFilter(label=_("Alcaldía"), field_name="neighbourhood__borough",
                                               queryset=Borough.objects.all(), to_field_name="inegi_code")
    neighbourhood = django_filters.CharFilter(label=_("Clave de unidad territorial"), field_name="neighbourhood__key")
    stratum = django_filters.ChoiceFilter(label=_("Estrato"), field_name="neighbourhood__stratum",
                                          choices=Stratum.choices)
    project_type = django_filters.ChoiceFilter(label=_("Tipo de proyecto"), choices=ProjectType.choices)
    modality = django_filters.ChoiceFilter(label=_("Modalidad"), choices=Modality.choices)
    status = django_filters.ChoiceFilter(label=_("Estado"), choices=ProposalState.choices)
    sort = django_filters.ChoiceFilter(label=_("Orden"), choices=list(SORT_LABELS.items()), method="filter_sort",
                                       empty_label=None)

    class Meta:
        model = Proposal
        fields = ["q", "call", "borough", "neighbourhood", "stratum", "project_type", "modality", "status"]

    def filter_text(self, queryset, name, value):
        return text_search(queryset, value)

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["recientes"]))

    def without_status(self):
        """The same filters but the state, for the counts per state shown beside the list."""
        data = self.data.copy()
        data.pop("status", None)
        return ReviewQueueFilter(data, queryset=self.queryset).qs


def _visible_calls(request):
    return Call.objects.visible_to(getattr(request, "user", None))


def _visible_groups(request):
    from accounts.models import CommunityGroup

    return CommunityGroup.objects.visible_to(getattr(request, "user", None))


class ProposalFilter(django_filters.FilterSet):
    """The API list's filters: a call or group id is looked up among those the person sees, so an id that
    exists but is not theirs answers like one that does not exist."""

    call = django_filters.ModelChoiceFilter(queryset=_visible_calls, error_messages={"invalid_choice": NOT_FOUND})
    group = django_filters.ModelChoiceFilter(queryset=_visible_groups, error_messages={"invalid_choice": NOT_FOUND})
    status = django_filters.ChoiceFilter(choices=ProposalState.choices)
    q = django_filters.CharFilter(method="filter_text", max_length=MAX_QUERY_LENGTH,
                                  help_text=_("Un folio, o parte del nombre del proyecto, del grupo o de la unidad "
                                              "territorial (sin importar mayúsculas ni acentos): como en la cola "
                                              "de revisión."))

    class Meta:
        model = Proposal
        fields = ["call", "status", "group", "q"]

    def filter_text(self, queryset, name, value):
        return text_search(queryset, value)
