import django_filters

from neighbourhoods.models import Neighbourhood, NeighbourhoodKind, Stratum


class NeighbourhoodFilter(django_filters.FilterSet):
    borough = django_filters.CharFilter(field_name="borough__inegi_code", label="INEGI borough code, e.g. 010")
    stratum = django_filters.ChoiceFilter(choices=Stratum.choices)
    kind = django_filters.ChoiceFilter(choices=NeighbourhoodKind.choices)
    name = django_filters.CharFilter(method="filter_name", label="Name or key, accents optional")

    class Meta:
        model = Neighbourhood
        fields = ["borough", "stratum", "kind", "name"]

    def filter_name(self, queryset, name, value):
        return queryset.search(value)
