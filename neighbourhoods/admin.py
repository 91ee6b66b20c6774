from django.contrib import admin

from neighbourhoods.models import Borough, Neighbourhood, SocialIndexMeasure


@admin.register(Borough)
class BoroughAdmin(admin.ModelAdmin):
    list_display = ["name", "inegi_code", "iecm_number"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "kind", "borough", "population", "stratum"]
    list_filter = ["borough", "kind", "stratum"]
    search_fields = ["key", "name", "official_name"]


@admin.register(SocialIndexMeasure)
class SocialIndexMeasureAdmin(admin.ModelAdmin):
    list_display = ["neighbourhood", "year", "value", "stratum", "source"]
    list_filter = ["year", "stratum"]
    raw_id_fields = ["neighbourhood"]
