from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("leidos/", views.mark_all_read, name="mark_all_read"),
    path("recordatorios/", views.reminders, name="reminders"),
]
