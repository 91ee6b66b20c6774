from django.http import HttpResponse
from django.urls import path


def placeholder(request, *args, **kwargs):  # replaced by the pages
    return HttpResponse(status=404)


urlpatterns = [
    path("<int:pk>/", placeholder, name="detail"),
    path("invitacion/<str:token>/", placeholder, name="seat_accept"),
]
