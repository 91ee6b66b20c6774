"""Funded projects in the API: the same read paths (Project.objects.visible_to) and services as the pages.
Missing and not visible answer alike (404); a refused step answers with the service's reason."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.roles import roles_of
from nicp import confirm
from nicp.api_services import run_service
from nicp.readonly import ReadOnlyRolesPermission
from projects import permissions, services
from projects.api.execution_views import ProjectClosureActions
from projects.api.filters import ProjectFilter
from projects.api.serializers import (
    CommitteeSeatSerializer,
    ProjectDetailSerializer,
    ProjectEventSerializer,
    ProjectSerializer,
    ProjectTransitionSerializer,
    TrancheSerializer,
    TrancheTransitionSerializer,
)
from projects.models import Project
from projects.querysets import PROJECT_READER_ROLES
from projects.workflow import ProjectAction

# Who may take any step on a project's tranches (each step is then checked by the service): someone who
# can take none gets 403 whatever the body, rather than a 400 about fields they could never use.
may_act_on_tranches = (permissions.can_request_tranche | permissions.can_manage_project
                       | permissions.can_handle_money)

# The refusals every write may answer, for the schema (the body says why, in Spanish).
REFUSALS = {
    400: OpenApiResponse(description="Datos incompletos o un paso que no procede: los mensajes dicen qué falta."),
    403: OpenApiResponse(description="Tu papel no puede dar este paso (o es de solo lectura)."),
    404: OpenApiResponse(description="No existe o no lo puedes ver."),
    409: OpenApiResponse(description="Alguien más cambió el registro: recarga y envía la versión actual."),
}
TRANCHE_PATH = OpenApiParameter("tranche_pk", int, OpenApiParameter.PATH, description="Id de la ministración.")

NOT_YOURS = _("Solo la coordinación cambia el estado de un proyecto (y nunca el de uno con el que tiene relación).")
NOT_YOUR_TRANCHES = _("Solo el comité de Administración, la coordinación y Finanzas mueven las ministraciones.")


class ProjectViewSet(ProjectClosureActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Funded projects: the programme's coordination, finance and audit see all; a project's elected
    committees and its proposing group see that project only."""

    serializer_class = ProjectSerializer
    permission_classes = [IsAuthenticated, ReadOnlyRolesPermission]
    filterset_class = ProjectFilter
    search_fields = ["code", "title"]
    ordering_fields = ["id", "code", "approved_amount", "released_total", "updated_at"]

    def get_queryset(self):
        return Project.objects.visible_to(self.request.user).for_list().order_by("-id")

    def get_serializer_class(self):
        return ProjectSerializer if self.action == "list" else ProjectDetailSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "user": self.request.user}

    def get_object(self):
        try:
            return get_object_or_404(self.get_queryset(), pk=int(self.kwargs["pk"]))
        except (TypeError, ValueError) as error:
            raise NotFound from error

    def _detail(self, project):
        fresh = self.get_queryset().get(pk=project.pk)
        return Response(ProjectDetailSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(responses={200: ProjectEventSerializer(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def events(self, request, pk=None):
        """The project's timeline, oldest first: every state change and every step recorded."""
        project = self.get_object()
        return Response(ProjectEventSerializer(project.events.select_related("actor"), many=True).data)

    @extend_schema(responses={200: CommitteeSeatSerializer(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def committees(self, request, pk=None):
        """The people elected to the project's three committees (past seats too, with when they ended)."""
        project = self.get_object()
        show_email = bool(roles_of(request.user) & PROJECT_READER_ROLES)
        return Response(CommitteeSeatSerializer(project.seats.all(), many=True,
                                                context={"show_email": show_email}).data)

    @extend_schema(responses={200: TrancheSerializer(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def tranches(self, request, pk=None):
        """The tranche plan with each tranche's state and what it still lacks."""
        project = self.get_object()
        return Response(TrancheSerializer(project.tranches.order_by("number"), many=True,
                                          context={"project": project}).data)

    @extend_schema(request=ProjectTransitionSerializer, responses={200: ProjectDetailSerializer, **REFUSALS})
    @action(detail=True, methods=["post"], filter_backends=[])
    def transitions(self, request, pk=None):
        """Suspend, resume, complete the works, open the accountability, close or cancel (the coordination)."""
        project = self.get_object()
        if not permissions.can_manage_project(request.user, project):
            raise ApiPermissionDenied(NOT_YOURS)
        data = ProjectTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if fields.pop("confirm") is not True and fields["action"] == ProjectAction.CANCEL:
            raise ApiValidationError({"confirm": [confirm.NOT_CONFIRMED]})  # destructive: say so explicitly
        run_service(lambda: services.project_transition(actor=request.user, project_id=project.pk, **fields))
        return self._detail(project)

    @extend_schema(request=TrancheTransitionSerializer, responses={200: TrancheSerializer, **REFUSALS},
                   parameters=[TRANCHE_PATH])
    @action(detail=True, methods=["post"], url_path=r"tranches/(?P<tranche_pk>\d+)/transitions",
            url_name="tranche-transitions", filter_backends=[])
    def tranche_transitions(self, request, pk=None, tranche_pk=None):
        """Request (administration committee), approve or withhold (coordination), release (finance, never
        the person who approved it)."""
        project = self.get_object()
        tranche = project.tranches.filter(pk=tranche_pk).first()
        if tranche is None:
            raise NotFound
        if not may_act_on_tranches(request.user, project):
            raise ApiPermissionDenied(NOT_YOUR_TRANCHES)
        data = TrancheTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        moved = run_service(lambda: services.tranche_transition(actor=request.user, tranche_id=tranche.pk,
                                                                **data.validated_data))
        project.refresh_from_db()
        return Response(TrancheSerializer(moved, context={"project": project}).data)
