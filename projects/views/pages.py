"""Project pages (list, detail, elections, committees). Placeholders until the pages land."""

from django.http import HttpResponse
from django.urls import path


def placeholder(request, *args, **kwargs):
    return HttpResponse(status=404)


urlpatterns = [
    path("<int:pk>/", placeholder, name="detail"),
    path("invitacion/<str:token>/", placeholder, name="seat_accept"),
]
