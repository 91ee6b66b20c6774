from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api.views import TokenView
from neighbourhoods.api.views import BoroughViewSet, NeighbourhoodViewSet

router = DefaultRouter()
router.register("boroughs", BoroughViewSet, basename="borough")
router.register("neighbourhoods", NeighbourhoodViewSet, basename="neighbourhood")

app_name = "api"
urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    *router.urls,
]
