from django.urls import path

from neighbourhoods import views

app_name = "territory"
urlpatterns = [
    path("", views.borough_list, name="borough_list"),
    path("alcaldias/<str:inegi_code>/", views.borough_detail, name="borough_detail"),
    path("unidades/<str:key>/", views.neighbourhood_detail, name="neighbourhood_detail"),
]
