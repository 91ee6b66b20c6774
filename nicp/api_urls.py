from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api.views import LogoutAllView, LogoutView, OwnTokensView, OwnTokenView, TokenView
from committees.api.views import CallResultsView, CommitteeViewSet
from neighbourhoods.api.views import BoroughViewSet, NeighbourhoodViewSet
from projects.api import public_views
from projects.api.execution_views import (
    ExpenseViewSet,
    ProjectExpenseViewSet,
    ProjectLogbookViewSet,
    ProjectObservationViewSet,
    ProjectReportViewSet,
    ProjectVisitViewSet,
)
from projects.api.views import ProjectViewSet
from proposals.api.views import CallViewSet, ProposalViewSet

router = DefaultRouter()
router.register("boroughs", BoroughViewSet, basename="borough")
router.register("neighbourhoods", NeighbourhoodViewSet, basename="neighbourhood")
router.register("calls", CallViewSet, basename="call")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("committees", CommitteeViewSet, basename="committee")
router.register("projects", ProjectViewSet, basename="project")
# The works stage (issue #11): a project's records under its own URL, every expense under /expenses/.
router.register("expenses", ExpenseViewSet, basename="expense")
PROJECT = r"projects/(?P<project_pk>\d+)"
router.register(f"{PROJECT}/expenses", ProjectExpenseViewSet, basename="project-expense")
router.register(f"{PROJECT}/reports", ProjectReportViewSet, basename="project-report")
router.register(f"{PROJECT}/logbook", ProjectLogbookViewSet, basename="project-logbook")
router.register(f"{PROJECT}/visits", ProjectVisitViewSet, basename="project-visit")
router.register(f"{PROJECT}/observations", ProjectObservationViewSet, basename="project-observation")

app_name = "api"
urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/tokens/", OwnTokensView.as_view(), name="tokens"),
    path("auth/tokens/<str:prefix>/", OwnTokenView.as_view(), name="token-revoke"),
    path("auth/logout/", LogoutView.as_view(), name="logout"),
    path("auth/logout-all/", LogoutAllView.as_view(), name="logout-all"),
    path("calls/<int:pk>/results/", CallResultsView.as_view(), name="call-results"),
    # The public read API (issue 13): public fields only, no account, cursor pagination.
    path("public/projects/", public_views.public_projects, name="public-projects"),
    path("public/projects/<str:code>/", public_views.public_project, name="public-project"),
    *router.urls,
]
