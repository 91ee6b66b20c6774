from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("pedir/", views.report_request, name="request"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/estado/", views.report_status, name="status"),
    path("<int:pk>/descargar/", views.report_download, name="download"),
    path("<int:pk>/reintentar/", views.report_retry, name="retry"),
]
