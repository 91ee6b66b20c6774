"""Open data: /datos/ (the index), its data dictionary, and the files."""

from django.urls import path

from reports.opendata import pages, views

app_name = "opendata"
urlpatterns = [
    path("datos/", pages.index, name="index"),
    path("datos/diccionario/", pages.dictionary, name="dictionary"),
    path("datos/<str:filename>", views.download, name="download"),
]
