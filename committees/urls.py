from django.urls import path

from committees import views

app_name = "committees"
urlpatterns = [
    path("comites/", views.index, name="index"),
    path("comites/<int:call_pk>/", views.home, name="home"),
    path("comites/<int:call_pk>/integrar/", views.committee_set, name="committee_set"),
    path("comites/<int:call_pk>/integrantes/", views.member_add, name="member_add"),
    path("comites/<int:call_pk>/integrantes/<int:member_pk>/quitar/", views.member_remove, name="member_remove"),
    path("comites/<int:call_pk>/preseleccionar/", views.shortlist, name="shortlist"),
    path("comites/<int:call_pk>/propuestas/<int:pk>/", views.score, name="score"),
    path("comites/<int:call_pk>/propuestas/<int:pk>/excusa/", views.recuse, name="recuse"),
    path("comites/<int:call_pk>/sesion/", views.session_page, name="session"),
    path("comites/<int:call_pk>/sesion/cambio/", views.selection_change, name="selection_change"),
    path("comites/<int:call_pk>/sesion/voto/", views.vote, name="vote"),
    path("comites/<int:call_pk>/sesion/cerrar/", views.session_close, name="session_close"),
    path("comites/<int:call_pk>/sesion/acta.pdf", views.minutes, name="minutes"),
    path("comites/<int:call_pk>/publicar/", views.publish, name="publish"),
    path("convocatorias/<int:call_pk>/resultados/", views.results, name="results"),
    path("convocatorias/<int:call_pk>/resultados.csv", views.results_csv, name="results_csv"),
    path("convocatorias/<int:call_pk>/resultados/<int:pk>/", views.result_detail, name="result_detail"),
]
