from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from neighbourhoods.api.filters import NeighbourhoodFilter
from neighbourhoods.api.serializers import BoroughSerializer, NeighbourhoodSerializer
from neighbourhoods.models import Borough, Neighbourhood
from nicp.readonly import ReadOnlyRolesPermission


class BoroughViewSet(viewsets.ReadOnlyModelViewSet):
    """The 16 boroughs (alcaldías). Public."""

    queryset = Borough.objects.all()
    serializer_class = BoroughSerializer
    permission_classes = [AllowAny, ReadOnlyRolesPermission]
    pagination_class = None
    lookup_field = "inegi_code"


class NeighbourhoodViewSet(viewsets.ReadOnlyModelViewSet):
    """Territorial units. Public. Filter by borough (INEGI code), stratum, kind and name."""

    serializer_class = NeighbourhoodSerializer
    permission_classes = [AllowAny, ReadOnlyRolesPermission]
    filterset_class = NeighbourhoodFilter
    search_fields = []  # name search goes through the accent-folding `name` filter
    ordering_fields = ["name", "key", "population"]
    lookup_field = "key"
    lookup_value_regex = r"\d{2}-\d{3}"

    def get_queryset(self):
        return Neighbourhood.objects.visible_to(self.request.user).for_list()
