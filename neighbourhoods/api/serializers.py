from rest_framework import serializers

from neighbourhoods.models import Borough, Neighbourhood


class BoroughSerializer(serializers.ModelSerializer):
    class Meta:
        model = Borough
        fields = ["id", "inegi_code", "iecm_number", "name"]


class NeighbourhoodSerializer(serializers.ModelSerializer):
    borough = BoroughSerializer(read_only=True)

    class Meta:
        model = Neighbourhood
        fields = ["id", "key", "name", "official_name", "kind", "borough", "population", "stratum",
                  "stratum_year", "latitude", "longitude"]
