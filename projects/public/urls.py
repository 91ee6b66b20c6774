"""The public pages of funded projects and the programme's statistics: no account needed."""

from django.urls import path

from projects.public.views import detail, listing, statistics

app_name = "public"
urlpatterns = [
    path("proyectos/", listing.project_list, name="project_list"),
    path("proyectos/mapa/", listing.project_map, name="project_map"),
    path("proyectos/mapa.geojson", listing.project_geojson, name="project_geojson"),
    path("proyectos/<str:code>/", detail.project_page, name="project"),
    path("proyectos/<str:code>/fotos/<int:photo_pk>/", detail.photo, name="photo"),
    path("proyectos/<str:code>/gastos/<int:expense_pk>/comprobante/", detail.receipt, name="receipt"),
    path("proyectos/<str:code>/documentos/<slug:kind>/", detail.document, name="document"),
    path("estadisticas/", statistics.page, name="statistics"),
    path("estadisticas/<slug:table>.csv", statistics.table_csv, name="statistics_csv"),
]
